/*
 * bad_ringbuf_after_submit.bpf.c -- REJECTED ON PURPOSE: a ring buffer record written
 * after it was submitted.
 *
 * Concept:   bpf_ringbuf_submit() hands the record to the reader; from that call on,
 *            every register that pointed into it is dead (the verifier makes them
 *            plain numbers).  The kernel's log does not say so at the submit;
 *            rawbpf verify notes "R1 R7 released" on that row.
 * Prog type: XDP.   Kernel: 5.8+.
 * See:       rawbpf verify build/progs/bad_ringbuf_after_submit.bpf.o  (fix: fixed_ringbuf_after_submit)
 * Verifier:  R7 invalid mem access 'scalar'
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
	bpf_ringbuf_submit(e, 0);
	e->len = ctx->data_end - ctx->data;   /* <- REJECTED: e was submitted */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
