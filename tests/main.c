/*
 * main.c -- the test runner: every TEST() in the tests/ directory, each in a child process.
 *
 *   build/tests/runner            run all
 *   build/tests/runner NAME...    run the tests whose names start with a NAME
 *   build/tests/runner -l         list the names
 *
 * The child reports through a shared page: its verdict and message.  Exit status:
 * 0 when nothing failed.
 */
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test.h"

enum { T_OK, T_FAIL, T_SKIP };

struct verdict {
	int kind;
	char msg[8192];
	char gone[4][PATH_MAX];    /* the paths given to test_remove_after */
};

static struct test *tests;
static struct verdict *verdict;    /* shared with the child */
const char *test_build = "build";

void test_register(struct test *t)
{
	t->next = tests;
	tests = t;
}

/* Sort by file, then line: the order in which the tests are written. */
static int cmp_test(const void *a, const void *b)
{
	const struct test *x = *(struct test *const *)a, *y = *(struct test *const *)b;
	int c = strcmp(x->file, y->file);
	return c ? c : x->line - y->line;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	int n = snprintf(verdict->msg, sizeof(verdict->msg), "%s:%d: ", file, line);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(verdict->msg + n, sizeof(verdict->msg) - n, fmt, ap);
	va_end(ap);
	verdict->kind = T_FAIL;
	fflush(stdout);
	_exit(1);
}

void test_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(verdict->msg, sizeof(verdict->msg), fmt, ap);
	va_end(ap);
	verdict->kind = T_SKIP;
	fflush(stdout);
	_exit(0);
}

const char *test_fmt(const char *fmt, ...)
{
	static char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return buf;
}

const char *test_excerpt(const char *s)
{
	size_t n = strlen(s);
	return n > 1500 ? s + n - 1500 : s;
}

void NEED_ROOT(void)
{
	if (geteuid() != 0)
		SKIP("needs root");
}

void NEED_TRACEFS(void)
{
	NEED_ROOT();
	if (access("/sys/kernel/tracing/events", F_OK) == 0)
		return;
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0)
		return;
	if (access("/sys/kernel/debug/tracing/events", F_OK) == 0)
		return;
	SKIP("no tracefs: cannot mount it at /sys/kernel/tracing (%s)", strerror(errno));
}

void NEED_CMD(const char *cmd)
{
	char *out;
	int st;

	out = test_run_cmd(&st, "command -v %s", cmd);
	free(out);
	if (st != 0)
		SKIP("%s is not installed", cmd);
}

void test_timeout(unsigned seconds)
{
	alarm(seconds);
}

const char *test_path(const char *rel)
{
	static char ring[8][PATH_MAX];
	static int i;
	char *p = ring[i++ % 8];

	snprintf(p, PATH_MAX, "%s/%s", test_build, rel);
	return p;
}

char *test_run_cmd(int *status, const char *fmt, ...)
{
	char cmd[8192], *out = NULL;
	size_t len = 0, cap = 0;
	FILE *f;
	va_list ap;
	int c, st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd) - 8, fmt, ap);
	va_end(ap);
	strcat(cmd, " 2>&1");
	f = popen(cmd, "r");
	if (!f)
		FAIL("popen(%s): %s", cmd, strerror(errno));
	while ((c = fgetc(f)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 4096;
			out = realloc(out, cap);
			if (!out)
				FAIL("out of memory reading the output of %s", cmd);
		}
		out[len++] = (char)c;
	}
	if (!out)
		out = malloc(1);
	out[len] = 0;
	st = pclose(f);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return out;
}

pid_t test_run_true(void)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	return pid;
}

int test_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		FAIL("opendir /proc/self/fd: %s", strerror(errno));
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;   /* not counting the directory's own fd */
}

void test_remove_after(const char *path)
{
	for (int i = 0; i < 4; i++) {
		if (!strcmp(verdict->gone[i], path))
			return;
		if (!verdict->gone[i][0]) {
			snprintf(verdict->gone[i], sizeof(verdict->gone[i]), "%s", path);
			return;
		}
	}
	FAIL("test_remove_after: more than 4 paths");
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	remove(path);
	return 0;
}

