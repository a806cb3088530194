/*
 * disasm_objects.c -- our disassembly against the kernel's, for every program of
 * every object the project builds (the .bpf.o files under build/progs, build/tests/bpf,
 * build/bench).
 *
 * Each program is loaded with a level-2 log; every instruction line of the log
 * (parsed by rbpf_vlog_parse) must equal our text for the instruction at that index
 * of the linked program.  Programs the kernel refuses for want of a feature still
 * count for the lines their log has.  Map loads differ by design: the kernel prints
 * the map's address, we print the map.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "test.h"

/* Compare one loaded (or refused) program's log with our disassembly.  Returns the
 * number of lines compared; fails on the first difference. */
static int compare_prog(const char *obj_path, struct rbpf_prog *p)
{
	uint32_t cnt;
	const struct bpf_insn *insns = rbpf_prog_insns(p, &cnt);
	struct rbpf_vlog *v;
	int i, n = 0;
	char ours[256];

	ASSERT(0, rbpf_vlog_parse(rbpf_prog_log(p), &v));
	for (i = 0; i < v->n; i++) {
		const struct rbpf_vlog_row *r = &v->rows[i];
		const struct bpf_insn *in;

		if (r->kind != RBPF_VLOG_INSN)
			continue;
		ASSERT_TRUE(r->insn >= 0 && (uint32_t)r->insn < cnt, "%s %s: log names insn %d of %u",
			    obj_path, rbpf_prog_name(p), r->insn, cnt);
		in = &insns[r->insn];
		ASSERT(r->code, in->code);
		rbpf_disasm_insn(in, cnt - r->insn, ours, sizeof(ours), NULL);
		if (in->code == (BPF_LD | BPF_DW | BPF_IMM) && in->src_reg &&
		    in->src_reg != BPF_PSEUDO_FUNC) {
			ASSERT_TRUE(!strncmp(r->text, ours, 5), "%s %s insn %d: kernel \"%s\", ours \"%s\"",
				    obj_path, rbpf_prog_name(p), r->insn, r->text, ours);
		} else if (strcmp(r->text, ours)) {
			FAIL("%s %s insn %d:\n    kernel \"%s\"\n    ours   \"%s\"", obj_path,
			     rbpf_prog_name(p), r->insn, r->text, ours);
		}
		n++;
	}
	rbpf_vlog_free(v);
	return n;
}

/* Every program of one object; returns the lines compared. */
static int compare_object(const char *path, int *progs)
{
	struct rbpf_object *obj;
	struct rbpf_prog *p;
	int n = 0;

	if (rbpf_object_open(path, &obj) < 0)
		return 0;               /* objects built to be malformed: not ours to judge */
	rbpf_object_set_pin_root(obj, NULL);  /* elf_events pins by name: not here */
	for (p = rbpf_object_next_prog(obj, NULL); p; p = rbpf_object_next_prog(obj, p)) {
		rbpf_object_load_prog(p, 2);
		n += compare_prog(path, p);
		(*progs)++;
	}
	rbpf_object_close(obj);
	return n;
}

static int compare_dir(const char *dir, int *progs, int *objects)
{
	DIR *d = opendir(test_path(dir));
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char path[512];

		if (len < 6 || strcmp(e->d_name + len - 6, ".bpf.o"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", test_path(dir), e->d_name);
		n += compare_object(path, progs);
		(*objects)++;
	}
	closedir(d);
	return n;
}

TEST(disasm_objects_match_kernel)
{
	int progs = 0, objects = 0, lines;

	NEED_ROOT();
	test_timeout(600);
	lines = compare_dir("progs", &progs, &objects) + compare_dir("tests/bpf", &progs, &objects) +
		compare_dir("bench", &progs, &objects);
	if (!objects)
		SKIP("no .bpf.o built under %s", test_path(""));
	ASSERT_TRUE(lines > 0, "no instruction lines compared in %d programs", progs);
	printf("    %d lines of %d programs in %d objects agree\n", lines, progs, objects);
}
