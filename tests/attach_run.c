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

TEST(attach_run_shows_events_of_unseen_object)
{
	char out[64], want[128];
	struct test_held h;
	const char *text;
	pid_t run, pid;
	int st;

	NEED_TRACE_PIPE();
	test_timeout(60);
	snprintf(out, sizeof(out), "/tmp/rbpf_run_%d.out", getpid());
	run = test_start_rawbpf(out, (const char *[]){ "run",
				test_path("tests/bpf/attach_run.bpf.o"), "--timeout", "5", NULL });
	ASSERT_CONTAINS(test_slurp(out), "running:");
	test_held_by(run, &h);                  /* its links and programs, by id */
	ASSERT_TRUE(h.links.n >= 2, "rawbpf run holds %d links, not its two", h.links.n);
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
	test_all_gone(&h, "rawbpf run", "its timeout");
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

	NEED_TRACE_PIPE();
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
