/*
 * bad_packet_bounds.bpf.c -- REJECTED ON PURPOSE: packet bytes read unchecked.
 *
 * Concept:   ctx->data .. ctx->data_end is the packet; the verifier lets a program
 *            read a byte only after a comparison has proved it lies before data_end.
 * Prog type: XDP.   Kernel: 5.10+.
 * See:       rawbpf verify build/progs/bad_packet_bounds.bpf.o  (fix: fixed_packet_bounds)
 * Verifier:  invalid access to packet (6.1)  /  R1 offset is outside of the packet (6.18)
 */
#include "bpf_prog.h"

SEC("xdp")
int packet_bounds(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;

	if (data[12] == 0x08 && data[13] == 0x06)     /* <- REJECTED: no data_end test */
		return XDP_DROP;                      /* ARP */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
