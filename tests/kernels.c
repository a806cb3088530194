/*
 * kernels.c -- the kernel matrix: what each kernel the course runs on has, and that
 * the doctor, the loader's fallbacks and the README's table all say the same.
 *
 * The course is run on four kernels: Debian 11's 5.10, Debian 12's 6.1 and Debian
 * 13's 6.12 in the lab VM (make vm-check KERNEL=...), and this machine's 6.18.  For
 * each we know, from the upstream history, which of features.c's features it has;
 * the probes must find exactly those, and `rawbpf doctor` must print them.  The
 * README's kernel table is then checked cell by cell against what the probes found
 * on the kernel the suite is running on: a run on each kernel checks its column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rawbpf.h"
#include "test.h"
#include "common.h"

/* "5.10", "6.1", "6.12", "6.18" for the kernels of the matrix, else NULL. */
static const char *series(void)
{
	static const char *known[] = { "5.10", "6.1", "6.12", "6.18" };
	const char *r = test_kernel_release();
	size_t i, n;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		n = strlen(known[i]);
		if (!strncmp(r, known[i], n) && r[n] == '.')
			return known[i];
	}
	return NULL;
}

static int at_least(const char *have, const char *since)
{
	int a = 0, b = 0, c = 0, d = 0;

	sscanf(have, "%d.%d", &a, &b);
	sscanf(since, "%d.%d", &c, &d);
	return a > c || (a == c && b >= d);
}

/* Every probe answers as the upstream version history says for this series. */
TEST(kernels_features_match_the_version)
{
	const char *s = series();
	int f;

	NEED_ROOT();
	if (!s)
		SKIP("%s is not one of the matrix's kernels (5.10, 6.1, 6.12, 6.18)",
		     test_kernel_release());
	for (f = 0; f < RBPF_FEAT_COUNT; f++) {
		const struct rbpf_feature_info *i = rbpf_feature_info((enum rbpf_feature)f);

		ASSERT_TRUE(test_has((enum rbpf_feature)f) == at_least(s, i->since),
			    "%s (since %s) on %s: the probe says %d", i->name, i->since,
			    test_kernel_release(), rbpf_feature((enum rbpf_feature)f));
	}
}

/* The doctor says [ok] or [--] for each feature as the probes found, and in the lab
 * VM it finds kprobes. */
TEST(kernels_doctor_explains_this_kernel)
{
	char *out, want[64];
	int st, f;

	NEED_ROOT();
	out = test_run_cmd(&st, "%s doctor", test_path("rawbpf"));
	ASSERT(0, st);
	printf("%s", out);            /* the doctor's view of this kernel is in the log */
	ASSERT_CONTAINS(out, "[ok] kernel         Linux ");
	for (f = 0; f < RBPF_FEAT_COUNT; f++) {
		const struct rbpf_feature_info *i = rbpf_feature_info((enum rbpf_feature)f);

		if (f == RBPF_FEAT_RINGBUF)
			continue;
		snprintf(want, sizeof(want), "\n[%s] %-14s ",
			 test_has((enum rbpf_feature)f) ? "ok" : "--", i->name);
		ASSERT_CONTAINS(out, want);
	}
	if (getenv("RAWBPF_VM"))
		ASSERT_CONTAINS(out, "[ok] kprobes        kprobe PMU");
	free(out);
}

/* Before 5.11 a map over RLIMIT_MEMLOCK is refused with EPERM; the loader raises the
 * limit and asks again.  In a child, with the soft limit at 0, a map must still be
 * created, and the library says whether it had to raise it. */
TEST(kernels_memlock_fallback)
{
	int st;
	pid_t pid;

	NEED_ROOT();
	pid = fork();
	ASSERT_TRUE(pid >= 0, "fork");
	if (pid == 0) {
		struct rlimit r;
		int fd, memcg = rbpf_feature(RBPF_FEAT_MEMCG), before = rbpf_memlock_was_raised();

		getrlimit(RLIMIT_MEMLOCK, &r);
		r.rlim_cur = 0;
		setrlimit(RLIMIT_MEMLOCK, &r);
		fd = test_map_create(BPF_MAP_TYPE_HASH, "t_memlock", 4, 64, 4096);
		_exit(fd >= 0 && (rbpf_memlock_was_raised() > before) == !memcg ? 0 : 1);
	}
	ASSERT(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    "with RLIMIT_MEMLOCK at 0 the map was not created, or the limit was "
		    "raised when it should not have been (memcg %d)", test_has(RBPF_FEAT_MEMCG));
}

/* ---------------------------------------------------------- the README's table */

static int have_kprobes(void)
{
	return access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0;
}

/* Does this kernel's task_struct still call it `state` (renamed `__state` in 5.14)?
 * Lesson 9's own relocation says: the old flavour's "field exists" row. */
static int task_state_not_renamed(void)
{
	struct rbpf_object *obj;
	struct rbpf_core_row r;
	struct rbpf_prog *p;
	uint32_t i;
	int old = 0;

	if (rbpf_object_open(test_path("progs/task_core.bpf.o"), &obj))
		return 0;
	p = rbpf_object_next_prog(obj, NULL);
	for (i = 0; p && i < rbpf_prog_core_count(p); i++)
		if (!rbpf_prog_core_row(p, i, NULL, &r) && !strcmp(r.kind_name, "field exists") &&
		    !strcmp(r.what, "task_struct___pre514->state"))
			old = r.val == 1;
	rbpf_object_close(obj);
	return old;
}

