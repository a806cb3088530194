/*
 * fixed_ringbuf_leak.bpf.c -- bad_ringbuf_leak.bpf.c releasing the reservation on
 * every path.
 *
 * Prog type: XDP.   Kernel: 5.8+.
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
	if (ctx->rx_queue_index > 3) {
		bpf_ringbuf_discard(e, 0);    /* <- FIXED: give the space back */
		return XDP_PASS;
	}
	*e = ctx->rx_queue_index;
	bpf_ringbuf_submit(e, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
