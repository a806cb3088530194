/* Event maps the way libbpf users declare them: a PERF_EVENT_ARRAY with neither
 * sizes nor max_entries (one slot per possible CPU), a RINGBUF; several programs in
 * one section; a map pinned by name. */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
} perf_out SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096 * 4);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 1);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} rbpf_test_pinned SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int to_perf(void *ctx)
{
	u64 pid = bpf_get_current_pid_tgid() >> 32;

	bpf_perf_event_output(ctx, &perf_out, BPF_F_CURRENT_CPU, &pid, sizeof(pid));
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int to_ring(void *ctx)
{
	u64 *e = bpf_ringbuf_reserve(&ring, sizeof(*e), 0);
	u64 pid = bpf_get_current_pid_tgid() >> 32;
	u32 k = 0;

	(void)ctx;
	bpf_map_update_elem(&rbpf_test_pinned, &k, &pid, 0);
	if (!e)
		return 0;
	*e = pid;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
