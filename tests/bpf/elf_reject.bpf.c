/* One good and one bad program: loading goes on past the rejection, so both have
 * their log; the bad one reads a map value without checking it for NULL. */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 1);
} vals SEC(".maps");

SEC("xdp")
int bad_null(struct xdp_md *ctx)
{
	u32 k = 0;
	u64 *v = bpf_map_lookup_elem(&vals, &k);

	(void)ctx;
	return *v;                            /* R0 may be NULL: rejected */
}

SEC("xdp")
int good(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
