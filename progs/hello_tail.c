/*
 * hello_tail.c -- the user side of the tail-call lesson: load every program, show
 * the prog array the loader filled, attach the entry program, print trace_pipe.
 *
 * Concept:     a PROG_ARRAY's values are program fds going in (the loader stored
 *              them from the object's initial values) and program ids coming out
 *              (BPF_MAP_LOOKUP_ELEM); an empty slot is -ENOENT.  The array empties
 *              itself when its last user reference goes: the object keeps its fd.
 * Prog type:   raw tracepoint sys_enter.
 * Kernel:      4.17+; the course's floor is 5.15.
 * Prints:      the filled slots (syscall number = program), then trace_pipe lines:
 *                  bash-1234    [001] 5678.123456: Executing a program
 * Privilege:   root (trace_pipe is in tracefs).
 *
 * Usage: hello_tail [--count N] [--timeout S] [--trigger]
 */
#include "lesson.h"

struct seen {
	long n, limit;
};

static int print_line(void *ctx, const struct rbpf_trace_line *l)
{
	struct seen *s = ctx;

	printf("%16s-%-7d [%03d] %.6f: %s\n", l->task, l->pid, l->cpu, l->ts, l->msg);
	s->n++;
	return lesson_stop || (s->limit && s->n >= s->limit);   /* Ctrl-C, --count */
}

/* Print every filled slot: its number and the program's id and name. */
static void show_slots(int map_fd, uint32_t max)
{
	struct bpf_prog_info info;
	uint32_t key, id, len;
	int fd;

	printf("prog array \"syscall\":");
	for (key = 0; key < max; key++) {
		if (rbpf_map_lookup_elem(map_fd, &key, &id, 0) < 0)
			continue;                 /* -ENOENT: empty slot */
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		fd = rbpf_prog_get_fd_by_id(id);
		if (fd >= 0 && rbpf_obj_get_info_by_fd(fd, &info, &len) == 0)
			printf(" %u=%s", key, info.name);
		if (fd >= 0)
			close(fd);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	struct lesson_opts o;
	struct rbpf_object *obj;
	struct rbpf_link *link = NULL;
	struct rbpf_tracepipe *tp = NULL;
	struct seen seen = { 0, 0 };

	if (lesson_args(argc, argv, &o, "hello_tail [--count N] [--timeout S] [--trigger]",
			NULL))
		return 2;
	seen.limit = o.count;
	if (lesson_open_tracepipe(&tp) < 0) {
		fprintf(stderr, "hello_tail: %s\n", rbpf_errmsg());
		return 1;
	}
	obj = lesson_open(argv[0], "hello_tail");
	if (!obj || lesson_load(obj, "hello_tail", NULL) < 0)
		return 1;
	rbpf_tracepipe_discard(tp);     /* lines left by earlier programs */
	show_slots(rbpf_map_fd(rbpf_object_find_map(obj, "syscall")),
		   rbpf_map_max_entries(rbpf_object_find_map(obj, "syscall")));
	if (rbpf_attach_raw_tracepoint(lesson_fd(obj, "hello"), "sys_enter", &link) < 0) {
		fprintf(stderr, "hello_tail: %s\n", rbpf_errmsg());
		rbpf_object_close(obj);
		return 1;
	}
	printf("attached: raw tracepoint sys_enter -- Ctrl-C to stop\n");
	lesson_read_tracepipe("hello_tail", &o, tp, print_line, &seen, &seen.n);
	rbpf_link_destroy(link);
	rbpf_object_close(obj);
	rbpf_tracepipe_close(tp);
	printf("detached\n");
	return 0;
}
