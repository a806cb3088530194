/*
 * cmd/core.c -- `rawbpf core OBJ [PROG] [--btf FILE]`: what CO-RE moves.
 *
 * One row per CO-RE relocation of each program: the instruction it patches, its
 * kind, the access written as C (`task_struct->real_parent`), the value the compiler
 * wrote from the object's own idea of the type, and the value for this kernel --
 * and, with --btf, for another kernel's BTF beside it (the lab VM's
 * /sys/kernel/btf/vmlinux, copied out).  A relocation with nothing to match in a
 * kernel reads "absent": its instruction would be poisoned there, which is fine
 * on a path the program never takes (a bpf_core_field_exists() guard); the reasons
 * follow the table.  Nothing is loaded.
 *
 * Exit status: 0, 1 if a relocation cannot be resolved at all (malformed or
 * ambiguous: the load would fail), 2 usage or the object does not open.
 */
#include <stdio.h>
#include <string.h>

#include "rawbpf.h"
#include "cmd.h"

/* A value cell: the number, "absent" (poisoned), or "error". */
static const char *value(const struct rbpf_core_row *r, char *buf, size_t n)
{
	if (r->err)
		return "error";
	if (r->poison)
		return "absent";
	if (r->val > 0xffffffffull)
		snprintf(buf, n, "0x%llx", (unsigned long long)r->val);
	else
		snprintf(buf, n, "%llu", (unsigned long long)r->val);
	return buf;
}

/* One program's table; returns how many relocations could not be resolved. */
static int core_prog(struct rbpf_prog *p, const char *other)
{
	uint32_t n = rbpf_prog_core_count(p), i;
	struct rbpf_core_row here, there;
	char a[32], b[32], c[32];
	int bad = 0, notes = 0;

	printf("program %s (%s): %u CO-RE relocation%s\n", rbpf_prog_name(p),
	       rbpf_prog_section(p), n, n == 1 ? "" : "s");
	if (!n)
		return 0;
	printf("%6s  %-18s %-36s %10s %12s", "insn", "kind", "access", "object", "this kernel");
	printf(other ? " %12s\n" : "\n", other ? "--btf" : "");
	for (i = 0; i < n; i++) {
		bad += rbpf_prog_core_row(p, i, NULL, &here) < 0;
		if (other)
			bad += rbpf_prog_core_row(p, i, other, &there) < 0;
		notes += here.poison || here.err || (other && (there.poison || there.err));
		snprintf(a, sizeof(a), "%llu", (unsigned long long)here.orig);
		printf("%6u  %-18s %-36s %10s %12s", here.insn, here.kind_name,
		       here.what[0] ? here.what : here.access, here.err ? "?" : a,
		       value(&here, b, sizeof(b)));
		printf(other ? " %12s\n" : "\n", other ? value(&there, c, sizeof(c)) : "");
	}
	for (i = 0; notes && i < n; i++) {
		rbpf_prog_core_row(p, i, NULL, &here);
		if (here.poison || here.err)
			printf("  insn %u, this kernel: %s\n", here.insn, here.why);
		if (!other)
			continue;
		rbpf_prog_core_row(p, i, other, &there);
		if (there.poison || there.err)
			printf("  insn %u, %s: %s\n", there.insn, other, there.why);
	}
	return bad;
}

static int core_one(struct rbpf_object *obj, struct rbpf_prog *p, void *other)
{
	(void)obj;
	return core_prog(p, other);
}

int cmd_core(int argc, char **argv)
{
	const char *path = NULL, *name = NULL, *other = NULL;
	int i, bad;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--btf") && i + 1 < argc)
			other = argv[++i];
		else if (cmd_obj_prog_word(argv[i], &path, &name) < 0)
			goto usage;
	}
	if (!path)
		goto usage;
	bad = cmd_each_prog(path, name, core_one, (void *)other);
	if (bad < 0)
		return 2;
	if (bad)
		fprintf(stderr, "rawbpf: %d relocation%s cannot be resolved (see \"error\" above): "
			"%s\n", bad, bad == 1 ? "" : "s", rbpf_errmsg());
	return bad ? 1 : 0;
usage:
	fprintf(stderr, "usage: rawbpf core OBJ [PROG] [--btf FILE]\n");
	return 2;
}
