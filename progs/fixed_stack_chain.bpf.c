/*
 * fixed_stack_chain.bpf.c -- bad_stack_chain.bpf.c with the callee's buffer moved
 * off the stack, into a per-CPU array map used as scratch space.
 *
 * Prog type: XDP.   Kernel: 5.10+.   rawbpf verify --stats shows the stack depth.
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

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, u32);
	__type(value, struct record);
	__uint(max_entries, 1);
} scratch SEC(".maps");

static __noinline int save_copy(u32 fill)
{
	u32 zero = 0, key = 1;
	struct record *copy = bpf_map_lookup_elem(&scratch, &zero);   /* <- FIXED: not on the stack */

	if (!copy)
		return 0;
	__builtin_memset(copy, fill, sizeof(*copy));
	return bpf_map_update_elem(&records, &key, copy, 0);
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
