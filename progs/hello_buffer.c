/*
 * hello_buffer.c -- the user side of the chapter's perf buffer: what BCC's
 * open_perf_buffer() and perf_buffer_poll() did, on the loader's perf buffer
 * consumer (loader/perfbuf.c).
 *
 * Concept:     per possible CPU, a perf event of type PERF_COUNT_SW_BPF_OUTPUT, its
 *              ring mmapped, its fd stored in the map at key = cpu; then wait for
 *              wake-ups and walk each ring from data_tail to data_head.
 * Prog type:   kprobe on execve; the tracepoint twin without kprobes; the raw
 *              tracepoint twin without tracefs (see progs/lesson.h).
 * Kernel:      4.4+; the course's floor is 5.15.
 * Prints:      one line per execve, as the chapter prints it:
 *                  12345 0 bash Hello World
 *              (the command is the caller's name: at execve's entry the new program
 *              has not replaced it yet).
 * Privilege:   root, or only CAP_BPF + CAP_PERFMON (as for hello_map) where
 *              kernel.perf_event_paranoid <= 2: Debian's and Ubuntu's kernels, above
 *              that, let only CAP_SYS_ADMIN open perf events (hello_ringbuf needs none).
 *
 * Usage: hello_buffer [--count N] [--timeout S] [--trigger]
 */
#include "lesson.h"

/* The record, as progs/hello_buffer.bpf.c fills it. */
struct data_t {
	uint32_t pid;
	uint32_t uid;
	char command[16];
	char message[12];
};

struct seen {
	long events, lost, limit;
};

static int print_event(void *ctx, int cpu, const void *data, size_t size)
{
	const struct data_t *d = data;
	struct seen *s = ctx;

	(void)cpu;
	if (size < sizeof(*d))        /* a perf record is padded to 8 bytes: >= is fine */
		return 0;
	printf("%u %u %.16s %.12s\n", d->pid, d->uid, d->command, d->message);
	s->events++;
	return s->limit && s->events >= s->limit;   /* non-zero: --count reached */
}

static void count_lost(void *ctx, int cpu, uint64_t lost)
{
	struct seen *s = ctx;

	printf("lost %llu records on cpu %d\n", (unsigned long long)lost, cpu);
	s->lost += lost;
}

int main(int argc, char **argv)
{
	struct lesson_opts o;
	struct rbpf_object *obj;
	struct rbpf_link *link = NULL;
	struct rbpf_perfbuf *pb = NULL;
	struct seen seen = { 0, 0, 0 };
	long n = 0;
	int err;

	if (lesson_args(argc, argv, &o, "hello_buffer [--count N] [--timeout S] [--trigger]",
			NULL))
		return 2;
	seen.limit = o.count;
	obj = lesson_open(argv[0], "hello_buffer");
	if (!obj || lesson_load(obj, "hello_buffer", NULL) < 0)
		return 1;
	err = rbpf_perfbuf_open(rbpf_map_fd(rbpf_object_find_map(obj, "output")), NULL,
				print_event, count_lost, &seen, &pb);
	if (err == 0)
		err = lesson_attach_execve(obj, "hello", "hello_raw", &link);
	if (err < 0) {
		fprintf(stderr, "hello_buffer: %s\n", rbpf_errmsg());
		/* The perf buffer is made of perf events: no way around perf_event_open. */
		if (err == -EACCES && lesson_perf_paranoid() > 2)
			fprintf(stderr, "hello_buffer: kernel.perf_event_paranoid is %d: this "
				"kernel lets only CAP_SYS_ADMIN open perf events (a Debian/Ubuntu "
				"patch); the ring buffer (hello_ringbuf) needs none\n",
				lesson_perf_paranoid());
		rbpf_perfbuf_close(pb);
		rbpf_object_close(obj);
		return 1;
	}
	printf("waiting for execve -- Ctrl-C to stop\n");
	while (lesson_go_on(&o, seen.events)) {
		n = rbpf_perfbuf_poll(pb, 100);
		if (n < 0 && n != -EINTR) {
			fprintf(stderr, "hello_buffer: %s\n", rbpf_errmsg());
			break;
		}
	}
	rbpf_link_destroy(link);
	rbpf_perfbuf_close(pb);
	rbpf_object_close(obj);
	printf("detached\n");
	return n < 0 && n != -EINTR;
}
