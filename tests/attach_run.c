/*
 * attach_run.c -- `rawbpf run` on an object it has never seen (tests/bpf/attach_run):
 * start it, run /bin/true, and find that pid in the ring buffer and perf buffer
 * records it prints; the programs it cannot attach are listed with the reason; after
 * it exits no link of its programs is left in the kernel.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

/* Is any link in the kernel running a program named name? */
static int link_of_prog_exists(const char *name)
{
	uint32_t id = 0;
	int found = 0;

	while (!found && rbpf_link_get_next_id(id, &id) == 0) {
		struct bpf_link_info li = {0};
		struct bpf_prog_info pi = {0};
		uint32_t len = sizeof(li);
		int fd = rbpf_link_get_fd_by_id(id), pfd;

		if (fd < 0 || rbpf_obj_get_info_by_fd(fd, &li, &len) < 0) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		close(fd);
		pfd = rbpf_prog_get_fd_by_id(li.prog_id);
		len = sizeof(pi);
		if (pfd >= 0 && rbpf_obj_get_info_by_fd(pfd, &pi, &len) == 0)
			found = strcmp(pi.name, name) == 0;
		if (pfd >= 0)
			close(pfd);
	}
	return found;
}

TEST(attach_run_shows_events_of_unseen_object)
{
	char out[64], want[128];
	const char *text;
	pid_t run, pid;
	int st;

	NEED_TRACEFS();
	test_timeout(60);
	snprintf(out, sizeof(out), "/tmp/rbpf_run_%d.out", getpid());
	run = test_start_rawbpf(out, (const char *[]){ "run",
				test_path("tests/bpf/attach_run.bpf.o"), "--timeout", "5", NULL });
	ASSERT_CONTAINS(test_slurp(out), "running:");
	pid = test_run_true();
	ASSERT(run, waitpid(run, &st, 0));
	text = test_slurp(out);
	unlink(out);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d:\n%s", st,
		    test_excerpt(text));
	ASSERT_CONTAINS(text, "exec_ring        tracepoint/sched/sched_process_exec attached");
	ASSERT_CONTAINS(text, "xdp: give --ifname IF");
	if (access("/sys/bus/event_source/devices/kprobe", F_OK) != 0)
		ASSERT_CONTAINS(text, "kprobe do_nanosleep: this kernel has no kprobes");
	/* the pid, little-endian, then the tag: one 16-byte hex line each */
	snprintf(want, sizeof(want), "%02x %02x %02x %02x 72 61 77 62 70 66 2d 72 69 6e 67",
		 pid & 0xff, (pid >> 8) & 0xff, (pid >> 16) & 0xff, (pid >> 24) & 0xff);
	ASSERT_CONTAINS(text, want);
	snprintf(want, sizeof(want), "%02x %02x %02x %02x 72 61 77 62 70 66 2d 70 65 72 66",
		 pid & 0xff, (pid >> 8) & 0xff, (pid >> 16) & 0xff, (pid >> 24) & 0xff);
	ASSERT_CONTAINS(text, want);
	if (strstr(text, "trace_pipe: watching")) {       /* not when another reader has it */
		snprintf(want, sizeof(want), "rawbpf-print %d", pid);
		ASSERT_CONTAINS(text, want);
	}
	ASSERT_CONTAINS(text, "detached");
	ASSERT_TRUE(!link_of_prog_exists("exec_ring") && !link_of_prog_exists("exec_perf"),
		    "a link of rawbpf run's programs is still there");
}

TEST(attach_run_usage)
{
	char *o;
	int st;

	o = test_run_cmd(&st, "%s run", test_path("rawbpf"));
	ASSERT(2, st);
	ASSERT_CONTAINS(o, "usage: rawbpf run OBJ");
	free(o);
	o = test_run_cmd(&st, "%s run /nonexistent.bpf.o --timeout 1", test_path("rawbpf"));
	ASSERT(1, st);
	ASSERT_CONTAINS(o, "/nonexistent.bpf.o");
	free(o);
}

/* --count N: exactly N events printed, then it stops by itself (long before its
 * 30 s timeout) and detaches. */
TEST(attach_run_stops_after_count)
{
	char out[64];
	const char *text;
	pid_t run;
	int st, i;

	NEED_TRACEFS();
	test_timeout(60);
	snprintf(out, sizeof(out), "/tmp/rbpf_runc_%d.out", getpid());
	run = test_start_rawbpf(out, (const char *[]){ "run",
				test_path("tests/bpf/attach_run.bpf.o"), "--count", "3",
				"--timeout", "30", NULL });
	for (i = 0; i < 50 && waitpid(run, &st, WNOHANG) == 0; i++) {
		test_run_true();
		usleep(100000);
	}
	if (i == 50) {
		kill(run, SIGKILL);
		waitpid(run, &st, 0);
	}
	text = test_slurp(out);
	unlink(out);
	ASSERT_TRUE(i < 50, "still running after 50 execs:\n%s", test_excerpt(text));
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
	ASSERT_CONTAINS(text, "\n3 events\ndetached");
}
