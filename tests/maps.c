/*
 * maps.c -- every map type of the chapter's table and every operation on it,
 * asserted against the running kernel.  The maps come from progs/maps.bpf.o (the
 * lesson's own object); the kernel side is driven with BPF_PROG_TEST_RUN, the user
 * side with the bpf() wrappers.  PERF_EVENT_ARRAY, RINGBUF and PROG_ARRAY are also
 * exercised end to end by tests/lessons.c (hello_buffer, hello_ringbuf, hello_tail).
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rawbpf.h"
#include "test.h"
#include "common.h"

enum { OP_LOOKUP = 1, OP_UPDATE, OP_DELETE, OP_POP, OP_LRU_TOUCH };

static struct rbpf_object *obj;

static void open_maps(void)
{
	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path("progs/maps.bpf.o"), &obj));
	ASSERT_OK(rbpf_object_load(obj, 0));
}

static int fd_of(const char *map)
{
	struct rbpf_map *m = rbpf_object_find_map(obj, map);

	ASSERT_TRUE(m != NULL, "no map %s in maps.bpf.o", map);
	return rbpf_map_fd(m);
}

/* Run a raw tracepoint program of the object once; its return value as int. */
static long run(const char *prog, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t args[4] = { a0, a1, a2, a3 };
	struct rbpf_test_run_args t = { .ctx_in = args, .ctx_size_in = sizeof(args) };

	ASSERT_OK(rbpf_prog_test_run(rbpf_prog_fd(rbpf_object_find_prog(obj, prog)), &t));
	return (int32_t)t.retval;
}

static void pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	ASSERT(0, sched_setaffinity(0, sizeof(set), &set));
}

TEST(maps_hash_update_flags_lookup_delete)
{
	uint32_t k = 1;
	uint64_t v = 10;
	int fd;

	open_maps();
	fd = fd_of("hash");
	ASSERT(-ENOENT, rbpf_map_update_elem(fd, &k, &v, BPF_EXIST));    /* only replaces */
	ASSERT(0, rbpf_map_update_elem(fd, &k, &v, BPF_NOEXIST));        /* only makes */
	v = 11;
	ASSERT(-EEXIST, rbpf_map_update_elem(fd, &k, &v, BPF_NOEXIST));
	ASSERT(0, rbpf_map_update_elem(fd, &k, &v, BPF_EXIST));
	v = 12;
	ASSERT(0, rbpf_map_update_elem(fd, &k, &v, BPF_ANY));            /* either */
	v = 0;
	ASSERT(0, rbpf_map_lookup_elem(fd, &k, &v, 0));
	ASSERT(12, v);
	ASSERT(-EINVAL, rbpf_map_update_elem(fd, &k, &v, 42));           /* unknown flag */
	ASSERT(0, rbpf_map_delete_elem(fd, &k));
	ASSERT(-ENOENT, rbpf_map_delete_elem(fd, &k));
	ASSERT(-ENOENT, rbpf_map_lookup_elem(fd, &k, &v, 0));
}

TEST(maps_hash_get_next_key_first_and_delete_while_iterating)
{
	uint32_t k, next, missing = 999, seen = 0;
	uint64_t v = 0;
	int fd, n = 0, r;

	open_maps();
	fd = fd_of("hash");
	ASSERT(-ENOENT, rbpf_map_get_next_key(fd, NULL, &next));         /* empty map */
	for (k = 1; k <= 5; k++)
		ASSERT(0, rbpf_map_update_elem(fd, &k, &v, BPF_ANY));
	/* the walk: NULL first, then each key, -ENOENT after the last */
	for (r = rbpf_map_get_next_key(fd, NULL, &k); r == 0; r = rbpf_map_get_next_key(fd, &k, &k)) {
		ASSERT_TRUE(k >= 1 && k <= 5, "key %u", k);
		seen |= 1u << k;
		n++;
	}
	ASSERT(-ENOENT, r);
	ASSERT(5, n);
	ASSERT(0x3e, seen);
	/* a key that is not there: the kernel restarts from the first key */
	ASSERT(0, rbpf_map_get_next_key(fd, &missing, &next));
	/* delete while iterating: fetch the next key before deleting the current one */
	n = 0;
	r = rbpf_map_get_next_key(fd, NULL, &k);
	while (r == 0) {
		r = rbpf_map_get_next_key(fd, &k, &next);
		ASSERT(0, rbpf_map_delete_elem(fd, &k));
		n++;
		k = next;
	}
	ASSERT(5, n);
	ASSERT(-ENOENT, rbpf_map_get_next_key(fd, NULL, &next));
}

