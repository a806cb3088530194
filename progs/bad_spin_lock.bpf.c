/*
 * bad_spin_lock.bpf.c -- REJECTED ON PURPOSE: a helper called while a spin lock is held.
 *
 * Concept:   bpf_spin_lock() guards a map value against other CPUs; while it is held
 *            the program may only read and write memory: no helper call, no exit.
 *            The verifier counts the lock along every path.
 * Prog type: XDP.   Kernel: 5.1+ (spin locks; the map needs BTF).
 * See:       rawbpf verify build/progs/bad_spin_lock.bpf.o  (fix: fixed_spin_lock)
 * Verifier:  function calls are not allowed while holding a lock
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
	u32 zero = 0;
	struct guarded *g = bpf_map_lookup_elem(&stats, &zero);

	if (!g)
		return XDP_PASS;
	bpf_spin_lock(&g->lock);
	g->samples++;
	g->sum += bpf_get_prandom_u32();      /* <- REJECTED: a call under the lock */
	bpf_spin_unlock(&g->lock);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
