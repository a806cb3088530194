/*
 * disasm.c -- one BPF instruction as text, in the verifier's own syntax.
 *
 * The kernel's verifier log prints every instruction it checks as `N: (xx) text`,
 * where xx is the opcode in hex and the text is C-like: `r1 = *(u32 *)(r6 +0)`,
 * `if w0 > 0x3 goto pc+2`, `call bpf_map_lookup_elem#1`.  We print exactly that text
 * (tests/disasm.c compares us with the kernel's log, line by line), so a learner
 * reads one syntax everywhere: in our listings, in `rawbpf verify`, in the kernel.
 * Facts to know when reading the output:
 *
 *   - rN is the 64-bit register, wN its low 32 bits (class BPF_ALU, JMP32).
 *   - Immediates of ALU instructions are signed decimal; of jumps, unsigned hex.
 *   - Memory offsets are always signed (`+0`, `-8`); jump targets are relative to
 *     the next instruction (`goto pc+3` lands 4 instructions later).
 *   - ld_imm64 takes two slots; the second is never printed on its own.
 *
 * The second form, rbpf_disasm_macro(), prints the same instruction as the
 * bpf_insn.h macro that builds it, so a compiled program can become an asm/ file.
 * Both functions read only the slots they are given: a truncated ld_imm64 is an
 * error, never a read past the end.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rawbpf.h"

/* Helper names by number, from the uapi's own list.  Newer kernels know more
 * helpers than an older uapi header names; those print as "unknown#N". */
#define HELPER_NAME(x) [BPF_FUNC_##x] = "bpf_" #x
static const char *const helper_names[__BPF_FUNC_MAX_ID] = {
	__BPF_FUNC_MAPPER(HELPER_NAME)
};
#undef HELPER_NAME

const char *rbpf_helper_name(int id)
{
	if (id <= 0 || id >= __BPF_FUNC_MAX_ID)
		return NULL;
	return helper_names[id];
}

/* The strings the verifier uses, indexed by the operation's top four bits. */
static const char *const alu_op[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
	"neg", "%=", "^=", "=", "s>>=", "endian", "?", "?",
};
static const char *const jmp_op[16] = {
	"jmp", "==", ">", ">=", "&", "!=", "s>", "s>=",
	"call", "exit", "<", "<=", "s<", "s<=", "?", "?",
};
static const char *const atomic_op[16] = {
	[BPF_ADD >> 4] = "add", [BPF_AND >> 4] = "and",
	[BPF_OR >> 4] = "or", [BPF_XOR >> 4] = "xor",
};
/* by BPF_SIZE >> 3: W 0, H 1, B 2, DW 3 */
static const char *const size_u[4] = { "u32", "u16", "u8", "u64" };
static const char *const size_s[4] = { "s32", "s16", "s8", "s64" };

#define MEMSX 0x80            /* BPF_MEMSX (v4 sign-extending load), newer than 6.1 uapi */
#define LOAD_ACQ 0x100        /* BPF_LOAD_ACQ / BPF_STORE_REL (6.15+) */
#define STORE_REL 0x110
#define JCOND 0xe0            /* BPF_JCOND (may_goto, 6.9+) */

/* A printf into the caller's buffer that never overruns it. */
#define OUT(...) snprintf(buf, size, __VA_ARGS__)

static void disasm_alu(const struct bpf_insn *in, char *buf, size_t size)
{
	int w = BPF_CLASS(in->code) == BPF_ALU;
	char r = w ? 'w' : 'r';
	int op = BPF_OP(in->code);
	const char *name = alu_op[op >> 4];
	int signed_div = (op == BPF_DIV || op == BPF_MOD) && in->off == 1;

	if (op == BPF_END && !w)
		OUT("r%d = bswap%d r%d", in->dst_reg, in->imm, in->dst_reg);
	else if (op == BPF_END)
		OUT("r%d = %s%d r%d", in->dst_reg,
		    BPF_SRC(in->code) == BPF_TO_BE ? "be" : "le", in->imm, in->dst_reg);
	else if (op == BPF_NEG)
		OUT("%c%d = -%c%d", r, in->dst_reg, r, in->dst_reg);
	else if (op == BPF_MOV && BPF_SRC(in->code) == BPF_X && in->off == 1 && !w)
		OUT("r%d = addr_space_cast(r%d, %u, %u)", in->dst_reg, in->src_reg,
		    (uint32_t)in->imm >> 16, (uint32_t)in->imm & 0xffff);
	else if (op == BPF_MOV && BPF_SRC(in->code) == BPF_X && in->off == -1 && !w)
		/* the verifier's own inlined per-CPU lookups (6.9+); seen in prog dump */
		OUT("r%d = &(void __percpu *)(r%d)", in->dst_reg, in->src_reg);
	else if (BPF_SRC(in->code) == BPF_X) {
		const char *sx = "";

		if (op == BPF_MOV && (in->off == 8 || in->off == 16 || in->off == 32))
			sx = in->off == 8 ? "(s8)" : in->off == 16 ? "(s16)" : "(s32)";
		OUT("%c%d %s%s %s%c%d", r, in->dst_reg, signed_div ? "s" : "",
		    name, sx, r, in->src_reg);
	} else
		OUT("%c%d %s%s %d", r, in->dst_reg, signed_div ? "s" : "", name, in->imm);
}

