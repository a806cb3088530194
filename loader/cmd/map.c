/*
 * cmd/map.c -- `rawbpf map list|show|dump` and `map lookup|update|delete|getnext`:
 * the maps the kernel holds, and what is in them, the way bpftool shows it.  A map is
 * named by id or by `pinned PATH` (cmd/ref.c); either way the verb gets an fd.
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
 *
 * Keys and values print as the map's BTF says (cmd/value.c: 42, "bash", {.pid = 1}),
 * when the map was created with BTF (bpf_map_info's btf_id and key/value type ids,
 * the BTF itself fetched with BPF_BTF_GET_FD_BY_ID); otherwise, or with --hex, as
 * bytes.  The element verbs (lookup, update, delete, getnext) are in cmd/map_elem.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawbpf.h"
#include "../btf.h"
#include "cmd.h"
#include "ref.h"
#include "map.h"
#include "value.h"

#define ENOTSUPP 524       /* the kernel's internal "not supported", seen by user space */

static int is_percpu(uint32_t t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}


/* Info for the map behind fd; 0 or -errno. */
static int map_info(int fd, const struct obj_ref *ref, struct bpf_map_info *info)
{
	uint32_t len = sizeof(*info);
	int err;

	memset(info, 0, sizeof(*info));
	err = rbpf_obj_get_info_by_fd(fd, info, &len);
	if (err < 0)
		return rbpf_error(err, "map: OBJ_GET_INFO_BY_FD on %s: %s", ref_name(ref),
				  rbpf_errno_name(err));
	return 0;
}

/* An fd and the info for the map named on the command line; fd, or -(exit status)
 * with the message printed. */
int map_open(const struct obj_ref *ref, struct bpf_map_info *info)
{
	int fd = ref_open(ref, REF_MAP);

	if (fd < 0)
		return -ref_fail(ref, map_usage);
	if (map_info(fd, ref, info) < 0) {
		close(fd);
		return -cmd_fail(1);
	}
	return fd;
}

static void print_heading(void)
{
	printf("%6s  %-16s %-16s %5s %6s %8s  %s\n", "ID", "TYPE", "NAME", "KEY", "VALUE",
	       "ENTRIES", "FLAGS");
}

static void print_line(const struct bpf_map_info *info)
{
	char tb[16];

	printf("%6u  %-16s %-16s %5u %6u %8u  0x%x\n", info->id,
	       map_type_name(info->type, tb, sizeof(tb)), info->name[0] ? info->name : "-",
	       info->key_size, info->value_size, info->max_entries, info->map_flags);
}

static int map_list(void)
{
	uint32_t id = 0;
	int err;

	print_heading();
	while ((err = rbpf_map_get_next_id(id, &id)) == 0) {
		struct obj_ref ref = { .id = id };
		struct bpf_map_info info;
		int fd = ref_open(&ref, REF_MAP);

		if (fd == -ENOENT)
			continue;
		err = fd < 0 ? fd : map_info(fd, &ref, &info);
		if (fd >= 0)
			close(fd);
		if (err < 0)
			return cmd_fail(1);
		print_line(&info);
	}
	if (err != -ENOENT) {
		rbpf_error(err, "map: BPF_MAP_GET_NEXT_ID: %s%s%s", rbpf_errno_name(err),
			   *rbpf_errno_hint(err) ? ": " : "", rbpf_errno_hint(err));
		return cmd_fail(2);
	}
	return 0;
}

/* `map show ID|pinned PATH`: the list's heading and the one line. */
static int map_show(const struct obj_ref *ref)
{
	struct bpf_map_info info;
	int fd = map_open(ref, &info);

	if (fd < 0)
		return -fd;
	close(fd);
	print_heading();
	print_line(&info);
	return 0;
}

/* ------------------------------------------------------------------------ dump */


void map_print_hex(const uint8_t *b, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		printf("%s%02x", i ? " " : "", b[i]);
}

/* A key or value as its BTF type says, or as hex bytes without one. */
void map_print_typed(const struct entries *e, uint32_t type, const uint8_t *b, uint32_t n)
{
	if (!e->btf.ntypes || value_print(stdout, &e->btf, type, b, n) < 0)
		map_print_hex(b, n);
}

