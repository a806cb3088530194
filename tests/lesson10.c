/*
 * lesson10.c -- lesson 10's pair (progs/uprobe.c + progs/uprobe.bpf.c, on the course
 * program progs/uprobed) end to end, as a learner runs it: the offsets it prints
 * are rawbpf sym's, the counts are those of the uprobed it started, and nothing of
 * it is left in the kernel.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

TEST(lesson10_uprobe_counts_entries_and_returns)
{
	char *out, *sym, want[160], off[40] = "";
	int st;

	NEED_ROOT();
	out = test_run_cmd(&st, "%s --calls 7 2>&1", test_path("progs/uprobe"));
	ASSERT_TRUE(st == 0, "uprobe exited %d:\n%s", st, out);
	ASSERT_CONTAINS(out, "add_to_total entered 7 times, returned 7 times, last returned 28");
	ASSERT_CONTAINS(out, "detached");
	sym = test_run_cmd(&st, "%s sym %s add_to_total", test_path("rawbpf"),
			   test_path("progs/uprobed"));
	ASSERT(0, st);
	/* the same file offset both ways: "... = 0x1690 (what the uprobe PMU is given)" */
	if (!strstr(sym, "= 0x") || sscanf(strstr(sym, "= 0x") + 2, "%39s", off) != 1)
		FAIL("no offset in:\n%s", sym);
	snprintf(want, sizeof(want), "add_to_total in %s: ", test_path("progs/uprobed"));
	ASSERT_CONTAINS(out, want);
	snprintf(want, sizeof(want), "-> file offset %s\n", off);
	ASSERT_CONTAINS(out, want);
	free(sym);
	free(out);
}

TEST(lesson10_uprobe_counts_libc_calls_per_process)
{
	char *out, path[4096];
	int st;

	NEED_ROOT();
	if (rbpf_resolve_binary("libc.so.6", path, sizeof(path)) < 0)
		SKIP("no libc.so.6 here");
	out = test_run_cmd(&st, "%s --libc free 2>&1", test_path("progs/uprobe"));
	ASSERT_TRUE(st == 0, "uprobe exited %d:\n%s", st, out);
	if (strstr(out, "no libc probe")) {       /* it decides: a static /bin/ls */
		free(out);
		SKIP("/bin/ls is a static program here (the lab VM's busybox)");
	}
	ASSERT_CONTAINS(out, "free in ");
	ASSERT_CONTAINS(out, "(.dynsym)");
	ASSERT_CONTAINS(out, "): free called ");
	ASSERT_TRUE(!strstr(out, "free called 0 times"), "ls called free 0 times?\n%s", out);
	free(out);
}
