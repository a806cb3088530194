/*
 * verify_progs.c -- the C programs rejected on purpose (progs/bad_*.bpf.c), their
 * fixed twins (progs/fixed_*.bpf.c), and the `rawbpf verify` command on them.
 *
 * Each bad program marks its faulty line with "<- REJECTED"; the kernel must reject
 * it, a hint must explain the message, and -- where the verifier ties the error to
 * an instruction of that line -- the failing instruction's source line (from
 * .BTF.ext) must be the marked one.  Each fixed twin must load.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "test.h"

static const struct bad_prog {
	const char *name;
	const char *why_not_on_line;   /* NULL: the failing insn is on the marked line */
} bad_progs[] = {
	{ "null_check", NULL },
	{ "packet_bounds", NULL },
	{ "index_bounds", NULL },
	{ "gpl_helper", NULL },
	{ "ringbuf_leak", "every return shares one exit, at the closing brace" },
	{ "stack_chain", "the stack sum is checked after the walk, not at an instruction" },
};

/* The line number of the "<- REJECTED" marker in progs/bad_NAME.bpf.c. */
static uint32_t marked_line(const char *name)
{
	char path[256], buf[512];
	FILE *f;
	uint32_t n = 0, found = 0, count = 0;

	snprintf(path, sizeof(path), "progs/bad_%s.bpf.c", name);
	f = fopen(path, "r");
	ASSERT_TRUE(f != NULL, "cannot open %s", path);
	while (fgets(buf, sizeof(buf), f)) {
		n++;
		if (strstr(buf, "<- REJECTED")) {
			found = n;
			count++;
		}
	}
	fclose(f);
	ASSERT_TRUE(count == 1, "%s: %u REJECTED markers, want 1", path, count);
	return found;
}

static void check_bad(const struct bad_prog *b)
{
	struct rbpf_object *obj;
	struct rbpf_prog *p;
	struct rbpf_vlog *v;
	struct rbpf_line line;
	const char *path = test_path(test_fmt("progs/bad_%s.bpf.o", b->name));
	uint32_t want = marked_line(b->name);

	ASSERT(0, rbpf_object_open(path, &obj));
	p = rbpf_object_next_prog(obj, NULL);
	ASSERT_TRUE(p != NULL, "%s has no program", path);
	ASSERT_TRUE(rbpf_object_load_prog(p, 2) < 0, "%s was accepted", path);
	ASSERT_TRUE(rbpf_verifier_hint(rbpf_prog_log(p)) != NULL, "%s: no hint for:\n%s", path,
		    test_excerpt(rbpf_prog_log(p)));
	ASSERT(0, rbpf_vlog_parse(rbpf_prog_log(p), &v));
	ASSERT_TRUE(v->last_insn >= 0, "%s: no instruction rows", path);
	if (!b->why_not_on_line) {
		ASSERT_TRUE(rbpf_prog_line(p, v->rows[v->last_insn].insn, &line) >= 0,
			    "%s: no line info for insn %d", path, v->rows[v->last_insn].insn);
		ASSERT(want, line.line);
		ASSERT_CONTAINS(line.text, "<- REJECTED");
	}
	rbpf_vlog_free(v);
	rbpf_object_close(obj);
}

TEST(verify_bad_progs_rejected_at_marked_line)
{
	size_t i;

	NEED_ROOT();
	for (i = 0; i < sizeof(bad_progs) / sizeof(bad_progs[0]); i++)
		check_bad(&bad_progs[i]);
}

TEST(verify_fixed_progs_accepted)
{
	size_t i;

	NEED_ROOT();
	for (i = 0; i < sizeof(bad_progs) / sizeof(bad_progs[0]); i++) {
		struct rbpf_object *obj;
		const char *path = test_path(test_fmt("progs/fixed_%s.bpf.o", bad_progs[i].name));

		ASSERT(0, rbpf_object_open(path, &obj));
		ASSERT_OK(rbpf_object_load(obj, 0));
		rbpf_object_close(obj);
	}
}

TEST(verify_cmd_rejected_view)
{
	int st;
	char *out;

	NEED_ROOT();
	out = test_run_cmd(&st, "NO_COLOR= %s verify %s", test_path("rawbpf"),
			   test_path("progs/bad_null_check.bpf.o"));
	ASSERT(1, st);
	ASSERT_CONTAINS(out, "program null_check (xdp): REJECTED");
	ASSERT_CONTAINS(out, "SOURCE");
	ASSERT_CONTAINS(out, "\n> 26: *count += 1;");          /* the failing row */
	ASSERT_CONTAINS(out, "r1 = map[seen]");                 /* maps by name */
	ASSERT_CONTAINS(out, "=map_value_or_null(");            /* the state column */
	ASSERT_CONTAINS(out, "\nR0 invalid mem access 'map_value_or_null'\n");
	ASSERT_CONTAINS(out, "hint: the pointer from bpf_map_lookup_elem() may be NULL");
	ASSERT_TRUE(!strchr(out, '\033'), "colour codes in piped output");
	free(out);
}