void map_print_entry(const struct entries *e, const uint8_t *key, const uint8_t *val)
{
	uint32_t c;

	printf("key: ");
	map_print_typed(e, e->key_type, key, e->key_size);
	if (!e->ncpus) {
		printf("  value: ");
		map_print_typed(e, e->value_type, val, e->value_size);
		printf("\n");
		return;
	}
	printf("\n");
	for (c = 0; c < e->ncpus; c++) {
		printf("  value (CPU %02u): ", c);
		map_print_typed(e, e->value_type, val + c * e->cpu_size, e->cpu_value);
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
			map_print_entry(e, keys + (size_t)i * e->key_size, vals + (size_t)i * e->value_size);
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
		map_print_entry(e, key, val);
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

/* The map's BTF, when it has one and --hex did not ask for bytes: keys and values
 * are then printed as their types say.  Without it (a map made without BTF, or a
 * BTF we cannot read) they stay hex. */
void map_entries_btf(const struct bpf_map_info *info, struct entries *e, int hex)
{
	if (hex || !info->btf_id || (!info->btf_key_type_id && !info->btf_value_type_id))
		return;
	if (value_btf_by_id(info->btf_id, &e->btf) < 0) {
		memset(&e->btf, 0, sizeof(e->btf));
		return;
	}
	e->key_type = info->btf_key_type_id;
	e->value_type = info->btf_value_type_id;
}

/* The sizes user space sees for this map; 0 or -errno. */
int map_entries_for(const struct bpf_map_info *info, struct entries *e)
{
	int cpus;

	memset(e, 0, sizeof(*e));
	e->key_size = info->key_size;
	e->value_size = info->value_size;
	if (!is_percpu(info->type))
		return 0;
	cpus = rbpf_num_possible_cpus();
	if (cpus < 0)
		return cpus;
	e->ncpus = cpus;
	e->cpu_size = (info->value_size + 7) & ~7u;
	e->cpu_value = info->value_size;
	e->value_size = e->cpu_size * e->ncpus;
	return 0;
}

static int map_dump(const struct obj_ref *ref, int hex)
{
	struct bpf_map_info info;
	struct entries e;
	char tb[16];
	int fd = map_open(ref, &info), n;
	uint32_t id;

	if (fd < 0)
		return -fd;
	id = info.id;
	if (map_entries_for(&info, &e) < 0) {
		close(fd);
		return cmd_fail(1);
	}
	if (!info.key_size) {
		printf("map %u (%s) has no keys to walk\n", id, map_type_name(info.type, tb, sizeof(tb)));
		close(fd);
		return 0;
	}
	map_entries_btf(&info, &e, hex);
	n = dump_batch(fd, &e, info.max_entries);
	if (n == -EINVAL || n == -ENOTSUPP || n == -EOPNOTSUPP || n == -EPERM)
		n = dump_walk(fd, &e);
	btf_free(&e.btf);
	close(fd);
	if (n < 0) {
		rbpf_error(n, "map: reading map %u (%s): %s", id,
			   map_type_name(info.type, tb, sizeof(tb)), rbpf_errno_name(n));
		return cmd_fail(1);
	}
	printf("Found %d element%s\n", n, n == 1 ? "" : "s");
	return 0;
}

int map_usage(void)
{
	fprintf(stderr,
		"usage: rawbpf map list\n"
		"       rawbpf map show MAP\n"
		"       rawbpf map dump MAP [--hex]\n"
		"       rawbpf map lookup MAP key BYTES [--hex]\n"
		"       rawbpf map update MAP key BYTES value BYTES [--noexist | --exist]\n"
		"       rawbpf map delete MAP key BYTES\n"
		"       rawbpf map getnext MAP [key BYTES] [--hex]\n"
		"MAP is an ID (from `map list`) or `pinned PATH`, a file in a bpffs.\n"
		"BYTES are hex bytes as `map dump` and bpftool print them, 01 00 00 00 (one\n"
		"to two hex digits each: 10 is sixteen), or one 0x integer per key or value\n"
		"(0x1 fills a 4-byte key in the machine's byte order).  A per-CPU map takes\n"
		"one value for every CPU or one value per possible CPU.  update: any key by\n"
		"default; --noexist only adds, --exist only replaces.  Keys and values print\n"
		"as the map's BTF types say (42, \"bash\", {.pid = 1}); --hex prints bytes.\n");
	return 2;
}

int cmd_map(int argc, char **argv)
{
	static const char *const elem_ops[] = { "update", "lookup", "delete", "getnext" };
	struct obj_ref ref;
	size_t i;
	int used;

	if (argc == 2 && !strcmp(argv[1], "list"))
		return map_list();
	if (argc < 3)
		return map_usage();
	for (i = 0; i < sizeof(elem_ops) / sizeof(elem_ops[0]); i++)
		if (!strcmp(argv[1], elem_ops[i]))
			return map_elem_cmd(argc, argv);
	used = ref_parse(argc - 2, argv + 2, &ref);
	if (!strcmp(argv[1], "dump") && used && argc == 3 + used && !strcmp(argv[argc - 1], "--hex"))
		return map_dump(&ref, 1);
	if (!used || argc != 2 + used)
		return map_usage();
	if (!strcmp(argv[1], "dump"))
		return map_dump(&ref, 0);
	if (!strcmp(argv[1], "show"))
		return map_show(&ref);
	return map_usage();
}
