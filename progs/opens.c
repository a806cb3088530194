/*
 * opens.c -- lesson 12's user side: the same program `rawbpf run` ran, with a main of
 * its own, built the way lessons 2-6 are: open, load, attach, read, detach.
 *
 * Concept:     everything rawbpf run did, written out: rbpf_object_open and
 *              rbpf_object_load (maps created, programs verified), rbpf_prog_attach
 *              (where the section says), a consumer on the ring buffer "events"
 *              whose callback reads struct event -- the same struct as the kernel
 *              side, so the bytes are fields here without any BTF.
 * Prog type:   tracepoint syscalls/sys_enter_openat (opens.bpf.c).
 * Kernel:      5.8+ (ring buffer).
 * Prints:      one line per file cat opens:
 *                  cat (pid 4242) opens /etc/hostname
 * Privilege:   root, or CAP_BPF + CAP_PERFMON (a tracepoint also needs tracefs).
 *
 * Usage: opens [--count N] [--timeout S]
 */
#include "lesson.h"

struct event {               /* as in opens.bpf.c */
	uint32_t pid;
	char comm[16];
	char filename[64];
};

struct seen {
	long events, limit;
};

static int print_event(void *ctx, int cpu, const void *data, size_t size)
{
	const struct event *e = data;
	struct seen *s = ctx;

	(void)cpu;
	if (size < sizeof(*e))
		return 0;
	printf("%.16s (pid %u) opens %.64s\n", e->comm, e->pid, e->filename);
	s->events++;
	return s->limit && s->events >= s->limit;     /* non-zero: --count reached */
}

int main(int argc, char **argv)
{
	struct rbpf_object *obj;
	struct rbpf_link *link = NULL;
	struct rbpf_ringbuf *rb = NULL;
	struct lesson_opts o;
	struct seen seen = { 0, 0 };
	long n = 0;

	if (lesson_args(argc, argv, &o, "opens [--count N] [--timeout S]", NULL))
		return 2;
	seen.limit = o.count;
	obj = lesson_open(argv[0], "opens");
	if (!obj || lesson_load(obj, "opens", NULL) < 0)
		return 1;
	if (rbpf_prog_attach(rbpf_object_find_prog(obj, "on_openat"), NULL, &link) < 0 ||
	    rbpf_ringbuf_open(rbpf_map_fd(rbpf_object_find_map(obj, "events")), print_event,
			      &seen, &rb) < 0) {
		fprintf(stderr, "opens: %s\n", rbpf_errmsg());
		rbpf_link_destroy(link);
		rbpf_object_close(obj);
		return 1;
	}
	printf("attached: %s -- run cat in another terminal, Ctrl-C to stop\n",
	       rbpf_link_what(link));
	n = lesson_poll_ringbuf("opens", &o, rb, &seen.events);
	rbpf_ringbuf_close(rb);
	rbpf_link_destroy(link);
	rbpf_object_close(obj);
	printf("detached\n");
	return n < 0;
}
