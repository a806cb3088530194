/* A tail-call table the libbpf way (__array with initial values), libbpf headers. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int lb_leaf(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int (void *));
} table SEC(".maps") = {
	.values = { [0] = (void *)&lb_leaf },
};

SEC("xdp")
int lb_leaf(struct xdp_md *ctx)
{
	(void)ctx;
	return 17;
}

SEC("xdp")
int lb_root(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &table, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
