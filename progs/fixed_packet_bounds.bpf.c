/*
 * fixed_packet_bounds.bpf.c -- bad_packet_bounds.bpf.c with the bounds test.
 *
 * Prog type: XDP.   Kernel: 5.10+.   After the comparison rawbpf verify shows the
 * packet pointer with r=14: 14 bytes proven readable.
 */
#include "bpf_prog.h"

SEC("xdp")
int packet_bounds(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;

	if (data + 14 > end)                          /* <- FIXED: Ethernet header there? */
		return XDP_PASS;
	if (data[12] == 0x08 && data[13] == 0x06)
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
