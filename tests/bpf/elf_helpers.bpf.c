/* Every helper include/bpf_prog.h declares that a tracepoint may call, in one program
 * the verifier must accept: the prototypes, numbers and map macros work together. */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(value_size, sizeof(u64));
	__uint(max_entries, 8);
} q SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(u32));
	__uint(value_size, 127 * sizeof(u64));
	__uint(max_entries, 16);
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
} perf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct { u32 prefixlen; u32 addr; });
	__type(value, u64);
	__uint(max_entries, 4);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} lpm SEC(".maps");

SEC("tp/syscalls/sys_enter_execve")
int all_helpers(struct syscall_enter_ctx *ctx)
{
	char comm[16], path[32];
	u64 v = bpf_ktime_get_ns() + bpf_ktime_get_boot_ns(), out = 0;
	u64 *e;
	long id;

	bpf_get_current_comm(comm, sizeof(comm));
	v += bpf_get_current_uid_gid() + bpf_get_current_pid_tgid() + bpf_get_prandom_u32();
	v += bpf_get_smp_processor_id() + bpf_get_current_cgroup_id();
	bpf_probe_read_user_str(path, sizeof(path), (const void *)ctx->args[0]);
	bpf_probe_read_kernel(&out, sizeof(out), (const void *)bpf_get_current_task());
	bpf_map_push_elem(&q, &v, BPF_ANY);
	bpf_map_peek_elem(&q, &out);
	bpf_map_pop_elem(&q, &out);
	id = bpf_get_stackid(ctx, &stacks, 0);
	bpf_ringbuf_output(&rb, &id, sizeof(id), 0);
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (e)
		bpf_ringbuf_discard(e, 0);
	bpf_perf_event_output(ctx, &perf, BPF_F_CURRENT_CPU, comm, sizeof(comm));
	bpf_printk("%s %d", comm, ctx->syscall_nr);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
