/*
 * bad_tail_call_stack.bpf.c -- REJECTED ON PURPOSE: a tail call made inside a function
 * whose caller holds a big stack frame.
 *
 * Concept:   a tail call replaces the running program but keeps the frames of the
 *            functions that called the one making it.  So that a chain of tail calls
 *            cannot pile up stacks, the frames above a tail call may hold at most
 *            256 bytes together.
 * Prog type: XDP.   Kernel: 5.10+ (tail calls from BPF-to-BPF functions, x86-64 JIT).
 * See:       rawbpf verify build/progs/bad_tail_call_stack.bpf.o  (fix: fixed_tail_call_stack)
 * Verifier:  tail_calls are not allowed when call stack of previous frames is 320 bytes. Too large
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
	volatile u8 scratch[300];             /* <- REJECTED: 300 bytes above the tail call */

	scratch[ctx->rx_queue_index & 255] = 1;
	return hand_over(ctx) + scratch[0] - 1;
}

char LICENSE[] SEC("license") = "GPL";
