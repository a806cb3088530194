/* A ring buffer with a value size: the kernel says only EINVAL; the loader must
 * blame the value size, not max_entries (which is right here: 16 MiB). */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(value_size, 20);
	__uint(max_entries, 16777216);
} rb_valued SEC(".maps");

SEC("xdp")
int pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
