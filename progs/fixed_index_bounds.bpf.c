/*
 * fixed_index_bounds.bpf.c -- bad_index_bounds.bpf.c with the index checked.
 *
 * Prog type: XDP.   Kernel: 5.10+.   rawbpf verify shows i's range shrink to
 * umax=15 after the comparison.
 */
#include "bpf_prog.h"

struct slots {
	u64 count[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, struct slots);
	__uint(max_entries, 1);
} table SEC(".maps");

SEC("xdp")
int index_bounds(struct xdp_md *ctx)
{
	u32 zero = 0, i = ctx->rx_queue_index;
	struct slots *s = bpf_map_lookup_elem(&table, &zero);

	if (!s || i >= 16)                    /* <- FIXED: bound the index */
		return XDP_PASS;
	s->count[i] += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
