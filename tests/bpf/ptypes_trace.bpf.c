/* Program types of issue 16 on the tracing side, for tests/ptypes.c: an iterator
 * over tasks and one over BPF maps (text through bpf_seq_printf), a BTF
 * tracepoint, a raw tracepoint with no name (loads; attaching it needs a name), a
 * syscall program (run by BPF_PROG_TEST_RUN), and a sampling profiler (perf_event,
 * stack ids counted per process, as libbpf-bootstrap's profile does). */
#include "bpf_prog.h"

/* The iterators' contexts: the kernel's struct bpf_iter_meta and bpf_iter__NAME
 * (the verifier checks each access against the kernel's own BTF). */
struct bpf_iter_meta {
	void *seq;
	u64 session_id;
	u64 seq_num;
};
struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	void *task;
};
struct bpf_iter__bpf_map {
	struct bpf_iter_meta *meta;
	void *map;
};

static long (*bpf_seq_printf)(void *m, const char *fmt, u32 fmt_size, const void *data,
			      u32 data_len) = (void *)BPF_FUNC_seq_printf;

SEC("iter/task")
int dump_task(struct bpf_iter__task *ctx)
{
	static const char line[] = "task %llu\n", end[] = "tasks: %llu\n";
	struct bpf_iter_meta *meta = ctx->meta;
	u64 n = meta->seq_num;

	if (!ctx->task)
		bpf_seq_printf(meta->seq, end, sizeof(end), &n, sizeof(n));
	else
		bpf_seq_printf(meta->seq, line, sizeof(line), &n, sizeof(n));
	return 0;
}

SEC("iter/bpf_map")
int dump_maps(struct bpf_iter__bpf_map *ctx)
{
	static const char line[] = "map %llu\n";
	struct bpf_iter_meta *meta = ctx->meta;
	u64 n = meta->seq_num;

	if (ctx->map)
		bpf_seq_printf(meta->seq, line, sizeof(line), &n, sizeof(n));
	return 0;
}

u64 switches;

SEC("tp_btf/sched_switch")
int count_switch(u64 *ctx)
{
	(void)ctx;
	__sync_fetch_and_add(&switches, 1);
	return 0;
}

SEC("raw_tp/")
int unnamed_raw_tp(void *ctx)
{
	(void)ctx;
	return 0;
}

struct add_args {
	u32 a, b;
};

SEC("syscall")
int add_in_syscall(struct add_args *ctx)
{
	return ctx->a + ctx->b;
}

struct stack_key {
	u32 pid;
	s32 kstack, ustack;
};

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1024);
	__uint(key_size, 4);
	__uint(value_size, 127 * 8);
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct stack_key);
	__type(value, u64);
} samples SEC(".maps");

SEC("perf_event")
int profile(void *ctx)
{
	struct stack_key k = { .pid = bpf_get_current_pid_tgid() >> 32 };
	u64 one = 1, *n;

	k.kstack = bpf_get_stackid(ctx, &stacks, 0);
	k.ustack = bpf_get_stackid(ctx, &stacks, 1ULL << 8);    /* BPF_F_USER_STACK */
	n = bpf_map_lookup_elem(&samples, &k);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&samples, &k, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
