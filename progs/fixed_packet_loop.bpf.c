/*
 * fixed_packet_loop.bpf.c -- bad_packet_loop.bpf.c with the packet's number capped.
 *
 * Prog type: XDP.   Kernel: 5.3+.
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
	if (n > 16)                           /* <- FIXED: at most 16 rounds */
		n = 16;
	for (i = 0; i < n; i++)
		sum += bpf_get_prandom_u32();
	return sum & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
