/*
 * bad_index_bounds.bpf.c -- REJECTED ON PURPOSE: an array index with no upper bound.
 *
 * Concept:   the verifier tracks the range of every number; an index added to a
 *            pointer must have a range that keeps the access inside the value.
 * Prog type: XDP.   Kernel: 5.10+.
 * See:       rawbpf verify build/progs/bad_index_bounds.bpf.o  (fix: fixed_index_bounds)
 * Verifier:  R0 unbounded memory access / invalid access to map value
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

	if (!s)
		return XDP_PASS;
	s->count[i] += 1;                     /* <- REJECTED: i may be >= 16 */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
