/*
 * disasm.c -- our disassembler against the kernel's own.
 *
 * The oracle: at log level 2 the verifier prints every instruction it visits as
 * `N: (xx) text`.  The programs below cover every instruction class and every
 * operation of each (ALU and ALU32 with register and immediate, byte swaps, loads,
 * stores, atomics, legacy packet loads, ld_imm64 numbers and map loads, every jump,
 * helper and BPF-to-BPF calls); each test loads one, and every instruction line in
 * the log must equal our text for that instruction.  The only allowed difference:
 * for a map load the kernel prints the map's address (it has already swapped the fd
 * for a pointer), we print map[id:N].
 *
 * The macro form is checked by compiling it: every instruction printed as a
 * bpf_insn.h macro is written into a C file, built with cc, and its bytes must equal
 * the original instruction's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "rawbpf.h"
#include "test.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ALU op in four forms; r1 = 100 and r2 = 3 on entry (shift amounts stay < 32). */
#define ALU4(OP) \
	BPF_ALU64_REG(OP, BPF_REG_1, BPF_REG_2), BPF_ALU64_IMM(OP, BPF_REG_1, 3), \
	BPF_ALU32_REG(OP, BPF_REG_1, BPF_REG_2), BPF_ALU32_IMM(OP, BPF_REG_1, 3)

static const struct bpf_insn prog_alu[] = {
	BPF_MOV64_IMM(BPF_REG_1, 100),
	BPF_MOV64_IMM(BPF_REG_2, 3),
	ALU4(BPF_ADD), ALU4(BPF_SUB), ALU4(BPF_MUL), ALU4(BPF_DIV), ALU4(BPF_OR),
	ALU4(BPF_AND), ALU4(BPF_LSH), ALU4(BPF_RSH), ALU4(BPF_MOD), ALU4(BPF_XOR),
	ALU4(BPF_ARSH), ALU4(BPF_MOV),
	BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -7),
	BPF_MOV64_IMM(BPF_REG_3, -1),
	BPF_MOV32_IMM(BPF_REG_4, -2),
	BPF_MOV32_REG(BPF_REG_5, BPF_REG_4),
	BPF_NEG64(BPF_REG_1),
	BPF_NEG32(BPF_REG_2),
	BPF_ENDIAN_LE(BPF_REG_1, 16), BPF_ENDIAN_LE(BPF_REG_1, 32), BPF_ENDIAN_LE(BPF_REG_1, 64),
	BPF_ENDIAN_BE(BPF_REG_1, 16), BPF_ENDIAN_BE(BPF_REG_1, 32), BPF_ENDIAN_BE(BPF_REG_1, 64),
	BPF_LD_IMM64(BPF_REG_0, 0x1122334455667788ULL),
	BPF_LD_IMM64(BPF_REG_0, -1),
	BPF_MOV64_IMM(BPF_REG_0, 0),
	BPF_EXIT_INSN(),
};

/* Stores, loads and atomics on the stack. */
static const struct bpf_insn prog_mem[] = {
	BPF_ST_MEM(BPF_DW, BPF_REG_10, -8, 1),
	BPF_ST_MEM(BPF_W, BPF_REG_10, -12, -2),
	BPF_ST_MEM(BPF_H, BPF_REG_10, -14, 3),
	BPF_ST_MEM(BPF_B, BPF_REG_10, -15, 4),
	BPF_ST_MEM(BPF_B, BPF_REG_10, -16, 5),
	BPF_MOV64_IMM(BPF_REG_1, 9),
	BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -24),
	BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_1, -28),
	BPF_STX_MEM(BPF_H, BPF_REG_10, BPF_REG_1, -30),
	BPF_STX_MEM(BPF_B, BPF_REG_10, BPF_REG_1, -31),
	BPF_STX_MEM(BPF_B, BPF_REG_10, BPF_REG_1, -32),
	BPF_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_10, -8),
	BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_10, -12),
	BPF_LDX_MEM(BPF_H, BPF_REG_2, BPF_REG_10, -14),
	BPF_LDX_MEM(BPF_B, BPF_REG_2, BPF_REG_10, -15),
	BPF_ATOMIC_ADD(BPF_DW, BPF_REG_10, BPF_REG_1, -8),
	BPF_ATOMIC_ADD(BPF_W, BPF_REG_10, BPF_REG_1, -12),
	BPF_ATOMIC_OP(BPF_DW, BPF_AND, BPF_REG_10, BPF_REG_1, -8),
	BPF_ATOMIC_OP(BPF_DW, BPF_OR, BPF_REG_10, BPF_REG_1, -8),
	BPF_ATOMIC_OP(BPF_W, BPF_XOR, BPF_REG_10, BPF_REG_1, -12),
	BPF_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, BPF_REG_10, BPF_REG_1, -8),
	BPF_ATOMIC_OP(BPF_W, BPF_AND | BPF_FETCH, BPF_REG_10, BPF_REG_1, -12),
	BPF_ATOMIC_OP(BPF_DW, BPF_OR | BPF_FETCH, BPF_REG_10, BPF_REG_1, -8),
	BPF_ATOMIC_OP(BPF_DW, BPF_XOR | BPF_FETCH, BPF_REG_10, BPF_REG_1, -8),
	BPF_ATOMIC_XCHG(BPF_DW, BPF_REG_10, BPF_REG_1, -8),
	BPF_ATOMIC_XCHG(BPF_W, BPF_REG_10, BPF_REG_1, -12),
	BPF_MOV64_IMM(BPF_REG_0, 1),
	BPF_ATOMIC_CMPXCHG(BPF_DW, BPF_REG_10, BPF_REG_1, -8),
	BPF_ATOMIC_CMPXCHG(BPF_W, BPF_REG_10, BPF_REG_1, -12),
	BPF_MOV64_IMM(BPF_REG_0, 0),
	BPF_EXIT_INSN(),
};

