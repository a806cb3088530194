/* BTF-defined maps (.maps) referenced by ld_imm64 (R_BPF_64_64 -> BPF_PSEUDO_MAP_FD).
 * The XDP program counts its runs in `counts` (key 0) and copies the count to `last`. */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 16);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, 4);          /* sizes given as numbers instead of __type */
	__uint(value_size, 8);
	__uint(max_entries, 4);
	__uint(map_flags, 0);
} last SEC(".maps");

SEC("xdp")
int count_runs(struct xdp_md *ctx)
{
	u32 k = 0;
	u64 one = 1, *v;

	(void)ctx;
	v = bpf_map_lookup_elem(&counts, &k);
	if (v)
		one = *v + 1;
	bpf_map_update_elem(&counts, &k, &one, BPF_ANY);
	bpf_map_update_elem(&last, &k, &one, BPF_ANY);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
