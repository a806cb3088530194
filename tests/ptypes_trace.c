/*
 * ptypes_trace.c -- the tracing-side program types of issue 16, in the real kernel
 * (tests/bpf/ptypes_trace.bpf.c): each loads with libbpf's translated code, and is
 * seen to run -- an iterator's text, a BTF tracepoint's counter, a syscall
 * program's return value, a profiler's samples of this very process with stacks.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "xlated.h"

#define OBJ "tests/bpf/ptypes_trace.bpf.o"

TEST(ptypes_trace_same_xlated_as_libbpf)
{
	struct rbpf_object *o = test_open_load(OBJ);

	ASSERT(6, test_same_xlated_as_libbpf(test_path(OBJ), o, ""));
	rbpf_object_close(o);
}

/* Threads now, from /proc/PID/task. */
static int count_threads(void)
{
	DIR *d = opendir("/proc"), *t;
	struct dirent *e, *f;
	char path[300];
	int n = 0;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", e->d_name);
		if (!(t = opendir(path)))
			continue;
		while ((f = readdir(t)))
			n += f->d_name[0] != '.';
		closedir(t);
	}
	if (d)
		closedir(d);
	return n;
}

TEST(ptypes_iter_task_text)
{
	struct rbpf_object *o = test_open_load(OBJ);
	struct rbpf_link *l;
	unsigned long long total = 0;
	char want[64];
	const char *end;
	char *text;
	size_t len;
	int lines = 0, threads = count_threads();
	const char *p;

	ASSERT_OK(rbpf_attach_iter(test_prog_fd(o, "dump_task"), 0, &l));
	ASSERT_OK(rbpf_iter_read(l, &text, &len));
	for (p = text; (p = strstr(p, "task ")); p++)
		lines++;
	end = strstr(text, "tasks: ");
	if (!end || sscanf(end, "tasks: %llu", &total) != 1)
		FAIL("no summary line:\n%s", test_excerpt(text));
	/* one line per task, numbered from 0 by the walk (meta->seq_num), then the
	 * summary, written on the last call (task NULL) */
	snprintf(want, sizeof(want), "task %d\ntasks: ", lines - 1);
	ASSERT_CONTAINS(text, want);
	ASSERT_TRUE(total + 1 >= (unsigned long long)lines, "summary %llu, %d lines", total, lines);
	ASSERT_TRUE(lines > threads / 2 && lines < threads * 2 + 20, "%d task lines, %d "
		    "threads in /proc", lines, threads);
	ASSERT(len, strlen(text));
	free(text);
	ASSERT_OK(rbpf_iter_read(l, &text, &len));   /* each read is a new walk */
	ASSERT_CONTAINS(text, "task 0\n");
	free(text);
	ASSERT(0, rbpf_link_destroy(l));
	rbpf_object_close(o);
}

TEST(ptypes_iter_bpf_map_sees_ours)
{
	struct rbpf_object *o = test_open_load(OBJ);
	struct rbpf_link *l;
	char *text, want[32];
	size_t len;

	ASSERT_OK(rbpf_attach_iter(test_prog_fd(o, "dump_maps"), 0, &l));
	ASSERT_OK(rbpf_iter_read(l, &text, &len));
	snprintf(want, sizeof(want), "map %d\n", 3);          /* at least our 4 maps */
	ASSERT_CONTAINS(text, want);
	free(text);
	rbpf_link_destroy(l);
	rbpf_object_close(o);
}

