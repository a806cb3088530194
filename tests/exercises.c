/*
 * exercises.c -- every exercise checker is checked itself, three ways:
 *   - on the project as it is (the learner's starting point) it must say "not yet:"
 *     in one line and exit 1;
 *   - on a copy of the project with the reference solution applied (patch -p1)
 *     (tutorial/solutions/L-N.diff, a diff against the real files, so a solution that
 *     no longer applies fails here) it must say "done." and exit 0;
 *   - on a copy with a wrong attempt (the table `wrong` below: a sed edit of one file,
 *     on the project or on the solution) it must say the one line that names that
 *     mistake.
 * A learner who runs `make check` in the middle of an exercise has changed the files
 * the solutions are diffs against: the test says so in those words and skips.
 * One EXERCISE(L, N) line per exercise, one row per wrong attempt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"

/* If a file the solution L-N changes differs from the last commit in the tree at
 * `root`, put a message saying so in msg and return 1. */
static int tree_changed(const char *root, int l, int n, char *msg, size_t size)
{
	char *files, *out;
	int st;

	files = test_run_cmd(&st, "cd %s && sed -n 's|^+++ b/\\([^\t]*\\).*|\\1|p' "
			     "tutorial/solutions/%d-%d.diff | tr '\\n' ' '", root, l, n);
	out = test_run_cmd(&st, "cd %s && git diff --quiet HEAD -- %s", root, files);
	free(out);
	if (st == 0) {
		free(files);
		return 0;
	}
	snprintf(msg, size, "the learner's tree changed under the suite: %sdiffers from the "
		 "last commit (an exercise in progress?), so exercise %d-%d cannot be checked "
		 "against its solution; `git diff` shows the change, `git stash` sets it aside",
		 files, l, n);
	free(files);
	return 1;
}

/* Is the project a git checkout here (not in the lab VM, which has no git)? */
static int in_git_tree(void)
{
	int st;

	free(test_run_cmd(&st, "git rev-parse --is-inside-work-tree >/dev/null 2>&1"));
	return st == 0;
}

/* The lines of text (the last one need not end in a newline). */
static int count_lines(const char *text)
{
	int n = 0;

	for (const char *p = text; *p; p++)
		n += *p == '\n' && p[1] != 0;
	return *text ? n + 1 : 0;
}

/* A copy of the project's learner files in a new directory (dir must be a mkdtemp
 * template), with the solution L-N applied if `solved`. */