/* What lesson n does on this kernel, as the README's table says it. */
static const char *expected_cell(int n)
{
	static char cell[256];
	const char *attach = have_kprobes() ? "kprobe" : "tracepoint (no kprobes)";
	const char *how = test_has(RBPF_FEAT_PERF_LINK) ? "" : ", by ioctl (perf links 5.15)";
	const char *user = test_has(RBPF_FEAT_MEMCG) ? "" :
			   "; as nobody: `ulimit -l` first (memcg 5.11)";

	switch (n) {
	case 1: case 2:
		snprintf(cell, sizeof(cell), "runs: %s%s", attach, how);
		break;
	case 3:
		snprintf(cell, sizeof(cell), "runs: %s%s%s", attach, how, user);
		break;
	case 4:
		snprintf(cell, sizeof(cell), "runs: %s%s%s%s", attach, how, user,
			 test_has(RBPF_FEAT_RINGBUF) ? "" : "; no ring buffer (5.8)");
		break;
	case 7:
		snprintf(cell, sizeof(cell), "runs%s", test_has(RBPF_FEAT_LOG_TRUE_SIZE) ? "" :
			 ": log grown by doubling (log_true_size 6.4)");
		break;
	case 8:
		snprintf(cell, sizeof(cell), "runs");
		break;
	case 9:
		snprintf(cell, sizeof(cell), "runs%s", task_state_not_renamed() ?
			 ": reads `state` (`__state` since 5.14)" : "");
		break;
	case 10:
		snprintf(cell, sizeof(cell), "runs%s", *how ? ": uprobes by ioctl (perf links 5.15)" : "");
		break;
	case 11:
		snprintf(cell, sizeof(cell), "runs%s", test_has(RBPF_FEAT_TCX) ? "" :
			 ": XDP; no tc egress count (tcx links 6.6)");
		break;
	case 12:
		snprintf(cell, sizeof(cell), "runs%s", *how ? ": tracepoint by ioctl (perf links 5.15)" : "");
		break;
	default:
		snprintf(cell, sizeof(cell), "runs");
	}
	return cell;
}

/* The cells of a Markdown table row "| a | b | c |", trimmed, in cells[]. */
static int split_row(char *row, char **cells, int max)
{
	int n = 0;
	char *p = row, *bar;

	if (*p != '|')
		return 0;
	p++;
	while (n < max && (bar = strchr(p, '|'))) {
		*bar = 0;
		while (*p == ' ')
			p++;
		for (char *e = bar - 1; e >= p && *e == ' '; e--)
			*e = 0;
		cells[n++] = p;
		p = bar + 1;
	}
	return n;
}

TEST(kernels_readme_table_matches_this_kernel)
{
	char *readme = strdup(test_slurp("README.md")), *start, *line, *cells[8];
	const char *s = series();
	int col = -1, n, rows = 0, lesson;

	NEED_ROOT();
	if (!s)
		SKIP("%s is not one of the README table's kernels", test_kernel_release());
	start = strstr(readme, "<!-- kernel table -->");
	ASSERT_TRUE(start != NULL, "README.md has no <!-- kernel table --> marker");
	for (line = strtok(start, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "<!-- end kernel table -->", 25))
			break;
		n = split_row(line, cells, 8);
		if (n < 2)
			continue;
		if (col < 0) {                          /* the header: find our column */
			for (int i = 1; i < n; i++)
				if (!strncmp(cells[i], s, strlen(s)) && cells[i][strlen(s)] == ' ')
					col = i;
			ASSERT_TRUE(col > 0, "no column for %s in the README's kernel table", s);
			continue;
		}
		if (sscanf(cells[0], "%d", &lesson) != 1)
			continue;                       /* the |---| line */
		ASSERT_TRUE(col < n, "row %d has no cell for %s", lesson, s);
		ASSERT_TRUE(!strcmp(cells[col], expected_cell(lesson)),
			    "README, lesson %d on %s: \"%s\"; on this kernel (%s) it is \"%s\"",
			    lesson, s, cells[col], test_kernel_release(), expected_cell(lesson));
		rows++;
	}
	ASSERT(13, rows);
	free(readme);
}

/* Lesson 9 (CO-RE, on branch core): one object, built once, loads on every kernel of
 * the matrix.  The hook for it: when build/progs/ has the lesson's object, it must
 * load here; until then this SKIPs. */
TEST(kernels_lesson9_core_object_loads)
{
	static const char *names[] = { "progs/task_core.bpf.o" };     /* branch core's */
	struct rbpf_object *obj;
	const char *path = NULL;
	size_t i;

	NEED_ROOT();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (access(test_path(names[i]), R_OK) == 0)
			path = test_path(names[i]);
	if (!path)
		SKIP("lesson 9 not built yet (progs/task_core.bpf.o is on branch core)");
	ASSERT_OK(rbpf_object_open(path, &obj));
	ASSERT_OK(rbpf_object_load(obj, 0));
	rbpf_object_close(obj);
}
