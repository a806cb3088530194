/*
 * ptypes_run.c -- `rawbpf run` on the program kinds of issue 16: it attaches each
 * by its section and shows what it does -- an iterator's text, the return value of
 * a syscall program, a cgroup program's counters (--cgroup, a cgroup of the test's
 * own with a child in it), a profiler's samples -- and names what it cannot attach.
 */
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static const char *run_and_wait(pid_t run, const char *out)
{
	const char *text;
	int st;

	ASSERT(run, waitpid(run, &st, 0));
	text = test_slurp(out);
	unlink(out);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d:\n%s", st,
		    test_excerpt(text));
	return text;
}

TEST(ptypes_run_tracing_kinds)
{
	char out[64];
	const char *text;
	pid_t run;

	NEED_ROOT();
	test_timeout(60);
	snprintf(out, sizeof(out), "/tmp/rbpf_runpt_%d.out", getpid());
	run = test_start_rawbpf(out, (const char *[]){ "run",
				test_path("tests/bpf/ptypes_trace.bpf.o"), "--timeout", "2", NULL });
	text = run_and_wait(run, out);
	ASSERT_CONTAINS(text, "dump_task        iter/task                        attached");
	ASSERT_CONTAINS(text, "iter dump_task: ");
	ASSERT_CONTAINS(text, "\ntask 0\n");
	ASSERT_CONTAINS(text, "\ntasks: ");
	ASSERT_CONTAINS(text, "iter dump_maps: ");
	ASSERT_CONTAINS(text, "count_switch     tp_btf/sched_switch              attached");
	ASSERT_CONTAINS(text, "raw_tp/ with no name");
	ASSERT_CONTAINS(text, "ran once with BPF_PROG_TEST_RUN, returned 0");
	ASSERT_CONTAINS(text, "profile          perf_event                       attached");
	ASSERT_CONTAINS(text, "map  samples:");
	ASSERT_CONTAINS(text, "detached");
}

/* cgroup programs through --cgroup, in a network namespace of the test's own (so the
 * sk_lookup and flow_dissector programs of the object attach there, not to the host). */
TEST(ptypes_run_cgroup_counters)
{
	char root[4096], cg[4200], path[4300], out[64], pid[32];
	const char *text;
	pid_t run, child;
	int st, fd, i;

	NEED_ROOT();
	test_timeout(60);
	ASSERT(0, rbpf_cgroup2_mount(root, sizeof(root)));
	ASSERT_TRUE(unshare(CLONE_NEWNET) == 0, "unshare: %s", strerror(errno));
	snprintf(cg, sizeof(cg), "%s/rbpf_cgrun_%d", root, getpid());
	ASSERT_TRUE(mkdir(cg, 0755) == 0, "mkdir %s: %s", cg, strerror(errno));
	snprintf(out, sizeof(out), "/tmp/rbpf_runcg_%d.out", getpid());
	run = test_start_rawbpf(out, (const char *[]){ "run",
				test_path("tests/bpf/ptypes_net.bpf.o"), "--cgroup", cg,
				"--timeout", "2", NULL });
	if ((child = fork()) == 0) {
		usleep(200000);                        /* moved in meanwhile */
		for (i = 0; i < 3; i++)
			close(socket(AF_INET, SOCK_DGRAM, 0));
		_exit(0);
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", child);
	fd = open(path, O_WRONLY);
	ASSERT_TRUE(fd >= 0 && write(fd, pid, strlen(pid)) > 0, "cgroup.procs: %s",
		    strerror(errno));
	close(fd);
	ASSERT(child, waitpid(child, &st, 0));
	text = run_and_wait(run, out);
	for (i = 0; i < 50 && rmdir(cg) < 0 && errno == EBUSY; i++)
		usleep(20000);
	ASSERT_TRUE(access(cg, F_OK) != 0, "%s is still there", cg);
	ASSERT_CONTAINS(text, "cg_sock_create   cgroup/sock_create               attached");
	ASSERT_CONTAINS(text, "lookup           sk_lookup                        attached");
	ASSERT_CONTAINS(text, "msg              sk_msg                           attached");
	ASSERT_CONTAINS(text, "reuse            sk_reuseport                     not attached");
	ASSERT_CONTAINS(text, "map  counts:\n");
	ASSERT_CONTAINS(text, "\n  2 => 3\n");           /* slot SOCK_CREATE: 3 sockets */
}