static void remove_tree(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Is NAME one of test PID's scratch files: "..._PID" alone or followed by '.' or '_'
 * (our tests name their files in /tmp after their pid, which no other test has)? */
static int named_after(const char *name, pid_t pid)
{
	char tag[24];
	size_t n = (size_t)snprintf(tag, sizeof(tag), "_%d", (int)pid);

	for (const char *p = strstr(name, tag); p; p = strstr(p + 1, tag))
		if (p[n] == 0 || p[n] == '.' || p[n] == '_')
			return 1;
	return 0;
}

/* What test PID, started at START, left in /tmp under its own name: removed, and named
 * in LEFT (a test that passed fails for it: nothing stays behind, files included).  A
 * file older than the test is an earlier process's that had the same pid and died
 * before cleaning up: removed too, but not this test's fault. */
static void sweep_tmp(pid_t pid, time_t start, char *left, size_t size)
{
	DIR *d = opendir("/tmp");
	struct dirent *e;
	struct stat sb;
	size_t used = 0;

	*left = 0;
	while (d && (e = readdir(d))) {
		if (!named_after(e->d_name, pid) ||
		    fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (sb.st_ctime >= start && used + strlen(e->d_name) + 8 < size)
			used += (size_t)snprintf(left + used, size - used, " /tmp/%s", e->d_name);
		remove_tree(test_fmt("/tmp/%s", e->d_name));
	}
	if (d)
		closedir(d);
}

/* Run one test in a child; print its line; return its verdict. */
static int run_one(struct test *t)
{
	char left[512];
	time_t start;
	pid_t pid;
	int st;

	memset(verdict, 0, sizeof(*verdict));
	fflush(stdout);
	start = time(NULL);
	pid = fork();
	if (pid == 0) {
		alarm(120);
		t->fn();
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	for (int i = 0; i < 4 && verdict->gone[i][0]; i++)
		remove_tree(verdict->gone[i]);
	sweep_tmp(pid, start, left, sizeof(left));
	if (verdict->kind == T_OK && WIFEXITED(st) && WEXITSTATUS(st) == 0 && left[0]) {
		verdict->kind = T_FAIL;
		snprintf(verdict->msg, sizeof(verdict->msg), "left behind (now removed):%s", left);
	}
	if (verdict->kind == T_OK && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
		verdict->kind = T_FAIL;
		if (WIFSIGNALED(st))
			snprintf(verdict->msg, sizeof(verdict->msg), "killed by signal %d (%s)",
				 WTERMSIG(st), WTERMSIG(st) == SIGALRM ? "timed out" :
				 strsignal(WTERMSIG(st)));
		else
			snprintf(verdict->msg, sizeof(verdict->msg), "exited with %d",
				 WEXITSTATUS(st));
	}
	if (verdict->kind == T_OK)
		printf("ok   %s\n", t->name);
	else if (verdict->kind == T_SKIP)
		printf("SKIP %s (%s)\n", t->name, verdict->msg);
	else
		printf("FAIL %s\n    %s\n", t->name, verdict->msg);
	return verdict->kind;
}

/* The project's root is two levels above this binary (ROOT/BUILD/tests/runner). */
static void go_to_root(void)
{
	static char exe[PATH_MAX], build[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return;
	exe[n] = 0;
	if ((slash = strrchr(exe, '/')))
		*slash = 0;                 /* ROOT/BUILD/tests */
	if ((slash = strrchr(exe, '/')))
		*slash = 0;                 /* ROOT/BUILD */
	snprintf(build, sizeof(build), "%s", (slash = strrchr(exe, '/')) ? slash + 1 : exe);
	if (slash)
		*slash = 0;                 /* ROOT */
	if (chdir(exe) == 0)
		test_build = build;
}

static int selected(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++)
		if (strncmp(name, argv[i], strlen(argv[i])) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct test **all, *t;
	int n = 0, i, counts[3] = {0, 0, 0};

	setvbuf(stdout, NULL, _IOLBF, 0);
	go_to_root();
	for (t = tests; t; t = t->next)
		n++;
	all = calloc(n ? n : 1, sizeof(*all));
	for (i = 0, t = tests; t; t = t->next)
		all[i++] = t;
	qsort(all, n, sizeof(*all), cmp_test);
	if (argc == 2 && strcmp(argv[1], "-l") == 0) {
		for (i = 0; i < n; i++)
			printf("%s\n", all[i]->name);
		free(all);
		return 0;
	}
	verdict = mmap(NULL, sizeof(*verdict), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (verdict == MAP_FAILED) {
		perror("runner: mmap");
		free(all);
		return 2;
	}
	guard_begin();
	for (i = 0; i < n; i++)
		if (selected(all[i]->name, argc, argv))
			counts[run_one(all[i])]++;
	if (guard_end() > 0)
		counts[T_FAIL]++;
	printf("%d passed, %d failed, %d skipped\n", counts[T_OK], counts[T_FAIL],
	       counts[T_SKIP]);
	free(all);
	return counts[T_FAIL] ? 1 : 0;
}
