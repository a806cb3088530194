/*
 * bad_null_check.bpf.c -- REJECTED ON PURPOSE: a map lookup used without a NULL test.
 *
 * Concept:   bpf_map_lookup_elem() returns NULL when the key is not in the map, so
 *            the verifier types its result map_value_or_null and refuses any access
 *            through it until a comparison with 0 has split the two cases.
 * Prog type: XDP (loads anywhere; never attached).   Kernel: 5.10+.
 * See:       rawbpf verify build/progs/bad_null_check.bpf.o  (the fix: fixed_null_check)
 * Verifier:  R0 invalid mem access 'map_value_or_null'
 */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 16);
} seen SEC(".maps");

SEC("xdp")
int null_check(struct xdp_md *ctx)
{
	u32 key = ctx->rx_queue_index;
	u64 *count = bpf_map_lookup_elem(&seen, &key);

	*count += 1;                          /* <- REJECTED: count may be NULL */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
