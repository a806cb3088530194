/* An ARRAY_OF_MAPS with its inner map's shape, as libbpf users declare it. */
#include "bpf_prog.h"

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, u32);
	__uint(max_entries, 1);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, u32);
	__array(values, struct inner);
} outer SEC(".maps");

SEC("xdp")
int pass(struct xdp_md *ctx)
{
	u32 k = 0;

	(void)ctx;
	return bpf_map_lookup_elem(&outer, &k) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
