/*
 * vstack.c -- which call takes a chain of BPF-to-BPF calls past 512 bytes of stack.
 *
 * Each function of a BPF program has its own stack frame below r10, and the kernel
 * runs a whole chain of calls on one stack: so after walking the program the
 * verifier adds up, for every path through the call graph, the frames along it
 * (each rounded up to 32 bytes), and refuses a sum over 512 ("combined stack size
 * of 2 calls is 640. Too large").  It says so after the walk, at no instruction; its
 * log's last row is whatever it walked last.
 *
 * The instructions hold what is needed to name the culprit.  A function starts at
 * instruction 0 or at the target of a call (src_reg BPF_PSEUDO_CALL).  Its frame is
 * as deep as the lowest byte it touches below r10: through r10 directly, or through
 * a register set from r10 and moved by constants ("r2 = r10; r2 += -16"), which is
 * how compilers pass a local's address.  Walking the calls from the main function
 * depth first, the first call whose frame takes the running sum past 512 is the
 * one to show; each frame's size goes with it.
 *
 * A tail call is checked the same way, against a smaller limit: the frames above a
 * function that makes one may hold at most 256 bytes ("tail_calls are not allowed
 * when call stack of previous frames is 304 bytes").  There the call to show is the
 * one into the function that tail calls.
 */
#include <string.h>

#include "rawbpf.h"

#define STACK_MAX 512

static int is_call(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL;
}

/* The start of the function that contains insn i. */
static int func_of(const struct bpf_insn *insns, int cnt, int i)
{
	int start = 0, k;

	for (k = 0; k < cnt; k++)
		if (is_call(&insns[k])) {
			int t = k + insns[k].imm + 1;

			if (t <= i && t > start)
				start = t;
		}
	return start;
}

/* The end (exclusive) of the function starting at start. */
static int func_end(const struct bpf_insn *insns, int cnt, int start)
{
	int end = cnt, k;

	for (k = 0; k < cnt; k++)
		if (is_call(&insns[k])) {
			int t = k + insns[k].imm + 1;

			if (t > start && t < end)
				end = t;
		}
	return end;
}

/* The frame of the function at start: its deepest byte below r10, rounded up. */
static int frame_size(const struct bpf_insn *insns, int start, int end, int round)
{
	int fp[11], known[11] = { 0 }, deep = 0, k;

	for (k = start; k < end; k++) {
		const struct bpf_insn *in = &insns[k];
		int cls = BPF_CLASS(in->code), base = -1, off = in->off;

		if (cls == BPF_LDX)
			base = in->src_reg;
		else if (cls == BPF_ST || cls == BPF_STX)
			base = in->dst_reg;
		if (base == BPF_REG_10 && -off > deep)
			deep = -off;
		else if (base >= 0 && base < 11 && known[base] && -(fp[base] + off) > deep)
			deep = -(fp[base] + off);
		if (cls == BPF_ALU64 && in->dst_reg < 11) {
			int d = in->dst_reg;

			if (in->code == (BPF_ALU64 | BPF_MOV | BPF_X) && in->src_reg == BPF_REG_10) {
				fp[d] = 0;
				known[d] = 1;
			} else if (in->code == (BPF_ALU64 | BPF_ADD | BPF_K) && known[d]) {
				fp[d] += in->imm;
				if (-fp[d] > deep)
					deep = -fp[d];
			} else {
				known[d] = 0;
			}
		} else if ((cls == BPF_LDX || cls == BPF_ALU || cls == BPF_LD) && in->dst_reg < 11) {
			known[in->dst_reg] = 0;
		} else if (cls == BPF_JMP && BPF_OP(in->code) == BPF_CALL) {
			memset(known, 0, 6 * sizeof(int));      /* r0-r5 */
		}
	}
	if (deep < 1)
		deep = 1;
	return (deep + round - 1) / round * round;
}

/* Does the function [start, end) make a tail call?  The index of that call, or -1. */
static int tail_call_in(const struct bpf_insn *insns, int start, int end)
{
	int k;

	for (k = start; k < end; k++)
		if (insns[k].code == (BPF_JMP | BPF_CALL) && insns[k].src_reg == 0 &&
		    insns[k].imm == BPF_FUNC_tail_call)
			return k;
	return -1;
}

/* What the walk looks for: a chain over 512 bytes, or (tail) a function below main
 * that tail calls with more than 256 bytes of frames above it. */
struct goal {
	int round, tail;
};

/* Depth-first from the function at start; frames so far in c.  1 when found. */
static int walk(const struct bpf_insn *insns, int cnt, int start, struct rbpf_stack_chain *c,
		int sum, const struct goal *g)
{
	int end = func_end(insns, cnt, start), k, n = c->n, t;

	if (n >= RBPF_STACK_CHAIN_MAX)
		return 0;
	c->frames[n].start = start;
	c->frames[n].size = frame_size(insns, start, end, g->round);
	c->frames[n].call = -1;
	c->n = n + 1;
	if (g->tail && n > 0 && sum > STACK_MAX / 2 && (t = tail_call_in(insns, start, end)) >= 0) {
		c->total = sum;                 /* the frames above the tail call */
		c->frames[n].call = t;
		return 1;
	}
	sum += c->frames[n].size;
	if (!g->tail && sum > STACK_MAX) {
		c->total = sum;
		return 1;
	}
	for (k = start; k < end; k++)
		if (is_call(&insns[k])) {
			c->frames[n].call = k;
			if (walk(insns, cnt, k + insns[k].imm + 1, c, sum, g))
				return 1;
		}
	c->n = n;
	return 0;
}

static int chain(const struct bpf_insn *insns, int cnt, const struct goal *g,
		 struct rbpf_stack_chain *c)
{
	memset(c, 0, sizeof(*c));
	if (!insns || cnt <= 0 || g->round <= 0 || func_of(insns, cnt, 0) != 0)
		return 0;
	if (!walk(insns, cnt, 0, c, 0, g)) {
		c->n = 0;
		return 0;
	}
	if (!g->tail)
		c->frames[c->n - 1].call = -1;
	return 1;
}

int rbpf_stack_chain(const struct bpf_insn *insns, int cnt, int round, struct rbpf_stack_chain *c)
{
	struct goal g = { round, 0 };

	return chain(insns, cnt, &g, c);
}

int rbpf_tail_call_chain(const struct bpf_insn *insns, int cnt, int round,
			 struct rbpf_stack_chain *c)
{
	struct goal g = { round, 1 };

	return chain(insns, cnt, &g, c);
}
