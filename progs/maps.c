/*
 * maps.c -- the map types of the chapter's table, each shown by what the kernel
 * does with it, one bpf() command at a time.
 *
 * Concept:     user space reaches a map through its fd: LOOKUP, UPDATE (BPF_ANY makes
 *              or replaces, BPF_NOEXIST only makes, BPF_EXIST only replaces), DELETE,
 *              GET_NEXT_KEY (a NULL key gives the first), LOOKUP_AND_DELETE,
 *              LOOKUP_BATCH.  The kernel side (progs/maps.bpf.c) is run here with
 *              BPF_PROG_TEST_RUN: no event needed, the program's return value comes
 *              back to us.
 * Prog type:   raw tracepoint programs run by test run; for the stack trace, a kprobe
 *              on execve or its tracepoint twin (see progs/lesson.h).
 * Kernel:      5.15+.
 * Prints:      per demonstration, each step and the kernel's answer:
 *                  update key 1 BPF_NOEXIST (exists)   -> EEXIST
 * Privilege:   root, or CAP_BPF + CAP_PERFMON (`maps stack` needs root: tracefs for
 *              the tracepoint and /proc/kallsyms's addresses).
 *
 * Usage: maps [hash|kernel|percpu|lru|lpm|queue|stack]...   (none: all but stack)
 */
#include <sched.h>

#include "lesson.h"

static struct rbpf_object *obj;

static int map_fd(const char *name)
{
	return rbpf_map_fd(rbpf_object_find_map(obj, name));
}

/* "0" or the errno's name, for printing what the kernel said. */
static const char *said(int r)
{
	return r >= 0 ? "ok" : rbpf_errno_name(r);
}

/* Run a raw tracepoint program once with ctx = args[4]; its return value. */
static long run(const char *prog, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t args[4] = { a0, a1, a2, a3 };
	struct rbpf_test_run_args t = { .ctx_in = args, .ctx_size_in = sizeof(args) };
	int r = rbpf_prog_test_run(lesson_fd(obj, prog), &t);

	return r < 0 ? r : (long)(int32_t)t.retval;
}

/* ------------------------------------------------------------------------ hash */

static void show_keys(int fd)
{
	uint32_t key, next;
	uint64_t value;
	void *prev = NULL;

	printf("  keys:");
	while (rbpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (rbpf_map_lookup_elem(fd, &key, &value, 0) == 0)
			printf(" %u=%llu", key, (unsigned long long)value);
	}
	printf("\n");
}

static void demo_update_flags(int fd)
{
	uint32_t k = 1;
	uint64_t v = 10;
	int r;

	printf("  update key 1 BPF_EXIST (absent)    -> %s\n",
	       said(rbpf_map_update_elem(fd, &k, &v, BPF_EXIST)));
	printf("  update key 1 BPF_NOEXIST (absent)  -> %s\n",
	       said(rbpf_map_update_elem(fd, &k, &v, BPF_NOEXIST)));
	v = 11;
	printf("  update key 1 BPF_NOEXIST (exists)  -> %s\n",
	       said(rbpf_map_update_elem(fd, &k, &v, BPF_NOEXIST)));
	printf("  update key 1 BPF_EXIST (exists)    -> %s\n",
	       said(rbpf_map_update_elem(fd, &k, &v, BPF_EXIST)));
	v = 0;
	r = rbpf_map_lookup_elem(fd, &k, &v, 0);
	printf("  lookup key 1                       -> %s, value %llu\n", said(r),
	       (unsigned long long)v);
	k = 2;
	printf("  lookup key 2                       -> %s\n",
	       said(rbpf_map_lookup_elem(fd, &k, &v, 0)));
	printf("  delete key 2                       -> %s\n", said(rbpf_map_delete_elem(fd, &k)));
}

/* Delete every key while walking: ask for the next key before deleting this one,
 * or the walk, having lost its place, starts over from the first key. */
static void demo_delete_while_iterating(int fd)
{
	uint32_t key, next;
	int r, n = 0;

	r = rbpf_map_get_next_key(fd, NULL, &key);
	while (r == 0) {
		r = rbpf_map_get_next_key(fd, &key, &next);
		rbpf_map_delete_elem(fd, &key);
		n++;
		key = next;
	}
	printf("  deleted %d keys while iterating; GET_NEXT_KEY(NULL) now -> %s\n", n,
	       said(rbpf_map_get_next_key(fd, NULL, &key)));
}