static void disasm_atomic(const struct bpf_insn *in, char *buf, size_t size)
{
	const char *sz = size_u[BPF_SIZE(in->code) >> 3];
	const char *bits = BPF_SIZE(in->code) == BPF_DW ? "64" : "";
	int imm = in->imm;

	if (imm == BPF_ADD || imm == BPF_AND || imm == BPF_OR || imm == BPF_XOR)
		OUT("lock *(%s *)(r%d %+d) %s r%d", sz, in->dst_reg, in->off,
		    alu_op[imm >> 4], in->src_reg);
	else if ((imm & ~0xf0) == BPF_FETCH && atomic_op[imm >> 4])
		OUT("r%d = atomic%s_fetch_%s((%s *)(r%d %+d), r%d)", in->src_reg, bits,
		    atomic_op[imm >> 4], sz, in->dst_reg, in->off, in->src_reg);
	else if (imm == BPF_CMPXCHG)
		OUT("r0 = atomic%s_cmpxchg((%s *)(r%d %+d), r0, r%d)", bits, sz,
		    in->dst_reg, in->off, in->src_reg);
	else if (imm == BPF_XCHG)
		OUT("r%d = atomic%s_xchg((%s *)(r%d %+d), r%d)", in->src_reg, bits, sz,
		    in->dst_reg, in->off, in->src_reg);
	else if (imm == LOAD_ACQ)
		OUT("r%d = load_acquire((%s *)(r%d %+d))", in->dst_reg, sz, in->src_reg,
		    in->off);
	else if (imm == STORE_REL)
		OUT("store_release((%s *)(r%d %+d), r%d)", sz, in->dst_reg, in->off,
		    in->src_reg);
	else
		OUT("BUG_%02x", in->code);
}

/* The constant of an ld_imm64: a number, or the map it names. */
static void disasm_ld_imm64(const struct bpf_insn *in, const struct rbpf_disasm_opts *o,
			    char *buf, size_t size)
{
	uint64_t v = ((uint64_t)(uint32_t)in[1].imm << 32) | (uint32_t)in[0].imm;
	char name[64] = "";

	if (in->src_reg && o && o->map_name)
		o->map_name(o->priv, in, name, sizeof(name));
	if (!name[0]) {
		switch (in->src_reg) {
		case 0:
			break;
		case BPF_PSEUDO_MAP_FD:
			snprintf(name, sizeof(name), "map[id:%d]", in[0].imm);
			break;
		case BPF_PSEUDO_MAP_VALUE:
			snprintf(name, sizeof(name), "map[id:%d][0]+%d", in[0].imm, in[1].imm);
			break;
		case 5:     /* BPF_PSEUDO_MAP_IDX */
			snprintf(name, sizeof(name), "map[idx:%d]", in[0].imm);
			break;
		case 6:     /* BPF_PSEUDO_MAP_IDX_VALUE */
			snprintf(name, sizeof(name), "map[idx:%d][0]+%d", in[0].imm, in[1].imm);
			break;
		default:    /* BTF_ID, FUNC: the number, like the verifier */
			break;
		}
	}
	if (name[0])
		OUT("r%d = %s", in->dst_reg, name);
	else
		OUT("r%d = 0x%llx", in->dst_reg, (unsigned long long)v);
}

static void disasm_call(const struct bpf_insn *in, const struct rbpf_disasm_opts *o,
			char *buf, size_t size)
{
	const char *h = in->src_reg == 0 ? rbpf_helper_name(in->imm) : NULL;
	char name[128] = "";

	if (in->src_reg == 0 && o && o->call_name)
		o->call_name(o->priv, in, name, sizeof(name));
	if (name[0])
		OUT("call %s#%d", name, in->imm);
	else if (in->src_reg == BPF_PSEUDO_CALL)
		OUT("call pc%+d", in->imm);
	else if (in->src_reg == BPF_PSEUDO_KFUNC_CALL)
		OUT("call kernel-function#%d", in->imm);
	else
		OUT("call %s#%d", h ? h : "unknown", in->imm);
}

