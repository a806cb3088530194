/*
 * guard.c -- the harness's watch over the kernel: a private bpffs for the run, a
 * record of what the machine held before the first test and after the last, and
 * the queue for the one top-level trace_pipe.
 *
 * The suite is never alone on the machine: another copy of it, or any other BPF
 * user, may load, pin and probe while it runs.  So:
 *
 *   - The runner moves into a mount namespace of its own and mounts a fresh bpffs
 *     at /sys/fs/bpf (each mount of bpffs is a new, empty instance).  Every pin a
 *     test, a lesson or the command makes lands there, where nobody else looks, and
 *     anything left in it at the end is ours: the run fails naming it.
 *     (The machine's own /sys/fs/bpf is not looked at: nothing of the run can
 *     reach it, and what is there belongs to others.)
 *   - What stays global is compared by our own names, which always carry the pid
 *     of the process that made them: tracefs instances (NAME_PID), kprobe and
 *     uprobe events (rawbpf/rbpf_PID_...), cgroups (rbpf_..._PID).  One that
 *     appeared during the run and is still there at the end is a leftover when
 *     that process is gone; while it lives, it is another run's, in progress.
 *   - The runner's own open fds are the same after the last test as before the first.
 *   - A test that needs the top-level trace_pipe (which one process at a time may
 *     read on 6.18) calls NEED_TRACE_PIPE: it queues behind other copies of the
 *     suite on a lock file, then waits a bounded time for any other reader to let
 *     go, and skips naming the holder if it never does.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define MAX_SEEN 4096

/* One snapshot: "where: name" lines, sorted by nothing (n is small). */
struct seen {
	char *item[MAX_SEEN];
	int n;
};

static struct seen before;
static char fds_before[4096];

static void add(struct seen *s, const char *where, const char *name)
{
	char buf[600];

	snprintf(buf, sizeof(buf), "%s%s", where, name);
	if (s->n < MAX_SEEN && (s->item[s->n] = strdup(buf)))
		s->n++;
}

static int has(const struct seen *s, const char *item)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->item[i], item))
			return 1;
	return 0;
}

/* Entries of a directory (by fd or path) and of its subdirectories down to depth 4;
 * only those with our names, except in the run's own bpffs. */
static void list_dir(struct seen *s, int dirfd, const char *where, int depth)
{
	char sub[600];
	struct dirent *e;
	DIR *d;
	int fd;

	if (dirfd < 0 || (fd = dup(dirfd)) < 0 || !(d = fdopendir(fd)))
		return;
	rewinddir(d);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || (e->d_type != DT_DIR && depth > 0 &&
					    strncmp(where, "bpffs", 5)))
			continue;
		if (!strncmp(where, "bpffs (the run's own)", 21) || strstr(e->d_name, "rbpf") ||
		    strstr(e->d_name, "rawbpf"))
			add(s, where, e->d_name);
		if (e->d_type == DT_DIR && depth < 4) {
			snprintf(sub, sizeof(sub), "%s%s/", where, e->d_name);
			fd = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			list_dir(s, fd, sub, depth + 1);
			if (fd >= 0)
				close(fd);
		}
	}
	closedir(d);
}

static void list_path(struct seen *s, const char *path, const char *where, int depth)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	list_dir(s, fd, where, depth);
	if (fd >= 0)
		close(fd);
}

/* The lines of a tracefs file that name our probes. */
static void list_lines(struct seen *s, const char *path, const char *where)
{
	char line[512];
	FILE *f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (strstr(line, "rbpf") || strstr(line, "rawbpf"))
			add(s, where, line);
	}
	if (f)
		fclose(f);
}

static void snapshot(struct seen *s)
{
	const char *t = access("/sys/kernel/tracing/events", F_OK) == 0 ?
		"/sys/kernel/tracing" : "/sys/kernel/debug/tracing";
	char path[300];

	memset(s, 0, sizeof(*s));
	list_path(s, "/sys/fs/bpf", "bpffs (the run's own): /sys/fs/bpf/", 0);
	snprintf(path, sizeof(path), "%s/instances", t);
	list_path(s, path, "tracefs instance: ", 4);
	snprintf(path, sizeof(path), "%s/kprobe_events", t);
	list_lines(s, path, "kprobe_events: ");
	snprintf(path, sizeof(path), "%s/uprobe_events", t);
	list_lines(s, path, "uprobe_events: ");
	list_path(s, "/sys/fs/cgroup", "cgroup: /sys/fs/cgroup/", 1);
}

/* "rbpf_poll_4242", "rawbpf/rbpf_4242_7_..." -> 4242: the first number after
 * "rbpf_"; 0 when there is none. */