static void demo_batch(int fd)
{
	uint32_t keys[8] = { 0 }, out_batch, count = 8, k;
	uint64_t values[8] = { 0 }, v;
	int r;

	for (k = 1; k <= 5; k++) {
		v = k * 100;
		rbpf_map_update_elem(fd, &k, &v, BPF_ANY);
	}
	r = rbpf_map_lookup_batch(fd, NULL, &out_batch, keys, values, &count, 0);
	printf("  LOOKUP_BATCH of up to 8 -> %s, %u entries:", r == -ENOENT ? "ENOENT (all done)"
	       : said(r), count);
	for (k = 0; k < count; k++)
		printf(" %u=%llu", keys[k], (unsigned long long)values[k]);
	printf("\n");
	k = 3;
	r = rbpf_map_lookup_and_delete_elem(fd, &k, &v);
	printf("  LOOKUP_AND_DELETE key 3 -> %s, value %llu; lookup again -> %s\n", said(r),
	       (unsigned long long)v, said(rbpf_map_lookup_elem(fd, &k, &v, 0)));
}

static void demo_hash(void)
{
	int fd = map_fd("hash");

	printf("hash (BPF_MAP_TYPE_HASH, u32 -> u64), from user space:\n");
	demo_update_flags(fd);
	demo_batch(fd);
	show_keys(fd);
	demo_delete_while_iterating(fd);
}

/* ----------------------------------------------------------- kernel side ops */

enum { OP_LOOKUP = 1, OP_UPDATE, OP_DELETE, OP_POP, OP_LRU_TOUCH };

static void demo_kernel(void)
{
	int fd = map_fd("hash");
	uint32_t k = 7;
	uint64_t v;

	printf("hash, from a BPF program (kernel_ops, run by BPF_PROG_TEST_RUN):\n");
	printf("  bpf_map_update_elem(7, 70, BPF_NOEXIST) -> %ld\n",
	       run("kernel_ops", OP_UPDATE, 7, 70, BPF_NOEXIST));
	printf("  bpf_map_update_elem(7, 71, BPF_NOEXIST) -> %ld (-EEXIST)\n",
	       run("kernel_ops", OP_UPDATE, 7, 71, BPF_NOEXIST));
	printf("  bpf_map_lookup_elem(7)                  -> %ld\n",
	       run("kernel_ops", OP_LOOKUP, 7, 0, 0));
	if (rbpf_map_lookup_elem(fd, &k, &v, 0) == 0)
		printf("  user space sees key 7 = %llu\n", (unsigned long long)v);
	printf("  bpf_map_delete_elem(7)                  -> %ld\n",
	       run("kernel_ops", OP_DELETE, 7, 0, 0));
	printf("  bpf_map_delete_elem(7)                  -> %ld (-ENOENT)\n",
	       run("kernel_ops", OP_DELETE, 7, 0, 0));
}

/* ------------------------------------------------------------------- per-CPU */

/* Run count_percpu `times` times on `cpu`, by pinning ourselves there: a test run
 * of a raw tracepoint program runs on the CPU that asks. */
static int run_on_cpu(int cpu, int times, uint32_t key)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		return -errno;
	while (times--)
		if (run("count_percpu", key, 0, 0, 0) != cpu)
			return -EIO;
	return 0;
}

/* A per-CPU value is one 8-byte-aligned slot per possible CPU, in CPU order. */
static void show_percpu(const char *map, uint32_t key, int ncpu)
{
	uint64_t v[ncpu], sum = 0;
	int i;

	memset(v, 0, sizeof(v));
	if (rbpf_map_lookup_elem(map_fd(map), &key, v, 0) < 0)
		return;
	printf("  %s[%u]:", map, key);
	for (i = 0; i < ncpu; i++) {
		printf(" cpu%d=%llu", i, (unsigned long long)v[i]);
		sum += v[i];
	}
	printf("  sum=%llu\n", (unsigned long long)sum);
}