static void disasm_jmp(const struct bpf_insn *in, const struct rbpf_disasm_opts *o,
		       char *buf, size_t size)
{
	char r = BPF_CLASS(in->code) == BPF_JMP32 ? 'w' : 'r';
	int op = BPF_OP(in->code);

	if (op == BPF_CALL)
		disasm_call(in, o, buf, size);
	else if (in->code == (BPF_JMP | BPF_JA))
		OUT("goto pc%+d", in->off);
	else if (in->code == (BPF_JMP32 | BPF_JA))
		OUT("gotol pc%+d", in->imm);
	else if (in->code == (BPF_JMP | JCOND) && in->src_reg == 0)
		OUT("may_goto pc%+d", in->off);
	else if (in->code == (BPF_JMP | BPF_EXIT))
		OUT("exit");
	else if (BPF_SRC(in->code) == BPF_X)
		OUT("if %c%d %s %c%d goto pc%+d", r, in->dst_reg, jmp_op[op >> 4], r,
		    in->src_reg, in->off);
	else
		OUT("if %c%d %s 0x%x goto pc%+d", r, in->dst_reg, jmp_op[op >> 4],
		    (uint32_t)in->imm, in->off);
}

int rbpf_disasm_insn(const struct bpf_insn *in, size_t left, char *buf, size_t size,
		     const struct rbpf_disasm_opts *o)
{
	int mode = BPF_MODE(in->code), sz = BPF_SIZE(in->code) >> 3;

	if (left == 0 || size == 0)
		return -EINVAL;
	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		disasm_alu(in, buf, size);
		break;
	case BPF_JMP:
	case BPF_JMP32:
		disasm_jmp(in, o, buf, size);
		break;
	case BPF_LDX:
		if (mode == BPF_MEM || mode == MEMSX)
			OUT("r%d = *(%s *)(r%d %+d)", in->dst_reg,
			    (mode == MEMSX ? size_s : size_u)[sz], in->src_reg, in->off);
		else
			OUT("BUG_ldx_%02x", in->code);
		break;
	case BPF_STX:
		if (mode == BPF_MEM)
			OUT("*(%s *)(r%d %+d) = r%d", size_u[sz], in->dst_reg, in->off,
			    in->src_reg);
		else if (mode == BPF_ATOMIC)
			disasm_atomic(in, buf, size);
		else
			OUT("BUG_%02x", in->code);
		break;
	case BPF_ST:
		if (mode == BPF_MEM)
			OUT("*(%s *)(r%d %+d) = %d", size_u[sz], in->dst_reg, in->off, in->imm);
		else if (mode == 0xc0)  /* BPF_NOSPEC, the verifier's own speculation fence */
			OUT("nospec");
		else
			OUT("BUG_st_%02x", in->code);
		break;
	case BPF_LD:
		if (mode == BPF_ABS)
			OUT("r0 = *(%s *)skb[%d]", size_u[sz], in->imm);
		else if (mode == BPF_IND)
			OUT("r0 = *(%s *)skb[r%d + %d]", size_u[sz], in->src_reg, in->imm);
		else if (mode == BPF_IMM && BPF_SIZE(in->code) == BPF_DW) {
			if (left < 2)
				return -EINVAL;
			disasm_ld_imm64(in, o, buf, size);
			return 2;
		} else
			OUT("BUG_ld_%02x", in->code);
		break;
	}
	return 1;
}

/* The maps of an object by name: priv is the struct rbpf_object.  Before load a map
 * load says which map by index (src 5, 6), after load by fd (src 1, 2). */
void rbpf_disasm_object_map_name(void *priv, const struct bpf_insn *in, char *buf, size_t size)
{
	const struct rbpf_object *obj = priv;
	const struct rbpf_map *m = NULL;
	int value = in->src_reg == BPF_PSEUDO_MAP_VALUE || in->src_reg == 6;

	if (in->src_reg == 5 || in->src_reg == 6)
		m = rbpf_object_map_at(obj, in->imm);
	else if (in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE)
		for (m = rbpf_object_next_map(obj, NULL); m; m = rbpf_object_next_map(obj, m))
			if (rbpf_map_fd(m) == in->imm)
				break;
	if (!m)
		return;
	if (value)
		OUT("map[%s][0]+%d", rbpf_map_name(m), in[1].imm);
	else
		OUT("map[%s]", rbpf_map_name(m));
}

