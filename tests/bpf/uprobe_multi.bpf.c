/* uprobe.multi for tests/uprobe_multi.c: one program on many functions, counting
 * entries per process.  The section names the runner itself and a pattern: the
 * kernel resolves /proc/self/exe for the process that makes the link. */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 64);
} hits SEC(".maps");

SEC("uprobe.multi//proc/self/exe:rbpf_umulti_*")
int on_any(void *ctx)
{
	u32 tgid = bpf_get_current_pid_tgid() >> 32;
	u64 one = 1, *n = bpf_map_lookup_elem(&hits, &tgid);

	(void)ctx;
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&hits, &tgid, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
