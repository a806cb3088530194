/*
 * lessons.c -- the six lesson pairs end to end, as a learner runs them: each binary
 * runs in the background with its output in a file; we make the event happen (run
 * /bin/true, or make a system call ourselves), wait for the line that carries that
 * process's pid (and uid and comm where the lesson prints them), then Ctrl-C and
 * expect "detached" and exit status 0.
 *
 * At execve's entry the process still has its parent's name, so the comm a lesson
 * reports for a /bin/true we start is ours: the test reads /proc/self/comm.
 * The map and buffer lessons also run as nobody holding only CAP_BPF + CAP_PERFMON.
 * Kprobe paths: on a kernel without kprobes the lessons announce the tracepoint
 * twin; lessons_*_kprobe tests SKIP here and run in the lab VM.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "rawbpf.h"
#include "common.h"
#include "test.h"

#define NOBODY 65534
#define SETPRIV "setpriv --reuid=nobody --regid=nogroup --clear-groups " \
	"--inh-caps=-all,+bpf,+perfmon --ambient-caps=+bpf,+perfmon "

/* A lesson running in the background, its stdout+stderr in a file. */
struct bg {
	pid_t pid;
	char path[64];
	char cmd[1024];
};

static void bg_start(struct bg *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bg_start(struct bg *b, const char *fmt, ...)
{
	va_list ap;
	int fd;

	va_start(ap, fmt);
	vsnprintf(b->cmd, sizeof(b->cmd), fmt, ap);
	va_end(ap);
	snprintf(b->path, sizeof(b->path), "/tmp/rawbpf-lesson.XXXXXX");
	fd = mkstemp(b->path);
	ASSERT_OK(fd);
	fchmod(fd, 0666);
	b->pid = fork();
	if (b->pid == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		execl("/bin/sh", "sh", "-c", b->cmd, (char *)NULL);   /* cmd starts with exec */
		_exit(127);
	}
	close(fd);
}

static char *slurp(const char *path)
{
	char *text = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");

	if (f) {
		if (getdelim(&text, &cap, 0, f) < 0 && text)
			text[0] = 0;
		fclose(f);
	}
	return text ? text : strdup("");
}

/* The output once one complete line contains both `a` and `c` (c may be NULL: any
 * line with `a`), or whatever there is after secs seconds.  Caller frees. */
static char *bg_wait(struct bg *b, const char *a, const char *c, int secs)
{
	char *text = NULL, *p;
	int i;

	for (i = 0; i < secs * 20; i++) {
		free(text);
		text = slurp(b->path);
		for (p = text; (p = strstr(p, a)); p++) {
			char *eol = strchr(p, '\n');
			char *sol = p;

			while (sol > text && sol[-1] != '\n')
				sol--;
			if (!c || (eol && memmem(sol, eol - sol, c, strlen(c))))
				return text;
		}
		usleep(50000);
	}
	return text;
}

/* Ctrl-C; the lesson must say "detached" and exit 0. */
static void bg_stop(struct bg *b)
{
	char *text;
	int st;

	kill(b->pid, SIGINT);
	ASSERT(b->pid, waitpid(b->pid, &st, 0));
	text = slurp(b->path);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exit status %d after Ctrl-C:\n%s",
		    st, test_excerpt(text));
	ASSERT_CONTAINS(text, "detached");
	free(text);
	unlink(b->path);
}

/* The output once it contains `ready`, or once the lesson has exited (then
 * b->pid is 0), or after 15 s. */
static char *bg_until_ready(struct bg *b, const char *ready)
{
	char *text = NULL;
	int i;

	for (i = 0; i < 300; i++) {
		free(text);
		text = slurp(b->path);
		if (strstr(text, ready))
			return text;
		if (waitpid(b->pid, NULL, WNOHANG) == b->pid) {
			free(text);
			b->pid = 0;
			return slurp(b->path);
		}
		usleep(50000);
	}
	return text;
}

