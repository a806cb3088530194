/*
 * fixed_gpl_helper.bpf.c -- bad_gpl_helper.bpf.c under a GPL-compatible license.
 *
 * Prog type: XDP.   Kernel: 5.10+.
 */
#include "bpf_prog.h"

SEC("xdp")
int gpl_helper(struct xdp_md *ctx)
{
	bpf_printk("queue %u", ctx->rx_queue_index);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";   /* <- FIXED: GPL-compatible */