static void copy_project(char *dir, int l, int n, int solved)
{
	char root[4096], *out;
	int st;

	ASSERT_TRUE(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	ASSERT_TRUE(getcwd(root, sizeof(root)) != NULL, "getcwd: %s", strerror(errno));
	free(test_run_cmd(&st, "cp -r asm progs include %s/ 2>/dev/null", dir));
	if (!solved)
		return;
	out = test_run_cmd(&st, "cd %s && patch -p1 < %s/tutorial/solutions/%d-%d.diff", dir,
			   root, l, n);
	ASSERT_TRUE(st == 0, "the solution %d-%d.diff does not apply to the committed files:\n%s",
		    l, n, out);
	free(out);
}

/* The checkers that run a lesson printing to trace_pipe (the others use buffers,
 * maps or test runs). */
static int reads_trace_pipe(int lesson, int n)
{
	return lesson == 1 || (lesson == 2 && n == 1) || (lesson == 5 && n == 1) ||
	       (lesson == 6 && n == 1);
}

/* Lesson 11's checkers need ip(8) and ping(8) for their wire and traffic; 10-2
 * probes the C library's malloc in ls(1), and 12-1 reads the flags of cat(1)'s first
 * open (the dynamic loader's): both must then be dynamic (the lab VM's busybox is
 * static, as lesson 10's own test finds). */
static void need_lesson_tools(int lesson, int n)
{
	int st;

	if (lesson == 10 && n == 2) {
		free(test_run_cmd(&st, "/bin/ls --version 2>&1 | grep -q GNU"));
		if (st != 0)
			SKIP("/bin/ls is not GNU ls here (busybox, static): no C library malloc to probe");
	}
	if (lesson == 12 && n == 1) {    /* the checker reads cat's first open: ld.so's */
		free(test_run_cmd(&st, "/bin/cat --version 2>&1 | grep -q GNU"));
		if (st != 0)
			SKIP("/bin/cat is not GNU cat here (busybox, static): its first open is not the loader's");
	}
	if (lesson == 11) {
		NEED_CMD("ip");
		NEED_CMD("ping");
	}
}

static void check_exercise(int lesson, int n)
{
	char dir[] = "/tmp/rawbpf-sol.XXXXXX", msg[1024], *out;
	int st;

	need_lesson_tools(lesson, n);
	test_timeout(300);                   /* two runs, and maybe a queue for trace_pipe */
	if (reads_trace_pipe(lesson, n))
		NEED_TRACE_PIPE();
	else
		NEED_ROOT();
	NEED_CMD("patch");        /* busybox's in the lab VM, where there is no git */
	if (in_git_tree() && tree_changed(".", lesson, n, msg, sizeof(msg)))
		SKIP("%s", msg);
	out = test_run_cmd(&st, "B=%s tutorial/exercises/%d-%d.sh", test_build, lesson, n);
	ASSERT_TRUE(st == 1, "on the unmodified project the checker exited %d:\n%s", st, out);
	ASSERT_CONTAINS(out, "not yet:");
	ASSERT_TRUE(count_lines(out) == 1, "a not-yet in %d lines:\n%s", count_lines(out), out);
	free(out);

	copy_project(dir, lesson, n, 1);
	out = test_run_cmd(&st, "B=%s tutorial/exercises/%d-%d.sh %s", test_build, lesson, n, dir);
	ASSERT_TRUE(st == 0, "on the reference solution the checker exited %d:\n%s", st, out);
	ASSERT_CONTAINS(out, "done.");
	free(out);
	free(test_run_cmd(&st, "rm -rf %s", dir));
}

#define EXERCISE(L, N) TEST(exercise_##L##_##N) { check_exercise(L, N); }

EXERCISE(1, 1)
EXERCISE(1, 2)
EXERCISE(2, 1)
EXERCISE(3, 1)
EXERCISE(4, 1)
EXERCISE(5, 1)
EXERCISE(6, 1)
EXERCISE(7, 1)
EXERCISE(7, 2)
EXERCISE(7, 3)
EXERCISE(8, 1)
EXERCISE(8, 2)
EXERCISE(9, 1)
EXERCISE(9, 2)
EXERCISE(5, 2)
EXERCISE(6, 2)
EXERCISE(10, 1)
EXERCISE(10, 2)
EXERCISE(11, 1)
EXERCISE(12, 1)

/* A wrong attempt: exercise L-N, on the project (solved 0) or on its solution
 * (solved 1), with `sed` applied to `file`; the checker's one line must contain
 * `says`.  The messages the unmodified project triggers are checked above. */
struct wrong {
	int l, n, solved;
	const char *file, *sed, *says;
};

static const struct wrong wrong[] = {
	{ 1, 1, 1, "asm/hello.c", "s/0x4265206f6c6c6548ULL/0x6542206f6c6c6548ULL/",
	  "the right letters in the wrong order: \"Hello Be" },
	{ 1, 1, 1, "asm/hello.c", "s/BPF_REG_2, 12)/BPF_REG_2, 11)/",
	  "r2 = 12: \"Hello eBPF!\" and its zero are 12 bytes" },
	{ 2, 1, 1, "progs/hello.bpf.c", "s/bpf_get_current_pid_tgid() >> 32/bpf_get_current_uid_gid()/",
	  "the upper half of bpf_get_current_pid_tgid() (>> 32); seen: pid " },
	{ 3, 1, 0, "progs/hello_map.bpf.c", "s/^\tu64 uid = .*/\tu64 uid = )/",
	  "hello_map.bpf.c to compile; seen: hello_map.bpf.c:" },
	{ 3, 1, 1, "progs/hello_map.bpf.c", "s/bpf_get_current_pid_tgid() >> 32/bpf_get_current_pid_tgid()/",
	  "the whole pid_tgid, the thread id in the low half" },
	{ 4, 1, 1, "progs/hello_ringbuf.bpf.c", "/__sync_fetch_and_add(n, 1);/d",
	  "seen: discarded 0" },
	{ 5, 1, 1, "progs/hello_func.bpf.c", "s/static __noinline u32 get_pid/static u32 get_pid/",
	  "two BPF-to-BPF calls in the loaded program" },
	{ 6, 1, 1, "progs/hello_tail.bpf.c", "s/\"Opening a file\"/\"Opening\"/",
	  "an \"Opening a file\" line from the program in slot 257" },
	{ 6, 2, 1, "progs/limits.bpf.c", "s/\\*runs >= 10/*runs > 10/",
	  "ran 11 times, one off" },
	{ 6, 2, 1, "progs/limits.bpf.c",
	  "/runs >= 10)$/d; /the chain stops itself/d; "
	  "s/SLOT_CHAIN);/runs \\&\\& *runs >= 10 ? SLOT_EMPTY : SLOT_CHAIN);/",
	  "the chain stopped on a failed tail call" },
	{ 7, 1, 1, "progs/bad_null_check.bpf.c", "/^\t\\*count += 1;/d",
	  "counting kept: seen[0] = 41" },
	{ 7, 2, 1, "progs/bad_index_bounds.bpf.c", "/^\ts->count\\[i\\] += 1;/d",
	  "counting kept: a packet on queue 0 makes s->count[0] 1" },
	{ 7, 3, 1, "progs/bad_packet_bounds.bpf.c", "s/return XDP_DROP;/return XDP_PASS;/",
	  "an ARP frame (bytes 12-13: 08 06) dropped" },
	{ 11, 1, 1, "progs/packets.bpf.c", "s/ctx->data_end - ctx->data)/1)/",
	  "bytes, not frames: add data_end - data, not 1" },
	{ 11, 1, 1, "progs/packets.bpf.c", "/add(&bytes, kind/d",
	  "the frame's length added to bytes[kind] in count_packets" },
	{ 12, 1, 1, "progs/opens.bpf.c", "s/fill(e, ctx->filename, ctx->flags)/fill(e, ctx->filename, 0)/",
	  "the flags from the tracepoint's flags argument (ctx->flags)" },
	{ 12, 1, 1, "progs/opens.c", "/^\tuint64_t flags;$/d; s/^\tuint32_t pid;$/&\\n\tuint64_t flags;/",
	  "same fields, in the same order, on both sides?); seen: cat ran, and no line came" },
};

static void check_wrong(const struct wrong *w)
{
	char dir[] = "/tmp/rawbpf-wrong.XXXXXX", *out;
	int st;

	NEED_ROOT();
	need_lesson_tools(w->l, w->n);
	test_timeout(300);
	if (reads_trace_pipe(w->l, w->n))
		NEED_TRACE_PIPE();
	NEED_CMD("git");
	copy_project(dir, w->l, w->n, w->solved);
	out = test_run_cmd(&st, "cd %s && cp %s before && sed -i -e '%s' %s && "
			   "! cmp -s before %s", dir, w->file, w->sed, w->file, w->file);
	ASSERT_TRUE(st == 0, "the wrong attempt (sed '%s' on %s) changed nothing:\n%s", w->sed,
		    w->file, out);
	free(out);
	out = test_run_cmd(&st, "B=%s tutorial/exercises/%d-%d.sh %s", test_build, w->l, w->n,
			   dir);
	ASSERT_TRUE(st == 1, "on the wrong attempt (sed '%s' on %s) the checker exited %d:\n%s",
		    w->sed, w->file, st, out);
	ASSERT_TRUE(count_lines(out) == 1, "a not-yet in %d lines:\n%s", count_lines(out), out);
	ASSERT_CONTAINS(out, w->says);
	free(out);
	free(test_run_cmd(&st, "rm -rf %s", dir));
}

#define WRONG(I) TEST(exercise_wrong_##I) { check_wrong(&wrong[I]); }
WRONG(0) WRONG(1) WRONG(2) WRONG(3) WRONG(4) WRONG(5) WRONG(6)
WRONG(7) WRONG(8) WRONG(9) WRONG(10) WRONG(11) WRONG(12) WRONG(13) WRONG(14)
WRONG(15) WRONG(16)

/* The message for a tree changed under the suite, on a throwaway repository. */
TEST(exercise_tree_changed)
{
	char dir[] = "/tmp/rawbpf-tree.XXXXXX", msg[1024], *out;
	int st;

	NEED_CMD("git");
	ASSERT_TRUE(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	out = test_run_cmd(&st, "mkdir -p %s/tutorial && cp -r asm progs %s/ && "
			   "cp -r tutorial/solutions %s/tutorial/ && cd %s && git init -q && "
			   "git add . && git -c user.name=t -c user.email=t@t commit -qm t", dir,
			   dir, dir, dir);
	ASSERT_TRUE(st == 0, "a throwaway repository: %s", out);
	free(out);
	ASSERT(0, tree_changed(dir, 3, 1, msg, sizeof(msg)));
	free(test_run_cmd(&st, "echo '/* mine */' >> %s/progs/hello_map.bpf.c", dir));
	ASSERT(0, tree_changed(dir, 1, 1, msg, sizeof(msg)));   /* 1-1 is asm/hello.c's */
	ASSERT(1, tree_changed(dir, 3, 1, msg, sizeof(msg)));
	ASSERT_CONTAINS(msg, "the learner's tree changed under the suite: progs/hello_map.bpf.c "
			"differs from the last commit");
	free(test_run_cmd(&st, "rm -rf %s", dir));
}

/* `make exercise`: the checker's one line and nothing of make's after it, and a
 * status that is still a failure. */
TEST(exercise_make_target_quiet)
{
	char *out;
	int st;

	NEED_ROOT();
	NEED_CMD("make");         /* not in the lab VM */
	out = test_run_cmd(&st, "make -s B=%s exercise LESSON=1 N=2", test_build);
	ASSERT_TRUE(st != 0, "make exercise on the unmodified project exited 0:\n%s", out);
	ASSERT_CONTAINS(out, "exercise 1-2: not yet: ");
	ASSERT_TRUE(strstr(out, "make:") == NULL, "make's own error line:\n%s", out);
	ASSERT_TRUE(count_lines(out) == 1, "%d lines:\n%s", count_lines(out), out);
	free(out);
}

/* Every "Read lesson N, "SECTION"" a checker can print names a heading that exists
 * (tests/exercise_sections.sh lists those that do not). */
TEST(exercise_sections_exist)
{
	char *out;
	int st;

	out = test_run_cmd(&st, "tests/exercise_sections.sh");
	ASSERT_TRUE(st == 0 && out[0] == 0, "headings a checker names but the lesson lacks:\n%s",
		    out);
	free(out);
}
