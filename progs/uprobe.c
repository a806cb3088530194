/*
 * uprobe.c -- lesson 10, the user side: probes on a function of a program of the
 * course (build/progs/uprobed: add_to_total, on entry and on return) and on a
 * function of the C library (malloc), counted per process.
 *
 * Concept:     a uprobe is a breakpoint in a FILE, at a byte offset: the kernel puts
 *              it in the file's pages, so every process running that file stops
 *              there.  The offset comes from the ELF file: the symbol's address
 *              minus its segment's address plus the segment's file offset
 *              (rbpf_elf_func_place; `rawbpf sym FILE FUNC` prints the sum).
 * Prog type:   BPF_PROG_TYPE_KPROBE, attached through the uprobe PMU (perf_event_open
 *              with the path and the offset), or tracefs uprobe_events without it.
 * Kernel:      4.17+ for the PMU; uprobe_events before.
 * Prints:      where each probe goes, then one line per process that called them:
 *                uprobed (pid 4242): add_to_total entered 5 times, returned 5 times,
 *                last returned 15
 *                ls (pid 4243): malloc called 61 times
 * Privilege:   root (uprobes are perf events on files: CAP_PERFMON, and the file
 *              must be readable).
 *
 * Usage: uprobe [--calls N] [--libc FUNC]
 *   runs build/progs/uprobed N (default 5) and `ls /` once the probes are in place.
 */
#include "lesson.h"

static long calls = 5;
static const char *libc_func = "malloc";

/* Where the probe on func in path goes, printed as lesson 10 explains it. */
static int show_place(const char *path, const char *func)
{
	struct rbpf_func_place pl;

	if (rbpf_elf_func_place(path, func, &pl) < 0)
		return -1;
	printf("%s in %s: address 0x%llx (%s), segment 0x%llx at file offset 0x%llx "
	       "-> file offset 0x%llx\n", func, path, (unsigned long long)pl.addr, pl.table,
	       (unsigned long long)pl.seg_vaddr, (unsigned long long)pl.seg_offset,
	       (unsigned long long)pl.offset);
	return 0;
}

/* Is path a dynamic program, one that names the dynamic loader (its PT_INTERP,
 * "/lib64/ld-linux-x86-64.so.2")?  A static one carries its own C library. */
static int is_dynamic(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, sizeof(buf), f) : 0;

	if (f)
		fclose(f);
	return memmem(buf, n, "ld-linux", 8) != NULL;
}

/* Start argv[0] with its output to /dev/null when quiet; wait; its pid, or -1. */
static pid_t run(char *const argv[], int quiet)
{
	pid_t pid;

	fflush(stdout);                 /* or the child would print our buffer again */
	pid = fork();
	if (pid == 0) {
		if (quiet && !freopen("/dev/null", "w", stdout))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return pid;
}

static void print_target(struct rbpf_object *obj, pid_t pid)
{
	struct { uint64_t entries, returns, last; } c = { 0, 0, 0 };
	uint32_t key = pid;

	rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(obj, "per_process")), &key, &c, 0);
	printf("uprobed (pid %d): add_to_total entered %llu times, returned %llu times, "
	       "last returned %llu\n", pid, (unsigned long long)c.entries,
	       (unsigned long long)c.returns, (unsigned long long)c.last);
}

static void print_libc(struct rbpf_object *obj, pid_t pid)
{
	uint32_t key = pid;
	uint64_t n = 0;

	rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(obj, "libc_calls")), &key, &n, 0);
	printf("ls (pid %d): %s called %llu times\n", pid, libc_func, (unsigned long long)n);
}

static int attach(struct rbpf_object *obj, const char *prog, const char *path,
		  const char *func, int ret, struct rbpf_link **l)
{
	int fd = rbpf_prog_fd(rbpf_object_find_prog(obj, prog));

	if (rbpf_attach_uprobe(fd, path, func, 0, -1, ret, l) < 0) {
		fprintf(stderr, "uprobe: %s\n", rbpf_errmsg());
		return -1;
	}
	printf("attached %s to %s:%s\n", prog, path, func);
	return 0;
}

int main(int argc, char **argv)
{
	char target[4096], libc[4096], ncalls[32];
	char *tgt_argv[] = { target, ncalls, NULL }, *ls_argv[] = { "/bin/ls", "/", NULL };
	struct rbpf_link *l[3] = { 0 };
	struct rbpf_object *obj;
	const char *slash = strrchr(argv[0], '/');
	int i, have_libc, err = 1;
	pid_t pid;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--calls") && i + 1 < argc)
			calls = atol(argv[++i]);
		else if (!strcmp(argv[i], "--libc") && i + 1 < argc)
			libc_func = argv[++i];
		else {
			fprintf(stderr, "usage: uprobe [--calls N] [--libc FUNC]\n");
			return 2;
		}
	}
	snprintf(target, sizeof(target), "%.*suprobed", slash ? (int)(slash - argv[0] + 1) : 0,
		 argv[0]);
	snprintf(ncalls, sizeof(ncalls), "%ld", calls);
	have_libc = rbpf_resolve_binary("libc.so.6", libc, sizeof(libc)) == 0 &&
		    is_dynamic(ls_argv[0]);
	if (show_place(target, "add_to_total") < 0 ||
	    (have_libc && show_place(libc, libc_func) < 0) ||
	    !(obj = lesson_open(argv[0], "uprobe"))) {
		fprintf(stderr, "uprobe: %s\n", rbpf_errmsg());
		return 1;
	}
	if (lesson_load(obj, "uprobe", NULL) < 0) {
		rbpf_object_close(obj);
		return 1;
	}
	if (attach(obj, "on_entry", target, "add_to_total", 0, &l[0]) < 0 ||
	    attach(obj, "on_return", target, "add_to_total", 1, &l[1]) < 0 ||
	    (have_libc && attach(obj, "on_libc", libc, libc_func, 0, &l[2]) < 0))
		goto out;
	if (!have_libc)
		printf("no libc.so.6, or a static /bin/ls (static programs only): no libc "
		       "probe\n");
	if ((pid = run(tgt_argv, 0)) < 0)
		goto out;
	print_target(obj, pid);
	if (have_libc && (pid = run(ls_argv, 1)) > 0)
		print_libc(obj, pid);
	err = 0;
out:
	for (i = 0; i < 3; i++)
		rbpf_link_destroy(l[i]);
	rbpf_object_close(obj);
	printf("detached\n");
	return err;
}
