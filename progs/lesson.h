/*
 * lesson.h -- what the user side of every lesson shares, so that each progs/NAME.c
 * holds only its own lesson: the options (--count, --timeout, --trigger), stopping on
 * Ctrl-C, attaching to execve with the course's fallbacks, and the loop that reads
 * trace_pipe (each lesson still prints the lines its own way); for the lessons made of
 * demonstrations run by name (maps, limits), picking them from the command line.
 *
 * Attaching to execve, in the order tried:
 *   1. a kprobe on the syscall's kernel function (the chapter's way; the lab VM);
 *   2. the tracepoint syscalls/sys_enter_execve, when the kernel has no kprobes
 *      (the development machines) -- it fires at the same moment, on entry.
 *      1 and 2 are one call, rbpf_prog_attach: the program's section
 *      (ksyscall/execve) says where, and the library knows the twin;
 *   3. the raw tracepoint sys_enter, filtered on the execve number by the program,
 *      when tracefs cannot be read: a tracepoint's id lives in tracefs, which is
 *      root's alone (mode 0700), so a user holding only CAP_BPF + CAP_PERFMON cannot
 *      open the tracepoint; a raw tracepoint is named in the bpf() call itself.
 *      Also when perf_event_open is refused outright: Debian's and Ubuntu's kernels
 *      carry a patch by which kernel.perf_event_paranoid > 2 (their default) denies
 *      it to anyone without CAP_SYS_ADMIN, CAP_PERFMON or not.  A raw tracepoint is
 *      not a perf event.
 * Each fallback is announced in one line.  The object holds one program per way,
 * all with the same body.
 *
 * Everything here is static inline (a lesson uses what it needs): each lesson is
 * one file plus this header.
 */
#ifndef LESSON_H
#define LESSON_H

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "rawbpf.h"

struct lesson_opts {
	long count;          /* stop after this many events (0: no limit) */
	double timeout;      /* stop after this many seconds (0: none) */
	int trigger;         /* run /bin/true twice a second */
	double start, next_trigger;
};

static volatile sig_atomic_t lesson_stop;

static inline void lesson_on_signal(int sig)
{
	(void)sig;
	lesson_stop = 1;
}

static inline double lesson_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Parse the common options; argv[i] the lesson does not know goes to extra(), which
 * returns how many arguments it used (0: unknown).  Returns 0, or 2 after printing
 * the usage line. */
static inline int lesson_args(int argc, char **argv, struct lesson_opts *o, const char *usage,
		       int (*extra)(int argc, char **argv, int i))
{
	int i, used;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--count") && i + 1 < argc)
			o->count = atol(argv[++i]);
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			o->timeout = atof(argv[++i]);
		else if (!strcmp(argv[i], "--trigger"))
			o->trigger = 1;
		else if (extra && (used = extra(argc, argv, i)) > 0)
			i += used - 1;
		else {
			fprintf(stderr, "usage: %s\n", usage);
			return 2;
		}
	}
	signal(SIGINT, lesson_on_signal);
	signal(SIGTERM, lesson_on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);
	o->start = o->next_trigger = lesson_now();
	return 0;
}

/* Called in the main loop: runs /bin/true when --trigger says it is time, and says
 * whether to go on (no Ctrl-C, time left, fewer than --count events seen). */
static inline int lesson_go_on(struct lesson_opts *o, long seen)
{
	if (o->trigger && lesson_now() >= o->next_trigger) {
		pid_t pid = fork();

		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
		o->next_trigger += 0.5;
	}
	if (lesson_stop || (o->count && seen >= o->count))
		return 0;
	return !o->timeout || lesson_now() - o->start < o->timeout;
}

/* Open build/progs/NAME.bpf.o (beside the binary, or in $RAWBPF_OBJ_DIR): the ELF
 * file read and linked, nothing in the kernel yet.  Returns the object, or NULL
 * after printing why. */
static inline struct rbpf_object *lesson_open(const char *argv0, const char *name)
{
	char path[4096];
	const char *dir = getenv("RAWBPF_OBJ_DIR");
	struct rbpf_object *obj = NULL;
	int n;

	if (dir)
		n = snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, name);
	else {
		const char *slash = strrchr(argv0, '/');
		n = snprintf(path, sizeof(path), "%.*s%s.bpf.o",
			     slash ? (int)(slash - argv0 + 1) : 0, argv0, name);
	}
	if (n >= (int)sizeof(path) || rbpf_object_open(path, &obj) < 0) {
		fprintf(stderr, "%s: %s\n", name, rbpf_errmsg());
		return NULL;
	}
	return obj;
}

/* A failed load, said: the library's message, then -- for a program the verifier
 * rejected -- the hint for its reason (the hints sit beside the loader, in vlog.c:
 * the library does not add them itself).  Closes the object. */
static inline void lesson_fail(const char *name, struct rbpf_object *obj)
{
	const struct rbpf_prog *p = NULL;
	const struct rbpf_hint *h = NULL;

	fprintf(stderr, "%s: %s\n", name, rbpf_errmsg());
	while (!h && (p = rbpf_object_next_prog(obj, p)))
		if (rbpf_prog_fd(p) < 0 && rbpf_prog_autoload(p))
			h = rbpf_verifier_hint(rbpf_prog_log(p));
	if (h)
		fprintf(stderr, "  hint: %s\n", h->hint);
	rbpf_object_close(obj);
}

/* Let setup (may be NULL) change the opened object -- its .rodata, say -- then load
 * it: maps created, programs through the verifier.  0, or -1 after lesson_fail. */