static int owner_pid(const char *item)
{
	const char *p = strstr(item, "rbpf_");
	int pid = 0;

	while (p && !pid) {
		p += 5;
		while (*p && (*p < '0' || *p > '9') && *p != '/' && *p != ' ')
			p++;
		if (*p >= '0' && *p <= '9')
			pid = atoi(p);
		else
			p = strstr(p, "rbpf_");
	}
	return pid;
}

/* Ours: all of the run's own bpffs; elsewhere, what carries our names and the
 * pid of a process that has ended. */
static int ours(const char *item)
{
	int pid;

	if (!strncmp(item, "bpffs (the run's own)", 21))
		return 1;
	pid = owner_pid(item);
	return pid > 0 && (pid == getpid() || kill(pid, 0) != 0) &&
	       (strstr(item, "rbpf") || strstr(item, "rawbpf"));
}

static void list_fds(char *out, size_t n)
{
	char link[300], target[256];
	struct dirent *e;
	size_t len = 0;
	ssize_t k;
	DIR *d = opendir("/proc/self/fd");

	out[0] = 0;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
		k = readlink(link, target, sizeof(target) - 1);
		target[k > 0 ? k : 0] = 0;
		len += snprintf(out + len, len < n ? n - len : 0, "%s -> %s\n", e->d_name,
				target);
	}
	if (d)
		closedir(d);
}

int test_private_bpffs;

/* Our own mount namespace, where a mount on /sys/fs/bpf does not propagate back:
 * "/" made a slave, or /sys when "/" is no mount point (in a chroot). */
static int private_bpffs(void)
{
	if (unshare(CLONE_NEWNS) != 0)
		return -1;
	/* (source and type are ignored for a propagation change; "none" rather than
	 * NULL keeps valgrind from reading a string at address 0) */
	if (mount("none", "/", "none", MS_REC | MS_SLAVE, NULL) != 0 &&
	    mount("none", "/sys", "none", MS_REC | MS_SLAVE, NULL) != 0)
		return -1;
	return mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL);
}

void guard_begin(void)
{
	if (geteuid() == 0) {
		if (private_bpffs() == 0)
			test_private_bpffs = 1;
		else
			printf("note: no private bpffs for this run (%s): pins go to the "
			       "machine's /sys/fs/bpf\n", strerror(errno));
	}
	snapshot(&before);
	list_fds(fds_before, sizeof(fds_before));
}

