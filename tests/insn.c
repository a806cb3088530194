/*
 * insn.c -- every macro of include/bpf_insn.h against the bytes LLVM makes.
 *
 * Each row of the table below is one macro use and a second opinion on its bytes:
 *
 *   'A' asm text, assembled by `llvm-mc -triple bpf -show-encoding`;
 *   'C' a C function, compiled by `clang -target bpf -mcpu=v3`, and the index of the
 *       instruction in it (for the atomics, which llvm-mc 14 cannot parse);
 *   'S' the bytes written out from the opcode tables of instruction-set.rst, only for
 *       the forms LLVM 14 has no encoding for at all (BPF_MOD, BPF_JSET, BPF_ST with
 *       an immediate): llvm-mc 14 rejects the text and clang never emits them.
 *
 * Pseudo loads (map fd, map value) and BPF-to-BPF calls carry a src_reg that LLVM
 * writes only through relocations; those rows give it from linux/bpf.h (`src`) and
 * LLVM gives every other byte.  The test fails on the first row whose bytes differ
 * and prints both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "rawbpf.h"
#include "test.h"

struct insn_row {
	const char *name;          /* the macro as written */
	struct bpf_insn insn[2];   /* what it expands to */
	int n;                     /* 1, or 2 for ld_imm64 */
	char how;                  /* 'A' llvm-mc, 'C' clang, 'S' spec bytes */
	const char *text;          /* asm text / C function name / hex bytes */
	int index;                 /* 'C': which instruction of the function */
	int src;                   /* >= 0: src_reg that only a relocation would set */
};

#define R1(M, HOW, TEXT) { #M, { M }, 1, HOW, TEXT, 0, -1 }
#define R2(M, HOW, TEXT, SRC) { #M, { M }, 2, HOW, TEXT, 0, SRC }
#define RC(M, FN, IDX) { #M, { M }, 1, 'C', FN, IDX, -1 }

/* One ALU operation in its four forms: 64/32-bit, register/immediate. */
#define ALU4(OP, SYM) \
	R1(BPF_ALU64_REG(OP, BPF_REG_1, BPF_REG_2), 'A', "r1 " SYM " r2"), \
	R1(BPF_ALU64_IMM(OP, BPF_REG_1, 7), 'A', "r1 " SYM " 7"), \
	R1(BPF_ALU32_REG(OP, BPF_REG_1, BPF_REG_2), 'A', "w1 " SYM " w2"), \
	R1(BPF_ALU32_IMM(OP, BPF_REG_1, 7), 'A', "w1 " SYM " 7")
/* One conditional jump in its four forms: JMP/JMP32, register/immediate. */
#define JMP4(OP, SYM) \
	R1(BPF_JMP_REG(OP, BPF_REG_1, BPF_REG_2, 3), 'A', "if r1 " SYM " r2 goto +3"), \
	R1(BPF_JMP_IMM(OP, BPF_REG_1, -5, -2), 'A', "if r1 " SYM " -5 goto -2"), \
	R1(BPF_JMP32_REG(OP, BPF_REG_1, BPF_REG_2, 3), 'A', "if w1 " SYM " w2 goto +3"), \
	R1(BPF_JMP32_IMM(OP, BPF_REG_1, 9, 1), 'A', "if w1 " SYM " 9 goto +1")

