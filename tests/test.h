/*
 * test.h -- the test harness.  A test is a function written with TEST(name):
 *
 *     TEST(map_update_noexist) {
 *         NEED_ROOT();
 *         int fd = ...;
 *         ASSERT(-EEXIST, rbpf_map_update_elem(fd, &k, &v, BPF_NOEXIST));
 *     }
 *
 * Every test runs in its own child process (a crash or a hang is that test's FAIL,
 * not the end of the suite) and prints one line: `ok NAME`, `FAIL NAME` with what was
 * expected and what came, or `SKIP NAME (reason)`.  The runner ends with
 * `N passed, N failed, N skipped`.  `tests/run NAME...` runs the tests whose names
 * start with one of the NAMEs.
 *
 * Tests run from the project's root; build outputs are under test_build (e.g.
 * "build"): test_path("progs/hello.bpf.o") gives "build/progs/hello.bpf.o".
 */
#ifndef TEST_H
#define TEST_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

struct test {
	const char *name;
	void (*fn)(void);
	const char *file;
	int line;
	struct test *next;
};
void test_register(struct test *t);

#define TEST(NAME)                                                               \
	static void test_##NAME(void);                                          \
	static struct test test_rec_##NAME = { #NAME, test_##NAME, __FILE__, __LINE__, 0 }; \
	__attribute__((constructor)) static void test_reg_##NAME(void)         \
	{ test_register(&test_rec_##NAME); }                                    \
	static void test_##NAME(void)

/* End the test: failed with a message, or skipped with a reason. */
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
void test_skip(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define FAIL(...) test_fail(__FILE__, __LINE__, __VA_ARGS__)
#define SKIP(...) test_skip(__VA_ARGS__)

/* ASSERT(expected, expr): integers; a failure prints `expr => got, expected E`. */
#define ASSERT(EXPECTED, EXPR) do {                                               \
	long long e_ = (long long)(EXPECTED), g_ = (long long)(EXPR);            \
	if (e_ != g_)                                                             \
		FAIL("%s => %lld, expected %lld%s%s", #EXPR, g_, e_,              \
		     rbpf_errmsg()[0] ? "\n    last message: " : "", rbpf_errmsg()); \
} while (0)
/* ASSERT_TRUE(cond, printf-args explaining the failure) */
#define ASSERT_TRUE(COND, ...) do { if (!(COND)) FAIL("%s: " #COND, test_fmt(__VA_ARGS__)); } while (0)
/* ASSERT_OK(expr): expr >= 0 (an fd or 0); otherwise prints the errno and the message */
#define ASSERT_OK(EXPR) do {                                                      \
	long long g_ = (long long)(EXPR);                                         \
	if (g_ < 0)                                                               \
		FAIL("%s => %lld (%s)\n    message: %s", #EXPR, g_,               \
		     strerror((int)-g_), rbpf_errmsg());                          \
} while (0)
/* ASSERT_CONTAINS(haystack, needle) on strings */
#define ASSERT_CONTAINS(HAY, NEEDLE) do {                                         \
	const char *h_ = (HAY), *n_ = (NEEDLE);                                   \
	if (!h_ || !strstr(h_, n_))                                               \
		FAIL("%s does not contain \"%s\"; it is:\n%s", #HAY, n_,          \
		     h_ ? test_excerpt(h_) : "(null)");                           \
} while (0)
#define ASSERT_STREQ(EXPECTED, GOT) do {                                          \
	const char *e_ = (EXPECTED), *g_ = (GOT);                                 \
	if (strcmp(e_, g_ ? g_ : "(null)") != 0)                                  \
		FAIL("%s => \"%s\", expected \"%s\"", #GOT, g_, e_);              \
} while (0)

const char *rbpf_errmsg(void);   /* so tests that do not include rawbpf.h still build */
const char *test_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *test_excerpt(const char *s);    /* the last ~1500 bytes of s, for messages */

/* Preconditions: SKIP with the reason when not met. */
void NEED_ROOT(void);
/* NEED_TRACEFS, then the top-level trace_pipe for this test: queued behind other
 * copies of the suite, and a bounded wait for any other reader (tests/guard.c). */
void NEED_TRACE_PIPE(void);
/* The harness's watch over the kernel around the whole run (tests/guard.c). */
void guard_begin(void);
int guard_end(void);
/* Non-zero when the run has a bpffs of its own at /sys/fs/bpf (tests/guard.c). */
extern int test_private_bpffs;
/* The runner's own file, by a path that resolves in the run's mount namespace:
 * /proc/self/exe names it by the namespace it was started in, which is not ours
 * inside a chroot (uprobes on the runner want a path the kernel can look up). */
const char *test_self(void);            /* euid 0 (kernel tests) */
void NEED_TRACEFS(void);         /* tracefs mounted, mounting it if needed */
void NEED_CMD(const char *cmd);  /* a program on the PATH (llvm-mc, bpftool, ...) */
void test_timeout(unsigned seconds);   /* this test's limit (default 120 s) */
/* PATH (a temporary file or directory the test made) is removed, with all it holds,
 * when the test ends, whether it passed, failed, skipped or was killed.  Files in /tmp
 * named after the test's pid ("rbpf_x_PID.out") need not be given: the runner removes
 * them, and fails a test that passed but left one. */
void test_remove_after(const char *path);

extern const char *test_build;   /* the build directory, relative to the root */
const char *test_path(const char *rel);   /* test_build + "/" + rel (static buffer ring) */

/* Run a shell command; its stdout+stderr in a malloc'd string (caller frees);
 * *status gets the exit status (or 128 + signal). */
char *test_run_cmd(int *status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* fork + exec /bin/true; returns its pid after it has exited (reaped). */
pid_t test_run_true(void);
/* Number of open fds in this process (for leak checks). */
int test_count_fds(void);

#endif
