/*
 * fixed_tail_call_stack.bpf.c -- bad_tail_call_stack.bpf.c with a frame small enough
 * to keep under a tail call.
 *
 * Prog type: XDP.   Kernel: 5.10+.
 */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} next SEC(".maps");

static __noinline int hand_over(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &next, 0);
	return XDP_PASS;
}

SEC("xdp")
int tail_call_stack(struct xdp_md *ctx)
{
	volatile u8 scratch[64];              /* <- FIXED: 64 bytes, well under 256 */

	scratch[ctx->rx_queue_index & 63] = 1;
	return hand_over(ctx) + scratch[0] - 1;
}

char LICENSE[] SEC("license") = "GPL";