/* ------------------------------------------------------------ the bpf_insn.h form */

static const char *const op_names[16] = {
	"BPF_ADD", "BPF_SUB", "BPF_MUL", "BPF_DIV", "BPF_OR", "BPF_AND", "BPF_LSH",
	"BPF_RSH", "BPF_NEG", "BPF_MOD", "BPF_XOR", "BPF_MOV", "BPF_ARSH", "BPF_END",
	"?", "?",
};
static const char *const jop_names[16] = {
	"BPF_JA", "BPF_JEQ", "BPF_JGT", "BPF_JGE", "BPF_JSET", "BPF_JNE", "BPF_JSGT",
	"BPF_JSGE", "BPF_CALL", "BPF_EXIT", "BPF_JLT", "BPF_JLE", "BPF_JSLT", "BPF_JSLE",
	"?", "?",
};
static const char *const size_names[4] = { "BPF_W", "BPF_H", "BPF_B", "BPF_DW" };

/* "BPF_REG_3", or "BPF_REG_10" for the frame pointer. */
static const char *reg(int r)
{
	static const char *const names[16] = {
		"BPF_REG_0", "BPF_REG_1", "BPF_REG_2", "BPF_REG_3", "BPF_REG_4",
		"BPF_REG_5", "BPF_REG_6", "BPF_REG_7", "BPF_REG_8", "BPF_REG_9",
		"BPF_REG_10", "11", "12", "13", "14", "15",
	};
	return names[r & 15];
}

static int macro_alu(const struct bpf_insn *in, char *buf, size_t size)
{
	int w = BPF_CLASS(in->code) == BPF_ALU, op = BPF_OP(in->code);

	if (in->off != 0 || (op == BPF_END && !w))
		return 0;            /* v4 forms (movsx, sdiv, bswap): no macro */
	if (op == BPF_END)
		return OUT("BPF_ENDIAN_%s(%s, %d)", BPF_SRC(in->code) == BPF_TO_BE ? "BE" : "LE",
			   reg(in->dst_reg), in->imm);
	if (op == BPF_NEG)
		return OUT("BPF_NEG%s(%s)", w ? "32" : "64", reg(in->dst_reg));
	if (op == BPF_MOV && BPF_SRC(in->code) == BPF_X)
		return OUT("BPF_MOV%s_REG(%s, %s)", w ? "32" : "64", reg(in->dst_reg),
			   reg(in->src_reg));
	if (op == BPF_MOV)
		return OUT("BPF_MOV%s_IMM(%s, %d)", w ? "32" : "64", reg(in->dst_reg), in->imm);
	if (BPF_SRC(in->code) == BPF_X)
		return OUT("BPF_ALU%s_REG(%s, %s, %s)", w ? "32" : "64", op_names[op >> 4],
			   reg(in->dst_reg), reg(in->src_reg));
	return OUT("BPF_ALU%s_IMM(%s, %s, %d)", w ? "32" : "64", op_names[op >> 4],
		   reg(in->dst_reg), in->imm);
}

static int macro_jmp(const struct bpf_insn *in, char *buf, size_t size)
{
	const char *j = BPF_CLASS(in->code) == BPF_JMP32 ? "JMP32" : "JMP";
	int op = BPF_OP(in->code);

	if (in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL)
		return OUT("BPF_CALL_REL(%d)", in->imm);
	if (in->code == (BPF_JMP | BPF_CALL) && in->src_reg == 0) {
		const char *h = rbpf_helper_name(in->imm);
		if (h)
			return OUT("BPF_EMIT_CALL(BPF_FUNC_%s)", h + 4);
		return OUT("BPF_EMIT_CALL(%d)", in->imm);
	}
	if (in->code == (BPF_JMP | BPF_EXIT))
		return OUT("BPF_EXIT_INSN()");
	if (in->code == (BPF_JMP | BPF_JA))
		return OUT("BPF_JMP_A(%d)", in->off);
	if (op == BPF_CALL || op == BPF_EXIT || op == BPF_JA || op >= 0xe0)
		return 0;
	if (BPF_SRC(in->code) == BPF_X)
		return OUT("BPF_%s_REG(%s, %s, %s, %d)", j, jop_names[op >> 4],
			   reg(in->dst_reg), reg(in->src_reg), in->off);
	return OUT("BPF_%s_IMM(%s, %s, %d, %d)", j, jop_names[op >> 4], reg(in->dst_reg),
		   in->imm, in->off);
}