/* iter/bpf_map_elem, linked with its object's map elems: the four elements. */
TEST(ptypes_iter_map_elements)
{
	struct rbpf_object *o;
	struct rbpf_link *l;
	uint32_t k;
	uint64_t v;
	size_t len;
	char *text;
	int fd, r;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path("tests/bpf/ptypes_iter_elem.bpf.o"), &o));
	if ((r = rbpf_object_load(o, 0)) == -EPERM) {
		rbpf_object_close(o);
		SKIP("this kernel refuses map element iterators with EPERM (libbpf's load "
		     "too); the lab VM runs them");
	}
	ASSERT_OK(r);
	fd = rbpf_map_fd(rbpf_object_find_map(o, "elems"));
	for (k = 0; k < 4; k++) {
		v = 100 + k;
		ASSERT(0, rbpf_map_update_elem(fd, &k, &v, 0));
	}
	ASSERT_TRUE(rbpf_attach_iter(test_prog_fd(o, "dump_elems"), 0, &l) < 0,   /* no map */
		    "a map element iterator linked without its map");
	ASSERT_OK(rbpf_attach_iter(test_prog_fd(o, "dump_elems"), fd, &l));
	ASSERT_OK(rbpf_iter_read(l, &text, &len));
	ASSERT_STREQ("0 => 100\n1 => 101\n2 => 102\n3 => 103\n", text);
	free(text);
	rbpf_link_destroy(l);
	rbpf_object_close(o);
}

TEST(ptypes_tp_btf_counts)
{
	struct rbpf_object *o = test_open_load(OBJ);
	struct rbpf_link *l;
	uint32_t zero = 0;
	uint64_t n = 0;
	int i;

	ASSERT_OK(rbpf_attach_fentry(test_prog_fd(o, "count_switch"), &l));
	for (i = 0; i < 5; i++)
		usleep(2000);                  /* each sleep is a switch */
	ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(o, ".bss")), &zero,
				       &n, 0));
	ASSERT_TRUE(n >= 5, "%llu sched_switch seen", (unsigned long long)n);
	rbpf_link_destroy(l);
	rbpf_object_close(o);
}

TEST(ptypes_syscall_test_run)
{
	struct rbpf_object *o = test_open_load(OBJ);
	uint32_t args[2] = { 40, 2 };
	struct rbpf_test_run_args t = { .ctx_in = args, .ctx_size_in = sizeof(args) };

	ASSERT(0, rbpf_prog_test_run(test_prog_fd(o, "add_in_syscall"), &t));
	ASSERT(42, t.retval);
	rbpf_object_close(o);
}

/* The profiler on every CPU: this process burns CPU, its samples come with stacks. */
TEST(ptypes_profile_every_cpu)
{
	struct rbpf_object *o = test_open_load(OBJ);
	struct rbpf_link *l[64];
	struct { uint32_t pid; int32_t kstack, ustack; } k, next;
	uint64_t ips[127], total = 0, v;
	int ncpu = rbpf_num_possible_cpus(), i, n = 0, stacks = 0, first = 1;
	volatile unsigned long spin = 0;
	struct timespec t0, t;

	for (i = 0; i < ncpu && n < 64; i++)
		if (rbpf_attach_perf_sample(test_prog_fd(o, "profile"), 999, -1, i, &l[n]) == 0)
			n++;
	ASSERT_TRUE(n > 0, "no CPU took the sampling event: %s", rbpf_errmsg());
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (i = 0; i < 100000; i++)
			spin += i;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < 400);
	for (i = 0; i < n; i++)
		rbpf_link_destroy(l[i]);
	while (rbpf_map_get_next_key(rbpf_map_fd(rbpf_object_find_map(o, "samples")),
				     first ? NULL : &k, &next) == 0) {
		first = 0;
		k = next;
		if (k.pid != (uint32_t)getpid())
			continue;
		rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(o, "samples")), &k, &v, 0);
		total += v;
		if (k.ustack >= 0 && rbpf_map_lookup_elem(rbpf_map_fd(
			rbpf_object_find_map(o, "stacks")), &k.ustack, ips, 0) == 0 && ips[0])
			stacks++;
	}
	ASSERT_TRUE(total >= 20, "%llu samples of this process in 400 ms at 999 Hz",
		    (unsigned long long)total);
	ASSERT_TRUE(stacks > 0, "no user stack recorded");
	rbpf_object_close(o);
	(void)spin;
}
