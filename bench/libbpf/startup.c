/*
 * libbpf/startup.c -- the startup bench with libbpf, written as a libbpf user
 * would: open the object file, load it, attach the program by its section name,
 * ring_buffer__new, then run /bin/true and wait for its event.
 *
 *     startup OBJ     (OBJ: build/bench/startup.bpf.o, the same object rawbpf loads)
 *
 * Prints "attached", then "event pid=.. tid=.. comm=..", then "hwm_kb N".
 */
#include "../common.h"

#include <bpf/libbpf.h>

struct start_event {
	uint32_t pid, tid;
	char comm[16];
};

struct wait_for {
	int pid;                 /* the child whose event we wait for */
	int seen;
};

static int on_event(void *ctx, void *data, size_t size)
{
	const struct start_event *e = data;
	struct wait_for *w = ctx;

	if (size < sizeof(*e) || (int)e->pid != w->pid)
		return 0;
	printf("event pid=%u tid=%u comm=%.16s\n", e->pid, e->tid, e->comm);
	fflush(stdout);
	w->seen = 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct wait_for w = { 0 };
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *link;
	struct ring_buffer *rb;
	int status;

	if (argc != 2)
		return fprintf(stderr, "usage: startup OBJ\n"), 2;
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj))
		return fprintf(stderr, "startup: cannot load %s\n", argv[1]), 1;
	prog = bpf_object__find_program_by_name(obj, "on_execve");
	link = prog ? bpf_program__attach(prog) : NULL;
	if (!link)
		return fprintf(stderr, "startup: cannot attach\n"), 1;
	rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "events")),
			      on_event, &w, NULL);
	if (!rb)
		return fprintf(stderr, "startup: ring_buffer__new failed\n"), 1;
	printf("attached\n");
	fflush(stdout);
	w.pid = spawn_true();
	while (!w.seen && ring_buffer__poll(rb, 1000) >= 0)
		;
	waitpid(w.pid, &status, 0);
	printf("hwm_kb %ld\n", hwm_kb());
	ring_buffer__free(rb);
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return w.seen ? 0 : 1;
}
