/*
 * exercises.c -- every exercise checker is checked itself:
 *   - on the project as it is (the learner's starting point) it must say its one
 *     "not yet" line for that start (the EXERCISE lines below name it) and fail;
 *   - on a copy of the project with the reference solution applied (patch -p1)
 *     (tutorial/solutions/L-N.diff, a diff against the real files, so a solution that
 *     no longer applies fails here) it must say "done." and exit 0;
 *   - on wrong attempts, one for each other message it can print: tests/exercise_wrong.c
 *     (which also holds the checkers' sources against these records, and lists them).
 * Each run goes through `make exercise` as the learner's does, so that no run shows
 * make's own error line after the "not yet".
 * A learner who runs `make check` in the middle of an exercise has changed the files
 * the solutions are diffs against: the test says so in those words and skips.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exercises.h"
#include "test.h"

struct ex_msg *ex_msgs;

void ex_msg_register(struct ex_msg *m)
{
	struct ex_msg **p = &ex_msgs;

	while (*p)
		p = &(*p)->next;
	*p = m;
}

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

void ex_copy_project(char *dir, int l, int n, int solved)
{
	char root[4096], *out;
	int st;

	ASSERT_TRUE(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	test_remove_after(dir);   /* also when a check below fails */
	ASSERT_TRUE(getcwd(root, sizeof(root)) != NULL, "getcwd: %s", strerror(errno));
	free(test_run_cmd(&st, "cp -r asm progs include %s/ 2>/dev/null", dir));
	if (!solved)
		return;
	out = test_run_cmd(&st, "cd %s && patch -p1 < %s/tutorial/solutions/%d-%d.diff", dir,
			   root, l, n);
	ASSERT_TRUE(st == 0, "the solution %d-%d.diff does not apply to the committed files:\n%s",
		    l, n, out);
	/* GNU patch applies a hunk whose lines moved or changed around it (offset, fuzz);
	 * busybox's, in the lab VM, refuses fuzz: a solution must apply exactly. */
	ASSERT_TRUE(!strstr(out, "offset") && !strstr(out, "fuzz"),
		    "the solution %d-%d.diff applies only with an offset or fuzz (the lab VM's "
		    "busybox patch refuses fuzz): make it again from the committed files:\n%s", l, n, out);
	free(out);
}

/* Is there a make to run `make exercise` with (not in the lab VM)? */
static int have_make(void)
{
	int st;

	free(test_run_cmd(&st, "command -v make >/dev/null"));
	return st == 0;
}

char *ex_run_checker(int l, int n, const char *dir, int *st)
{
	if (have_make())
		return test_run_cmd(st, "make -s B=%s exercise LESSON=%d N=%d TREE=%s", test_build,
				    l, n, dir ? dir : "");
	return test_run_cmd(st, "B=%s tutorial/exercises/%d-%d.sh %s", test_build, l, n,
			    dir ? dir : "");
}

void ex_assert_not_yet(const char *out, int st, const char *says, const char *what)
{
	/* through make a failure is 141 (make ends itself with SIGPIPE); directly, 1 */
	ASSERT_TRUE(have_make() ? st != 0 : st == 1, "on %s the checker exited %d:\n%s", what,
		    st, out);
	ASSERT_TRUE(strstr(out, "make:") == NULL, "make's own words on %s:\n%s", what, out);
	ASSERT_TRUE(count_lines(out) == 1, "a not-yet in %d lines on %s:\n%s",
		    count_lines(out), what, out);
	ASSERT_CONTAINS(out, "not yet: ");
	ASSERT_CONTAINS(out, says);
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
void ex_need(int lesson, int n)
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
	test_timeout(300);                   /* two runs, and maybe a queue for trace_pipe */
	if (reads_trace_pipe(lesson, n))
		NEED_TRACE_PIPE();
	else
		NEED_ROOT();
	NEED_CMD("patch");        /* busybox's in the lab VM, where there is no git */
}

static void check_exercise(const struct ex_msg *start)
{
	char dir[] = "/tmp/rawbpf-sol.XXXXXX", msg[1024], *out;
	int st, lesson = start->l, n = start->n;

	ex_need(lesson, n);
	if (in_git_tree() && tree_changed(".", lesson, n, msg, sizeof(msg)))
		SKIP("%s", msg);
	out = ex_run_checker(lesson, n, NULL, &st);
	ex_assert_not_yet(out, st, start->says ? start->says : start->src, "the unmodified project");
	free(out);

	ex_copy_project(dir, lesson, n, 1);
	out = ex_run_checker(lesson, n, dir, &st);
	ASSERT_TRUE(st == 0, "on the reference solution the checker exited %d:\n%s", st, out);
	ASSERT_CONTAINS(out, "done.");
	ASSERT_TRUE(strstr(out, "make:") == NULL, "make's own words:\n%s", out);
	free(out);
}

/* EXERCISE(L, N, SRC, SAYS): exercise L-N's test, and the message its checker says on
 * the learner's start (SRC as in the checker's source, SAYS as printed). */
