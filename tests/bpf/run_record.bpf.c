/* An object for `rawbpf run --record 'struct event'` (tests/run_record.c): each exec
 * sends one struct event through a ring buffer and one through a perf buffer.
 *
 * clang writes a type into the object's BTF only when something the BTF describes
 * uses it: a map, a global variable, a function's parameters.  A record built in a
 * local variable is none of these, so fill() takes the struct as a parameter and is
 * kept a function of its own (__noinline): its prototype carries struct event. */
#include "bpf_prog.h"

enum source { FROM_RING = 1, FROM_PERF = 2 };

struct event {
	u32 pid;
	char tag[12];
	enum source src;
	u8 flags: 4, level: 4;
	u64 when[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096 * 4);
} rec_ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
} rec_perf SEC(".maps");

static __noinline int fill(struct event *e, enum source src)
{
	e->pid = bpf_get_current_pid_tgid() >> 32;
	__builtin_memcpy(e->tag, src == FROM_RING ? "rawbpf-ring" : "rawbpf-perf", 12);
	e->src = src;
	e->flags = 5;
	e->level = 10;
	e->when[0] = 1;
	e->when[1] = 2;
	return 0;
}

SEC("tracepoint/sched/sched_process_exec")
int rec_exec_ring(void *ctx)
{
	struct event *e = bpf_ringbuf_reserve(&rec_ring, sizeof(*e), 0);

	(void)ctx;
	if (!e)
		return 0;
	fill(e, FROM_RING);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/sched_process_exec")
int rec_exec_perf(void *ctx)
{
	struct event e = {};

	fill(&e, FROM_PERF);
	bpf_perf_event_output(ctx, &rec_perf, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