static const struct insn_row rows[] = {
	R1(BPF_RAW_INSN(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, 100), 'A', "r3 += 100"),
	ALU4(BPF_ADD, "+="), ALU4(BPF_SUB, "-="), ALU4(BPF_MUL, "*="), ALU4(BPF_DIV, "/="),
	ALU4(BPF_OR, "|="), ALU4(BPF_AND, "&="), ALU4(BPF_LSH, "<<="), ALU4(BPF_RSH, ">>="),
	ALU4(BPF_XOR, "^="), ALU4(BPF_MOV, "="), ALU4(BPF_ARSH, "s>>="),
	/* BPF_MOD = 0x90: opcode 0x9f / 0x97 / 0x9c / 0x94 */
	R1(BPF_ALU64_REG(BPF_MOD, BPF_REG_1, BPF_REG_2), 'S', "9f 21 00 00 00 00 00 00"),
	R1(BPF_ALU64_IMM(BPF_MOD, BPF_REG_1, 7), 'S', "97 01 00 00 07 00 00 00"),
	R1(BPF_ALU32_REG(BPF_MOD, BPF_REG_1, BPF_REG_2), 'S', "9c 21 00 00 00 00 00 00"),
	R1(BPF_ALU32_IMM(BPF_MOD, BPF_REG_1, 7), 'S', "94 01 00 00 07 00 00 00"),
	R1(BPF_MOV64_REG(BPF_REG_6, BPF_REG_1), 'A', "r6 = r1"),
	R1(BPF_MOV64_IMM(BPF_REG_0, -1), 'A', "r0 = -1"),
	R1(BPF_MOV32_REG(BPF_REG_6, BPF_REG_1), 'A', "w6 = w1"),
	R1(BPF_MOV32_IMM(BPF_REG_0, 42), 'A', "w0 = 42"),
	R1(BPF_NEG64(BPF_REG_3), 'A', "r3 = -r3"),
	R1(BPF_NEG32(BPF_REG_3), 'A', "w3 = -w3"),
	R1(BPF_ENDIAN_LE(BPF_REG_1, 16), 'A', "r1 = le16 r1"),
	R1(BPF_ENDIAN_LE(BPF_REG_1, 32), 'A', "r1 = le32 r1"),
	R1(BPF_ENDIAN_LE(BPF_REG_1, 64), 'A', "r1 = le64 r1"),
	R1(BPF_ENDIAN_BE(BPF_REG_2, 16), 'A', "r2 = be16 r2"),
	R1(BPF_ENDIAN_BE(BPF_REG_2, 32), 'A', "r2 = be32 r2"),
	R1(BPF_ENDIAN_BE(BPF_REG_2, 64), 'A', "r2 = be64 r2"),

	R2(BPF_LD_IMM64_RAW(BPF_REG_1, 0, 0x1122334455667788ULL), 'A', "r1 = 0x1122334455667788 ll", -1),
	R2(BPF_LD_IMM64(BPF_REG_4, -2), 'A', "r4 = -2 ll", -1),
	R2(BPF_LD_MAP_FD(BPF_REG_1, 5), 'A', "r1 = 5 ll", BPF_PSEUDO_MAP_FD),
	R2(BPF_LD_MAP_VALUE(BPF_REG_2, 6, 24), 'A', "r2 = 0x1800000006 ll", BPF_PSEUDO_MAP_VALUE),

	R1(BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_1, 2), 'A', "r0 = *(u8 *)(r1 + 2)"),
	R1(BPF_LDX_MEM(BPF_H, BPF_REG_0, BPF_REG_1, -2), 'A', "r0 = *(u16 *)(r1 - 2)"),
	R1(BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_6, 4), 'A', "r0 = *(u32 *)(r6 + 4)"),
	R1(BPF_LDX_MEM(BPF_DW, BPF_REG_9, BPF_REG_10, -8), 'A', "r9 = *(u64 *)(r10 - 8)"),
	R1(BPF_STX_MEM(BPF_B, BPF_REG_10, BPF_REG_1, -1), 'A', "*(u8 *)(r10 - 1) = r1"),
	R1(BPF_STX_MEM(BPF_H, BPF_REG_10, BPF_REG_1, -2), 'A', "*(u16 *)(r10 - 2) = r1"),
	R1(BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_1, -4), 'A', "*(u32 *)(r10 - 4) = r1"),
	R1(BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8), 'A', "*(u64 *)(r10 - 8) = r1"),
	/* BPF_ST | BPF_MEM = 0x62 + size: B 0x72, H 0x6a, W 0x62, DW 0x7a */
	R1(BPF_ST_MEM(BPF_B, BPF_REG_10, -1, 7), 'S', "72 0a ff ff 07 00 00 00"),
	R1(BPF_ST_MEM(BPF_H, BPF_REG_10, -2, 7), 'S', "6a 0a fe ff 07 00 00 00"),
	R1(BPF_ST_MEM(BPF_W, BPF_REG_1, 4, -3), 'S', "62 01 04 00 fd ff ff ff"),
	R1(BPF_ST_MEM(BPF_DW, BPF_REG_10, -8, 0), 'S', "7a 0a f8 ff 00 00 00 00"),
	R1(BPF_LD_ABS(BPF_B, 4), 'A', "r0 = *(u8 *)skb[4]"),
	R1(BPF_LD_ABS(BPF_H, 12), 'A', "r0 = *(u16 *)skb[12]"),
	R1(BPF_LD_ABS(BPF_W, 26), 'A', "r0 = *(u32 *)skb[26]"),
	R1(BPF_LD_IND(BPF_B, BPF_REG_1, 0), 'A', "r0 = *(u8 *)skb[r1]"),
	R1(BPF_LD_IND(BPF_W, BPF_REG_7, 0), 'A', "r0 = *(u32 *)skb[r7]"),

	R1(BPF_ATOMIC_ADD(BPF_DW, BPF_REG_1, BPF_REG_2, 8), 'A', "lock *(u64 *)(r1 + 8) += r2"),
	R1(BPF_ATOMIC_ADD(BPF_W, BPF_REG_1, BPF_REG_2, 0), 'A', "lock *(u32 *)(r1 + 0) += w2"),
	R1(BPF_ATOMIC_OP(BPF_DW, BPF_AND, BPF_REG_1, BPF_REG_2, 0), 'A', "lock *(u64 *)(r1 + 0) &= r2"),
	R1(BPF_ATOMIC_OP(BPF_DW, BPF_OR, BPF_REG_1, BPF_REG_2, 0), 'A', "lock *(u64 *)(r1 + 0) |= r2"),
	R1(BPF_ATOMIC_OP(BPF_DW, BPF_XOR, BPF_REG_1, BPF_REG_2, 0), 'A', "lock *(u64 *)(r1 + 0) ^= r2"),
	R1(BPF_ATOMIC_OP(BPF_W, BPF_AND, BPF_REG_1, BPF_REG_2, 0), 'A', "lock *(u32 *)(r1 + 0) &= w2"),
	RC(BPF_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, BPF_REG_1, BPF_REG_0, 0), "fetch_add64", 1),
	RC(BPF_ATOMIC_OP(BPF_DW, BPF_AND | BPF_FETCH, BPF_REG_1, BPF_REG_0, 0), "fetch_and64", 1),
	RC(BPF_ATOMIC_OP(BPF_DW, BPF_OR | BPF_FETCH, BPF_REG_1, BPF_REG_0, 0), "fetch_or64", 1),
	RC(BPF_ATOMIC_OP(BPF_DW, BPF_XOR | BPF_FETCH, BPF_REG_1, BPF_REG_0, 0), "fetch_xor64", 1),
	RC(BPF_ATOMIC_OP(BPF_W, BPF_ADD | BPF_FETCH, BPF_REG_1, BPF_REG_0, 0), "fetch_add32", 1),
	RC(BPF_ATOMIC_OP(BPF_W, BPF_OR | BPF_FETCH, BPF_REG_1, BPF_REG_0, 0), "fetch_or32", 1),
	RC(BPF_ATOMIC_XCHG(BPF_DW, BPF_REG_1, BPF_REG_0, 0), "xchg64", 1),
	RC(BPF_ATOMIC_XCHG(BPF_W, BPF_REG_1, BPF_REG_0, 0), "xchg32", 1),
	RC(BPF_ATOMIC_CMPXCHG(BPF_DW, BPF_REG_1, BPF_REG_3, 0), "cmpxchg64", 1),
	RC(BPF_ATOMIC_CMPXCHG(BPF_W, BPF_REG_1, BPF_REG_3, 0), "cmpxchg32", 1),

	JMP4(BPF_JEQ, "=="), JMP4(BPF_JNE, "!="), JMP4(BPF_JGT, ">"), JMP4(BPF_JGE, ">="),
	JMP4(BPF_JLT, "<"), JMP4(BPF_JLE, "<="), JMP4(BPF_JSGT, "s>"), JMP4(BPF_JSGE, "s>="),
	JMP4(BPF_JSLT, "s<"), JMP4(BPF_JSLE, "s<="),
	/* BPF_JSET = 0x40: opcode 0x4d / 0x45 / 0x4e / 0x46 */
	R1(BPF_JMP_REG(BPF_JSET, BPF_REG_1, BPF_REG_2, 3), 'S', "4d 21 03 00 00 00 00 00"),
	R1(BPF_JMP_IMM(BPF_JSET, BPF_REG_1, 4, -2), 'S', "45 01 fe ff 04 00 00 00"),
	R1(BPF_JMP32_REG(BPF_JSET, BPF_REG_1, BPF_REG_2, 3), 'S', "4e 21 03 00 00 00 00 00"),
	R1(BPF_JMP32_IMM(BPF_JSET, BPF_REG_1, 4, 1), 'S', "46 01 01 00 04 00 00 00"),
	R1(BPF_JMP_A(5), 'A', "goto +5"),
	R1(BPF_JMP_A(-1), 'A', "goto -1"),
	R1(BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem), 'A', "call 1"),
	R1(BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve), 'A', "call 131"),
	{ "BPF_CALL_REL(4)", { BPF_CALL_REL(4) }, 1, 'A', "call 4", 0, BPF_PSEUDO_CALL },
	R1(BPF_EXIT_INSN(), 'A', "exit"),
};

