/* An object for `rawbpf run`: one exec seen three ways (ring buffer, perf buffer,
 * bpf_printk), a kprobe this kernel cannot attach, and an xdp program that needs
 * --ifname.  The run test looks for the pid of a /bin/true it starts. */
#include "bpf_prog.h"

struct event {
	u32 pid;
	char tag[12];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096 * 4);
} run_ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
} run_perf SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int exec_ring(void *ctx)
{
	struct event *e = bpf_ringbuf_reserve(&run_ring, sizeof(*e), 0);

	(void)ctx;
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	__builtin_memcpy(e->tag, "rawbpf-ring", 12);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/sched_process_exec")
int exec_perf(void *ctx)
{
	struct event e = { .pid = bpf_get_current_pid_tgid() >> 32 };

	__builtin_memcpy(e.tag, "rawbpf-perf", 12);
	bpf_perf_event_output(ctx, &run_perf, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

SEC("tp/sched/sched_process_exec")
int exec_print(void *ctx)
{
	(void)ctx;
	bpf_printk("rawbpf-print %d", (int)(bpf_get_current_pid_tgid() >> 32));
	return 0;
}

SEC("kprobe/do_nanosleep")
int nap(void *ctx)
{
	(void)ctx;
	return 0;
}

SEC("xdp")
int pass(void *ctx)
{
	(void)ctx;
	return 2;       /* XDP_PASS */
}

char LICENSE[] SEC("license") = "GPL";