TEST(maps_hash_lookup_and_delete_and_batch)
{
	uint32_t k, keys[4], out, count, total = 0, seen = 0;
	uint64_t v, vals[4];
	void *in = NULL;
	int fd, r;

	open_maps();
	fd = fd_of("hash");
	for (k = 1; k <= 6; k++) {
		v = k * 100;
		ASSERT(0, rbpf_map_update_elem(fd, &k, &v, BPF_ANY));
	}
	k = 3;
	if (test_has(RBPF_FEAT_HASH_LOOKUP_DELETE)) {
		ASSERT(0, rbpf_map_lookup_and_delete_elem(fd, &k, &v));    /* hash: 5.14+ */
	} else {            /* before: ENOTSUPP (524); look up, then delete */
		ASSERT(-524, rbpf_map_lookup_and_delete_elem(fd, &k, &v));
		ASSERT(0, rbpf_map_lookup_elem(fd, &k, &v, 0));
		ASSERT(0, rbpf_map_delete_elem(fd, &k));
	}
	ASSERT(300, v);
	ASSERT(-ENOENT, rbpf_map_lookup_elem(fd, &k, &v, 0));
	/* batches of at most 4 over the 5 left: the last batch ends with -ENOENT */
	do {
		count = 4;
		r = rbpf_map_lookup_batch(fd, in, &out, keys, vals, &count, 0);
		ASSERT_TRUE(r == 0 || r == -ENOENT, "lookup_batch: %d", r);
		for (uint32_t i = 0; i < count; i++) {
			ASSERT(keys[i] * 100, vals[i]);
			seen |= 1u << keys[i];
		}
		total += count;
		in = &out;
	} while (r == 0);
	ASSERT(5, total);
	ASSERT(0x76, seen);                                              /* 1 2 4 5 6 */
}

TEST(maps_kernel_side_lookup_update_delete)
{
	uint32_t k = 7;
	uint64_t v;

	open_maps();
	ASSERT(0, run("kernel_ops", OP_UPDATE, 7, 70, BPF_NOEXIST));
	ASSERT(-EEXIST, run("kernel_ops", OP_UPDATE, 7, 71, BPF_NOEXIST));
	ASSERT(-ENOENT, run("kernel_ops", OP_UPDATE, 8, 80, BPF_EXIST));
	ASSERT(70, run("kernel_ops", OP_LOOKUP, 7, 0, 0));
	ASSERT(0, rbpf_map_lookup_elem(fd_of("hash"), &k, &v, 0));      /* shared with us */
	ASSERT(70, v);
	v = 77;
	ASSERT(0, rbpf_map_update_elem(fd_of("hash"), &k, &v, BPF_EXIST));
	ASSERT(77, run("kernel_ops", OP_LOOKUP, 7, 0, 0));
	ASSERT(0, run("kernel_ops", OP_DELETE, 7, 0, 0));
	ASSERT(-ENOENT, run("kernel_ops", OP_DELETE, 7, 0, 0));
	ASSERT(-1, run("kernel_ops", OP_LOOKUP, 7, 0, 0));               /* NULL */
}

/* Queue maps: pop from a program is lookup-and-delete; so is the user command. */
TEST(maps_queue_pop_is_lookup_and_delete)
{
	uint64_t v;
	int fd;

	open_maps();
	fd = fd_of("queue");
	for (v = 1; v <= 3; v++)
		ASSERT(0, rbpf_map_update_elem(fd, NULL, &v, BPF_ANY));
	ASSERT(1, run("kernel_ops", OP_POP, 0, 0, 0));                   /* FIFO */
	ASSERT(0, rbpf_map_lookup_and_delete_elem(fd, NULL, &v));
	ASSERT(2, v);
	ASSERT(3, run("kernel_ops", OP_POP, 0, 0, 0));
	ASSERT(-1, run("kernel_ops", OP_POP, 0, 0, 0));                  /* empty */
	ASSERT(-ENOENT, rbpf_map_lookup_and_delete_elem(fd, NULL, &v));
}