/* C functions for the 'C' rows: the atomics llvm-mc 14 cannot read back. */
static const char c_snippets[] =
	"long fetch_add64(long *p, long v) { return __sync_fetch_and_add(p, v); }\n"
	"long fetch_and64(long *p, long v) { return __sync_fetch_and_and(p, v); }\n"
	"long fetch_or64(long *p, long v) { return __sync_fetch_and_or(p, v); }\n"
	"long fetch_xor64(long *p, long v) { return __sync_fetch_and_xor(p, v); }\n"
	"int fetch_add32(int *p, int v) { return __sync_fetch_and_add(p, v); }\n"
	"int fetch_or32(int *p, int v) { return __sync_fetch_and_or(p, v); }\n"
	"long xchg64(long *p, long v) { return __sync_lock_test_and_set(p, v); }\n"
	"int xchg32(int *p, int v) { return __sync_lock_test_and_set(p, v); }\n"
	"long cmpxchg64(long *p, long o, long v) { return __sync_val_compare_and_swap(p, o, v); }\n"
	"int cmpxchg32(int *p, int o, int v) { return __sync_val_compare_and_swap(p, o, v); }\n";

/* Hex bytes ("0xb7,0x00" or "b7 00") to out; returns how many. */
static int parse_hex(const char *s, unsigned char *out, int max)
{
	int n = 0;
	unsigned v;

	while (*s && n < max) {
		if (s[0] == '0' && s[1] == 'x')
			s += 2;
		if (sscanf(s, "%2x", &v) != 1)
			break;
		out[n++] = v;
		s += 2;
		while (*s == ',' || *s == ' ')
			s++;
	}
	return n;
}

