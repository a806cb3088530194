/* Uprobes for tests/uprobe.c: entries and returns counted per process (key: tgid),
 * and the last value returned, read from the saved registers (rax on x86-64 is
 * word 10 of struct pt_regs).  Bare sections: the test attaches them by hand. */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 1024);
} entries SEC(".maps"), returns SEC(".maps"), retval SEC(".maps");

static __always_inline void count(void *map)
{
	u32 tgid = bpf_get_current_pid_tgid() >> 32;
	u64 one = 1, *n = bpf_map_lookup_elem(map, &tgid);

	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(map, &tgid, &one, BPF_NOEXIST);
}

SEC("uprobe")
int on_entry(void *ctx)
{
	(void)ctx;
	count(&entries);
	return 0;
}

SEC("uretprobe")
int on_return(void *ctx)
{
	u32 tgid = bpf_get_current_pid_tgid() >> 32;
	u64 rax = ((u64 *)ctx)[10];

	count(&returns);
	bpf_map_update_elem(&retval, &tgid, &rax, BPF_ANY);
	return 0;
}

/* What `rawbpf run` attaches by itself: getsid in the C library of every process. */
SEC("uprobe/libc.so.6:getsid")
int libc_getsid(void *ctx)
{
	(void)ctx;
	count(&entries);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
