/*
 * uprobe.c -- uprobes seen to fire in the real kernel (tests/bpf/uprobe.bpf.c counts
 * entries and returns per process in hash maps keyed by tgid).
 *
 * Targets: rbpf_uprobe_target_fn, a function of this very runner (defined in
 * tests/uprobe_elf.c), through the PMU and through uprobe_events, with a return
 * probe reading the value returned and a pid filter; getsid in libc.so.6 called by
 * a dynamic program built here (getsid: a libc function few processes call, because a
 * uprobe's breakpoint is seen by every process using that libc, and valgrind, which
 * runs a program's code itself, stops on it with SIGTRAP).  Counts are read by our own pid or child's pid, so
 * other processes on the machine do not disturb them.  Then: a process killed with
 * SIGKILL leaves its uprobe_events entry, and the next attach removes it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "xlated.h"

int rbpf_uprobe_target_fn(int x);

/* The runner's own file (uprobes want the real file, not /proc/self/exe's name). */
#define self_path test_self

/* The count for tgid pid in map name (0 if none). */
static uint64_t count_of(struct rbpf_object *obj, const char *name, int pid)
{
	uint32_t key = pid;
	uint64_t v = 0;

	if (rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(obj, name)), &key, &v, 0) < 0)
		return 0;
	return v;
}

/* Is an event line of ours (rawbpf/rbpf_uPID_) in uprobe_events? */
static int events_have(int pid)
{
	char path[256], want[64];

	snprintf(path, sizeof(path), "%s/uprobe_events", rbpf_tracefs());
	snprintf(want, sizeof(want), "rawbpf/rbpf_u%d_", pid);
	return strstr(test_slurp(path), want) != NULL;
}

/* Entry and return probes on rbpf_uprobe_target_fn, 5 calls, counted and seen. */
static void fire_on_own_function(int legacy)
{
	struct rbpf_object *obj = test_open_load("tests/bpf/uprobe.bpf.o");
	struct rbpf_link *in, *out;
	volatile int sum = 0;
	int i;

	rbpf_uprobe_legacy_only = legacy;
	ASSERT_OK(rbpf_attach_uprobe(test_prog_fd(obj, "on_entry"), self_path(),
				     "rbpf_uprobe_target_fn", 0, getpid(), 0, &in));
	ASSERT_OK(rbpf_attach_uprobe(test_prog_fd(obj, "on_return"), self_path(),
				     "rbpf_uprobe_target_fn", 0, getpid(), 1, &out));
	if (legacy)
		ASSERT_TRUE(events_have(getpid()), "no rawbpf/rbpf_u%d_ in uprobe_events",
			    getpid());
	for (i = 0; i < 5; i++)
		sum += rbpf_uprobe_target_fn(i);
	ASSERT(5, count_of(obj, "entries", getpid()));
	ASSERT(5, count_of(obj, "returns", getpid()));
	ASSERT(4 * 3 + 1, count_of(obj, "retval", getpid()));  /* the last call's */
	ASSERT(0, rbpf_link_destroy(in));
	ASSERT(0, rbpf_link_destroy(out));
	sum += rbpf_uprobe_target_fn(9);                 /* detached: not counted */
	ASSERT(5, count_of(obj, "entries", getpid()));
	ASSERT_TRUE(!events_have(getpid()), "our uprobe_events entries are still there");
	rbpf_object_close(obj);
	(void)sum;
}

TEST(uprobe_fires_on_own_function_pmu)
{
	if (access("/sys/bus/event_source/devices/uprobe/type", F_OK) != 0)
		SKIP("no uprobe PMU on this kernel");
	fire_on_own_function(0);
}

TEST(uprobe_fires_on_own_function_uprobe_events)
{
	NEED_TRACEFS();
	fire_on_own_function(1);
}

/* pid filter: only the child's calls are counted, not ours. */
TEST(uprobe_pid_filter)
{
	struct rbpf_object *obj = test_open_load("tests/bpf/uprobe.bpf.o");
	struct rbpf_link *l;
	int go[2], st, i;
	pid_t child;
	char c;

	ASSERT(0, pipe(go));
	child = fork();
	ASSERT_TRUE(child >= 0, "fork: %s", strerror(errno));
	if (child == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		for (i = 0; i < 3; i++)
			rbpf_uprobe_target_fn(i);
		_exit(0);
	}
	ASSERT_OK(rbpf_attach_uprobe(test_prog_fd(obj, "on_entry"), self_path(),
				     "rbpf_uprobe_target_fn", 0, child, 0, &l));
	for (i = 0; i < 2; i++)
		rbpf_uprobe_target_fn(i);
	ASSERT(1, write(go[1], "g", 1));
	ASSERT(child, waitpid(child, &st, 0));
	ASSERT(3, count_of(obj, "entries", child));
	ASSERT(0, count_of(obj, "entries", getpid()));
	rbpf_link_destroy(l);
	rbpf_object_close(obj);
}

