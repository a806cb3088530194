/*
 * hello_map.c -- the user side of the chapter's per-UID counter: every 2 seconds,
 * walk the hash map with BPF_MAP_GET_NEXT_KEY and read each count with
 * BPF_MAP_LOOKUP_ELEM, as BCC's b["counter_table"].items() did.
 *
 * Concept:     user space reaches a map through its fd, one bpf() call per step:
 *              GET_NEXT_KEY(NULL) gives the first key, GET_NEXT_KEY(k) the one after
 *              k, -ENOENT after the last; LOOKUP copies the value out.
 * Prog type:   kprobe on execve; the tracepoint twin without kprobes; the raw
 *              tracepoint twin without tracefs (see progs/lesson.h).
 * Kernel:      5.15+ (the course's floor).
 * Prints:      one line per 2 s:  ID 0: 3	ID 1000: 5
 * Privilege:   root, or only CAP_BPF + CAP_PERFMON:
 *                  setpriv --reuid=nobody --inh-caps=+bpf,+perfmon \
 *                          --ambient-caps=+bpf,+perfmon build/progs/hello_map
 *
 * Usage: hello_map [--count N] [--timeout S] [--trigger] [--interval S]
 *   --count N counts printed lines.
 */
#include "lesson.h"

static double interval = 2;

static int more_args(int argc, char **argv, int i)
{
	if (!strcmp(argv[i], "--interval") && i + 1 < argc) {
		interval = atof(argv[i + 1]);
		return 2;
	}
	return 0;
}

/* One line: every key of the map and its value, in the map's own order. */
static int print_counts(int map_fd)
{
	uint64_t key, next, value;
	void *prev = NULL;              /* NULL asks for the first key */
	int err;

	while ((err = rbpf_map_get_next_key(map_fd, prev, &next)) == 0) {
		key = next;
		prev = &key;
		if (rbpf_map_lookup_elem(map_fd, &key, &value, 0) == 0)
			printf("ID %llu: %llu\t", (unsigned long long)key,
			       (unsigned long long)value);
	}
	printf("\n");
	return err == -ENOENT ? 0 : err;  /* -ENOENT: that was the last key */
}

int main(int argc, char **argv)
{
	struct lesson_opts o;
	struct rbpf_object *obj;
	struct rbpf_link *link = NULL;
	long lines = 0;
	double next;
	int map_fd, err = 0;

	if (lesson_args(argc, argv, &o, "hello_map [--count N] [--timeout S] [--trigger] "
			"[--interval S]", more_args))
		return 2;
	obj = lesson_open(argv[0], "hello_map");
	if (!obj || lesson_load(obj, "hello_map", NULL) < 0)
		return 1;
	map_fd = rbpf_map_fd(rbpf_object_find_map(obj, "counter_table"));
	if (lesson_attach_execve(obj, "hello", "hello_raw", &link) < 0) {
		fprintf(stderr, "hello_map: %s\n", rbpf_errmsg());
		rbpf_object_close(obj);
		return 1;
	}
	printf("counting execve per user -- Ctrl-C to stop\n");
	next = lesson_now() + interval;
	while (lesson_go_on(&o, lines)) {
		usleep(50000);
		if (lesson_now() < next)
			continue;
		next += interval;
		err = print_counts(map_fd);
		if (err < 0) {
			fprintf(stderr, "hello_map: reading counter_table: %s\n", strerror(-err));
			break;
		}
		lines++;
	}
	rbpf_link_destroy(link);
	rbpf_object_close(obj);
	printf("detached\n");
	return err < 0;
}
