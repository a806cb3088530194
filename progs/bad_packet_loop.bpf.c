/*
 * bad_packet_loop.bpf.c -- REJECTED ON PURPOSE: a loop bounded by a number read from
 * the packet.
 *
 * Concept:   the verifier proves a loop ends by walking it, round after round, with
 *            the counter's value known in each.  A bound read from the packet may be
 *            four billion: it walks until its limit of a million instructions.  Its
 *            log at level 2 then has a million rows; rawbpf verify folds the rounds
 *            (--all shows them).
 * Prog type: XDP.   Kernel: 5.3+ (bounded loops).
 * See:       rawbpf verify build/progs/bad_packet_loop.bpf.o  (fix: fixed_packet_loop)
 * Verifier:  BPF program is too large. Processed 1000001 insn
 */
#include "bpf_prog.h"

SEC("xdp")
int packet_loop(struct xdp_md *ctx)
{
	u8 *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	u32 n, i, sum = 0;

	if (data + 18 > end)
		return XDP_PASS;
	n = *(u32 *)(data + 14);
	for (i = 0; i < n; i++)               /* n may be 4 billion */
		sum += bpf_get_prandom_u32(); /* <- REJECTED: the walk ends here, a million insns on */
	return sum & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