static inline int lesson_load(struct rbpf_object *obj, const char *name,
			      int (*setup)(struct rbpf_object *obj))
{
	if ((setup && setup(obj) < 0) || rbpf_object_load(obj, 0) < 0) {
		lesson_fail(name, obj);
		return -1;
	}
	return 0;
}

/* Open trace_pipe.  The kernel gives it to one reader at a time (-EBUSY for the
 * others): wait up to 10 s for another reader to finish before giving up. */
static inline int lesson_open_tracepipe(struct rbpf_tracepipe **tp)
{
	int err, tries;

	for (tries = 0; (err = rbpf_tracepipe_open(tp)) == -EBUSY && tries < 50; tries++)
		usleep(200000);
	return err;
}

/* The main loop of a trace_pipe lesson: until lesson_go_on() says stop (with *seen
 * the lesson's count of events), wait up to 100 ms for trace_pipe and hand each line
 * to print(ctx, line) -- the lesson's own, which returns nonzero to stop early.  A
 * read that fails ends the loop with the message after "NAME: " on stderr. */
static inline void lesson_read_tracepipe(const char *name, struct lesson_opts *o,
					 struct rbpf_tracepipe *tp, rbpf_trace_fn print,
					 void *ctx, const long *seen)
{
	while (lesson_go_on(o, *seen)) {
		struct pollfd p = { .fd = rbpf_tracepipe_fd(tp), .events = POLLIN };

		if (poll(&p, 1, 100) > 0 && rbpf_tracepipe_read(tp, print, ctx) < 0) {
			fprintf(stderr, "%s: %s\n", name, rbpf_errmsg());
			break;
		}
	}
}

/* The main loop of a ring buffer lesson: until lesson_go_on() says stop (with *seen
 * the lesson's count of events), wait up to 100 ms for records, which go to the
 * callback given to rbpf_ringbuf_open.  Ctrl-C interrupting the wait (EINTR) is a
 * normal end, 0; a poll that fails ends the loop with the message after "NAME: " on
 * stderr, -1. */
static inline int lesson_poll_ringbuf(const char *name, struct lesson_opts *o,
				      struct rbpf_ringbuf *rb, const long *seen)
{
	while (lesson_go_on(o, *seen)) {
		long n = rbpf_ringbuf_poll(rb, 100);

		if (n < 0 && n != -EINTR) {
			fprintf(stderr, "%s: %s\n", name, rbpf_errmsg());
			return -1;
		}
	}
	return 0;
}

/* One demonstration of a lesson made of several ("maps hash lru" runs two). */
struct lesson_demo {
	const char *name;
	void (*fn)(void);
	int by_name_only;    /* not among those run when no name is given */
};

/* Every argument must name a demo: else print the usage line and return 2.  Returns 0
 * (with stdout line-buffered, as lesson_args leaves it). */
static inline int lesson_demo_args(int argc, char **argv, const struct lesson_demo *demos,
				   size_t n, const char *usage)
{
	size_t i;
	int a;

	for (a = 1; a < argc; a++) {
		for (i = 0; i < n && strcmp(argv[a], demos[i].name); i++)
			;
		if (i == n) {
			fprintf(stderr, "usage: %s\n", usage);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	return 0;
}

/* Run the demos named in argv, in the table's order; with no name, all of them but
 * the by_name_only ones. */
static inline void lesson_run_demos(int argc, char **argv, const struct lesson_demo *demos,
				    size_t n)
{
	size_t i;
	int a;

	for (i = 0; i < n; i++) {
		int want = argc == 1 && !demos[i].by_name_only;

		for (a = 1; a < argc; a++)
			want |= !strcmp(argv[a], demos[i].name);
		if (want)
			demos[i].fn();
	}
}

static inline int lesson_fd(struct rbpf_object *obj, const char *prog)
{
	struct rbpf_prog *p = rbpf_object_find_prog(obj, prog);

	return p ? rbpf_prog_fd(p) : -1;
}

/* /proc/sys/kernel/perf_event_paranoid, or -100 if it cannot be read. */
static inline int lesson_perf_paranoid(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int v = -100;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -100;
		fclose(f);
	}
	return v;
}

/* Attach the kprobe program `kp` to execve, as its section says: the library takes
 * its tracepoint twin from the object where the kernel has no kprobes, and tells us.
 * If that fails because perf events or tracefs are out of reach and `raw` (may be
 * NULL) names a raw tracepoint program, attach that instead, as described at the
 * top.  Prints where it attached.  Returns 0, or -errno with rbpf_errmsg() set. */
static inline int lesson_attach_execve(struct rbpf_object *obj, const char *kp,
				       const char *raw, struct rbpf_link **link)
{
	int err = rbpf_prog_attach(rbpf_object_find_prog(obj, kp), NULL, link);

	if (err == 0) {
		if (*rbpf_link_note(*link))
			printf("%s\n", rbpf_link_note(*link));
		printf("attached: %s\n", rbpf_link_what(*link));
		return 0;
	}
	if (!raw || (err != -EACCES && err != -EPERM && err != -ENOENT))
		return err;
	if (err == -ENOENT)     /* tracefs is mode 0700: its events/ cannot be seen */
		printf("no tracepoint without tracefs, which is root's: using the raw "
		       "tracepoint sys_enter, filtered on execve\n");
	else
		printf("perf_event_open refused (kernel.perf_event_paranoid=%d; above 2, "
		       "Debian's and Ubuntu's kernels want CAP_SYS_ADMIN): using the raw "
		       "tracepoint sys_enter, filtered on execve\n", lesson_perf_paranoid());
	err = rbpf_attach_raw_tracepoint(lesson_fd(obj, raw), "sys_enter", link);
	if (err == 0)
		printf("attached: raw tracepoint sys_enter\n");
	return err;
}

#endif
