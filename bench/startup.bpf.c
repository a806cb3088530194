/*
 * startup.bpf.c -- the startup bench's program: on every execve, one ring buffer
 * record {pid, tid, comm}.  Both user sides (bench/startup_rawbpf.c with rawbpf,
 * bench/libbpf/startup.c with libbpf) load this same object, so the bench compares
 * the loaders, not two programs.
 *
 * Type: tracepoint (syscalls/sys_enter_execve).  Kernel 5.8+ (ring buffer).
 */
#include "bpf_prog.h"

struct start_event {
	u32 pid;                 /* tgid: what user space calls the pid */
	u32 tid;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int on_execve(void *ctx)
{
	struct start_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	u64 id = bpf_get_current_pid_tgid();

	(void)ctx;
	if (!e)
		return 0;
	e->pid = id >> 32;
	e->tid = (u32)id;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
