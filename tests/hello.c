/*
 * hello.c -- asm/hello end to end, as a learner runs it: the binary loads its
 * instruction array, attaches to execve (kprobe, or the tracepoint where the kernel
 * has no kprobes), and prints trace_pipe lines.  We run /bin/true and look for a
 * "Hello World!" line carrying that child's pid; then Ctrl-C must detach cleanly and
 * leave no program named "hello" in the kernel.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#include "rawbpf.h"
#include "common.h"
#include "test.h"

/* Wait until file `path` contains `needle`; up to `secs` seconds. Returns its text. */
static char *wait_for(const char *path, const char *needle, int secs)
{
	char *text = NULL;
	size_t cap = 0;
	int i;

	for (i = 0; i < secs * 20; i++) {
		FILE *f = fopen(path, "r");
		if (f) {
			if (getdelim(&text, &cap, 0, f) < 0 && text)
				text[0] = 0;
			fclose(f);
			if (text && strstr(text, needle))
				return text;
		}
		usleep(50000);
	}
	return text ? text : strdup("");
}

TEST(hello_raw_prints_child_pid)
{
	char out[] = "/tmp/rawbpf-hello.XXXXXX", want[64], *text;
	struct test_held h;
	int fd, st;
	pid_t hello, child;

	NEED_TRACE_PIPE();
	fd = mkstemp(out);
	ASSERT_OK(fd);
	hello = fork();
	if (hello == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		execl(test_path("asm/hello"), "hello", "--count", "1000", "--timeout", "20",
		      (char *)NULL);
		_exit(127);
	}
	text = wait_for(out, "waiting for execve", 10);
	ASSERT_CONTAINS(text, "waiting for execve");
	ASSERT_CONTAINS(text, "attached: ");
	test_held_by(hello, &h);                  /* its own program, by id */
	ASSERT_TRUE(h.progs.n >= 1, "hello says it is attached but holds no program");
	free(text);

	/* At execve's entry the child still has its parent's name, so look for "-PID ". */
	child = test_run_true();
	snprintf(want, sizeof(want), "-%d ", (int)child);
	text = wait_for(out, want, 10);
	ASSERT_CONTAINS(text, want);
	ASSERT_CONTAINS(strstr(text, want), "Hello World!");
	free(text);

	kill(hello, SIGINT);                      /* Ctrl-C */
	ASSERT(hello, waitpid(hello, &st, 0));
	ASSERT(1, WIFEXITED(st));
	ASSERT(0, WEXITSTATUS(st));
	text = wait_for(out, "detached", 1);
	ASSERT_CONTAINS(text, "detached");
	free(text);
	test_all_gone(&h, "asm/hello", "Ctrl-C");      /* nothing left behind */
	unlink(out);
	close(fd);
}

TEST(hello_raw_stops_on_count)
{
	char *out;
	int st;

	NEED_TRACE_PIPE();
	out = test_run_cmd(&st, "%s --count 2 --timeout 20 --trigger", test_path("asm/hello"));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "Hello World!");
	ASSERT_CONTAINS(out, "detached");
	free(out);
}

TEST(hello_raw_bad_argument)
{
	char *out;
	int st;

	out = test_run_cmd(&st, "%s --bogus", test_path("asm/hello"));
	ASSERT(2, st);
	ASSERT_CONTAINS(out, "usage: hello");
	free(out);
}
