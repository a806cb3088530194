/*
 * core_patch.c -- write a resolved CO-RE relocation into its instruction.
 *
 * Where the compiler put the value depends on the instruction:
 *   - an ALU instruction with an immediate (`r1 += 16`, `r0 = 1` for "exists"):
 *     the 32-bit imm;
 *   - a load or store (`r1 = *(u64 *)(r2 + 2336)`): the 16-bit off field -- and if
 *     the field's size differs in the target, the access size too, but only for
 *     pointers and unsigned integers, where reading fewer bytes is still right;
 *   - an ld_imm64 (a 64-bit enum value): both halves of the imm.
 * Before writing, the instruction must hold the value the compiler was said to have
 * written (res->orig): if not, the relocation record and the code disagree and
 * patching would silently break the program, so it is an error.
 *
 * A relocation that could not be resolved turns the instruction into a call of the
 * helper 0xbad2310, which does not exist: dead code (a branch on "field exists" that
 * is never taken) loads fine, and a path that does reach it fails verification with
 * "invalid func unknown#195896080" -- which core_explain turns back into words.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "rawbpf.h"

#define LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)

static int size_bytes(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	}
	return 8;
}

static int size_code(uint32_t bytes)
{
	return bytes == 1 ? BPF_B : bytes == 2 ? BPF_H : bytes == 4 ? BPF_W :
	       bytes == 8 ? BPF_DW : -1;
}

static void poison(struct bpf_insn *in, int two)
{
	struct bpf_insn p = { .code = BPF_JMP | BPF_CALL, .imm = CORE_POISON };

	in[0] = p;
	if (two)
		in[1] = p;
}

/* A load/store: off holds the field offset; maybe resize the access. */
static int patch_mem(struct bpf_insn *in, const struct core_res *r, const char *prog,
		     uint32_t idx)
{
	int sz;

	if ((uint64_t)(int64_t)in->off != r->orig && !r->unchecked)
		return rbpf_error(EINVAL, "CO-RE: %s insn %u (%s): the instruction's offset is "
				  "%d, the relocation says the compiler wrote %llu", prog, idx,
				  r->what, in->off, (unsigned long long)r->orig);
	if (r->val > INT16_MAX)
		return rbpf_error(ERANGE, "CO-RE: %s insn %u (%s): offset %llu does not fit an "
				  "instruction's 16-bit offset", prog, idx, r->what,
				  (unsigned long long)r->val);
	if (r->orig_sz != r->new_sz && size_bytes(in->code) == (int)r->orig_sz) {
		if (!r->sz_ok || (sz = size_code(r->new_sz)) < 0) {
			poison(in, 0);          /* reading a different width would be wrong */
			return 0;
		}
		in->code = BPF_CLASS(in->code) | BPF_MODE(in->code) | sz;
	}
	in->off = r->val;
	return 0;
}

int core_patch(struct bpf_insn *insns, uint32_t cnt, uint32_t idx, const struct core_res *r,
	       const char *prog)
{
	struct bpf_insn *in = &insns[idx];
	uint8_t cls = BPF_CLASS(in->code);
	int wide = in->code == LD_IMM64;
	uint64_t imm;

	if (idx >= cnt || (wide && idx + 1 >= cnt))
		return rbpf_error(EINVAL, "CO-RE: %s: relocation for insn %u, past the %u "
				  "instructions", prog, idx, cnt);
	if (r->poison) {
		poison(in, wide);
		return 0;
	}
	if (cls == BPF_LDX || cls == BPF_ST || cls == BPF_STX)
		return patch_mem(in, r, prog, idx);
	imm = wide ? (uint64_t)(uint32_t)in[1].imm << 32 | (uint32_t)in->imm : (uint64_t)(int64_t)in->imm;
	if ((cls == BPF_ALU || cls == BPF_ALU64) && BPF_SRC(in->code) == BPF_K) {
		if (imm != r->orig && (uint32_t)imm != (uint32_t)r->orig && !r->unchecked)
			goto mismatch;
		if (r->val > UINT32_MAX && !((int64_t)r->val < 0 && (int64_t)r->val >= INT32_MIN))
			return rbpf_error(ERANGE, "CO-RE: %s insn %u (%s): value %llu does not fit "
					  "a 32-bit immediate", prog, idx, r->what,
					  (unsigned long long)r->val);
		in->imm = (int32_t)r->val;
		return 0;
	}
	if (wide) {
		if (imm != r->orig && !r->unchecked)
			goto mismatch;
		in->imm = (uint32_t)r->val, in[1].imm = (uint32_t)(r->val >> 32);
		return 0;
	}
	return rbpf_error(EINVAL, "CO-RE: %s insn %u (%s): opcode 0x%02x is not an ALU "
			  "instruction with an immediate, a load, a store or an ld_imm64",
			  prog, idx, r->what, in->code);
mismatch:
	return rbpf_error(EINVAL, "CO-RE: %s insn %u (%s): the instruction holds %lld, the "
			  "relocation says the compiler wrote %llu", prog, idx, r->what,
			  (long long)imm, (unsigned long long)r->orig);
}

/* The block's records whose instruction lies in [start, start+len): counted
 * (out NULL) or copied to out. */
static int piece_relos(const struct btf_ext *x, const struct btf_ext_sec *b, const char *sec,
		       uint32_t start, uint32_t len, uint32_t at, struct core_relo *out)
{
	struct btf_core_rec rec;
	uint32_t i, insn;
	int n = 0;

	for (i = 0; i < b->num; i++) {
		btf_ext_core_rec(x, b, i, &rec);
		insn = rec.insn_off / 8;
		if (rec.insn_off % 8)
			return rbpf_error(EINVAL, "CO-RE: section %s: relocation %u is at byte %u, "
					  "not at an instruction (a multiple of 8)", sec, i,
					  rec.insn_off);
		if (insn < start || insn - start >= len)
			continue;
		if (out)
			out[n] = (struct core_relo){ at + insn - start, rec };
		n++;
	}
	return n;
}

int core_collect(const struct btf_ext *x, const char *sec, uint32_t start, uint32_t len,
		 uint32_t at, struct core_relo **out, uint32_t *n)
{
	const struct btf_ext_sec *b = btf_ext_find(x->core, x->ncore, sec);
	struct core_relo *o;
	int k = b ? piece_relos(x, b, sec, start, len, at, NULL) : 0;

	if (k <= 0)
		return k;
	if (!(o = realloc(*out, (*n + k) * sizeof(*o))))
		return rbpf_error(ENOMEM, "CO-RE: out of memory");
	*out = o;
	piece_relos(x, b, sec, start, len, at, o + *n);
	*n += k;
	return 0;
}
