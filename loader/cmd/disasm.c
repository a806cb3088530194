/*
 * cmd/disasm.c -- `rawbpf disasm OBJ [PROG] [--macro]`: the instructions of an object's
 * programs as the verifier will read them, with the C lines they came from.
 *
 * Nothing is loaded: this is the object after linking (subprograms appended, calls
 * and map references resolved), which is exactly what BPF_PROG_LOAD will be given.
 * Maps are named from the object ("r1 = map[counts]").
 *
 * --macro prints each program as a bpf_insn.h array instead -- the way to turn a
 * compiled program into an asm/ file.  A map load becomes BPF_LD_MAP_FD(reg,
 * NAME_fd): declare an int NAME_fd holding the map's fd before the array.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "rawbpf.h"
#include "cmd.h"

/* "counts" -> "counts_fd", ".rodata.str1.1" -> "rodata_str1_1_fd": a C identifier. */
static const char *fd_var(const struct rbpf_map *m)
{
	static char buf[128];
	const char *s = m ? rbpf_map_name(m) : "unknown_map";
	size_t n = 0;

	for (; *s && n < sizeof(buf) - 4; s++)
		if (isalnum((unsigned char)*s) || *s == '_')
			buf[n++] = *s;
		else if (n)
			buf[n++] = '_';
	snprintf(buf + n, sizeof(buf) - n, "_fd");
	return buf;
}

/* One slot's text in the chosen form; returns the slots used. */
static int insn_text(struct rbpf_object *obj, const struct bpf_insn *in, uint32_t left,
		     int macro, char *buf, size_t size)
{
	struct rbpf_disasm_opts o = { .map_name = rbpf_disasm_object_map_name, .priv = obj };
	int idx = in->src_reg == 5 || in->src_reg == 6;

	if (!macro)
		return rbpf_disasm_insn(in, left, buf, size, &o);
	if (in->code == (BPF_LD | BPF_DW | BPF_IMM) && idx && left >= 2) {
		const struct rbpf_map *m = rbpf_object_map_at(obj, in->imm);

		if (in->src_reg == 5)
			snprintf(buf, size, "BPF_LD_MAP_FD(BPF_REG_%d, %s)", in->dst_reg, fd_var(m));
		else
			snprintf(buf, size, "BPF_LD_MAP_VALUE(BPF_REG_%d, %s, %d)", in->dst_reg,
				 fd_var(m), in[1].imm);
		return 2;
	}
	return rbpf_disasm_macro(in, left, buf, size);
}

/* A source line safe inside a C comment: no comment opener or closer left in it. */
static const char *commentable(const char *s)
{
	static char buf[512];
	size_t n = 0;

	for (; *s && n < sizeof(buf) - 2; s++) {
		buf[n++] = *s;
		if ((s[0] == '/' && s[1] == '*') || (s[0] == '*' && s[1] == '/'))
			buf[n++] = ' ';
	}
	buf[n] = 0;
	return buf;
}

static const char *u64_text(uint64_t v)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), v > 0xffffffffull ? "0x%llx" : "%llu", (unsigned long long)v);
	return buf;
}

/* " ; CO-RE field byte offset task_struct->pid: 8, here 1264" for a relocated
 * instruction, "" for the others.  The instruction shows the compiler's value. */
static const char *core_note(struct rbpf_prog *p, uint32_t insn, int macro)
{
	static char buf[512];
	struct rbpf_core_row r;
	int i = rbpf_prog_core_at(p, insn);

	if (i < 0)
		return "";
	if (rbpf_prog_core_row(p, i, NULL, &r) < 0 && !r.what[0])
		snprintf(buf, sizeof(buf), "%sCO-RE %s \"%s\": %s%s", macro ? " /* " : "    ; ",
			 r.kind_name, r.access, r.why, macro ? " */" : "");
	else
		snprintf(buf, sizeof(buf), "%sCO-RE %s %s: %llu, %s %s%s", macro ? " /* " : "    ; ",
			 r.kind_name, r.what, (unsigned long long)r.orig,
			 r.err ? "this kernel:" : "here", r.err ? "?" : r.poison ? "absent" :
			 u64_text(r.val), macro ? " */" : "");
	return buf;
}

static void disasm_prog(struct rbpf_object *obj, struct rbpf_prog *p, int macro)
{
	uint32_t cnt, i, last = 0;
	const struct bpf_insn *insns = rbpf_prog_insns(p, &cnt);
	char text[256];
	int used;

	if (macro)
		printf("/* %s (%s), %u slots */\nstruct bpf_insn %s_insns[] = {\n",
		       rbpf_prog_name(p), rbpf_prog_section(p), cnt, rbpf_prog_name(p));
	else
		printf("program %s (%s): %u slots\n", rbpf_prog_name(p), rbpf_prog_section(p), cnt);
	for (i = 0; i < cnt; i += used) {
		struct rbpf_line l;

		if (rbpf_prog_line(p, i, &l) >= 0 && l.line && l.line != last) {
			last = l.line;
			if (macro)
				printf("\t/* %u: %s */\n", l.line,
				       commentable(l.text + strspn(l.text, " \t")));
			else
				printf("; %u: %s\n", l.line, l.text + strspn(l.text, " \t"));
		}
		used = insn_text(obj, insns + i, cnt - i, macro, text, sizeof(text));
		if (used < 0) {
			printf(macro ? "\t/* %u: ld_imm64 cut short */\n" : "%4u: (ld_imm64 cut short)\n", i);
			break;
		}
		if (macro)
			printf("\t%s,%s\n", text, core_note(p, i, 1));
		else
			printf("%4u: (%02x) %s%s\n", i, insns[i].code, text, core_note(p, i, 0));
	}
	if (macro)
		printf("};\n");
}

static int disasm_one(struct rbpf_object *obj, struct rbpf_prog *p, void *macro)
{
	disasm_prog(obj, p, *(int *)macro);
	return 0;
}

int cmd_disasm(int argc, char **argv)
{
	const char *path = NULL, *name = NULL;
	int macro = 0, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--macro"))
			macro = 1;
		else if (cmd_obj_prog_word(argv[i], &path, &name) < 0)
			goto usage;
	}
	if (!path)
		goto usage;
	return cmd_each_prog(path, name, disasm_one, &macro) < 0 ? 2 : 0;
usage:
	fprintf(stderr, "usage: rawbpf disasm OBJ [PROG] [--macro]\n");
	return 2;
}
