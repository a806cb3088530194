/*
 * opens.bpf.c -- lesson 12's program, grown: for each file `cat` opens, a record in
 * a ring buffer -- who opened what -- instead of a line of text.
 *
 * Concept:     the arguments of a tracepoint are a struct whose layout tracefs
 *              publishes (events/syscalls/sys_enter_openat/format); the file name is a
 *              pointer into the process's memory, read with bpf_probe_read_user_str.
 *              struct event is filled in a function of its own that takes a
 *              `struct event *`, which puts the type in the object's BTF: that is
 *              what lets `rawbpf run --record 'struct event'` print the fields by name.
 * Prog type:   BPF_PROG_TYPE_TRACEPOINT on syscalls/sys_enter_openat.
 * Kernel:      ring buffers 5.8+.
 * Prints:      nothing itself; a record per open, read by rawbpf run or progs/opens.
 */
#include "bpf_prog.h"

struct event {
	u32 pid;                     /* the process (tgid) */
	char comm[16];               /* its name */
	char filename[64];           /* what it opens, cut to 63 characters */
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} events SEC(".maps");

/* The tracepoint's arguments, in the order and at the offsets the format file lists. */
struct openat_args {
	u64 common;                  /* common_type, common_flags, ..., common_pid */
	s32 nr;                      /* __syscall_nr, then 4 bytes of padding */
	u32 pad;
	u64 dfd;
	const char *filename;        /* a pointer into the process's memory */
	u64 flags;
	u64 mode;
};

static __noinline int fill(struct event *e, const char *filename)
{
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_user_str(e->filename, sizeof(e->filename), filename);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int on_openat(struct openat_args *ctx)
{
	char comm[16];
	struct event *e;

	bpf_get_current_comm(comm, sizeof(comm));
	if (comm[0] != 'c' || comm[1] != 'a' || comm[2] != 't' || comm[3] != 0)
		return 0;                /* only cat: the lesson's own trigger */
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	fill(e, ctx->filename);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