static void demo_percpu(void)
{
	int ncpu = rbpf_num_possible_cpus(), cpu, online = sysconf(_SC_NPROCESSORS_ONLN);

	printf("percpu_array and percpu_hash: %d possible CPUs "
	       "(/sys/devices/system/cpu/possible)\n", ncpu);
	for (cpu = 0; cpu < online && cpu < 4; cpu++)
		if (run_on_cpu(cpu, cpu + 1, 42) < 0)
			printf("  could not run on cpu %d\n", cpu);
	show_percpu("percpu_array", 0, ncpu);
	show_percpu("percpu_hash", 42, ncpu);
}

/* ----------------------------------------------------------------------- LRU */

/* Insert 1..max+2, "using" key 1 before each insert: from user space (touch 0) or
 * from a BPF program (touch 1).  Then print who is still there. */
static void lru_round(int touch)
{
	int fd = map_fd("lru");
	uint32_t k, one = 1, max = rbpf_map_max_entries(rbpf_object_find_map(obj, "lru"));
	uint64_t v;

	for (k = 1; k <= max + 2; k++)
		rbpf_map_delete_elem(fd, &k);
	for (k = 1; k <= max + 2; k++) {
		if (touch)
			run("kernel_ops", OP_LRU_TOUCH, one, 0, 0);
		else
			rbpf_map_lookup_elem(fd, &one, &v, 0);
		v = k;
		rbpf_map_update_elem(fd, &k, &v, BPF_ANY);
	}
	printf("  key 1 used from %-12s still there:", touch ? "a program:" : "user space:");
	for (k = 1; k <= max + 2; k++)
		if (rbpf_map_lookup_elem(fd, &k, &v, 0) == 0)
			printf(" %u", k);
	printf("   evicted:");
	for (k = 1; k <= max + 2; k++)
		if (rbpf_map_lookup_elem(fd, &k, &v, 0) < 0)
			printf(" %u", k);
	printf("\n");
}

/* A lookup from user space does not count as a use (the kernel's LRU hash has a
 * lookup for the syscall that leaves the entry's reference bit alone); a program's
 * lookup does.  We run on one CPU: the LRU's free lists are per CPU. */
static void demo_lru(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	printf("lru (BPF_MAP_TYPE_LRU_HASH, max_entries %u): insert 1..%u, using key 1 "
	       "before each insert\n", rbpf_map_max_entries(rbpf_object_find_map(obj, "lru")),
	       rbpf_map_max_entries(rbpf_object_find_map(obj, "lru")) + 2);
	lru_round(0);
	lru_round(1);
}

/* ----------------------------------------------------------------------- LPM */

struct ipv4_lpm_key {
	uint32_t prefixlen;
	uint8_t addr[4];
};

static void lpm_add(int fd, uint8_t a, uint8_t b, uint8_t c, uint32_t len, uint32_t value)
{
	struct ipv4_lpm_key k = { len, { a, b, c, 0 } };

	rbpf_map_update_elem(fd, &k, &value, BPF_ANY);
}

static void lpm_find(int fd, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct ipv4_lpm_key k = { 32, { a, b, c, d } };
	uint32_t value;
	int r = rbpf_map_lookup_elem(fd, &k, &value, 0);

	if (r == 0)
		printf("  %u.%u.%u.%u -> /%u\n", a, b, c, d, value);
	else
		printf("  %u.%u.%u.%u -> %s (no prefix matches)\n", a, b, c, d, said(r));
}

static void demo_lpm(void)
{
	int fd = map_fd("routes");

	printf("routes (BPF_MAP_TYPE_LPM_TRIE): 10.0.0.0/8, 10.1.0.0/16, 10.1.2.0/24; "
	       "value = prefix length\n");
	lpm_add(fd, 10, 0, 0, 8, 8);
	lpm_add(fd, 10, 1, 0, 16, 16);
	lpm_add(fd, 10, 1, 2, 24, 24);
	lpm_find(fd, 10, 1, 2, 3);
	lpm_find(fd, 10, 1, 9, 9);
	lpm_find(fd, 10, 9, 9, 9);
	lpm_find(fd, 192, 168, 0, 1);
}

/* --------------------------------------------------------------------- queue */

