/* Two maps pinned by name beside a program the verifier rejects: the load fails,
 * and the pin it made (rbpf_pinrej_new) must go with it, while the one that was
 * there before (rbpf_pinrej_old, which the test pins first) stays.  (Hash maps: a
 * constant-key array lookup is never NULL on 6.18, so it would load.) */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 1);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} rbpf_pinrej_old SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 1);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} rbpf_pinrej_new SEC(".maps");

SEC("xdp")
int uses_both(struct xdp_md *ctx)
{
	u32 k = 0;
	u64 *a = bpf_map_lookup_elem(&rbpf_pinrej_old, &k);
	u64 *b = bpf_map_lookup_elem(&rbpf_pinrej_new, &k);

	(void)ctx;
	return *a + *b;                       /* no NULL check: rejected */
}

char LICENSE[] SEC("license") = "GPL";
