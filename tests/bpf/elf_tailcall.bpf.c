/* A prog array declared with initial values (.rel.maps names the programs): the
 * loader fills slot 1 after loading, so the entry program's tail call lands. */
#include "bpf_prog.h"

int target(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(u32));
	__array(values, int (void *));
} jumps SEC(".maps") = {
	.values = { [1] = (void *)&target },
};

SEC("xdp")
int target(struct xdp_md *ctx)
{
	(void)ctx;
	return 42;
}

SEC("xdp")
int entry(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &jumps, 1);
	return 1;                             /* only when the slot is empty */
}

char LICENSE[] SEC("license") = "GPL";