/* Wait for the lesson's "ready" line; fail with its output if it never comes.
 * trace_pipe has one reader at a time (EBUSY for the others): when another process
 * holds it, start again, for up to 30 s, then SKIP saying so. */
static void bg_ready(struct bg *b, const char *ready)
{
	char *text = bg_until_ready(b, ready), cmd[sizeof(b->cmd)];
	int tries;

	for (tries = 0; !b->pid && strstr(text, "trace_pipe") && strstr(text, "EBUSY") &&
	     tries < 30; tries++) {
		free(text);
		sleep(1);
		unlink(b->path);
		memcpy(cmd, b->cmd, sizeof(cmd));
		bg_start(b, "%s", cmd);
		text = bg_until_ready(b, ready);
	}
	if (!b->pid && strstr(text, "EBUSY"))
		SKIP("trace_pipe stayed busy for 30 s (another process reads it)");
	ASSERT_CONTAINS(text, ready);
	free(text);
}

static const char *my_comm(void)
{
	static char comm[32];
	FILE *f = fopen("/proc/self/comm", "r");

	if (!f || !fgets(comm, sizeof(comm), f))
		FAIL("cannot read /proc/self/comm");
	fclose(f);
	comm[strcspn(comm, "\n")] = 0;
	return comm;
}

/* fork; the child becomes nobody and execs /bin/true.  Returns its pid, reaped. */
static pid_t run_true_as_nobody(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (setgid(NOBODY) < 0)         /* nogroup: 65534 too */
			_exit(126);
		if (setuid(NOBODY) < 0)
			_exit(126);
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	return pid;
}

static int perf_paranoid(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int v = 0;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

static int have_kprobes(void)
{
	return access("/sys/bus/event_source/devices/kprobe/type", F_OK) == 0;
}

/* ------------------------------------------------------------------- hello */

TEST(lessons_hello_prints_child_pid)
{
	struct test_held h;
	struct bg b;
	char want[32], *text;
	pid_t child;

	NEED_ROOT();
	NEED_TRACE_PIPE();
	bg_start(&b, "exec %s --timeout 30", test_path("progs/hello"));
	bg_ready(&b, "waiting for execve");
	test_held_by(b.pid, &h);                                  /* its own, by id */
	ASSERT_TRUE(h.progs.n >= 2, "hello holds %d programs, not its two", h.progs.n);
	child = test_run_true();
	snprintf(want, sizeof(want), "-%d ", (int)child);
	text = bg_wait(&b, want, "Hello World!", 10);
	ASSERT_CONTAINS(text, want);
	ASSERT_TRUE(strstr(text, have_kprobes() ? "attached: kprobe on" :
			   "this kernel has no kprobes: using the tracepoint"),
		    "the attach line does not match the kernel:\n%s", test_excerpt(text));
	free(text);
	bg_stop(&b);
	test_all_gone(&h, "progs/hello", "it stopped");           /* nothing left behind */
}

TEST(lessons_hello_kprobe)
{
	char *out;
	int st;

	NEED_ROOT();
	NEED_TRACE_PIPE();
	if (!have_kprobes())
		SKIP("no kprobes in this kernel (runs in the lab VM: make vm-check)");
	out = test_run_cmd(&st, "%s --count 1 --timeout 20 --trigger", test_path("progs/hello"));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "attached: kprobe on __x64_sys_execve");
	ASSERT_CONTAINS(out, "Hello World!");
	free(out);
}

