/* A map iterator for tests/ptypes_trace.c: one call per element of the map it is
 * linked with, printed as "KEY => VALUE".  (Apart from ptypes_trace.bpf.c: this
 * development kernel refuses map element iterators with EPERM, libbpf's load too.) */
#include "bpf_prog.h"

struct bpf_iter_meta {
	void *seq;
	u64 session_id;
	u64 seq_num;
};
struct bpf_iter__bpf_map_elem {
	struct bpf_iter_meta *meta;
	void *map;
	void *key;
	void *value;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 4);
} elems SEC(".maps");

static long (*bpf_seq_printf)(void *m, const char *fmt, u32 fmt_size, const void *data,
			      u32 data_len) = (void *)BPF_FUNC_seq_printf;

SEC("iter/bpf_map_elem")
int dump_elems(struct bpf_iter__bpf_map_elem *ctx)
{
	static const char line[] = "%u => %llu\n";
	u32 *key = ctx->key;
	u64 *value = ctx->value, kv[2];

	if (!key || !value)
		return 0;
	kv[0] = *key;
	kv[1] = *value;
	bpf_seq_printf(ctx->meta->seq, line, sizeof(line), kv, sizeof(kv));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
