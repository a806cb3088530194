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
#include "verify_progs.h"

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
	const struct rbpf_hint *h;
	const char *path = test_path(test_fmt("progs/bad_%s.bpf.o", b->name));
	uint32_t want = marked_line(b->name);

	ASSERT(0, rbpf_object_open(path, &obj));
	p = rbpf_object_next_prog(obj, NULL);
	ASSERT_TRUE(p != NULL, "%s has no program", path);
	ASSERT_TRUE(rbpf_object_load_prog(p, 2) < 0, "%s was accepted", path);
	ASSERT(0, rbpf_vlog_parse(rbpf_prog_log(p), &v));
	h = rbpf_vlog_hint(v);
	ASSERT_TRUE(h && !strcmp(h->id, b->hint), "%s: hint %s, expected %s, for:\n%s", path,
		    h ? h->id : "(none)", b->hint, test_excerpt(v->reason));
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
	for (i = 0; i < N_BAD_PROGS; i++)
		if (!getenv("RAWBPF_VM") || strcmp(bad_progs[i].name, "packet_loop"))
			check_bad(&bad_progs[i]);  /* (the million-insn walk: minutes under TCG) */
}

TEST(verify_fixed_progs_accepted)
{
	size_t i;

	NEED_ROOT();
	for (i = 0; i < N_BAD_PROGS; i++) {
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
	/* an unbounded map access: 5.10 prints the registers again on a line of their
	 * own before its reason; the view shows the kernel's words without them */
	out = test_run_cmd(&st, "%s verify %s", test_path("rawbpf"),
			   test_path("progs/bad_index_bounds.bpf.o"));
	ASSERT(1, st);
	ASSERT_CONTAINS(out, "\nR0 unbounded memory access, make sure to bounds check any such "
			"access\n");
	ASSERT_TRUE(!strstr(out, "\n R0"), "a raw state line in the view:\n%s", out);
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
		if (getenv("RAWBPF_VM") && !strcmp(e->d_name, "bad_packet_loop.bpf.o"))
			continue;       /* minutes under qemu TCG: verify_cmd_folds_a_million_rows */
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

/* The kernel prints nothing at bpf_ringbuf_submit(); the view notes the registers
 * that die there, on that row, and the hint is the release one, not "a number". */
TEST(verify_cmd_release_on_the_call_row)
{
	int st;
	char *out, *row;

	NEED_ROOT();
	out = test_run_cmd(&st, "%s verify %s", test_path("rawbpf"),
			   test_path("progs/bad_ringbuf_after_submit.bpf.o"));
	ASSERT(1, st);
	row = strstr(out, "call bpf_ringbuf_submit#132");
	ASSERT_TRUE(row != NULL, "no submit row:\n%s", out);
	ASSERT_TRUE(strstr(row, "<< R1 R7 released") && strstr(row, "<< R1 R7 released") < strchr(row, '\n'),
		    "the submit row does not show R7 dying:\n%s", out);
	if (!strstr(out, "\nR7 invalid mem access 'inv'\n"))      /* 5.10's word for it */
		ASSERT_CONTAINS(out, "\nR7 invalid mem access 'scalar'\n");
	ASSERT_CONTAINS(out, "hint: this pointer was given back");
	ASSERT_TRUE(!strstr(out, "a plain number"), "the 'plain number' hint for a released pointer");
	free(out);
}

/* The million-instruction walk: folded to well under 2,000 lines by default, the
 * loop's body once, what changed, the last round and the message; --all has it all. */
TEST(verify_cmd_folds_a_million_rows)
{
	int st, lines = 0;
	char *out, *p;

	NEED_ROOT();
	if (getenv("RAWBPF_VM"))
		SKIP("a million-instruction walk at log level 2 takes minutes under qemu TCG");
	test_timeout(600);
	out = test_run_cmd(&st, "%s verify %s", test_path("rawbpf"),
			   test_path("progs/bad_packet_loop.bpf.o"));
	ASSERT(1, st);
	for (p = out; *p; p++)
		lines += *p == '\n';
	ASSERT_TRUE(lines < 2000, "the default view has %d lines", lines);
	ASSERT_CONTAINS(out, "rows repeated");
	ASSERT_CONTAINS(out, "what changed: ");
	ASSERT_CONTAINS(out, "R7 ");                     /* the counter */
	ASSERT_CONTAINS(out, "\nBPF program is too large. Processed 1000001 insn");
	ASSERT_CONTAINS(out, "hint: the verifier walked a million instructions");
	ASSERT_CONTAINS(out, "\n> 26: sum += bpf_get_prandom_u32();");
	free(out);
	out = test_run_cmd(&st, "%s verify %s --all | wc -l", test_path("rawbpf"),
			   test_path("progs/bad_packet_loop.bpf.o"));
	ASSERT_TRUE(atol(out) > 1000000, "--all printed %s lines", out);
	free(out);
	/* one walk, not two: the first log buffer of a looping program is big enough */
	NEED_CMD("strace");
	out = test_run_cmd(&st, "strace -f -e trace=bpf %s verify %s 2>&1 >/dev/null | "
			   "grep -c 'bpf(BPF_PROG_LOAD'", test_path("rawbpf"),
			   test_path("progs/bad_packet_loop.bpf.o"));
	ASSERT_TRUE(atoi(out) == 1, "%d BPF_PROG_LOADs for one program", atoi(out));
	free(out);
}

/* Lines the table has no column for are counted in a labelled line, and printed in
 * a labelled section with --all. */
TEST(verify_cmd_unparsed_lines_labelled)
{
	int st;
	char *out;

	NEED_ROOT();
	out = test_run_cmd(&st, "%s verify %s", test_path("rawbpf"),
			   test_path("progs/bad_ringbuf_after_submit.bpf.o"));
	if (!strstr(out, "lines of the log are not in the table: state "))   /* 5.10 */
		ASSERT_CONTAINS(out, "lines of the log are not in the table: mark_precise ");
	ASSERT_TRUE(!strstr(out, "\nmark_precise:"), "raw mark_precise lines in the view:\n%s", out);
	free(out);
	out = test_run_cmd(&st, "%s verify %s --all", test_path("rawbpf"),
			   test_path("progs/bad_ringbuf_after_submit.bpf.o"));
	ASSERT_CONTAINS(out, "LOG LINES NOT IN THE TABLE");
	ASSERT_TRUE(strstr(out, ": mark_precise: frame0:") || strstr(out, ": last_idx ") ||
		    strstr(out, ":  R"),                               /* 6.18, 6.1, 5.10 */
		    "no backtracking line in the section:\n%s", out);
	free(out);
}

/* "combined stack size": the '>' row is the call that goes over, and each frame's
 * size is said, adding up to the kernel's number. */
TEST(verify_cmd_combined_stack_points_at_the_call)
{
	int st;
	char *out, *mark, total[64];

	NEED_ROOT();
	out = test_run_cmd(&st, "%s verify %s", test_path("rawbpf"),
			   test_path("progs/bad_stack_chain.bpf.o"));
	ASSERT(1, st);
	mark = strstr(out, "\n> ");
	ASSERT_TRUE(mark != NULL, "no failing row:\n%s", out);
	ASSERT_TRUE(strstr(mark, ": call pc+") && strstr(mark, ": call pc+") < strchr(mark + 1, '\n'),
		    "the '>' row is not the call:\n%s", out);
	ASSERT_CONTAINS(out, "takes the stack past 512 bytes: function at insn 0 (");
	mark = strstr(out, "combined stack size of 2 calls is ");
	ASSERT_TRUE(mark != NULL, "no kernel message:\n%s", out);
	snprintf(total, sizeof(total), "%d", atoi(mark + strlen("combined stack size of 2 calls is ")));
	ASSERT_CONTAINS(out, test_fmt(") = %s\n", total));
	free(out);
}

/* Lesson 7's checkers, on a program the verifier still rejects, show what the
 * learner reads first, in their one not-yet line: the failing row's source line, the
 * kernel's reason and the hint. */
TEST(verify_exercise_checker_shows_the_reason)
{
	int st;
	char *out;

	NEED_ROOT();
	NEED_CMD("clang");                      /* the checker compiles the file */
	out = test_run_cmd(&st, "B=%s tutorial/exercises/7-3.sh 2>&1", test_build);
	ASSERT(1, st);
	ASSERT_CONTAINS(out, ", at \"17: ");
	ASSERT_TRUE(strstr(out, "invalid access to packet") ||        /* the kernel's words: */
		    strstr(out, "offset is outside of the packet"),     /* 6.1, 6.18 */
		    "no reason line:\n%s", out);
	ASSERT_CONTAINS(out, "(hint: packet bytes read without a bounds check");
	ASSERT_TRUE(strchr(out, '\n') == out + strlen(out) - 1, "more than one line:\n%s", out);
	free(out);
}

/* The same for the frames above a tail call: the '>' row is the call into the
 * function that tail calls, and the frames add up to the kernel's number. */
TEST(verify_cmd_tail_call_stack_points_at_the_call)
{
	int st;
	char *out, *mark, *msg;

	NEED_ROOT();
	out = test_run_cmd(&st, "%s verify %s", test_path("rawbpf"),
			   test_path("progs/bad_tail_call_stack.bpf.o"));
	ASSERT(1, st);
	mark = strstr(out, "\n> ");
	ASSERT_TRUE(mark && strstr(mark, ": call pc+") && strstr(mark, ": call pc+") < strchr(mark + 1, '\n'),
		    "the '>' row is not the call:\n%s", out);
	msg = strstr(out, "call stack of previous frames is ");
	ASSERT_TRUE(msg != NULL, "no kernel message:\n%s", out);
	ASSERT_CONTAINS(out, "leads to a tail call (insn ");
	ASSERT_CONTAINS(out, test_fmt(" = %d\n", atoi(msg + strlen("call stack of previous frames is "))));
	free(out);
}
