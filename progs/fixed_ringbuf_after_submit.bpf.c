/*
 * fixed_ringbuf_after_submit.bpf.c -- bad_ringbuf_after_submit.bpf.c filling the
 * record before submitting it.
 *
 * Prog type: XDP.   Kernel: 5.8+.
 */
#include "bpf_prog.h"

struct event {
	u32 queue;
	u32 len;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("xdp")
int after_submit(struct xdp_md *ctx)
{
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return XDP_PASS;
	e->queue = ctx->rx_queue_index;
	e->len = ctx->data_end - ctx->data;
	bpf_ringbuf_submit(e, 0);             /* <- FIXED: submit last */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