/* llvm-mc's bytes for one line of asm text. */
static int llvm_mc_bytes(const char *text, unsigned char *out)
{
	int st, n = 0;
	char *o = test_run_cmd(&st, "echo '%s' | llvm-mc -triple bpf -show-encoding", text);
	char *e = o ? strstr(o, "encoding: [") : NULL;

	if (st == 0 && e)
		n = parse_hex(e + 11, out, 16);
	if (n == 0)
		FAIL("llvm-mc could not assemble \"%s\":\n%s", text, o ? o : "");
	free(o);
	return n;
}

/* The bytes of instruction `index` of C function `fn` in the llvm-objdump text. */
static int objdump_bytes(const char *dump, const char *fn, int index, unsigned char *out)
{
	char head[64];
	const char *p;
	int i = 0;

	snprintf(head, sizeof(head), "<%s>:\n", fn);
	p = strstr(dump, head);
	if (!p)
		FAIL("function %s not in clang's output", fn);
	for (p = strchr(p, '\n') + 1; *p && *p != '\n'; p = strchr(p, '\n') + 1) {
		const char *tab = strchr(p, '\t');

		if (!tab)
			break;
		if (i++ == index)
			return parse_hex(tab + 1, out, 16);
	}
	FAIL("function %s has no instruction %d", fn, index);
}

/* Files are named by pid: other build trees may run this test at the same time. */
static char *compile_snippets(void)
{
	int pid = getpid(), st;
	FILE *f = fopen(test_fmt("/tmp/rawbpf-insn-%d.c", pid), "w");
	char *dump;

	if (!f)
		FAIL("cannot write /tmp/rawbpf-insn-%d.c", pid);
	fputs(c_snippets, f);
	fclose(f);
	dump = test_run_cmd(&st, "clang -O2 -target bpf -mcpu=v3 -c /tmp/rawbpf-insn-%d.c"
			    " -o /tmp/rawbpf-insn-%d.o && llvm-objdump -d /tmp/rawbpf-insn-%d.o; "
			    "s=$?; rm -f /tmp/rawbpf-insn-%d.c /tmp/rawbpf-insn-%d.o; exit $s",
			    pid, pid, pid, pid, pid);
	if (st != 0)
		FAIL("clang/llvm-objdump failed:\n%s", dump);
	return dump;
}

static const char *hex(const unsigned char *b, int n)
{
	static char s[4][64];
	static int k;
	char *p = s[k++ & 3];
	int i;

	for (i = 0; i < n; i++)
		sprintf(p + 3 * i, "%02x ", b[i]);
	return p;
}

TEST(insn_macros_match_llvm)
{
	unsigned char want[16], got[16];
	char *dump;
	size_t i;
	int n, checked = 0;

	NEED_CMD("llvm-mc");
	NEED_CMD("clang");
	NEED_CMD("llvm-objdump");
	test_timeout(300);
	dump = compile_snippets();
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct insn_row *r = &rows[i];

		if (r->how == 'A')
			n = llvm_mc_bytes(r->text, want);
		else if (r->how == 'C')
			n = objdump_bytes(dump, r->text, r->index, want);
		else
			n = parse_hex(r->text, want, 16);
		if (r->src >= 0)              /* set by a relocation, not by llvm */
			want[1] = (want[1] & 0x0f) | r->src << 4;
		memcpy(got, r->insn, 8 * r->n);
		if (n != 8 * r->n || memcmp(want, got, n) != 0)
			FAIL("%s (%s):\n    macro: %s\n    llvm:  %s", r->name, r->text,
			     hex(got, 8 * r->n), hex(want, n));
		checked++;
	}
	free(dump);
	ASSERT(sizeof(rows) / sizeof(rows[0]), checked);
}
