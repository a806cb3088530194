/*
 * task_core.c -- the user side of lesson 9: the relocation table of task_core.bpf.o,
 * as compiled and as made for this kernel, then what the program reads.
 *
 * Concept:     the loader does CO-RE while it loads (loader/core.c): the table is
 *              what it will do, read before loading with rbpf_prog_core_row -- each
 *              access in C, the offset clang wrote from the program's own struct,
 *              the offset this kernel has.  "absent" marks an access this kernel
 *              cannot have (the pre-5.14 `state`): its instruction is poisoned, and
 *              the branch that holds it is dead here.
 * Prog type:   tp_btf/sched_switch, on this process only (target_tgid in .rodata).
 * Kernel:      5.8+ with BTF.
 * Prints:      the table, then one line per time this process is switched out:
 *              pid 4242 (task_core) parent 4200 (getppid 4200) state 1 -- kernel 6.18.44 HZ 250
 *
 * Usage: task_core [--count N] [--timeout S]
 */
#include "lesson.h"

struct event {
	uint32_t pid, parent, state, kernel, hz;
	char comm[16];
};

/* Before load: aim the program at this process, and show the relocations. */
static int setup(struct rbpf_object *obj)
{
	struct rbpf_map *rodata = rbpf_object_find_map(obj, ".rodata");
	struct rbpf_prog *p = rbpf_object_find_prog(obj, "switched");
	struct rbpf_core_row r;
	uint32_t tgid = getpid(), i;
	size_t size = 0;
	void *v = rodata ? rbpf_map_initial_value(rodata, &size) : NULL;

	if (!v || size < sizeof(tgid) || !p)
		return rbpf_error(ENOENT, "task_core.bpf.o: no .rodata or no program 'switched'");
	memcpy(v, &tgid, sizeof(tgid));
	printf("CO-RE relocations of %s, as compiled and for this kernel:\n", rbpf_prog_name(p));
	printf("  insn  %-30s %-18s %6s %6s\n", "access", "kind", "object", "here");
	for (i = 0; i < rbpf_prog_core_count(p); i++) {
		if (rbpf_prog_core_row(p, i, NULL, &r) < 0)
			return -ENOENT;
		printf("  %4u  %-30s %-18s %6llu %6s\n", r.insn, r.what, r.kind_name,
		       (unsigned long long)r.orig, r.poison ? "absent" :
		       (snprintf(r.why, sizeof(r.why), "%llu", (unsigned long long)r.val), r.why));
	}
	return 0;
}

static int print_event(void *ctx, int cpu, const void *data, size_t size)
{
	const struct event *e = data;
	long *seen = ctx;

	(void)cpu;
	if (size < sizeof(*e))
		return 0;
	printf("pid %u (%.16s) parent %u (getppid %d) state %u -- kernel %u.%u.%u HZ %u\n",
	       e->pid, e->comm, e->parent, (int)getppid(), e->state, e->kernel >> 16,
	       e->kernel >> 8 & 0xff, e->kernel & 0xff, e->hz);
	(*seen)++;
	return 0;
}

int main(int argc, char **argv)
{
	struct lesson_opts o;
	struct rbpf_object *obj;
	struct rbpf_link *link = NULL;
	struct rbpf_ringbuf *rb = NULL;
	long seen = 0, n = 0;

	if (lesson_args(argc, argv, &o, "task_core [--count N] [--timeout S]", NULL))
		return 2;
	obj = lesson_open(argv[0], "task_core");
	if (!obj || lesson_load(obj, "task_core", setup) < 0)
		return 1;
	if (rbpf_ringbuf_open(rbpf_map_fd(rbpf_object_find_map(obj, "events")), print_event,
			      &seen, &rb) < 0 ||
	    rbpf_prog_attach(rbpf_object_find_prog(obj, "switched"), NULL, &link) < 0) {
		fprintf(stderr, "task_core: %s\n", rbpf_errmsg());
		rbpf_ringbuf_close(rb);
		rbpf_object_close(obj);
		return 1;
	}
	printf("attached: tp_btf/sched_switch, this process only -- Ctrl-C to stop\n");
	/* (waiting for records is itself a switch, and so a record) */
	n = lesson_poll_ringbuf("task_core", &o, rb, &seen);
	rbpf_link_destroy(link);
	rbpf_ringbuf_close(rb);
	rbpf_object_close(obj);
	printf("detached\n");
	return n < 0;
}
