/*
 * hello_ringbuf.c -- the user side of the ring buffer lesson: what BCC's
 * open_ring_buffer() and ring_buffer_poll() did, on the loader's consumer
 * (loader/ringbuf.c).
 *
 * Concept:     the ring is mmapped once (consumer page read-write, producer page and
 *              data read-only, the data mapped twice so no record wraps); the map fd
 *              becomes readable when records wait; records come in the order they
 *              were reserved, across all CPUs.
 * Prog type:   kprobe on execve; the tracepoint twin without kprobes; the raw
 *              tracepoint twin without tracefs (see progs/lesson.h).
 * Kernel:      5.8+.
 * Prints:      one line per execve:  12345 0 bash Hello World (reserve)
 *              "(output)" instead when the record was copied in by bpf_ringbuf_output.
 * Privilege:   root, or only CAP_BPF + CAP_PERFMON (as for hello_map).
 *
 * Usage: hello_ringbuf [--count N] [--timeout S] [--trigger] [--ignore-uid U] [--output]
 *   --ignore-uid U   the program discards the records of user U
 *   --output         the program uses bpf_ringbuf_output instead of reserve + submit
 */
#include "lesson.h"

struct data_t {
	uint32_t pid;
	uint32_t uid;
	char command[16];
	char message[12];
	uint32_t how;
};

/* What the program reads from .rodata; set before load. */
struct config {
	uint32_t ignore_uid;
	uint32_t use_output;
};

static struct config config = { 0xFFFFFFFF, 0 };

static int more_args(int argc, char **argv, int i)
{
	if (!strcmp(argv[i], "--ignore-uid") && i + 1 < argc) {
		config.ignore_uid = (uint32_t)atol(argv[i + 1]);
		return 2;
	}
	if (!strcmp(argv[i], "--output")) {
		config.use_output = 1;
		return 1;
	}
	return 0;
}

struct seen {
	long events, limit;
};

static int print_event(void *ctx, int cpu, const void *data, size_t size)
{
	const struct data_t *d = data;
	struct seen *s = ctx;

	(void)cpu;
	if (size < sizeof(*d))
		return 0;
	printf("%u %u %.16s %.12s (%s)\n", d->pid, d->uid, d->command, d->message,
	       d->how ? "output" : "reserve");
	s->events++;
	return s->limit && s->events >= s->limit;
}

/* Before load: write the configuration into the object's .rodata. */
static int configure(struct rbpf_object *obj)
{
	struct rbpf_map *rodata = rbpf_object_find_map(obj, ".rodata");
	size_t size = 0;
	void *v = rodata ? rbpf_map_initial_value(rodata, &size) : NULL;

	if (!v || size < sizeof(config))
		return rbpf_error(ENOENT, "hello_ringbuf.bpf.o: no .rodata for the configuration");
	memcpy(v, &config, sizeof(config));   /* ignore_uid, then use_output */
	return 0;
}

int main(int argc, char **argv)
{
	struct lesson_opts o;
	struct rbpf_object *obj;
	struct rbpf_link *link = NULL;
	struct rbpf_ringbuf *rb = NULL;
	struct seen seen = { 0, 0 };
	long n = 0;

	if (lesson_args(argc, argv, &o, "hello_ringbuf [--count N] [--timeout S] [--trigger] "
			"[--ignore-uid U] [--output]", more_args))
		return 2;
	seen.limit = o.count;
	obj = lesson_open(argv[0], "hello_ringbuf");
	if (!obj || lesson_load(obj, "hello_ringbuf", configure) < 0)
		return 1;
	if (rbpf_ringbuf_open(rbpf_map_fd(rbpf_object_find_map(obj, "output")),
				      print_event, &seen, &rb) < 0 ||
	    lesson_attach_execve(obj, "hello", "hello_raw", &link) < 0) {
		fprintf(stderr, "hello_ringbuf: %s\n", rbpf_errmsg());
		rbpf_ringbuf_close(rb);
		rbpf_object_close(obj);
		return 1;
	}
	printf("waiting for execve -- Ctrl-C to stop\n");
	n = lesson_poll_ringbuf("hello_ringbuf", &o, rb, &seen.events);
	rbpf_link_destroy(link);
	rbpf_ringbuf_close(rb);
	rbpf_object_close(obj);
	printf("detached\n");
	return n < 0;
}
