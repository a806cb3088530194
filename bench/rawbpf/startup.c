/*
 * rawbpf/startup.c -- the startup bench with rawbpf: open the object, load it,
 * attach the program to its tracepoint, open the ring buffer, then run /bin/true
 * and wait for its event.  The libbpf twin is bench/libbpf/startup.c; both load the
 * same build/bench/startup.bpf.o.
 *
 *     startup OBJ
 *
 * Prints "attached", then "event pid=.. tid=.. comm=..", then "hwm_kb N".
 */
#include "../common.h"

#include "rawbpf.h"

struct start_event {
	uint32_t pid, tid;
	char comm[16];
};

struct wait_for {
	int pid;                 /* the child whose event we wait for */
	int seen;
};

static int on_event(void *ctx, int cpu, const void *data, size_t size)
{
	const struct start_event *e = data;
	struct wait_for *w = ctx;

	(void)cpu;
	if (size < sizeof(*e) || (int)e->pid != w->pid)
		return 0;
	printf("event pid=%u tid=%u comm=%.16s\n", e->pid, e->tid, e->comm);
	fflush(stdout);
	w->seen = 1;
	return 0;
}

static int fail(const char *what)
{
	fprintf(stderr, "startup: %s: %s\n", what, rbpf_errmsg());
	return 1;
}

int main(int argc, char **argv)
{
	struct wait_for w = { 0 };
	struct rbpf_object *obj;
	struct rbpf_prog *prog;
	struct rbpf_link *link;
	struct rbpf_ringbuf *rb;
	int status;

	if (argc != 2)
		return fprintf(stderr, "usage: startup OBJ\n"), 2;
	if (rbpf_object_open(argv[1], &obj) < 0 || rbpf_object_load(obj, 0) < 0)
		return fail("load");
	prog = rbpf_object_find_prog(obj, "on_execve");
	if (!prog || rbpf_attach_tracepoint(rbpf_prog_fd(prog), "syscalls",
					    "sys_enter_execve", &link) < 0)
		return fail("attach");
	if (rbpf_ringbuf_open(rbpf_map_fd(rbpf_object_find_map(obj, "events")),
			      on_event, &w, &rb) < 0)
		return fail("ring buffer");
	printf("attached\n");
	fflush(stdout);
	w.pid = spawn_true();
	while (!w.seen && rbpf_ringbuf_poll(rb, 1000) >= 0)
		;
	waitpid(w.pid, &status, 0);
	printf("hwm_kb %ld\n", hwm_kb());
	rbpf_ringbuf_close(rb);
	rbpf_link_destroy(link);
	rbpf_object_close(obj);
	return w.seen ? 0 : 1;
}