/* Print what the run left; return how many (the run fails if any). */
int guard_end(void)
{
	static char fds_after[4096];
	struct seen after;
	int i, left = 0;

	snapshot(&after);
	for (i = 0; i < after.n; i++) {
		if (has(&before, after.item[i]) || !ours(after.item[i]))
			continue;
		printf("%s    left after the last test: %s\n", left ? "" : "FAIL harness_leaves_nothing\n",
		       after.item[i]);
		left++;
	}
	list_fds(fds_after, sizeof(fds_after));
	if (strcmp(fds_before, fds_after)) {
		printf("%s    the runner's fds changed:\n    before:\n%s    after:\n%s",
		       left ? "" : "FAIL harness_leaves_nothing\n", fds_before, fds_after);
		left++;
	}
	for (i = 0; i < before.n; i++)
		free(before.item[i]);
	for (i = 0; i < after.n; i++)
		free(after.item[i]);
	return left;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

void NEED_TRACE_PIPE(void)
{
	struct rbpf_tracepipe *tp;
	const char *lock;
	unsigned budget;
	double end;
	int fd, r;

	NEED_TRACEFS();
	budget = alarm(0);          /* time spent waiting is not the test's own */
	/* Other copies of the suite first: one at a time, in turn (the fd, and so the
	 * lock, goes with this test's process). */
	/* /dev/shm, not /tmp: a suite run in a chroot (fresh-check) shares the host's
	 * /dev but not its /tmp, and the trace_pipe they queue for is one */
	lock = access("/dev/shm", W_OK) == 0 ? "/dev/shm/rawbpf-trace_pipe.lock" :
					       "/tmp/rawbpf-trace_pipe.lock";
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		SKIP("cannot open %s: %s", lock, strerror(errno));
	for (end = now_s() + 300; flock(fd, LOCK_EX | LOCK_NB) < 0; usleep(100000))
		if (now_s() > end)
			SKIP("trace_pipe: another copy of the suite held it for 300 s");
	/* Then any other reader: wait for it to let go, at most 60 s. */
	for (end = now_s() + 60; (r = rbpf_tracepipe_open(&tp)) == -EBUSY; usleep(100000))
		if (now_s() > end)
			SKIP("%s (waited 60 s)", rbpf_errmsg());
	if (r < 0)
		SKIP("%s", rbpf_errmsg());
	rbpf_tracepipe_close(tp);
	alarm(budget);
}

/* ------------------------------------------------------------ the guard's tests */

/* Leaves a pin and a tracefs instance behind on purpose, when the run is the one
 * guard_catches_leftovers starts (RBPF_TEST_LEAK set); otherwise skipped. */
TEST(guard_leaky_test_for_the_guard)
{
	int fd;

	if (!getenv("RBPF_TEST_LEAK"))
		SKIP("only inside guard_catches_leftovers");
	if (!test_private_bpffs)
		SKIP("no private bpffs: the pin would stay in the machine's");
	NEED_TRACEFS();
	fd = test_map_create(BPF_MAP_TYPE_ARRAY, "rbpf_leak", 4, 4, 1);
	ASSERT(0, rbpf_obj_pin(fd, "/sys/fs/bpf/rbpf_leak"));
	ASSERT(0, mkdir(test_fmt("/sys/kernel/tracing/instances/rbpf_leak_%d", (int)getpid()),
			0700));
	/* and an fd of the runner's own would be a leftover too, but a test runs in
	 * a child: that part is checked by the guard's comparison alone */
}

TEST(guard_catches_leftovers)
{
	char *out, inst[128];
	int st;

	NEED_ROOT();
	NEED_TRACEFS();
	if (!test_private_bpffs)
		SKIP("the run has no bpffs of its own to leave a pin in");
	out = test_run_cmd(&st, "RBPF_TEST_LEAK=1 %s guard_leaky_test_for_the_guard 2>&1",
			   test_path("tests/runner"));
	/* the instance is global: remove it whatever the verdict */
	if (sscanf(strstr(out, "tracefs instance: ") ? strstr(out, "tracefs instance: ") : "",
		   "tracefs instance: %127s", inst) == 1)
		rmdir(test_fmt("/sys/kernel/tracing/instances/%s", inst));
	ASSERT(1, st);
	ASSERT_CONTAINS(out, "FAIL harness_leaves_nothing");
	ASSERT_CONTAINS(out, "left after the last test: bpffs (the run's own): /sys/fs/bpf/rbpf_leak");
	ASSERT_CONTAINS(out, "left after the last test: tracefs instance: rbpf_leak_");
	ASSERT_CONTAINS(out, "1 passed, 1 failed, 0 skipped");
	free(out);
}

/* Leaves a file in /tmp named after its pid, and gives a directory to
 * test_remove_after: run by runner_sweeps_tmp (RBPF_TEST_LEAK set); otherwise skipped. */
TEST(guard_leaky_tmp_test)
{
	char dir[] = "/tmp/rbpf-guard-dir.XXXXXX", in[64], file[64];
	FILE *f;

	if (!getenv("RBPF_TEST_LEAK"))
		SKIP("only inside runner_sweeps_tmp");
	ASSERT_TRUE(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	test_remove_after(dir);
	snprintf(in, sizeof(in), "%s/inside", dir);
	snprintf(file, sizeof(file), "/tmp/rbpf_guard_%d.out", (int)getpid());
	ASSERT_TRUE((f = fopen(in, "w")) != NULL, "%s", in);
	fclose(f);
	ASSERT_TRUE((f = fopen(file, "w")) != NULL, "%s", file);
	fclose(f);
	printf("directory %s\n", dir);   /* for the test below */
}

/* The runner removes both when the test ends, and fails the test for the file. */
TEST(runner_sweeps_tmp)
{
	char *out, file[64] = "", dir[64] = "";
	const char *p;
	int st;

	out = test_run_cmd(&st, "RBPF_TEST_LEAK=1 %s guard_leaky_tmp_test 2>&1",
			   test_path("tests/runner"));
	ASSERT(1, st);
	ASSERT_CONTAINS(out, "FAIL guard_leaky_tmp_test");
	ASSERT_CONTAINS(out, "left behind (now removed): /tmp/rbpf_guard_");
	if ((p = strstr(out, "/tmp/rbpf_guard_")))
		sscanf(p, "%63[^ \n]", file);
	if ((p = strstr(out, "directory ")))
		sscanf(p, "directory %63s", dir);
	ASSERT_TRUE(file[0] && dir[0], "no file or directory named:\n%s", out);
	ASSERT_TRUE(access(file, F_OK) != 0, "%s is still there", file);
	ASSERT_TRUE(access(dir, F_OK) != 0, "%s is still there", dir);
	free(out);
}

const char *test_self(void)
{
	static char self[PATH_MAX];

	if (!realpath(test_path("tests/runner"), self))
		FAIL("realpath %s: %s", test_path("tests/runner"), strerror(errno));
	return self;
}
