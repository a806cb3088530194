/*
 * hello_map.bpf.c -- the chapter's per-user counter: a hash map from UID to the
 * number of execve calls that user made.
 *
 * Concept:     a BPF map is kernel memory that programs and user space share; the
 *              program looks a key up, gets a pointer into the map (or NULL), and
 *              writes the new count back with bpf_map_update_elem.
 * Prog type:   kprobe on execve (ksyscall/execve); twins: tracepoint
 *              syscalls/sys_enter_execve (no kprobes), raw tracepoint sys_enter
 *              filtered on __NR_execve (no tracefs: a user with CAP_BPF+CAP_PERFMON).
 * Kernel:      hash maps 3.19+; the course's floor is 5.10.
 * Prints:      nothing; user space reads counter_table every 2 seconds.
 */
#include <asm/unistd.h>
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, u64);                    /* the UID (BCC's default key type is u64) */
	__type(value, u64);                  /* execve calls so far */
	__uint(max_entries, 10240);
} counter_table SEC(".maps");

static __always_inline int count_execve(void)
{
	u64 uid = bpf_get_current_uid_gid() & 0xFFFFFFFF;
	u64 counter = 0;
	u64 *p;

	p = bpf_map_lookup_elem(&counter_table, &uid);
	if (p != 0)
		counter = *p;
	counter++;
	bpf_map_update_elem(&counter_table, &uid, &counter, BPF_ANY);
	return 0;
}

SEC("ksyscall/execve")
int hello(void *ctx)
{
	(void)ctx;
	return count_execve();
}

SEC("tracepoint/syscalls/sys_enter_execve")
int hello_tp(void *ctx)
{
	(void)ctx;
	return count_execve();
}

/* args[1] of sys_enter is the system call's number. */
SEC("raw_tracepoint/sys_enter")
int hello_raw(struct bpf_raw_tracepoint_args *ctx)
{
	if (ctx->args[1] != __NR_execve)
		return 0;
	return count_execve();
}

char LICENSE[] SEC("license") = "GPL";
