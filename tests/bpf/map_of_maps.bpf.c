/* Maps of maps for tests/map_of_maps.c: an array of maps and a hash of maps over
 * two inner arrays, declared and filled the libbpf way; one XDP program counts in
 * the inner maps it finds (a[0] += 1 through outer[0], b[0] += 100 through
 * outer_hash[3]). */
#include "bpf_prog.h"

struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, u32);
	__array(values, struct inner_map);
} outer SEC(".maps") = { .values = { &inner_a, &inner_b } };

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, u32);
	__array(values, struct inner_map);
} outer_hash SEC(".maps") = { .values = { [3] = &inner_b } };

static __always_inline void add(void *outer_map, u32 key, u64 n)
{
	u32 zero = 0;
	void *inner = bpf_map_lookup_elem(outer_map, &key);
	u64 *v;

	if (!inner)
		return;
	v = bpf_map_lookup_elem(inner, &zero);
	if (v)
		__sync_fetch_and_add(v, n);
}

SEC("xdp")
int mim_count(struct xdp_md *ctx)
{
	(void)ctx;
	add(&outer, 0, 1);
	add(&outer_hash, 3, 100);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
