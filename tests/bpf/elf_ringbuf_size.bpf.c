/* A ring buffer of 3 pages: not a power of 2, which the loader says by name. */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 3 * 4096);
} rb_odd SEC(".maps");

SEC("xdp")
int pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