/* Every jump, with offset 0 (both ways lead on), on unknown r6 and r7. */
#define JMP4(OP) \
	BPF_JMP_REG(OP, BPF_REG_6, BPF_REG_7, 0), BPF_JMP_IMM(OP, BPF_REG_6, -3, 0), \
	BPF_JMP32_REG(OP, BPF_REG_6, BPF_REG_7, 0), BPF_JMP32_IMM(OP, BPF_REG_6, 7, 0)

static const struct bpf_insn prog_jmp[] = {
	BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
	BPF_MOV64_REG(BPF_REG_6, BPF_REG_0),
	BPF_EMIT_CALL(BPF_FUNC_ktime_get_ns),
	BPF_MOV64_REG(BPF_REG_7, BPF_REG_0),
	JMP4(BPF_JEQ), JMP4(BPF_JNE), JMP4(BPF_JGT), JMP4(BPF_JGE), JMP4(BPF_JLT),
	JMP4(BPF_JLE), JMP4(BPF_JSGT), JMP4(BPF_JSGE), JMP4(BPF_JSLT), JMP4(BPF_JSLE),
	JMP4(BPF_JSET),
	BPF_JMP_A(0),
	BPF_CALL_REL(2),
	BPF_MOV64_IMM(BPF_REG_0, 0),
	BPF_EXIT_INSN(),
	/* the subprogram: return 7 */
	BPF_MOV64_IMM(BPF_REG_0, 7),
	BPF_EXIT_INSN(),
};

/* Legacy packet loads (socket filter, r6 = skb) and a 64-bit constant. */
static const struct bpf_insn prog_ld[] = {
	BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
	BPF_LD_ABS(BPF_B, 0),
	BPF_LD_ABS(BPF_H, 2),
	BPF_LD_ABS(BPF_W, 4),
	BPF_MOV64_IMM(BPF_REG_7, 1),
	BPF_LD_IND(BPF_B, BPF_REG_7, 0),
	BPF_LD_IND(BPF_H, BPF_REG_7, 2),
	BPF_LD_IND(BPF_W, BPF_REG_7, -1),
	BPF_MOV64_IMM(BPF_REG_0, 0),
	BPF_EXIT_INSN(),
};

/* Compare every `N: (xx) text` line of log with our text for insn N.  Returns how
 * many lines matched; fails on the first that does not. */
