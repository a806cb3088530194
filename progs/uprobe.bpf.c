/*
 * uprobe.bpf.c -- lesson 10, the kernel side: count calls of a user-space function
 * per process, on entry and on return, and calls of a C library function.
 *
 * A uprobe program is a BPF_PROG_TYPE_KPROBE program, like a kprobe's: its context
 * is the registers of the process at the probe (struct pt_regs).  The sections are
 * bare ("uprobe", "uretprobe"): progs/uprobe.c says where each goes, since the
 * target's path is only known when it runs.
 */
#include "bpf_prog.h"

/* struct pt_regs on x86-64, as 21 words: the function's first argument is in rdi
 * (word 14), its return value in rax (word 10) once it has returned. */
#define ARG1(ctx) (((u64 *)(ctx))[14])
#define RET(ctx)  (((u64 *)(ctx))[10])

struct calls {
	u64 entries;             /* add_to_total entered */
	u64 returns;             /* ... and returned */
	u64 last;                /* the value it returned last */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, u32);                    /* the process id (tgid) */
	__type(value, struct calls);
	__uint(max_entries, 1024);
} per_process SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, u32);                    /* the process id (tgid) */
	__type(value, u64);                  /* calls of the C library function */
	__uint(max_entries, 4096);
} libc_calls SEC(".maps");

/* This process's entry in per_process, made on its first call. */
static __always_inline struct calls *entry_of(u32 pid)
{
	struct calls zero = { 0 }, *c = bpf_map_lookup_elem(&per_process, &pid);

	if (c)
		return c;
	bpf_map_update_elem(&per_process, &pid, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&per_process, &pid);
}

SEC("uprobe")
int on_entry(void *ctx)
{
	struct calls *c = entry_of(bpf_get_current_pid_tgid() >> 32);

	(void)ctx;
	if (c)
		__sync_fetch_and_add(&c->entries, 1);
	return 0;
}

SEC("uretprobe")
int on_return(void *ctx)
{
	struct calls *c = entry_of(bpf_get_current_pid_tgid() >> 32);

	if (!c)
		return 0;
	__sync_fetch_and_add(&c->returns, 1);
	c->last = RET(ctx);
	return 0;
}

SEC("uprobe")
int on_libc(void *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	u64 one = 1, *n = bpf_map_lookup_elem(&libc_calls, &pid);

	(void)ctx;
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&libc_calls, &pid, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
