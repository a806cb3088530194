/*
 * limits.bpf.c -- the chapter's limits, as programs the kernel accepts or refuses.
 *
 * Concept:     BPF-to-BPF calls share one 512-byte stack: the verifier adds up the
 *              frames along the deepest call chain ("combined stack size") and allows
 *              at most 8 frames.  Tail calls replace the program: at most 33 in a row,
 *              they never return, an empty slot falls through, the target must be of
 *              the caller's type, and the stack starts empty -- data goes through a
 *              map.  (One frame over 512 bytes clang itself refuses to compile; the
 *              user side builds that one from raw instructions.)
 * Prog type:   BPF_PROG_TYPE_RAW_TRACEPOINT (run by BPF_PROG_TEST_RUN); one XDP
 *              program, to be refused by the raw tracepoint programs' prog array.
 * Kernel:      5.10+ (33 tail calls in a row; some JITs stopped at 32 before 5.17:
 *              counted, not assumed).
 * Prints:      nothing; progs/limits.c loads each and prints the kernel's verdict.
 */
#include "bpf_prog.h"

/* -------------------------------------------------- stack shared by calls */

/* n bytes of this frame's stack, all written by a helper, so the compiler keeps
 * them all (it drops what nothing reads or writes).  In a socket filter the packet
 * fills them; elsewhere the current task's name, zero-padded. */
#define USE_STACK_SKB(n) \
	char buf[n]; \
	bpf_skb_load_bytes(skb, 0, buf, sizeof(buf))
#define USE_STACK(n) \
	char buf[n]; \
	bpf_get_current_comm(buf, sizeof(buf))

static __noinline int frame_300(struct __sk_buff *skb)
{
	USE_STACK_SKB(300);
	return buf[0];
}

static __noinline int frame_150(struct __sk_buff *skb)
{
	USE_STACK_SKB(150);
	return buf[0];
}

/* 300 + 300 bytes: each frame fits, the chain does not. */
SEC("socket")
int stack_combined_too_big(struct __sk_buff *skb)
{
	USE_STACK_SKB(300);
	return frame_300(skb) + buf[0];
}

/* 300 + 150: fits. */
SEC("socket")
int stack_combined_fits(struct __sk_buff *skb)
{
	USE_STACK_SKB(300);
	return frame_150(skb) + buf[0];
}

static __noinline int frame_300_tp(int x)
{
	USE_STACK(300);
	return buf[0] + x;
}

/* The same 300 + 300 in a raw tracepoint program.  Since 6.13 the x86-64 JIT gives
 * tracing programs (kprobe, tracepoint, raw tracepoint, perf event) a private stack
 * per function, and the verifier then limits each frame to 512 bytes instead of
 * their sum: accepted there, refused on older kernels. */
SEC("raw_tracepoint/limits")
int stack_combined_raw_tp(void *ctx)
{
	USE_STACK(300);
	(void)ctx;
	return frame_300_tp(buf[0]);
}

/* ------------------------------------------------------ eight frames, nine */

static __noinline int d1(int x) { return x + 1; }
static __noinline int d2(int x) { return d1(x) + 2; }
static __noinline int d3(int x) { return d2(x) + 3; }
static __noinline int d4(int x) { return d3(x) + 4; }
static __noinline int d5(int x) { return d4(x) + 5; }
static __noinline int d6(int x) { return d5(x) + 6; }
static __noinline int d7(int x) { return d6(x) + 7; }
static __noinline int d8(int x) { return d7(x) + 8; }

/* The program's frame + d7 ... d1: 8 frames.  Returns args[0] + 28.  (x comes from
 * ctx: with a constant, clang would compute the answer and drop the calls.) */
SEC("raw_tracepoint/limits")
int depth_8(struct bpf_raw_tracepoint_args *ctx)
{
	return d7(ctx->args[0]);
}

/* The program's frame + d8 ... d1: 9 frames. */
SEC("raw_tracepoint/limits")
int depth_9(struct bpf_raw_tracepoint_args *ctx)
{
	return d8(ctx->args[0]);
}

/* -------------------------------------------------------------- tail calls */

int chain(void *ctx);
int pass_b(void *ctx);

enum { SLOT_CHAIN = 0, SLOT_EMPTY = 1, SLOT_FOREIGN = 2, SLOT_PASS_B = 3 };

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(u32));
	__array(values, int (void *));
} jumps SEC(".maps") = {
	.values = { [SLOT_CHAIN] = (void *)&chain, [SLOT_PASS_B] = (void *)&pass_b },
};

/* Per CPU: [0] runs of chain, [1] times a tail call returned to it, [2] the value
 * pass_a hands to pass_b. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 3);
} counters SEC(".maps");

static __always_inline void bump(u32 slot, u64 by)
{
	u64 *v = bpf_map_lookup_elem(&counters, &slot);

	if (v)
		*v += by;
}

/* Tail-calls itself until the kernel says no; only then does the call return. */
SEC("raw_tracepoint/limits")
int chain(void *ctx)
{
	bump(0, 1);
	bpf_tail_call(ctx, &jumps, SLOT_CHAIN);
	bump(1, 1);                  /* reached once: when the chain limit is hit */
	return 0;
}

/* Slot 1 is empty: the helper returns, the program goes on. */
SEC("raw_tracepoint/limits")
int tail_to_empty_slot(void *ctx)
{
	bpf_tail_call(ctx, &jumps, SLOT_EMPTY);
	return 7;
}

/* The stack does not survive a tail call: pass the value through a per-CPU array
 * (the tail call runs on the same CPU, so the slot is ours). */
SEC("raw_tracepoint/limits")
int pass_a(void *ctx)
{
	u32 slot = 2;
	u64 secret = 0x5ec2e7, *v = bpf_map_lookup_elem(&counters, &slot);

	if (v)
		*v = secret;
	bpf_tail_call(ctx, &jumps, SLOT_PASS_B);
	return 0;
}

SEC("raw_tracepoint/limits")
int pass_b(void *ctx)
{
	u32 slot = 2;
	u64 *v = bpf_map_lookup_elem(&counters, &slot);

	(void)ctx;
	return v ? *v : 0;
}

/* Another program type: the prog array above must refuse it. */
SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