/* Every execve lesson takes the kprobe where there is one (the lab VM), as root. */
TEST(lessons_execve_lessons_use_the_kprobe)
{
	static const char *const lessons[] = { "hello_map --interval 0.5", "hello_buffer",
					       "hello_ringbuf", "hello_ringbuf --output" };
	char *out;
	size_t i;
	int st;

	NEED_ROOT();
	if (!have_kprobes())
		SKIP("no kprobes in this kernel (runs in the lab VM: make vm-check)");
	for (i = 0; i < sizeof(lessons) / sizeof(lessons[0]); i++) {
		out = test_run_cmd(&st, "%s/%s --count 1 --timeout 20 --trigger",
				   test_path("progs"), lessons[i]);
		ASSERT_TRUE(st == 0, "%s exited %d:\n%s", lessons[i], st, out);
		ASSERT_CONTAINS(out, "attached: kprobe on __x64_sys_execve");
		ASSERT_CONTAINS(out, "detached");
		free(out);
	}
}

TEST(lessons_hello_bad_argument)
{
	char *out;
	int st;

	out = test_run_cmd(&st, "%s --bogus", test_path("progs/hello"));
	ASSERT(2, st);
	ASSERT_CONTAINS(out, "usage: hello");
	free(out);
}

/* ---------------------------------------------------------------- hello_map */

/* The count the last complete "ID uid: n" line gives for uid, or -1. */
static long last_count(const char *text, long uid)
{
	char want[32];
	const char *p, *last = NULL;

	snprintf(want, sizeof(want), "ID %ld: ", uid);
	for (p = text; (p = strstr(p, want)); p++)
		if (strchr(p, '\n'))
			last = p;
	return last ? atol(last + strlen(want)) : -1;
}

/* Run hello_map (as root, or as nobody with two capabilities), make three execs
 * by user `uid`, and expect the count for uid to reach three. */
static void hello_map_counts(const char *prefix, long uid)
{
	struct bg b;
	char *text = NULL;
	long n = -1;
	int i;

	bg_start(&b, "exec %s%s --interval 0.2 --timeout 30", prefix, test_path("progs/hello_map"));
	bg_ready(&b, "counting execve per user");
	for (i = 0; i < 3; i++)
		uid ? run_true_as_nobody() : test_run_true();
	for (i = 0; i < 40 && n < 3; i++) {
		usleep(100000);
		free(text);
		text = slurp(b.path);
		n = last_count(text, uid);
	}
	ASSERT_TRUE(n >= 3, "count for uid %ld is %ld after 3 execs:\n%s", uid, n,
		    test_excerpt(text));
	free(text);
	bg_stop(&b);
}

TEST(lessons_hello_map_counts_root)
{
	NEED_ROOT();
	NEED_TRACEFS();
	hello_map_counts("", 0);
}

TEST(lessons_hello_map_as_nobody_with_cap_bpf_perfmon)
{
	char *text;
	struct bg b;

	NEED_ROOT();
	NEED_CMD("setpriv");
	test_memlock_for_users();
	hello_map_counts(SETPRIV, NOBODY);
	/* and it said why it did not use the tracepoint */
	bg_start(&b, "exec " SETPRIV "%s --count 1 --interval 0.1 --timeout 10",
		 test_path("progs/hello_map"));
	text = bg_wait(&b, "detached", NULL, 15);
	ASSERT_CONTAINS(text, have_kprobes() && perf_paranoid() <= 2 ? "attached: kprobe on" :
			"attached: raw tracepoint sys_enter");
	free(text);
	waitpid(b.pid, NULL, 0);
	unlink(b.path);
}

TEST(lessons_hello_map_without_caps_refused)
{
	char *out;
	int st;

	NEED_ROOT();
	NEED_CMD("setpriv");
	out = test_run_cmd(&st, "setpriv --reuid=nobody --regid=nogroup --clear-groups "
			   "--inh-caps=-all %s --timeout 1", test_path("progs/hello_map"));
	ASSERT(1, st);
	ASSERT_CONTAINS(out, "EPERM");
	free(out);
}

/* ----------------------------------------------- hello_buffer, hello_ringbuf */