static int compare_log(const char *log, const struct bpf_insn *insns, int cnt,
		       unsigned char *seen)
{
	const char *line = log;
	int matched = 0;

	for (; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line)) {
		unsigned idx, code;
		int pos = 0, len;
		char ours[160];
		const char *text, *end = strchr(line, '\n');

		if (!end)
			end = line + strlen(line);
		if (sscanf(line, "%u: (%2x) %n", &idx, &code, &pos) != 2 || pos == 0)
			continue;
		if ((int)idx >= cnt)
			FAIL("log names insn %u of %d: %.*s", idx, cnt, (int)(end - line), line);
		text = line + pos;
		/* The state follows after padding and "; " (level 2). */
		len = end - text;
		for (const char *s = text; s + 2 < end; s++)
			if (s[0] == ' ' && s[1] == ';' && s[2] == ' ') {
				len = s - text;
				break;
			}
		while (len > 0 && text[len - 1] == ' ')
			len--;
		ASSERT(code, insns[idx].code);
		rbpf_disasm_insn(&insns[idx], cnt - idx, ours, sizeof(ours), NULL);
		if (insns[idx].code == (BPF_LD | BPF_DW | BPF_IMM) && insns[idx].src_reg) {
			/* the kernel shows the map's address: "r1 = 0xffff..." */
			char want[16];
			snprintf(want, sizeof(want), "r%d = 0x", insns[idx].dst_reg);
			if (strncmp(text, want, strlen(want)) != 0 || strncmp(ours, want, 5) != 0)
				FAIL("insn %u: kernel \"%.*s\", ours \"%s\"", idx, len, text, ours);
		} else if ((int)strlen(ours) != len || strncmp(ours, text, len) != 0) {
			FAIL("insn %u: kernel \"%.*s\"\n                ours   \"%s\"", idx, len,
			     text, ours);
		}
		seen[idx] = 1;
		matched++;
	}
	return matched;
}

/* Load at level 2, compare, and check that every instruction was printed. */
static void check_prog(const char *name, enum bpf_prog_type type,
		       const struct bpf_insn *insns, int cnt)
{
	struct rbpf_prog_load_args a = {
		.type = type, .name = name, .insns = insns, .insn_cnt = cnt,
		.license = "GPL", .log_level = 2,
	};
	unsigned char seen[512] = { 0 };
	char *log = NULL;
	int fd, i;

	NEED_ROOT();
	fd = rbpf_load_insns(&a, &log);
	if (fd < 0)
		FAIL("%s rejected: %s\n%s", name, rbpf_errmsg(), log ? test_excerpt(log) : "");
	ASSERT_TRUE(compare_log(log, insns, cnt, seen) > 0, "no instruction lines in the log");
	for (i = 0; i < cnt; i++) {
		if (i > 0 && insns[i - 1].code == (BPF_LD | BPF_DW | BPF_IMM))
			continue;           /* the second slot of an ld_imm64 */
		ASSERT_TRUE(seen[i], "%s: insn %d not in the log", name, i);
	}
	free(log);
	close(fd);
}

TEST(disasm_kernel_alu) { check_prog("t_alu", BPF_PROG_TYPE_SOCKET_FILTER, prog_alu, ARRAY_LEN(prog_alu)); }
TEST(disasm_kernel_mem) { check_prog("t_mem", BPF_PROG_TYPE_SOCKET_FILTER, prog_mem, ARRAY_LEN(prog_mem)); }
TEST(disasm_kernel_jmp) { check_prog("t_jmp", BPF_PROG_TYPE_SOCKET_FILTER, prog_jmp, ARRAY_LEN(prog_jmp)); }
TEST(disasm_kernel_ld)  { check_prog("t_ld", BPF_PROG_TYPE_SOCKET_FILTER, prog_ld, ARRAY_LEN(prog_ld)); }

TEST(disasm_kernel_map_loads)
{
	struct rbpf_map_create_args m = {
		.type = BPF_MAP_TYPE_ARRAY, .name = "t_arr",
		.key_size = 4, .value_size = 16, .max_entries = 1,
	};
	int mfd;

	NEED_ROOT();
	mfd = rbpf_map_create(&m);
	ASSERT_OK(mfd);
	{
		struct bpf_insn p[] = {
			BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 0),
			BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
			BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4),
			BPF_LD_MAP_FD(BPF_REG_1, mfd),
			BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
			BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 1),
			BPF_LDX_MEM(BPF_W, BPF_REG_1, BPF_REG_0, 4),
			BPF_LD_MAP_VALUE(BPF_REG_1, mfd, 8),
			BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 0),
			BPF_EXIT_INSN(),
		};
		check_prog("t_maps", BPF_PROG_TYPE_SOCKET_FILTER, p, ARRAY_LEN(p));
	}
}

/* Programs of the v4 instruction set (kernel 6.6+): sign extension, signed division,
 * unconditional byte swaps, 32-bit-offset goto. */
