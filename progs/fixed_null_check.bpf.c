/*
 * fixed_null_check.bpf.c -- bad_null_check.bpf.c with the NULL test the verifier wants.
 *
 * Prog type: XDP.   Kernel: 5.10+.   rawbpf verify shows R0 split in two after the
 * test: map_value on one branch, 0 on the other.
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

	if (!count)                           /* <- FIXED: test before use */
		return XDP_PASS;
	*count += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
