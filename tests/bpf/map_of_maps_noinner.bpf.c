/* A map of maps with no inner definition: tests/map_of_maps.c expects open to say
 * what to declare. */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} lonely SEC(".maps");

SEC("xdp")
int mim_noinner(struct xdp_md *ctx)
{
	u32 k = 0;

	(void)ctx;
	return bpf_map_lookup_elem(&lonely, &k) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
