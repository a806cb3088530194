/*
 * fixed_spin_lock.bpf.c -- bad_spin_lock.bpf.c calling the helper before the lock.
 *
 * Prog type: XDP.   Kernel: 5.1+.
 */
#include "bpf_prog.h"

struct guarded {
	struct bpf_spin_lock lock;
	u32 samples;
	u64 sum;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, struct guarded);
	__uint(max_entries, 1);
} stats SEC(".maps");

SEC("xdp")
int spin_lock(struct xdp_md *ctx)
{
	u32 zero = 0, sample = bpf_get_prandom_u32();   /* <- FIXED: called before the lock */
	struct guarded *g = bpf_map_lookup_elem(&stats, &zero);

	if (!g)
		return XDP_PASS;
	bpf_spin_lock(&g->lock);
	g->samples++;
	g->sum += sample;
	bpf_spin_unlock(&g->lock);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