static int macro_atomic(const struct bpf_insn *in, char *buf, size_t size)
{
	const char *sz = size_names[BPF_SIZE(in->code) >> 3];
	static const char *const fetch[16] = {
		[BPF_ADD >> 4] = "BPF_ADD", [BPF_AND >> 4] = "BPF_AND",
		[BPF_OR >> 4] = "BPF_OR", [BPF_XOR >> 4] = "BPF_XOR",
	};

	if (in->imm == BPF_ADD)
		return OUT("BPF_ATOMIC_ADD(%s, %s, %s, %d)", sz, reg(in->dst_reg),
			   reg(in->src_reg), in->off);
	if (in->imm == BPF_XCHG || in->imm == BPF_CMPXCHG)
		return OUT("BPF_ATOMIC_%s(%s, %s, %s, %d)", in->imm == BPF_XCHG ? "XCHG" : "CMPXCHG",
			   sz, reg(in->dst_reg), reg(in->src_reg), in->off);
	if ((in->imm & ~0xf1) == 0 && fetch[in->imm >> 4 & 15] && in->imm < 0x100)
		return OUT("BPF_ATOMIC_OP(%s, %s%s, %s, %s, %d)", sz, fetch[in->imm >> 4],
			   in->imm & BPF_FETCH ? " | BPF_FETCH" : "", reg(in->dst_reg),
			   reg(in->src_reg), in->off);
	return 0;
}

/* The macro for one instruction, or 0 when bpf_insn.h has none for it. */
static int macro_of(const struct bpf_insn *in, char *buf, size_t size)
{
	int mode = BPF_MODE(in->code);
	const char *sz = size_names[BPF_SIZE(in->code) >> 3];

	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		return macro_alu(in, buf, size);
	case BPF_JMP:
	case BPF_JMP32:
		return macro_jmp(in, buf, size);
	case BPF_LDX:
		return mode == BPF_MEM ? OUT("BPF_LDX_MEM(%s, %s, %s, %d)", sz,
					     reg(in->dst_reg), reg(in->src_reg), in->off) : 0;
	case BPF_STX:
		if (mode == BPF_ATOMIC)
			return macro_atomic(in, buf, size);
		return mode == BPF_MEM ? OUT("BPF_STX_MEM(%s, %s, %s, %d)", sz,
					     reg(in->dst_reg), reg(in->src_reg), in->off) : 0;
	case BPF_ST:
		return mode == BPF_MEM ? OUT("BPF_ST_MEM(%s, %s, %d, %d)", sz,
					     reg(in->dst_reg), in->off, in->imm) : 0;
	case BPF_LD:
		if (mode == BPF_ABS)
			return OUT("BPF_LD_ABS(%s, %d)", sz, in->imm);
		if (mode == BPF_IND)
			return OUT("BPF_LD_IND(%s, %s, %d)", sz, reg(in->src_reg), in->imm);
		return 0;
	}
	return 0;
}

int rbpf_disasm_macro(const struct bpf_insn *in, size_t left, char *buf, size_t size)
{
	if (left == 0 || size == 0)
		return -EINVAL;
	if (in->code == (BPF_LD | BPF_DW | BPF_IMM)) {
		uint64_t v;

		if (left < 2)
			return -EINVAL;
		v = ((uint64_t)(uint32_t)in[1].imm << 32) | (uint32_t)in[0].imm;
		if (in->src_reg == BPF_PSEUDO_MAP_FD && in[1].imm == 0)
			OUT("BPF_LD_MAP_FD(%s, %d)", reg(in->dst_reg), in->imm);
		else if (in->src_reg == BPF_PSEUDO_MAP_VALUE)
			OUT("BPF_LD_MAP_VALUE(%s, %d, %d)", reg(in->dst_reg), in[0].imm, in[1].imm);
		else if (in->src_reg == 0)
			OUT("BPF_LD_IMM64(%s, 0x%llxULL)", reg(in->dst_reg), (unsigned long long)v);
		else
			OUT("BPF_LD_IMM64_RAW(%s, %d, 0x%llxULL)", reg(in->dst_reg), in->src_reg,
			    (unsigned long long)v);
		return 2;
	}
	if (macro_of(in, buf, size) <= 0)
		OUT("BPF_RAW_INSN(0x%02x, %d, %d, %d, %d)", in->code, in->dst_reg, in->src_reg,
		    in->off, in->imm);
	return 1;
}
