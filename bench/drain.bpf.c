/*
 * drain.bpf.c -- producers for the drain benches.  Each program writes one record
 * stamped with the next sequence number and is driven by BPF_PROG_TEST_RUN with
 * `repeat` = N: N runs, N records, then user space drains them all in one call.
 * XDP because test_run runs XDP programs on this kernel with any repeat count.
 *
 *   rb16, rb64   BPF ring buffer (one ring), 16- and 64-byte payloads
 *   pb16, pb64   perf event array (a ring per CPU), the same payloads
 *
 * The payload is {seq, filler}: the consumer checks the count and the sum of seq.
 */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024 * 1024);     /* 2,000,000 x 72 bytes fit */
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} perf SEC(".maps");

u64 seq;    /* .bss: the next sequence number */

struct rec16 { u64 seq, pad; };
struct rec64 { u64 seq, pad[7]; };

SEC("xdp")
int rb16(struct xdp_md *ctx)
{
	struct rec16 *r = bpf_ringbuf_reserve(&ring, sizeof(*r), 0);

	(void)ctx;
	if (!r)
		return XDP_ABORTED;
	r->seq = seq++;
	r->pad = 0;
	bpf_ringbuf_submit(r, 0);
	return XDP_PASS;
}

SEC("xdp")
int rb64(struct xdp_md *ctx)
{
	struct rec64 *r = bpf_ringbuf_reserve(&ring, sizeof(*r), 0);

	(void)ctx;
	if (!r)
		return XDP_ABORTED;
	r->seq = seq++;
	for (int i = 0; i < 7; i++)
		r->pad[i] = 0;
	bpf_ringbuf_submit(r, 0);
	return XDP_PASS;
}

SEC("xdp")
int pb16(struct xdp_md *ctx)
{
	struct rec16 r = { .seq = seq++ };

	if (bpf_perf_event_output(ctx, &perf, BPF_F_CURRENT_CPU, &r, sizeof(r)))
		return XDP_ABORTED;
	return XDP_PASS;
}

SEC("xdp")
int pb64(struct xdp_md *ctx)
{
	struct rec64 r = { .seq = seq++ };

	if (bpf_perf_event_output(ctx, &perf, BPF_F_CURRENT_CPU, &r, sizeof(r)))
		return XDP_ABORTED;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
