/*
 * cmd_map.c -- `rawbpf map list` and `rawbpf map dump ID`: the maps the kernel holds,
 * and what is in them, the way bpftool shows it.
 *
 * Listing walks ids with BPF_MAP_GET_NEXT_ID, opens each with BPF_MAP_GET_FD_BY_ID and
 * reads struct bpf_map_info with BPF_OBJ_GET_INFO_BY_FD.  Dumping reads the entries
 * in batches (BPF_MAP_LOOKUP_BATCH, 5.6+, for hash and array maps); where the kernel
 * or the map type has no batch operation (EINVAL, ENOTSUPP), it falls back to the
 * classic walk: BPF_MAP_GET_NEXT_KEY from NULL, then BPF_MAP_LOOKUP_ELEM per key.
 *
 * Per-CPU maps hand user space one value per possible CPU, each rounded up to 8
 * bytes, back to back: the buffer is round_up(value_size, 8) * ncpus.  Maps without
 * keys to walk (ring buffers, queues, stacks) are listed but not dumped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawbpf.h"
#include "cmd.h"

#define ENOTSUPP 524       /* the kernel's internal "not supported", seen by user space */

static const char *const map_types[] = {
	"unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash",
	"percpu_array", "stack_trace", "cgroup_array", "lru_hash", "lru_percpu_hash",
	"lpm_trie", "array_of_maps", "hash_of_maps", "devmap", "sockmap", "cpumap",
	"xskmap", "sockhash", "cgroup_storage", "reuseport_sockarray",
	"percpu_cgroup_storage", "queue", "stack", "sk_storage", "devmap_hash",
	"struct_ops", "ringbuf", "inode_storage", "task_storage", "bloom_filter",
	"user_ringbuf", "cgrp_storage", "arena",
};

static const char *map_type_name(uint32_t t, char *buf, size_t n)
{
	if (t < sizeof(map_types) / sizeof(map_types[0]))
		return map_types[t];
	snprintf(buf, n, "type%u", t);
	return buf;
}

