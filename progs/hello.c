/*
 * hello.c -- the user side of the chapter's Hello World: what BCC's BPF(text=...),
 * attach_kprobe(get_syscall_fnname("execve")) and trace_print() did, by hand.
 *
 * Concept:     open an object file clang wrote, load its programs (BPF_PROG_LOAD),
 *              attach one to execve, read the lines it writes to trace_pipe.
 * Prog type:   kprobe on the kernel's execve function, found in /proc/kallsyms;
 *              on a kernel without kprobes, the tracepoint twin from the same object.
 * Kernel:      4.17+ for the kprobe PMU, 5.15+ as the course's floor.
 * Prints:      one trace_pipe line per execve, as trace_print() does:
 *                  bash-1234    [001] 5678.123456: Hello World!
 * Privilege:   root: trace_pipe lives in tracefs, which only root may read.
 *
 * Usage: hello [--count N] [--timeout S] [--trigger]
 */
#include "lesson.h"

struct seen {
	long n, limit;
};

/* One trace_pipe line, printed as the chapter's trace_print() shows it. */
static int print_line(void *ctx, const struct rbpf_trace_line *l)
{
	struct seen *s = ctx;

	printf("%16s-%-7d [%03d] %.6f: %s\n", l->task, l->pid, l->cpu, l->ts, l->msg);
	s->n++;
	return lesson_stop || (s->limit && s->n >= s->limit);   /* Ctrl-C, --count */
}

int main(int argc, char **argv)
{
	struct lesson_opts o;
	struct rbpf_object *obj;
	struct rbpf_link *link = NULL;
	struct rbpf_tracepipe *tp = NULL;
	struct seen seen = { 0, 0 };
	int err;

	if (lesson_args(argc, argv, &o, "hello [--count N] [--timeout S] [--trigger]", NULL))
		return 2;
	seen.limit = o.count;
	if (lesson_open_tracepipe(&tp) < 0) {
		fprintf(stderr, "hello: %s\n", rbpf_errmsg());
		return 1;
	}
	obj = lesson_open(argv[0], "hello");   /* the ELF file, read and linked */
	if (!obj)
		return 1;
	if (rbpf_object_load(obj, 0) < 0) {    /* BPF_MAP_CREATE, BPF_PROG_LOAD */
		lesson_fail("hello", obj);      /* the message, and the verifier's hint */
		return 1;
	}
	rbpf_tracepipe_discard(tp);     /* lines left by earlier programs */
	err = lesson_attach_execve(obj, "hello", NULL, &link);
	if (err < 0) {
		fprintf(stderr, "hello: %s\n", rbpf_errmsg());
		rbpf_object_close(obj);
		return 1;
	}
	printf("waiting for execve -- Ctrl-C to stop\n");
	lesson_read_tracepipe("hello", &o, tp, print_line, &seen, &seen.n);
	rbpf_link_destroy(link);
	rbpf_object_close(obj);
	rbpf_tracepipe_close(tp);
	printf("detached\n");
	return 0;
}
