/*
 * atomics.bpf.c -- two ways to add one to a counter in a map, raced on two CPUs.
 *
 * Concept:     a program runs on every CPU at once; `*v += 1` on a map value is
 *              three steps (load, add, store), and two CPUs that load the same old
 *              value both store old + 1: one count is lost.  __sync_fetch_and_add
 *              compiles to one atomic instruction (BPF_ATOMIC | BPF_ADD, printed
 *              `lock *(u64 *)(r0 +0) += r1`; the older name is BPF_XADD), which the
 *              CPU performs as one step.  Its friends: __sync_fetch_and_or, _and,
 *              _xor, __sync_lock_test_and_set (BPF_XCHG), __sync_val_compare_and_swap
 *              (BPF_CMPXCHG) -- those that return the old value need 5.12.
 * Prog type:   socket filter, run only by BPF_PROG_TEST_RUN (repeat: many runs in
 *              one system call); no attach point.
 * Kernel:      atomic add 4.x (XADD), the other operations 5.12.
 * Prints:      nothing; user space reads counts[0] (plain) and counts[1] (atomic).
 */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 2);              /* [0]: plain adds, [1]: atomic adds */
} counts SEC(".maps");

SEC("socket")
int add_plain(struct __sk_buff *skb)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&counts, &key);

	(void)skb;
	if (v)
		*v += 1;                     /* load, add, store: three steps */
	return 0;
}

SEC("socket")
int add_atomic(struct __sk_buff *skb)
{
	u32 key = 1;
	u64 *v = bpf_map_lookup_elem(&counts, &key);

	(void)skb;
	if (v)
		__sync_fetch_and_add(v, 1);  /* one instruction: lock *(u64 *)(r0 +0) += r1 */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