/* Build DIR/caller, a dynamic program that calls getsid in libc.so.6 7 times.  It
 * fails only when a call fails: the session id itself may be 0 (a process that
 * descends from an init which never called setsid, as CI's does, is in session 0). */
static void build_caller(char *dir, size_t n)
{
	static const char src[] = "#include <unistd.h>\n"      /* with an argument: waits */
		"int main(int c, char **v) { int i, s = 0; char b;\n"  /* for a byte on stdin */
		"  (void)v; if (c > 1 && read(0, &b, 1) != 1) return 2;\n"
		"  for (i = 0; i < 7; i++) s += getsid(0) < 0; return s; }\n";
	char cmd[512], libc[4096];
	FILE *f;

	if (rbpf_resolve_binary("libc.so.6", libc, sizeof(libc)) < 0)
		SKIP("no libc.so.6 (%s)", rbpf_errmsg());
	if (system("cc --version >/dev/null 2>&1") != 0)
		SKIP("no C compiler to build the dynamic caller");
	snprintf(dir, n, "/tmp/rbpf_uprobe_libc_%d", getpid());
	mkdir(dir, 0700);
	test_remove_after(dir);
	snprintf(cmd, sizeof(cmd), "%s/caller.c", dir);
	ASSERT_TRUE((f = fopen(cmd, "w")) != NULL, "%s", cmd);
	fputs(src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "cd %s && cc -O1 -o caller caller.c", dir);
	ASSERT(0, system(cmd));
}

/* Run DIR/caller; its pid once it exited with 0. */
static pid_t run_caller(const char *dir)
{
	char path[256];
	pid_t child = fork();
	int st;

	ASSERT_TRUE(child >= 0, "fork");
	if (child == 0) {
		snprintf(path, sizeof(path), "%s/caller", dir);
		execl(path, "caller", (char *)NULL);
		_exit(127);
	}
	ASSERT(child, waitpid(child, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0, "caller status %d", st);
	return child;
}

/* getsid in libc.so.6, called 7 times by the caller; with the PMU and through
 * uprobe_events. */
static void fire_in_libc(int legacy)
{
	struct rbpf_object *obj = test_open_load("tests/bpf/uprobe.bpf.o");
	struct rbpf_link *l;
	char dir[128];
	pid_t child;

	build_caller(dir, sizeof(dir));
	rbpf_uprobe_legacy_only = legacy;
	ASSERT_OK(rbpf_attach_uprobe_target(test_prog_fd(obj, "on_entry"), "libc.so.6:getsid", -1, 0, &l));
	child = run_caller(dir);
	ASSERT(0, rbpf_link_destroy(l));
	ASSERT(7, count_of(obj, "entries", child));
	rbpf_object_close(obj);
}

/* The caller succeeds where getsid(0) is 0: in a new pid namespace the session leader
 * is outside, as it is for every process of a machine whose init never called setsid. */
TEST(uprobe_caller_runs_in_session_0)
{
	char dir[128];
	char *out;
	int st;

	NEED_ROOT();
	NEED_CMD("unshare");
	build_caller(dir, sizeof(dir));
	out = test_run_cmd(&st, "unshare --pid --fork %s/caller 2>&1", dir);
	ASSERT_TRUE(st == 0, "caller in session 0: exit %d: %s", st, out);
	free(out);
}

/* rawbpf run attaches uprobe/libc.so.6:getsid by itself and shows the count. */
TEST(uprobe_run_shows_counts)
{
	char dir[128], out[64], want[64];
	const char *text;
	pid_t run, child;
	int st;

	NEED_ROOT();
	test_timeout(60);
	build_caller(dir, sizeof(dir));
	snprintf(out, sizeof(out), "/tmp/rbpf_runu_%d.out", getpid());
	run = test_start_rawbpf(out, (const char *[]){ "run",
				test_path("tests/bpf/uprobe.bpf.o"), "--timeout", "3", NULL });
	child = run_caller(dir);
	ASSERT(run, waitpid(run, &st, 0));
	text = test_slurp(out);
	unlink(out);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d:\n%s", st,
		    test_excerpt(text));
	ASSERT_CONTAINS(text, "libc_getsid      uprobe/libc.so.6:getsid          attached");
	ASSERT_CONTAINS(text, "a bare uprobe section names no BINARY:FUNCTION");
	snprintf(want, sizeof(want), "\n  %d => 7\n", child);
	ASSERT_CONTAINS(text, want);
	ASSERT_CONTAINS(text, "detached");
}

TEST(uprobe_fires_in_libc_pmu)
{
	if (access("/sys/bus/event_source/devices/uprobe/type", F_OK) != 0)
		SKIP("no uprobe PMU on this kernel");
	fire_in_libc(0);
}

TEST(uprobe_fires_in_libc_uprobe_events)
{
	NEED_TRACEFS();
	fire_in_libc(1);
}

/* A process killed while attached through uprobe_events leaves its probe there;
 * the next process to attach one removes it. */