TEST(verify_cmd_accepted_stats_raw_and_errors)
{
	int st;
	char *out;

	NEED_ROOT();
	out = test_run_cmd(&st, "%s verify %s --stats", test_path("rawbpf"),
			   test_path("progs/fixed_null_check.bpf.o"));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "program null_check (xdp): accepted");
	ASSERT_CONTAINS(out, "processed ");
	free(out);
	out = test_run_cmd(&st, "%s verify %s --raw --level 1", test_path("rawbpf"),
			   test_path("progs/bad_null_check.bpf.o"));
	ASSERT(1, st);
	ASSERT_CONTAINS(out, ": (85) call bpf_map_lookup_elem#1");
	ASSERT_TRUE(!strstr(out, "SOURCE"), "--raw drew the table:\n%s", out);
	free(out);
	out = test_run_cmd(&st, "%s verify /nonexistent.bpf.o", test_path("rawbpf"));
	ASSERT(2, st);
	free(out);
	out = test_run_cmd(&st, "%s verify %s no_such_prog", test_path("rawbpf"),
			   test_path("progs/bad_null_check.bpf.o"));
	ASSERT(2, st);
	free(out);
	out = test_run_cmd(&st, "%s verify", test_path("rawbpf"));
	ASSERT(2, st);
	free(out);
}

/* The side-by-side view for every program in progs/: bad_* exit 1, fixed_* 0.  A
 * lesson may hold programs refused by design (limits.bpf.c) and so exit 1; exit 2
 * (could not run: a program type this machine refuses to root) must say why.  Each
 * program that loaded or was refused gets its header and instruction rows. */
TEST(verify_cmd_every_prog)
{
	DIR *d = opendir(test_path("progs"));
	struct dirent *e;
	int objects = 0;

	NEED_ROOT();
	test_timeout(300);
	if (!d)
		SKIP("no %s", test_path("progs"));
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		int st, bad = !strncmp(e->d_name, "bad_", 4), fixed = !strncmp(e->d_name, "fixed_", 6);
		char *out;

		if (len < 6 || strcmp(e->d_name + len - 6, ".bpf.o"))
			continue;
		out = test_run_cmd(&st, "%s verify %s/%s", test_path("rawbpf"), test_path("progs"),
				   e->d_name);
		if (bad || fixed)
			ASSERT_TRUE(st == bad, "%s: exit %d, expected %d:\n%s", e->d_name, st, bad,
				    test_excerpt(out));
		else
			ASSERT_TRUE(st == 0 || st == 1 || (st == 2 && strstr(out, "rawbpf: ")),
				    "%s: exit %d:\n%s", e->d_name, st, test_excerpt(out));
		if (st != 2) {
			ASSERT_CONTAINS(out, "program ");
			ASSERT_CONTAINS(out, "    0: ");
		}
		free(out);
		objects++;
	}
	closedir(d);
	ASSERT_TRUE(objects >= 12, "only %d objects in progs/", objects);
}

/* On a terminal (script(1) gives us one): colour, and rows cut to the width;
 * with NO_COLOR set, no colour. */
TEST(verify_cmd_tty_colour_and_width)
{
	int st;
	char *out, *line;

	NEED_ROOT();
	NEED_CMD("script");
	out = test_run_cmd(&st, "script -qec 'COLUMNS=100 %s verify %s' /dev/null",
			   test_path("rawbpf"), test_path("progs/bad_null_check.bpf.o"));
	ASSERT_CONTAINS(out, "\033[1;31m");                     /* the failing row, red */
	for (line = strtok(out, "\r\n"); line; line = strtok(NULL, "\r\n")) {
		int visible = 0;
		const char *s;

		for (s = line; *s; s++) {
			if (*s == '\033') {               /* skip "ESC [ ... m" */
				s += strcspn(s, "m");
				if (!*s)
					break;
				continue;
			}
			visible++;
		}
		if (strstr(line, " | "))
			ASSERT_TRUE(visible <= 100, "row of %d columns: %s", visible, line);
	}
	free(out);
	out = test_run_cmd(&st, "script -qec 'NO_COLOR=1 %s verify %s' /dev/null",
			   test_path("rawbpf"), test_path("progs/bad_null_check.bpf.o"));
	ASSERT_CONTAINS(out, "REJECTED");
	ASSERT_TRUE(!strchr(out, '\033'), "colour despite NO_COLOR");
	free(out);
}

/* BPF-to-BPF calls: the view shows the callee's state on entry and the return. */
TEST(verify_cmd_shows_calls)
{
	int st;
	char *out;

	NEED_ROOT();
	out = test_run_cmd(&st, "%s verify %s sub_first", test_path("rawbpf"),
			   test_path("tests/bpf/elf_subprog.bpf.o"));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "-- enter the callee --");
	ASSERT_CONTAINS(out, "-- return to the caller --");
	ASSERT_CONTAINS(out, "frame1: R1=");
	ASSERT_CONTAINS(out, "return twice(x) + 1;");
	free(out);
}
