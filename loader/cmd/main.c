/*
 * cmd/main.c -- the rawbpf command: one binary, one verb per job.
 *
 *   rawbpf doctor                 what this machine offers the course
 *   rawbpf load OBJ ...           load an object, list its maps and programs
 *   rawbpf run OBJ ...            load, attach, print the events
 *   rawbpf verify OBJ [PROG] ...  source | instruction | verifier state, side by side
 *   rawbpf disasm OBJ [PROG]      the instructions, in the verifier's syntax
 *   rawbpf core OBJ [PROG]        each CO-RE relocation: compiled value, this kernel's
 *   rawbpf prog list|dump ID      what the kernel holds, like bpftool
 *   rawbpf map list|dump ID
 *
 * The verbs live in cmd_*.c; this file only dispatches.  A verb whose file is not
 * written yet is missing from the table below.
 */
#include <stdio.h>
#include <string.h>

#include "rawbpf.h"
#include "cmd.h"

static const struct verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} verbs[] = {
	{ "doctor", cmd_doctor, "check what this machine offers the course" },
	{ "load", cmd_load, "load an object: create its maps, load its programs, list them" },
	{ "prog", cmd_prog, "the kernel's programs: list | show PROG | dump PROG [--jited|--macro] (PROG: ID or pinned PATH)" },
	{ "map", cmd_map, "the kernel's maps: list | show | dump | lookup | update | delete | getnext (by ID or pinned PATH)" },
	{ "verify", cmd_verify, "OBJ [PROG] [--level 1|2] [--stats] [--raw] [--all] [--html FILE]: "
	  "source | insn | verifier state" },
	{ "disasm", cmd_disasm, "OBJ [PROG] [--macro]: the linked instructions, in the verifier's syntax" },
	{ "core", cmd_core, "OBJ [PROG] [--btf FILE]: each CO-RE relocation, compiled value against this kernel's (and FILE's)" },
	{ "sym", cmd_sym, "BINARY FUNCTION: the file offset a uprobe on FUNCTION is given, and how" },
	{ "run", cmd_run, "run an object: attach by section, print its events [--count N] [--timeout S] [--ifname IF] [--pid PID] [--cgroup DIR] [--record TYPE]" },
	{ "btf", cmd_btf, "[FILE | --kernel] [--text | --c]: a BTF as text (like bpftool) or as a C header (vmlinux.h)" },
};

int cmd_fail(int status)
{
	fprintf(stderr, "rawbpf: %s\n", rbpf_errmsg());
	return status;
}

void cmd_hint(const struct rbpf_object *obj)
{
	const struct rbpf_prog *p = NULL;
	const struct rbpf_hint *h = NULL;

	while (!h && (p = rbpf_object_next_prog(obj, p)))
		if (rbpf_prog_fd(p) < 0 && rbpf_prog_autoload(p))
			h = rbpf_verifier_hint(rbpf_prog_log(p));
	if (h)
		fprintf(stderr, "  hint: %s\n", h->hint);
}

int cmd_obj_prog_word(const char *word, const char **path, const char **name)
{
	if (word[0] == '-' || (*path && *name))
		return -1;
	if (!*path)
		*path = word;
	else
		*name = word;
	return 0;
}

int cmd_each_prog(const char *path, const char *name,
		  int (*fn)(struct rbpf_object *obj, struct rbpf_prog *p, void *ctx), void *ctx)
{
	struct rbpf_object *obj;
	struct rbpf_prog *p;
	int found = 0, sum = 0;

	if (rbpf_object_open(path, &obj) < 0)
		return cmd_fail(-2);
	for (p = rbpf_object_next_prog(obj, NULL); p; p = rbpf_object_next_prog(obj, p)) {
		if (name && strcmp(name, rbpf_prog_name(p)))
			continue;
		if (found++)
			printf("\n");
		sum += fn(obj, p, ctx);
	}
	rbpf_object_close(obj);
	if (!found) {
		fprintf(stderr, "rawbpf: %s has no program%s%s\n", path, name ? " named " : "",
			name ? name : "");
		return -2;
	}
	return sum;
}

static int usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: rawbpf VERB [ARGS]\n\n");
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(f, "  %-8s %s\n", verbs[i].name, verbs[i].help);
	return f == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return usage(stdout);
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(argv[1], verbs[i].name) == 0)
			return verbs[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "rawbpf: unknown verb '%s'\n", argv[1]);
	return usage(stderr);
}