/* Start `cmd`, exec /bin/true as root (or nobody), expect "PID UID COMM Hello World". */
static void event_line(struct bg *b, long uid, const char *suffix)
{
	char want[96], *text;
	pid_t child;

	child = uid ? run_true_as_nobody() : test_run_true();
	snprintf(want, sizeof(want), "%d %ld %s Hello World%s", (int)child, uid, my_comm(),
		 suffix);
	text = bg_wait(b, want, NULL, 10);
	ASSERT_CONTAINS(text, want);
	free(text);
}

TEST(lessons_hello_buffer_pid_uid_comm)
{
	struct bg b;

	NEED_ROOT();
	NEED_TRACEFS();
	bg_start(&b, "exec %s --timeout 30", test_path("progs/hello_buffer"));
	bg_ready(&b, "waiting for execve");
	event_line(&b, 0, "\n");
	bg_stop(&b);
}

/* The perf buffer is perf events: where perf_event_paranoid > 2 (Debian's and
 * Ubuntu's patch: CAP_SYS_ADMIN only) it must fail, and say why. */
TEST(lessons_hello_buffer_as_nobody)
{
	struct bg b;
	char *out;
	int st;

	NEED_ROOT();
	NEED_CMD("setpriv");
	test_memlock_for_users();
	if (perf_paranoid() > 2) {
		out = test_run_cmd(&st, SETPRIV "%s --timeout 5", test_path("progs/hello_buffer"));
		ASSERT(1, st);
		ASSERT_CONTAINS(out, "EACCES");
		ASSERT_CONTAINS(out, "lets only CAP_SYS_ADMIN open perf events");
		free(out);
		return;
	}
	bg_start(&b, "exec " SETPRIV "%s --timeout 30", test_path("progs/hello_buffer"));
	bg_ready(&b, "waiting for execve");
	event_line(&b, NOBODY, "\n");
	bg_stop(&b);
}

TEST(lessons_hello_ringbuf_reserve_submit)
{
	struct bg b;

	NEED_ROOT();
	NEED_TRACEFS();
	bg_start(&b, "exec %s --timeout 30", test_path("progs/hello_ringbuf"));
	bg_ready(&b, "waiting for execve");
	event_line(&b, 0, " (reserve)");
	bg_stop(&b);
}

TEST(lessons_hello_ringbuf_output_as_nobody)
{
	struct bg b;

	NEED_ROOT();
	NEED_CMD("setpriv");
	test_memlock_for_users();
	bg_start(&b, "exec " SETPRIV "%s --output --timeout 30", test_path("progs/hello_ringbuf"));
	bg_ready(&b, "waiting for execve");
	event_line(&b, NOBODY, " (output)");
	bg_stop(&b);
}

/* --ignore-uid 0: root's record is reserved, then discarded; nobody's comes. */
TEST(lessons_hello_ringbuf_discard)
{
	struct bg b;
	char want[64], *text;
	pid_t root_child;

	NEED_ROOT();
	NEED_TRACEFS();
	bg_start(&b, "exec %s --ignore-uid 0 --timeout 30", test_path("progs/hello_ringbuf"));
	bg_ready(&b, "waiting for execve");
	root_child = test_run_true();
	event_line(&b, NOBODY, " (reserve)");       /* it came after root's: in order */
	text = slurp(b.path);
	snprintf(want, sizeof(want), "%d 0 ", (int)root_child);
	ASSERT_TRUE(!strstr(text, want), "root's record was not discarded:\n%s",
		    test_excerpt(text));
	for (char *l = text; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		int pid, uid;

		if (sscanf(l, "%d %d ", &pid, &uid) == 2)
			ASSERT_TRUE(uid != 0, "a uid 0 record came through:\n%s",
				    test_excerpt(text));
	}
	free(text);
	bg_stop(&b);
}

/* --------------------------------------------------------------- hello_func */

