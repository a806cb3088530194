/* A map of maps whose initial value does not match its inner definition (u32
 * values where the definition says u64): tests/map_of_maps.c expects the load to
 * say so. */
#include "bpf_prog.h"

struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} narrow SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, u32);
	__array(values, struct inner_map);
} outer SEC(".maps") = { .values = { (void *)&narrow } };

SEC("xdp")
int mim_bad(struct xdp_md *ctx)
{
	u32 k = 0;

	(void)ctx;
	return bpf_map_lookup_elem(&outer, &k) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