TEST(maps_array_every_key_exists)
{
	uint32_t k = 3, next;
	uint64_t v = 5;
	int fd;

	open_maps();
	fd = fd_of("array");
	ASSERT(0, rbpf_map_lookup_elem(fd, &k, &v, 0));                  /* zero-filled */
	ASSERT(0, v);
	v = 5;
	ASSERT(-EEXIST, rbpf_map_update_elem(fd, &k, &v, BPF_NOEXIST));  /* always there */
	ASSERT(0, rbpf_map_update_elem(fd, &k, &v, BPF_EXIST));
	ASSERT(-EINVAL, rbpf_map_delete_elem(fd, &k));                   /* cannot delete */
	k = 8;
	ASSERT(-ENOENT, rbpf_map_lookup_elem(fd, &k, &v, 0));            /* past the end */
	ASSERT(-E2BIG, rbpf_map_update_elem(fd, &k, &v, BPF_ANY));
	k = 7;
	ASSERT(-ENOENT, rbpf_map_get_next_key(fd, &k, &next));           /* last index */
	ASSERT(0, rbpf_map_get_next_key(fd, NULL, &next));
	ASSERT(0, next);
}

/* Run count_percpu cpu+1 times on each online CPU: each CPU's copy holds its own
 * count, the values come back as one slot per possible CPU. */
TEST(maps_percpu_values_per_cpu_summed)
{
	int ncpu = rbpf_num_possible_cpus(), online = sysconf(_SC_NPROCESSORS_ONLN), cpu, i;
	uint32_t zero = 0, key = 42;
	uint64_t a[ncpu > 0 ? ncpu : 1], h[ncpu > 0 ? ncpu : 1], sum = 0, want = 0;

	open_maps();
	ASSERT_TRUE(ncpu >= online, "possible %d < online %d", ncpu, online);
	for (cpu = 0; cpu < online; cpu++) {
		pin_cpu(cpu);
		for (i = 0; i <= cpu; i++)
			ASSERT(cpu, run("count_percpu", key, 0, 0, 0));  /* it ran there */
		want += cpu + 1;
	}
	ASSERT(0, rbpf_map_lookup_elem(fd_of("percpu_array"), &zero, a, 0));
	ASSERT(0, rbpf_map_lookup_elem(fd_of("percpu_hash"), &key, h, 0));
	for (cpu = 0; cpu < ncpu; cpu++) {
		ASSERT(cpu < online ? cpu + 1 : 0, a[cpu]);
		ASSERT(cpu < online ? cpu + 1 : 0, h[cpu]);
		sum += a[cpu];
	}
	ASSERT(want, sum);
}

/* Fill past max_entries, "using" key 1 before each insert.  A program's lookup
 * marks the entry used; a lookup from user space does not. */
static uint32_t lru_present(int touch_from_prog)
{
	uint32_t k, one = 1, present = 0;
	uint64_t v;
	int fd = fd_of("lru");

	for (k = 1; k <= 6; k++) {
		if (touch_from_prog)
			run("kernel_ops", OP_LRU_TOUCH, one, 0, 0);
		else
			rbpf_map_lookup_elem(fd, &one, &v, 0);
		v = k;
		ASSERT(0, rbpf_map_update_elem(fd, &k, &v, BPF_ANY));   /* never "full" */
	}
	for (k = 1; k <= 6; k++)
		if (rbpf_map_lookup_elem(fd, &k, &v, 0) == 0)
			present |= 1u << k;
	for (k = 1; k <= 6; k++)
		rbpf_map_delete_elem(fd, &k);
	return present;
}

TEST(maps_lru_evicts_least_recently_used)
{
	uint32_t p;

	open_maps();
	pin_cpu(0);                          /* the LRU's free lists are per CPU */
	ASSERT(4, rbpf_map_max_entries(rbpf_object_find_map(obj, "lru")));
	p = lru_present(1);
	ASSERT_TRUE(__builtin_popcount(p) <= 4, "more than max_entries present: %#x", p);
	ASSERT_TRUE(p & (1u << 6), "the newest key was evicted: %#x", p);
	ASSERT_TRUE(p & (1u << 1), "key 1, used by the program, was evicted: %#x", p);
	p = lru_present(0);
	ASSERT_TRUE(__builtin_popcount(p) <= 4, "more than max_entries present: %#x", p);
	ASSERT_TRUE(!(p & (1u << 1)), "key 1, only read from user space, survived: %#x", p);
}

struct lpm_key {
	uint32_t prefixlen;
	uint8_t addr[4];
};