TEST(uprobe_events_leftover_swept)
{
	struct rbpf_object *obj = test_open_load("tests/bpf/uprobe.bpf.o");
	struct rbpf_link *l;
	int ready[2], st;
	pid_t child;
	char c;

	NEED_TRACEFS();
	ASSERT(0, pipe(ready));
	child = fork();
	ASSERT_TRUE(child >= 0, "fork");
	if (child == 0) {
		rbpf_uprobe_legacy_only = 1;
		if (rbpf_attach_uprobe(test_prog_fd(obj, "on_entry"), self_path(),
				       "rbpf_uprobe_target_fn", 0, -1, 0, &l) < 0)
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT(1, read(ready[0], &c, 1));
	ASSERT_TRUE(events_have(child), "the child's probe is not in uprobe_events");
	kill(child, SIGKILL);
	ASSERT(child, waitpid(child, &st, 0));
	ASSERT_TRUE(events_have(child), "the killed child's probe went away by itself");
	rbpf_uprobe_legacy_only = 1;
	ASSERT_OK(rbpf_attach_uprobe(test_prog_fd(obj, "on_entry"), self_path(),
				     "rbpf_uprobe_target_fn", 0, getpid(), 0, &l));
	ASSERT_TRUE(!events_have(child), "the killed child's probe was not swept");
	ASSERT(0, rbpf_link_destroy(l));
	ASSERT_TRUE(!events_have(getpid()), "our own probe is left");
	rbpf_object_close(obj);
}

/* Section names: a bare uprobe has no target; uprobe/BIN:FN keeps it. */
TEST(uprobe_sections)
{
	struct rbpf_object *obj;
	struct rbpf_prog *p;

	ASSERT_OK(rbpf_object_open(test_path("tests/bpf/uprobe.bpf.o"), &obj));
	p = rbpf_object_find_prog(obj, "on_entry");
	ASSERT(RBPF_ATTACH_UPROBE, rbpf_prog_attach_kind(p));
	ASSERT(BPF_PROG_TYPE_KPROBE, rbpf_prog_type(p));
	ASSERT_STREQ("", rbpf_prog_attach_target(p));
	p = rbpf_object_find_prog(obj, "on_return");
	ASSERT(RBPF_ATTACH_URETPROBE, rbpf_prog_attach_kind(p));
	p = rbpf_object_find_prog(obj, "libc_getsid");
	ASSERT(RBPF_ATTACH_UPROBE, rbpf_prog_attach_kind(p));
	ASSERT_STREQ("libc.so.6:getsid", rbpf_prog_attach_target(p));
	ASSERT_STREQ("uprobe", rbpf_attach_kind_name(RBPF_ATTACH_UPROBE));
	rbpf_object_close(obj);
}

/* The uprobe objects load with libbpf's translated code: the test's and lesson 10's. */
TEST(uprobe_same_xlated_as_libbpf)
{
	static const char *const objs[] = { "tests/bpf/uprobe.bpf.o", "progs/uprobe.bpf.o" };
	static const int progs[] = { 3, 3 };
	struct rbpf_object *obj;
	size_t i;

	NEED_ROOT();
	for (i = 0; i < 2; i++) {
		ASSERT_OK(rbpf_object_open(test_path(objs[i]), &obj));
		ASSERT_OK(rbpf_object_load(obj, 0));
		ASSERT(progs[i], test_same_xlated_as_libbpf(test_path(objs[i]), obj, ""));
		rbpf_object_close(obj);
	}
}

/* rawbpf run --pid: the uprobe sees that process only (a caller started first,
 * waiting on a pipe until rawbpf is running). */
TEST(uprobe_run_pid_filter)
{
	char dir[128], out[64], path[256], want[64], pid[16];
	const char *text, *m;
	int go[2], st;
	pid_t run, child;

	NEED_ROOT();
	test_timeout(60);
	build_caller(dir, sizeof(dir));
	ASSERT(0, pipe(go));
	if ((child = fork()) == 0) {
		dup2(go[0], 0);
		snprintf(path, sizeof(path), "%s/caller", dir);
		execl(path, "caller", "wait", (char *)NULL);
		_exit(127);
	}
	snprintf(out, sizeof(out), "/tmp/rbpf_runup_%d.out", getpid());
	snprintf(pid, sizeof(pid), "%d", child);
	run = test_start_rawbpf(out, (const char *[]){ "run",
				test_path("tests/bpf/uprobe.bpf.o"), "--pid", pid, "--timeout",
				"2", NULL });
	ASSERT(1, write(go[1], "g", 1));
	ASSERT(child, waitpid(child, &st, 0));
	ASSERT(run, waitpid(run, &st, 0));
	text = test_slurp(out);
	unlink(out);
	snprintf(want, sizeof(want), "map  entries:\n  %d => 7\ndetached", child);
	ASSERT_TRUE((m = strstr(text, "map  entries:")) != NULL, "no entries map:\n%s",
		    test_excerpt(text));
	ASSERT_CONTAINS(m, want);             /* that process, and no other */
}
