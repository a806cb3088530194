/*
 * cmd/run_maps.c -- what `rawbpf run` shows of maps when it stops: the counters a
 * program kept (a uprobe's hits per process, a cgroup program's packets, ...).
 *
 * Programs that count do not send events; they leave numbers in hash and array maps
 * for user space to read.  So when the run ends, before anything is detached or
 * closed, each declared map of a kind that holds keys and values (hash, array, LRU
 * hash, per-CPU ones summed is not done: their first CPU's value is shown) is
 * walked with BPF_MAP_GET_NEXT_KEY and its non-zero entries printed, the 32 biggest
 * values first: keys and values of 1, 2, 4 or 8 bytes as unsigned numbers, others
 * in hex.
 * Global data (.data, .bss, ...) and event maps (ring and perf buffers) are skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "cmd.h"

#define SHOW_MAX 32
#define SCAN_MAX 65536

static int counts(enum bpf_map_type t)
{
	return t == BPF_MAP_TYPE_HASH || t == BPF_MAP_TYPE_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_HASH || t == BPF_MAP_TYPE_PERCPU_HASH ||
	       t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/* A number if n is 1, 2, 4 or 8 bytes (little-endian), else hex bytes. */
static void print_value(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;
	uint32_t i;

	if (n == 1 || n == 2 || n == 4 || n == 8) {
		memcpy(&v, p, n);
		printf("%llu", (unsigned long long)v);
		return;
	}
	for (i = 0; i < n && i < 32; i++)
		printf("%02x%s", p[i], i + 1 < n ? " " : "");
	if (n > 32)
		printf(" ...");
}

static int all_zero(const uint8_t *p, uint32_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

/* One entry kept for printing: the key and value bytes, and the value as a number
 * for sorting (0 when it is not 1, 2, 4 or 8 bytes). */
struct entry {
	uint8_t *kv;
	uint64_t num;
};

static int by_value_desc(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->num < y->num ? 1 : x->num > y->num ? -1 : 0;
}

/* Collect the non-zero entries (up to SCAN_MAX), print the SHOW_MAX biggest. */
static void show_map(const struct rbpf_map *m, int ncpu)
{
	uint32_t ks = rbpf_map_key_size(m), vs = rbpf_map_value_size(m);
	int percpu = rbpf_map_type(m) == BPF_MAP_TYPE_PERCPU_HASH ||
		     rbpf_map_type(m) == BPF_MAP_TYPE_PERCPU_ARRAY ||
		     rbpf_map_type(m) == BPF_MAP_TYPE_LRU_PERCPU_HASH;
	size_t vbytes = percpu ? (size_t)((vs + 7) & ~7u) * ncpu : vs;
	uint8_t *key = calloc(1, ks), *next = calloc(1, ks), *val = calloc(1, vbytes);
	struct entry *e = calloc(SCAN_MAX, sizeof(*e));
	int fd = rbpf_map_fd(m), n = 0, i, first = 1;

	while (key && next && val && e && n < SCAN_MAX &&
	       rbpf_map_get_next_key(fd, first ? NULL : key, next) == 0) {
		first = 0;
		memcpy(key, next, ks);
		if (rbpf_map_lookup_elem(fd, key, val, 0) < 0 || all_zero(val, vs) ||
		    !(e[n].kv = malloc(ks + vs)))
			continue;
		memcpy(e[n].kv, key, ks);
		memcpy(e[n].kv + ks, val, vs);
		if (vs <= 8)
			memcpy(&e[n].num, val, vs);
		n++;
	}
	if (n)
		printf("map  %s:%s\n", rbpf_map_name(m), n > SHOW_MAX ? " (the biggest values)" : "");
	if (e)
		qsort(e, n, sizeof(*e), by_value_desc);
	for (i = 0; i < n; i++) {
		if (i < SHOW_MAX) {
			printf("  ");
			print_value(e[i].kv, ks);
			printf(" => ");
			print_value(e[i].kv + ks, vs);
			printf("\n");
		}
		free(e[i].kv);
	}
	if (n > SHOW_MAX)
		printf("  (%d more)\n", n - SHOW_MAX);
	free(key), free(next), free(val), free(e);
}

void run_print_maps(const struct rbpf_object *obj)
{
	const struct rbpf_map *m = NULL;
	size_t size;
	int ncpu = rbpf_num_possible_cpus();

	while ((m = rbpf_object_next_map(obj, m))) {
		if (!counts(rbpf_map_type(m)) || rbpf_map_fd(m) < 0 ||
		    rbpf_map_initial_value((struct rbpf_map *)m, &size))
			continue;                       /* global data has an initial value */
		show_map(m, ncpu > 0 ? ncpu : 1);
	}
}
