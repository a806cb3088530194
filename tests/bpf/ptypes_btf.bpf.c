/* BTF-attached program types for tests/ptypes_btf.c: an LSM hook counting this
 * process's file opens (and allowing them), and an freplace program, which rawbpf
 * refuses to load without the program it would replace. */
#include "bpf_prog.h"

u32 watched_pid;                /* set by the test before load */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 1);
} opens SEC(".maps");

SEC("lsm/file_open")
int count_open(u64 *ctx)
{
	u32 zero = 0;
	u64 *n = bpf_map_lookup_elem(&opens, &zero);

	(void)ctx;
	if (n && bpf_get_current_pid_tgid() >> 32 == watched_pid)
		__sync_fetch_and_add(n, 1);
	return 0;                       /* 0: allowed */
}

SEC("freplace/handler")
int replacement(void *ctx)
{
	(void)ctx;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