static int is_percpu(uint32_t t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

/* fd and info for one map id, or -errno. */
static int map_info_by_id(uint32_t id, struct bpf_map_info *info)
{
	uint32_t len = sizeof(*info);
	int fd = rbpf_map_get_fd_by_id(id), err;

	if (fd < 0)
		return rbpf_error(fd, "map: no fd for id %u: %s%s%s", id, rbpf_errno_name(fd),
				  *rbpf_errno_hint(fd) ? ": " : "", rbpf_errno_hint(fd));
	memset(info, 0, sizeof(*info));
	err = rbpf_obj_get_info_by_fd(fd, info, &len);
	if (err < 0) {
		close(fd);
		return rbpf_error(err, "map: OBJ_GET_INFO_BY_FD on id %u: %s", id,
				  rbpf_errno_name(err));
	}
	return fd;
}

static int map_list(void)
{
	uint32_t id = 0;
	int err;

	printf("%6s  %-16s %-16s %5s %6s %8s  %s\n", "ID", "TYPE", "NAME", "KEY", "VALUE",
	       "ENTRIES", "FLAGS");
	while ((err = rbpf_map_get_next_id(id, &id)) == 0) {
		struct bpf_map_info info;
		char tb[16];
		int fd = map_info_by_id(id, &info);

		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return cmd_fail(1);
		close(fd);
		printf("%6u  %-16s %-16s %5u %6u %8u  0x%x\n", info.id,
		       map_type_name(info.type, tb, sizeof(tb)), info.name[0] ? info.name : "-",
		       info.key_size, info.value_size, info.max_entries, info.map_flags);
	}
	if (err != -ENOENT) {
		rbpf_error(err, "map: BPF_MAP_GET_NEXT_ID: %s%s%s", rbpf_errno_name(err),
			   *rbpf_errno_hint(err) ? ": " : "", rbpf_errno_hint(err));
		return cmd_fail(2);
	}
	return 0;
}

/* ------------------------------------------------------------------------ dump */

struct entries {
	uint32_t key_size, value_size;   /* value_size: the user-space size (per-CPU: all) */
	uint32_t ncpus, cpu_size;        /* per-CPU maps: CPUs and bytes per CPU; else 0 */
	uint32_t cpu_value;              /* per-CPU maps: the value's own size (no padding) */
};

static void print_hex(const uint8_t *b, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		printf("%s%02x", i ? " " : "", b[i]);
}

static void print_entry(const struct entries *e, const uint8_t *key, const uint8_t *val)
{
	uint32_t c;

	printf("key: ");
	print_hex(key, e->key_size);
	if (!e->ncpus) {
		printf("  value: ");
		print_hex(val, e->value_size);
		printf("\n");
		return;
	}
	printf("\n");
	for (c = 0; c < e->ncpus; c++) {
		printf("  value (CPU %02u): ", c);
		print_hex(val + c * e->cpu_size, e->cpu_value);
		printf("\n");
	}
}

/* All entries with BPF_MAP_LOOKUP_BATCH.  Returns the count, or -errno (-EINVAL /
 * -ENOTSUPP: no batch for this map; the caller falls back).  The batch token is a
 * bucket number (u32) for hash maps and a key for arrays: key_size + 8 bytes hold
 * either.  The kernel reads in_batch before it writes out_batch, so one buffer. */
static int dump_batch(int fd, const struct entries *e, uint32_t max)
{
	uint32_t room = max ? (max < 4096 ? max : 4096) : 1, count, i;
	uint8_t *keys = malloc((size_t)room * e->key_size);
	uint8_t *vals = malloc((size_t)room * e->value_size);
	void *token = calloc(1, e->key_size + 8), *in = NULL;
	int n = 0, err = -ENOMEM;

	while (keys && vals && token) {
		count = room;
		err = rbpf_map_lookup_batch(fd, in, token, keys, vals, &count, 0);
		if (err < 0 && err != -ENOENT)
			break;
		for (i = 0; i < count; i++)
			print_entry(e, keys + (size_t)i * e->key_size, vals + (size_t)i * e->value_size);
		n += count;
		in = token;
		if (err == -ENOENT)
			break;
	}
	free(keys);
	free(vals);
	free(token);
	return err == -ENOENT ? n : err;
}

/* All entries with GET_NEXT_KEY + LOOKUP_ELEM: the way before 5.6. */
static int dump_walk(int fd, const struct entries *e)
{
	uint8_t *key = malloc(e->key_size + 1), *next = malloc(e->key_size + 1);
	uint8_t *val = malloc(e->value_size);
	int n = 0, err;
	void *prev = NULL;

	if (!key || !next || !val) {
		n = -ENOMEM;
		goto out;
	}
	while ((err = rbpf_map_get_next_key(fd, prev, next)) == 0) {
		memcpy(key, next, e->key_size);
		prev = key;
		if (rbpf_map_lookup_elem(fd, key, val, 0) < 0)
			continue;                /* deleted meanwhile */
		print_entry(e, key, val);
		n++;
	}
	if (err != -ENOENT)
		n = err;
out:
	free(key);
	free(next);
	free(val);
	return n;
}

static int map_dump(uint32_t id)
{
	struct bpf_map_info info;
	struct entries e;
	char tb[16];
	int fd = map_info_by_id(id, &info), n;

	if (fd < 0)
		return cmd_fail(1);
	memset(&e, 0, sizeof(e));
	e.key_size = info.key_size;
	e.value_size = info.value_size;
	if (is_percpu(info.type)) {
		int cpus = rbpf_num_possible_cpus();

		if (cpus < 0) {
			close(fd);
			return cmd_fail(1);
		}
		e.ncpus = cpus;
		e.cpu_size = (info.value_size + 7) & ~7u;
		e.cpu_value = info.value_size;
		e.value_size = e.cpu_size * e.ncpus;
	}
	if (!info.key_size) {
		printf("map %u (%s) has no keys to walk\n", id, map_type_name(info.type, tb, sizeof(tb)));
		close(fd);
		return 0;
	}
	n = dump_batch(fd, &e, info.max_entries);
	if (n == -EINVAL || n == -ENOTSUPP || n == -EOPNOTSUPP || n == -EPERM)
		n = dump_walk(fd, &e);
	close(fd);
	if (n < 0) {
		rbpf_error(n, "map: reading map %u (%s): %s", id,
			   map_type_name(info.type, tb, sizeof(tb)), rbpf_errno_name(n));
		return cmd_fail(1);
	}
	printf("Found %d element%s\n", n, n == 1 ? "" : "s");
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: rawbpf map list\n"
			"       rawbpf map dump ID\n");
	return 2;
}

int cmd_map(int argc, char **argv)
{
	char *end;
	unsigned long id;

	if (argc == 2 && !strcmp(argv[1], "list"))
		return map_list();
	if (argc != 3 || strcmp(argv[1], "dump"))
		return usage();
	id = strtoul(argv[2], &end, 10);
	if (*end || !*argv[2] || id > UINT32_MAX)
		return usage();
	return map_dump(id);
}
