/* A legacy `maps` section: struct {type, key_size, value_size, max_entries, map_flags}
 * per symbol, matched to its relocations by the symbol's offset. */
#include "bpf_prog.h"

struct legacy_map_def {
	u32 type, key_size, value_size, max_entries, map_flags;
};

struct legacy_map_def first SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 2,
};
struct legacy_map_def second SEC("maps") = {
	.type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 8,
};

SEC("socket")
int legacy(struct __sk_buff *skb)
{
	u32 k = 1, v32 = 7;
	u64 v64 = 9;

	(void)skb;
	bpf_map_update_elem(&first, &k, &v32, BPF_ANY);
	bpf_map_update_elem(&second, &k, &v64, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