TEST(lessons_hello_func_call_and_syscall_number)
{
	struct bg b;
	char want[32], num[32], *text;
	pid_t child;

	NEED_ROOT();
	NEED_TRACE_PIPE();
	bg_start(&b, "exec %s --timeout 30", test_path("progs/hello_func"));
	bg_ready(&b, "attached: raw tracepoint sys_enter");
	text = slurp(b.path);
	ASSERT_CONTAINS(text, "<- BPF-to-BPF call: get_opcode");
	ASSERT_CONTAINS(text, "call bpf_trace_printk#6");
	ASSERT_CONTAINS(text, "the kernel's copy (BPF_OBJ_GET_INFO_BY_FD) keeps it: 0: call pc+");
	free(text);
	child = test_run_true();
	snprintf(want, sizeof(want), "-%d ", (int)child);
	snprintf(num, sizeof(num), "Syscall: %d", SYS_execve);
	text = bg_wait(&b, want, num, 10);
	ASSERT_CONTAINS(text, num);
	free(text);
	bg_stop(&b);
}

/* --------------------------------------------------------------- hello_tail */

TEST(lessons_hello_tail_exec_timer_and_fallthrough)
{
	struct bg b;
	char want[32], num[32], *text;
	timer_t t;
	pid_t child;

	NEED_ROOT();
	NEED_TRACE_PIPE();
	bg_start(&b, "exec %s --timeout 30", test_path("progs/hello_tail"));
	bg_ready(&b, "attached: raw tracepoint sys_enter");
	text = slurp(b.path);
	ASSERT_CONTAINS(text, " 59=hello_exec ");
	ASSERT_CONTAINS(text, " 222=hello_timer ");
	free(text);

	child = test_run_true();
	snprintf(want, sizeof(want), "-%d ", (int)child);
	text = bg_wait(&b, want, "Executing a program", 10);
	ASSERT_CONTAINS(text, "Executing a program");
	free(text);

	/* our own system calls: a timer (slot filled) and getppid (slot empty) */
	ASSERT(0, timer_create(CLOCK_MONOTONIC, NULL, &t));
	ASSERT(0, timer_delete(t));
	syscall(SYS_getppid);
	snprintf(want, sizeof(want), "-%d ", (int)getpid());
	text = bg_wait(&b, want, "Creating a timer", 10);
	ASSERT_CONTAINS(text, "Creating a timer");
	free(text);
	text = bg_wait(&b, want, "Deleting a timer", 10);
	ASSERT_CONTAINS(text, "Deleting a timer");
	free(text);
	snprintf(num, sizeof(num), "Another syscall: %d", SYS_getppid);
	text = bg_wait(&b, want, num, 10);
	ASSERT_CONTAINS(text, num);
	free(text);
	bg_stop(&b);
}

/* Lesson 3's race: the atomic counter loses nothing; the plain one may, never gains. */
TEST(lessons_atomics_lose_nothing)
{
	unsigned long long want = 0, plain = 0, atomic = 0;
	char *out, *p;
	int st;

	NEED_ROOT();
	if (rbpf_num_possible_cpus() < 2)
		SKIP("one possible CPU: nothing races");
	out = test_run_cmd(&st, "%s", test_path("progs/atomics"));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "lock *(u64 *)(r0 +0) += r");
	ASSERT_CONTAINS(out, "BPF_STX | BPF_DW | BPF_ATOMIC, imm 0x00 = BPF_ADD");
	if ((p = strstr(out, "20 rounds: ")))
		sscanf(p, "20 rounds: %llu", &want);
	if ((p = strstr(out, "plain  *v += 1:")))
		sscanf(p, "plain  *v += 1: %llu", &plain);
	if ((p = strstr(out, "__sync_fetch_and_add:")))
		sscanf(p, "__sync_fetch_and_add: %llu", &atomic);
	ASSERT(2000000, want);
	ASSERT(want, atomic);
	ASSERT_TRUE(plain <= want && plain > 0, "plain %llu of %llu", plain, want);
	free(out);
}
