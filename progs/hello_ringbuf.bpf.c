/*
 * hello_ringbuf.bpf.c -- the chapter's events again, through a BPF ring buffer:
 * one buffer shared by every CPU, written in place with reserve + submit.
 *
 * Concept:     bpf_ringbuf_reserve hands the program a pointer into the ring (or NULL
 *              when it is full); the program fills the record there and then either
 *              submits it (the reader sees it) or discards it (the space is skipped,
 *              the reader never sees it).  The verifier insists on one or the other on
 *              every path: a reservation is a reference that must be released.
 *              bpf_ringbuf_output is the other way: build the record elsewhere (the
 *              stack) and have it copied in, as bpf_perf_event_output does.
 *              Here a record is discarded when its uid is ignore_uid: the program
 *              reserves before it knows whether the record is wanted (it must, to
 *              write in place), so dropping it afterwards is a discard.
 * Prog type:   kprobe on execve (ksyscall/execve); twins: tracepoint
 *              syscalls/sys_enter_execve, raw tracepoint sys_enter (see progs/lesson.h).
 * Kernel:      5.8+ (BPF_MAP_TYPE_RINGBUF).
 * Prints:      nothing itself; user space prints  12345 0 bash Hello World (reserve)
 */
#include <asm/unistd.h>
#include "bpf_prog.h"

struct data_t {
	u32 pid;
	u32 uid;
	char command[16];
	char message[12];
	u32 how;                     /* 0: reserve + submit, 1: bpf_ringbuf_output */
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);        /* 64 KiB: a power of two, whole pages */
} output SEC(".maps");

/* Set by user space before load (.rodata is frozen after: the verifier then knows the
 * values and drops the branches they rule out). */
const volatile u32 ignore_uid = 0xFFFFFFFF;  /* discard records of this uid */
const volatile u32 use_output = 0;           /* 1: bpf_ringbuf_output instead */

static __always_inline void fill(struct data_t *d)
{
	char message[12] = "Hello World";

	d->pid = bpf_get_current_pid_tgid() >> 32;
	d->uid = bpf_get_current_uid_gid() & 0xFFFFFFFF;
	bpf_get_current_comm(&d->command, sizeof(d->command));
	__builtin_memcpy(d->message, message, sizeof(message));
}

static __always_inline int send(void)
{
	struct data_t *d, copy = {};

	if (use_output) {
		fill(&copy);
		copy.how = 1;
		if (copy.uid != ignore_uid)
			bpf_ringbuf_output(&output, &copy, sizeof(copy), 0);
		return 0;
	}
	d = bpf_ringbuf_reserve(&output, sizeof(*d), 0);
	if (!d)
		return 0;                    /* full: the record is lost, and only we know */
	fill(d);
	d->how = 0;
	if (d->uid == ignore_uid)
		bpf_ringbuf_discard(d, 0);
	else
		bpf_ringbuf_submit(d, 0);
	return 0;
}

SEC("ksyscall/execve")
int hello(void *ctx)
{
	(void)ctx;
	return send();
}

SEC("tracepoint/syscalls/sys_enter_execve")
int hello_tp(void *ctx)
{
	(void)ctx;
	return send();
}

SEC("raw_tracepoint/sys_enter")
int hello_raw(struct bpf_raw_tracepoint_args *ctx)
{
	if (ctx->args[1] != __NR_execve)
		return 0;
	return send();
}

char LICENSE[] SEC("license") = "GPL";
