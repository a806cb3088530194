/*
 * bad_stack_chain.bpf.c -- REJECTED ON PURPOSE: two functions whose stack frames
 * together pass 512 bytes.
 *
 * Concept:   each function may use 512 bytes of stack, and so may a whole chain of
 *            calls: the verifier adds up the frames along every call path.  clang
 *            checks one function at a time; only the verifier sees the chain.  The
 *            verifier says so after walking the program, so the failing row of
 *            rawbpf verify is the last instruction walked, not this one.
 * Prog type: XDP.   Kernel: 5.10+.
 * See:       rawbpf verify build/progs/bad_stack_chain.bpf.o  (fix: fixed_stack_chain)
 * Verifier:  combined stack size of 2 calls is 640. Too large  (the sum varies with clang)
 */
#include "bpf_prog.h"

struct record {
	u8 bytes[300];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, struct record);
	__uint(max_entries, 2);
} records SEC(".maps");

static __noinline int save_copy(u32 fill)
{
	struct record copy;                   /* <- REJECTED: 300 bytes + 300 in the caller */
	u32 key = 1;

	__builtin_memset(&copy, fill, sizeof(copy));
	return bpf_map_update_elem(&records, &key, &copy, 0);
}

SEC("xdp")
int stack_chain(struct xdp_md *ctx)
{
	struct record mine;
	u32 key = 0;

	__builtin_memset(&mine, ctx->rx_queue_index, sizeof(mine));
	bpf_map_update_elem(&records, &key, &mine, 0);
	return save_copy(ctx->rx_queue_index) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
