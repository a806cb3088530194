/*
 * exercises.c -- every exercise checker is checked itself, both ways:
 *   - on the project as it is (the learner's starting point) it must say "not yet:"
 *     and exit 1, with a hint;
 *   - on a copy of the project with the reference solution applied (patch -p1)
 *     (tutorial/solutions/L-N.diff, a diff against the real files, so a solution that
 *     no longer applies fails here) it must say "done." and exit 0.
 * One EXERCISE(L, N) line per exercise at the bottom.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"

static void check_exercise(int lesson, int n)
{
	char dir[] = "/tmp/rawbpf-sol.XXXXXX", root[4096], *out;
	int st;

	NEED_TRACE_PIPE();
	NEED_CMD("patch");        /* busybox's in the lab VM, where there is no git */
	out = test_run_cmd(&st, "B=%s tutorial/exercises/%d-%d.sh", test_build, lesson, n);
	ASSERT_TRUE(st == 1, "on the unmodified project the checker exited %d:\n%s", st, out);
	ASSERT_CONTAINS(out, "not yet:");
	free(out);

	ASSERT_TRUE(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	ASSERT_TRUE(getcwd(root, sizeof(root)) != NULL, "getcwd: %s", strerror(errno));
	out = test_run_cmd(&st, "cp -r asm progs include %s/ 2>/dev/null; cd %s && "
			   "patch -p1 < %s/tutorial/solutions/%d-%d.diff", dir, dir, root,
			   lesson, n);
	ASSERT_TRUE(st == 0, "the solution %d-%d.diff does not apply any more:\n%s", lesson, n,
		    out);
	free(out);
	out = test_run_cmd(&st, "B=%s tutorial/exercises/%d-%d.sh %s", test_build, lesson, n, dir);
	ASSERT_TRUE(st == 0, "on the reference solution the checker exited %d:\n%s", st, out);
	ASSERT_CONTAINS(out, "done.");
	free(out);
	free(test_run_cmd(&st, "rm -rf %s", dir));
}

#define EXERCISE(L, N) TEST(exercise_##L##_##N) { check_exercise(L, N); }

EXERCISE(1, 1)
EXERCISE(1, 2)
EXERCISE(2, 1)
EXERCISE(3, 1)
EXERCISE(4, 1)
EXERCISE(5, 1)
EXERCISE(6, 1)
EXERCISE(7, 1)
EXERCISE(7, 2)
EXERCISE(7, 3)
EXERCISE(8, 1)
EXERCISE(8, 2)
EXERCISE(9, 1)
EXERCISE(9, 2)
EXERCISE(5, 2)
EXERCISE(6, 2)
EXERCISE(10, 1)
EXERCISE(10, 2)
