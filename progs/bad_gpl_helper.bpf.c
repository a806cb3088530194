/*
 * bad_gpl_helper.bpf.c -- REJECTED ON PURPOSE: a GPL-only helper in a program whose
 * license is not GPL-compatible.
 *
 * Concept:   some helpers (bpf_trace_printk, bpf_probe_read_*, ...) are exported to
 *            GPL programs only; the kernel reads the license section to decide.
 * Prog type: XDP.   Kernel: 5.10+.
 * See:       rawbpf verify build/progs/bad_gpl_helper.bpf.o  (fix: fixed_gpl_helper)
 * Verifier:  cannot call GPL-restricted function from non-GPL compatible program
 */
#include "bpf_prog.h"

SEC("xdp")
int gpl_helper(struct xdp_md *ctx)
{
	bpf_printk("queue %u", ctx->rx_queue_index);  /* <- REJECTED: GPL-only helper */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "MIT";