TEST(disasm_kernel_cpu_v4)
{
	struct bpf_insn p[] = {
		BPF_MOV64_IMM(BPF_REG_1, -100),
		BPF_MOV64_IMM(BPF_REG_2, 7),
		BPF_RAW_INSN(BPF_ALU64 | BPF_DIV | BPF_X, BPF_REG_1, BPF_REG_2, 1, 0),
		BPF_RAW_INSN(BPF_ALU64 | BPF_MOD | BPF_K, BPF_REG_1, 0, 1, 3),
		BPF_RAW_INSN(BPF_ALU | BPF_DIV | BPF_K, BPF_REG_1, 0, 1, -3),
		BPF_RAW_INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_1, 8, 0),
		BPF_RAW_INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_1, 16, 0),
		BPF_RAW_INSN(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_1, 8, 0),
		BPF_RAW_INSN(BPF_ALU64 | BPF_END | BPF_TO_LE, BPF_REG_1, 0, 0, 32),
		BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8),
		BPF_RAW_INSN(BPF_LDX | BPF_W | 0x80, BPF_REG_4, BPF_REG_10, -8, 0),
		BPF_RAW_INSN(BPF_LDX | BPF_B | 0x80, BPF_REG_4, BPF_REG_10, -8, 0),
		BPF_RAW_INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, 0),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_SOCKET_FILTER, .insns = p, .insn_cnt = ARRAY_LEN(p),
		.license = "GPL",
	};
	char *log = NULL;
	int fd;

	NEED_ROOT();
	fd = rbpf_load_insns(&a, &log);
	if (fd < 0 && log && strstr(log, "unknown opcode"))
		SKIP("this kernel predates the v4 instructions: %s", rbpf_errmsg());
	free(log);
	if (fd >= 0)
		close(fd);
	check_prog("t_v4", BPF_PROG_TYPE_SOCKET_FILTER, p, ARRAY_LEN(p));
}

/* Every instruction of the programs above, printed as a macro, compiled by cc:
 * the bytes must come back unchanged. */
TEST(disasm_macro_form_compiles_back)
{
	static const struct { const struct bpf_insn *p; int n; } progs[] = {
		{ prog_alu, ARRAY_LEN(prog_alu) }, { prog_mem, ARRAY_LEN(prog_mem) },
		{ prog_jmp, ARRAY_LEN(prog_jmp) }, { prog_ld, ARRAY_LEN(prog_ld) },
	};
	int pid = getpid();                 /* other build trees may run this at once */
	char src[64];
	FILE *f;
	char buf[160], *out;
	size_t k;
	int i, n, st, total = 0;

	NEED_CMD("cc");
	snprintf(src, sizeof(src), "/tmp/rawbpf-disasm-macro-%d.c", pid);
	f = fopen(src, "w");
	ASSERT_TRUE(f != NULL, "cannot write %s", src);
	fprintf(f, "#include <stdio.h>\n#include \"bpf_insn.h\"\n"
		"static const struct bpf_insn p[] = {\n");
	for (k = 0; k < ARRAY_LEN(progs); k++)
		for (i = 0; i < progs[k].n; i += n) {
			n = rbpf_disasm_macro(progs[k].p + i, progs[k].n - i, buf, sizeof(buf));
			ASSERT_TRUE(n > 0, "macro form of insn %d failed", i);
			fprintf(f, "\t%s,\n", buf);
			total += n;
		}
	fprintf(f, "};\nint main(void) { fwrite(p, sizeof(p), 1, stdout); return 0; }\n");
	fclose(f);
	out = test_run_cmd(&st, "cc -Iinclude -o /tmp/rawbpf-disasm-macro-%d %s && "
			   "/tmp/rawbpf-disasm-macro-%d | od -An -v -tx1; s=$?; "
			   "rm -f /tmp/rawbpf-disasm-macro-%d %s; exit $s", pid, src, pid, pid, src);
	ASSERT_TRUE(st == 0, "compiling the macro form failed:\n%s", out);
	{
		unsigned char *bytes = malloc(total * 8), *b = bytes;
		char *s = out;
		unsigned v;
		int used;

		while (sscanf(s, "%x%n", &v, &used) == 1 && b < bytes + total * 8) {
			*b++ = v;
			s += used;
		}
		ASSERT(total * 8, b - bytes);
		for (b = bytes, k = 0; k < ARRAY_LEN(progs); b += progs[k].n * 8, k++)
			ASSERT_TRUE(memcmp(b, progs[k].p, progs[k].n * 8) == 0,
				    "program %zu differs after the round trip", k);
		free(bytes);
	}
	free(out);
}

TEST(disasm_truncated_ld_imm64)
{
	struct bpf_insn p[] = { BPF_LD_IMM64(BPF_REG_1, 5) };
	char buf[64];

	ASSERT(-EINVAL, rbpf_disasm_insn(p, 1, buf, sizeof(buf), NULL));
	ASSERT(-EINVAL, rbpf_disasm_macro(p, 1, buf, sizeof(buf)));
	ASSERT(2, rbpf_disasm_insn(p, 2, buf, sizeof(buf), NULL));
	ASSERT_STREQ("r1 = 0x5", buf);
}