#define EXERCISE(L, N, SRC, SAYS)                                                 \
	static struct ex_msg start_##L##_##N = { "exercise_" #L "_" #N, L, N, EX_START, \
						  NULL, NULL, SRC, SAYS, NULL };  \
	EX_MSG_REGISTER(start_##L##_##N)                                          \
	TEST(exercise_##L##_##N) { check_exercise(&start_##L##_##N); }

EXERCISE(1, 1, "in the bytes stored on the stack",
	 "not yet: \"Hello eBPF!\" in the bytes stored on the stack; seen: the kernel still "
	 "prints \"Hello World!\". Read lesson 1, \"The program, as instructions\"")
EXERCISE(1, 2, "only, four bytes at a time",
	 "not yet: the message stored with BPF_ST_MEM(BPF_W, ...) only, four bytes at a "
	 "time; seen: hello.c still uses BPF_LD_IMM64(BPF_REG_1, 0x6f57206f6c6c6548ULL)")
EXERCISE(2, 1, "in both hello and hello_tp",
	 "in both hello and hello_tp (this kernel may run either); seen: the kernel still "
	 "prints \"Hello World!\"")
EXERCISE(3, 1, "the map is still keyed by user",
	 "not yet: the process id as the key, bpf_get_current_pid_tgid() >> 32; seen: ID 0 "
	 "(root's user id): the map is still keyed by user")
EXERCISE(4, 1, "a last line \\\"discarded N\\\"",
	 "not yet: a last line \"discarded N\": read the map \"discards\" (key 0) after the "
	 "loop and print it; seen: the last line is")
EXERCISE(5, 1, "two BPF-to-BPF calls in the loaded program",
	 "not yet: two BPF-to-BPF calls in the loaded program (is get_pid __noinline? "
	 "without it clang pastes it into hello); seen: 1: ")
EXERCISE(6, 1, "slot 257 (__NR_openat) filled",
	 "not yet: slot 257 (__NR_openat) filled: [__NR_openat] = (void *)&your_program in "
	 "the initial values; seen: prog array")
EXERCISE(7, 1, "the verifier to accept $(basename",
	 "not yet: the verifier to accept bad_null_check.bpf.c (hint: ")
EXERCISE(7, 2, "the verifier to accept $(basename",
	 "not yet: the verifier to accept bad_index_bounds.bpf.c (hint: ")
EXERCISE(7, 3, "the verifier to accept $(basename",
	 "not yet: the verifier to accept bad_packet_bounds.bpf.c (hint: ")
EXERCISE(8, 1, "a pin at $pin",
	 "not yet: a pin at /sys/fs/bpf/counter_table: __uint(pinning, LIBBPF_PIN_BY_NAME); "
	 "in counter_table's declaration; seen: rawbpf load created counter_table (id ")
EXERCISE(8, 2, "counter_table as BPF_MAP_TYPE_PERCPU_HASH",
	 "not yet: counter_table as BPF_MAP_TYPE_PERCPU_HASH in progs/hello_map.bpf.c; seen: "
	 "the kernel holds it as a hash map")
EXERCISE(9, 1, "(the checker runs your program under timeout(1)",
	 "not yet: a line \"pid P (task_core) parent N timeout (getppid N) ...\"")
EXERCISE(9, 2, "a read of the __kconfig value CONFIG_NR_CPUS",
	 "not yet: a read of the __kconfig value CONFIG_NR_CPUS in the program; seen: the "
	 "externs it reads: LINUX_KERNEL_VERSION CONFIG_HZ.")
EXERCISE(5, 2, "frame_300's 300 bytes in a BPF_MAP_TYPE_PERCPU_ARRAY",
	 "not yet: frame_300's 300 bytes in a BPF_MAP_TYPE_PERCPU_ARRAY (lookup, NULL check, "
	 "that pointer to bpf_skb_load_bytes); seen: still refused: ")
EXERCISE(6, 2, "the kernel still stops the chain",
	 "seen: ran 34 times: the kernel still stops the chain")
EXERCISE(10, 1, "on_entry returning early when its argument",
	 "not yet: on_entry returning early when its argument, ARG1(ctx), is even; seen: "
	 "entered 5 times: every call still counted")
EXERCISE(10, 2, "a map named libc_bytes in progs/uprobe.bpf.c",
	 "not yet: a map named libc_bytes in progs/uprobe.bpf.c; seen: rawbpf load lists 2 "
	 "maps, none of them libc_bytes")
EXERCISE(11, 1, "a line \\\"total bytes in:  ...\\\"",
	 "not yet: a line \"total bytes in:  ...\" from packets.c (print_counts on the map "
	 "\"bytes\"); seen: the totals: total in (xdp):")
EXERCISE(12, 1, "at the end of each line (printf in print_event)",
	 "not yet: \" flags 0x...\" at the end of each line (printf in print_event); seen: "
	 "cat (pid ")

/* The message for a tree changed under the suite, on a throwaway repository. */
TEST(exercise_tree_changed)
{
	char dir[] = "/tmp/rawbpf-tree.XXXXXX", msg[1024], *out;
	int st;

	NEED_CMD("git");
	ASSERT_TRUE(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	test_remove_after(dir);
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
