/*
 * bad_ringbuf_leak.bpf.c -- REJECTED ON PURPOSE: ring buffer space reserved and,
 * on one path, never submitted.
 *
 * Concept:   bpf_ringbuf_reserve() hands out a reference; the verifier follows it
 *            down every path and refuses a program that can exit still holding it.
 * Prog type: XDP.   Kernel: 5.8+ (ring buffers).
 * See:       rawbpf verify build/progs/bad_ringbuf_leak.bpf.o  (fix: fixed_ringbuf_leak)
 * Verifier:  Unreleased reference (6.1)  /  ... would lead to reference leak (6.18)
 */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("xdp")
int ringbuf_leak(struct xdp_md *ctx)
{
	u32 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return XDP_PASS;
	if (ctx->rx_queue_index > 3)
		return XDP_PASS;              /* <- REJECTED: e is neither submitted nor discarded */
	*e = ctx->rx_queue_index;
	bpf_ringbuf_submit(e, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