TEST(maps_lpm_trie_longest_prefix)
{
	struct lpm_key k8 = { 8, { 10, 0, 0, 0 } }, k16 = { 16, { 10, 1, 0, 0 } };
	struct lpm_key k24 = { 24, { 10, 1, 2, 0 } }, q = { 32, { 10, 1, 2, 3 } };
	uint32_t v8 = 8, v16 = 16, v24 = 24, v = 0;
	int fd;

	open_maps();
	fd = fd_of("routes");
	ASSERT(0, rbpf_map_update_elem(fd, &k8, &v8, BPF_ANY));
	ASSERT(0, rbpf_map_update_elem(fd, &k16, &v16, BPF_ANY));
	ASSERT(0, rbpf_map_update_elem(fd, &k24, &v24, BPF_ANY));
	ASSERT(0, rbpf_map_lookup_elem(fd, &q, &v, 0));
	ASSERT(24, v);
	q.addr[2] = 9;                                     /* 10.1.9.3 */
	ASSERT(0, rbpf_map_lookup_elem(fd, &q, &v, 0));
	ASSERT(16, v);
	q.addr[1] = 9;                                     /* 10.9.9.3 */
	ASSERT(0, rbpf_map_lookup_elem(fd, &q, &v, 0));
	ASSERT(8, v);
	q.addr[0] = 192;
	ASSERT(-ENOENT, rbpf_map_lookup_elem(fd, &q, &v, 0));
	ASSERT(0, rbpf_map_delete_elem(fd, &k24));         /* exact prefix to delete */
	q = (struct lpm_key){ 32, { 10, 1, 2, 3 } };
	ASSERT(0, rbpf_map_lookup_elem(fd, &q, &v, 0));
	ASSERT(16, v);
}

/* The program records its kernel stack at execve; we read it back by id and find
 * the system call entry among the symbols of /proc/kallsyms. */
TEST(maps_stack_trace_symbolised)
{
	char *out;
	int st;

	NEED_ROOT();
	NEED_TRACEFS();
	out = test_run_cmd(&st, "%s stack", test_path("progs/maps"));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, ": stack id ");
	ASSERT_CONTAINS(out, "#0 ");
	ASSERT_CONTAINS(out, "do_syscall_64+0x");
	free(out);
}

TEST(maps_event_and_prog_array_rules)
{
	struct rbpf_map_create_args a = { .type = BPF_MAP_TYPE_RINGBUF, .max_entries = 12288 };
	uint32_t k = 0, id;
	int fd;

	NEED_ROOT();
	ASSERT(-EINVAL, rbpf_map_create(&a));              /* not a power of two */
	a.max_entries = 16384;
	fd = rbpf_map_create(&a);
	ASSERT_OK(fd);
	close(fd);
	/* a prog array: fds go in, ids come out */
	ASSERT_OK(rbpf_object_open(test_path("progs/hello_tail.bpf.o"), &obj));
	ASSERT_OK(rbpf_object_load(obj, 0));
	k = 59;
	ASSERT(0, rbpf_map_lookup_elem(fd_of("syscall"), &k, &id, 0));
	ASSERT_TRUE(id > 0, "id %u", id);
	k = 39;
	ASSERT(-ENOENT, rbpf_map_lookup_elem(fd_of("syscall"), &k, &id, 0));   /* empty */
	/* a perf event array has a slot per possible CPU */
	rbpf_object_close(obj);
	ASSERT_OK(rbpf_object_open(test_path("progs/hello_buffer.bpf.o"), &obj));
	ASSERT_OK(rbpf_object_load(obj, 0));
	ASSERT(rbpf_num_possible_cpus(), rbpf_map_max_entries(rbpf_object_find_map(obj, "output")));
}

TEST(maps_demo_as_nobody_with_cap_bpf)
{
	char *out;
	int st;

	NEED_ROOT();
	test_memlock_for_users();
	NEED_CMD("setpriv");
	out = test_run_cmd(&st, "setpriv --reuid=nobody --regid=nogroup --clear-groups "
			   "--inh-caps=-all,+bpf,+perfmon --ambient-caps=+bpf,+perfmon %s",
			   test_path("progs/maps"));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "update key 1 BPF_NOEXIST (exists)  -> EEXIST");
	ASSERT_CONTAINS(out, "10.1.2.3 -> /24");
	ASSERT_CONTAINS(out, "sum=");
	ASSERT_CONTAINS(out, "key 1 used from a program:   still there: 1");
	free(out);
}
