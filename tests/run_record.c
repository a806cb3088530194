/*
 * run_record.c -- `rawbpf run OBJ --record 'struct event'`: ring and perf buffer
 * records printed by the fields of a type of the object's BTF.
 *
 * tests/bpf/run_record.bpf.o sends one struct event per exec through each buffer; we
 * run /bin/true and look for its pid in both lines, every field named and printed as
 * its type says (text, enumerator, bitfields, array).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

TEST(run_record_prints_fields)
{
	char out[64], ring[256], perf[256];
	const char *text;
	pid_t run, pid;
	int st;

	NEED_TRACEFS();
	test_timeout(60);
	snprintf(out, sizeof(out), "/tmp/rbpf_record_%d.out", getpid());
	run = test_start_rawbpf(out, (const char *[]){ "run",
				test_path("tests/bpf/run_record.bpf.o"), "--record", "struct event",
				"--timeout", "5", NULL });
	ASSERT_CONTAINS(test_slurp(out), "running:");
	pid = test_run_true();
	ASSERT(run, waitpid(run, &st, 0));
	text = test_slurp(out);
	unlink(out);
	snprintf(ring, sizeof(ring), "rec_ring: {.pid = %d, .tag = \"rawbpf-ring\", .src = "
		 "FROM_RING, .flags = 0x5, .level = 0xa, .when = [1, 2]}\n", pid);
	snprintf(perf, sizeof(perf), "): {.pid = %d, .tag = \"rawbpf-perf\", .src = "
		 "FROM_PERF, .flags = 0x5, .level = 0xa, .when = [1, 2]}\n", pid);
	ASSERT_CONTAINS(text, ring);
	ASSERT_CONTAINS(text, perf);
	ASSERT_CONTAINS(text, "rec_perf (cpu ");
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0, "rawbpf run: status %d:\n%s", st, text);
}

/* A type the object does not have is a usage error, said before anything loads. */
TEST(run_record_unknown_type)
{
	int st;
	char *out = test_run_cmd(&st, "%s run %s --record 'struct nope' --timeout 1",
				 test_path("rawbpf"), test_path("tests/bpf/run_record.bpf.o"));

	ASSERT(2, st);
	ASSERT_CONTAINS(out, "--record 'struct nope': no such type in the BTF of");
	ASSERT_CONTAINS(out, "a __noinline function that fills it");
	free(out);
	out = test_run_cmd(&st, "%s run %s --record", test_path("rawbpf"),
			   test_path("tests/bpf/run_record.bpf.o"));
	ASSERT(2, st);
	ASSERT_CONTAINS(out, "[--record TYPE]");
	free(out);
}
