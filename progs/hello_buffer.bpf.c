/*
 * hello_buffer.bpf.c -- the chapter's perf buffer: one record per execve, with the
 * process id, user id, command name and a message, sent to user space through a
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY.
 *
 * Concept:     bpf_perf_event_output copies a record into the perf ring of the CPU the
 *              program runs on (BPF_F_CURRENT_CPU picks the map slot of this CPU);
 *              user space has one ring per CPU, mmapped.
 * Prog type:   kprobe on execve (ksyscall/execve); twins: tracepoint
 *              syscalls/sys_enter_execve, raw tracepoint sys_enter (see progs/lesson.h).
 * Kernel:      4.4+ (bpf_perf_event_output); the course's floor is 5.10.
 * Prints:      nothing itself; user space prints  12345 0 bash Hello World
 */
#include <asm/unistd.h>
#include "bpf_prog.h"

/* The record; progs/hello_buffer.c declares the same layout. */
struct data_t {
	u32 pid;
	u32 uid;
	char command[16];
	char message[12];
};

/* No sizes: one slot per possible CPU, each slot a perf event fd user space stores. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} output SEC(".maps");

static __always_inline int send(void *ctx)
{
	struct data_t data = {};
	char message[12] = "Hello World";

	data.pid = bpf_get_current_pid_tgid() >> 32;
	data.uid = bpf_get_current_uid_gid() & 0xFFFFFFFF;
	bpf_get_current_comm(&data.command, sizeof(data.command));
	__builtin_memcpy(data.message, message, sizeof(message));
	bpf_perf_event_output(ctx, &output, BPF_F_CURRENT_CPU, &data, sizeof(data));
	return 0;
}

SEC("ksyscall/execve")
int hello(void *ctx)
{
	return send(ctx);
}

SEC("tracepoint/syscalls/sys_enter_execve")
int hello_tp(void *ctx)
{
	return send(ctx);
}

SEC("raw_tracepoint/sys_enter")
int hello_raw(struct bpf_raw_tracepoint_args *ctx)
{
	if (ctx->args[1] != __NR_execve)
		return 0;
	return send(ctx);
}

char LICENSE[] SEC("license") = "GPL";