static void demo_queue(void)
{
	int fd = map_fd("queue");
	uint64_t v;
	int r;

	printf("queue (BPF_MAP_TYPE_QUEUE): lookup-and-delete from a BPF program is pop\n");
	for (v = 1; v <= 3; v++)
		rbpf_map_update_elem(fd, NULL, &v, BPF_ANY);       /* push: no key */
	printf("  pushed 1 2 3 from user space\n");
	printf("  bpf_map_pop_elem -> %ld\n", run("kernel_ops", OP_POP, 0, 0, 0));
	r = rbpf_map_lookup_and_delete_elem(fd, NULL, &v);
	printf("  LOOKUP_AND_DELETE from user space -> %s, %llu\n", said(r),
	       (unsigned long long)v);
	printf("  bpf_map_pop_elem -> %ld\n", run("kernel_ops", OP_POP, 0, 0, 0));
	printf("  bpf_map_pop_elem -> %ld (empty)\n", run("kernel_ops", OP_POP, 0, 0, 0));
}

/* --------------------------------------------------------------- stack trace */

/* Looking for the code symbol nearest below addr (kallsyms is not sorted). */
struct nearest {
	uint64_t addr, best;
	char *out;
	size_t n;
};

static int nearer(void *ctx, const struct rbpf_ksym *s)
{
	struct nearest *w = ctx;

	if (s->addr <= w->addr && s->addr > w->best && (s->type == 't' || s->type == 'T')) {
		w->best = s->addr;
		snprintf(w->out, w->n, "%s+0x%llx", s->name,
			 (unsigned long long)(w->addr - s->addr));
	}
	return 0;
}

/* The name of the kernel symbol at or below addr, from /proc/kallsyms. */
static void symbolise(uint64_t addr, char *out, size_t n)
{
	struct nearest w = { addr, 0, out, n };

	snprintf(out, n, "0x%llx", (unsigned long long)addr);
	rbpf_kallsyms_each(nearer, &w);
}

static void demo_stack(void)
{
	struct rbpf_link *link = NULL;
	uint64_t ips[127];
	int64_t id;
	uint32_t pid;
	char sym[300];
	int i;

	printf("stacks (BPF_MAP_TYPE_STACK_TRACE): the kernel stack at execve's entry\n");
	if (lesson_attach_execve(obj, "stack_of_execve", NULL, &link) < 0) {
		printf("  %s\n", rbpf_errmsg());
		return;
	}
	pid = fork();
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	rbpf_link_destroy(link);
	if (rbpf_map_lookup_elem(map_fd("stack_of_pid"), &pid, &id, 0) < 0) {
		printf("  the program did not run for pid %u\n", pid);
		return;
	}
	if (id < 0) {
		printf("  pid %u: bpf_get_stackid failed: %s\n", pid, rbpf_errno_name((int)id));
		return;
	}
	printf("  pid %u: stack id %lld\n", pid, (long long)id);
	memset(ips, 0, sizeof(ips));
	rbpf_map_lookup_elem(map_fd("stacks"), &(uint32_t){ (uint32_t)id }, ips, 0);
	for (i = 0; i < 127 && ips[i]; i++) {
		symbolise(ips[i], sym, sizeof(sym));
		printf("  #%d %s\n", i, sym);
	}
}

/* "stack" needs root (tracefs, /proc/kallsyms's addresses): only when asked for. */
static const struct lesson_demo demos[] = {
	{ "hash", demo_hash, 0 }, { "kernel", demo_kernel, 0 }, { "percpu", demo_percpu, 0 },
	{ "lru", demo_lru, 0 }, { "lpm", demo_lpm, 0 }, { "queue", demo_queue, 0 },
	{ "stack", demo_stack, 1 },
};
#define NDEMOS (sizeof(demos) / sizeof(demos[0]))

int main(int argc, char **argv)
{
	if (lesson_demo_args(argc, argv, demos, NDEMOS,
			     "maps [hash|kernel|percpu|lru|lpm|queue|stack]..."))
		return 2;
	obj = lesson_open(argv[0], "maps");
	if (!obj || lesson_load(obj, "maps", NULL) < 0)
		return 1;
	lesson_run_demos(argc, argv, demos, NDEMOS);
	rbpf_object_close(obj);
	return 0;
}
