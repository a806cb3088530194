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
 * The element verbs are one system call each (BPF_MAP_LOOKUP_ELEM, _UPDATE_ELEM with
 * BPF_ANY, BPF_NOEXIST or BPF_EXIST, _DELETE_ELEM, _GET_NEXT_KEY).  Keys and values
 * are hex bytes as dump prints them, or one 0x integer; their sizes are checked
 * against the map's info first, so a wrong size is named as such, not as EINVAL or
 * a read past the bytes given.  A per-CPU update takes one value, or one per CPU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawbpf.h"
#include "cmd.h"
#include "ref.h"

#define ENOTSUPP 524       /* the kernel's internal "not supported", seen by user space */

static int is_percpu(uint32_t t)
{
	return t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH || t == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: rawbpf map list\n"
		"       rawbpf map show MAP\n"
		"       rawbpf map dump MAP\n"
		"       rawbpf map lookup MAP key BYTES\n"
		"       rawbpf map update MAP key BYTES value BYTES [--noexist | --exist]\n"
		"       rawbpf map delete MAP key BYTES\n"
		"       rawbpf map getnext MAP [key BYTES]\n"
		"MAP is an ID (from `map list`) or `pinned PATH`, a file in a bpffs.\n"
		"BYTES are hex bytes as `map dump` and bpftool print them, 01 00 00 00 (one\n"
		"to two hex digits each: 10 is sixteen), or one 0x integer per key or value\n"
		"(0x1 fills a 4-byte key in the machine's byte order).  A per-CPU map takes\n"
		"one value for every CPU or one value per possible CPU.  update: any key by\n"
		"default; --noexist only adds, --exist only replaces.\n");
	return 2;
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
static int map_open(const struct obj_ref *ref, struct bpf_map_info *info)
{
	int fd = ref_open(ref, REF_MAP);

	if (fd < 0)
		return -ref_fail(ref, usage);
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

/* The sizes user space sees for this map; 0 or -errno. */
static int entries_for(const struct bpf_map_info *info, struct entries *e)
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

static int map_dump(const struct obj_ref *ref)
{
	struct bpf_map_info info;
	struct entries e;
	char tb[16];
	int fd = map_open(ref, &info), n;
	uint32_t id;

	if (fd < 0)
		return -fd;
	id = info.id;
	if (entries_for(&info, &e) < 0) {
		close(fd);
		return cmd_fail(1);
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

/* ----------------------------------------------------- lookup, update, delete */

/* The bytes given for a key or a value on the command line. */
struct field {
	uint8_t *b;              /* the bytes, in the order given */
	uint32_t n;              /* how many */
	uint32_t ints;           /* how many 0x integers they came from (0: hex bytes) */
};

/* One hex byte, "01" or "f": 1-2 hex digits.  0, or -1 if it is not one. */
static int parse_byte(const char *s, uint8_t *out)
{
	unsigned long v;
	char *end;

	if (!*s || strlen(s) > 2 || strspn(s, "0123456789abcdefABCDEF") != strlen(s))
		return -1;
	v = strtoul(s, &end, 16);
	*out = v;
	return 0;
}

/* The items of one field, argv[0..argc) up to the next keyword or flag, appended to
 * f; `width` is the size one 0x integer fills (native byte order).  Returns the
 * arguments used, or -1 after printing why (a usage error). */
static int parse_field(const char *name, int argc, char **argv, uint32_t width,
		       struct field *f)
{
	int i;

	for (i = 0; i < argc && strcmp(argv[i], "key") && strcmp(argv[i], "value") &&
		    argv[i][0] != '-'; i++) {
		int is_int = !strncmp(argv[i], "0x", 2) || !strncmp(argv[i], "0X", 2);
		uint8_t *nb = realloc(f->b, f->n + (is_int ? width : 1) + 1);
		unsigned long long v;
		char *end;

		if (!nb)
			return -1;
		f->b = nb;
		if ((is_int && f->n && !f->ints) || (!is_int && f->ints)) {
			fprintf(stderr, "rawbpf: map: %s mixes 0x integers and hex bytes; give one "
				"or the other\n", name);
			return -1;
		}
		if (!is_int) {
			if (parse_byte(argv[i], f->b + f->n) < 0) {
				fprintf(stderr, "rawbpf: map: %s byte '%s' is not 1 or 2 hex digits "
					"(write a byte as bpftool prints it, 0a; an integer as 0xa)\n",
					name, argv[i]);
				return -1;
			}
			f->n++;
			continue;
		}
		errno = 0;
		v = strtoull(argv[i] + 2, &end, 16);
		if (!argv[i][2] || *end || errno || width == 0 || width > 8 || (width & (width - 1)) ||
		    (width < 8 && v >> (8 * width))) {
			fprintf(stderr, "rawbpf: map: %s '%s' is not a hex integer that fits the "
				"map's %u-byte %s (0x integers fill 1, 2, 4 or 8 bytes; give "
				"bytes otherwise)\n", name, argv[i], width, name);
			return -1;
		}
		if (width == 1) { uint8_t x = v; memcpy(f->b + f->n, &x, 1); }
		else if (width == 2) { uint16_t x = v; memcpy(f->b + f->n, &x, 2); }
		else if (width == 4) { uint32_t x = v; memcpy(f->b + f->n, &x, 4); }
		else { uint64_t x = v; memcpy(f->b + f->n, &x, 8); }
		f->n += width;
		f->ints++;
	}
	return i;
}

/* What an element operation was given on the command line. */
struct elem_args {
	struct obj_ref ref;
	struct field key, value;
	int have_key, have_value;
	uint64_t flags;          /* BPF_ANY, BPF_NOEXIST, BPF_EXIST */
};

/* Parse `MAP key ITEM... [value ITEM...] [--noexist|--exist]` from argv[2..);
 * the sizes come from the map, so the map is opened first.  Returns the map's fd, or
 * -(exit status) with the reason printed. */
static int parse_elem(int argc, char **argv, struct elem_args *a, struct bpf_map_info *info)
{
	int used = ref_parse(argc - 2, argv + 2, &a->ref), i, fd, n;
	struct entries e;

	if (!used)
		return -usage();
	fd = map_open(&a->ref, info);
	if (fd < 0)
		return fd;
	if (entries_for(info, &e) < 0) {
		close(fd);
		return -cmd_fail(1);
	}
	for (i = 2 + used; i < argc; i += n) {
		n = 1;
		if (!strcmp(argv[i], "--noexist") || !strcmp(argv[i], "--exist")) {
			uint64_t fl = argv[i][2] == 'n' ? BPF_NOEXIST : BPF_EXIST;

			if (a->flags && a->flags != fl)
				goto bad;
			a->flags = fl;
		} else if (!strcmp(argv[i], "key") && !a->have_key) {
			a->have_key = 1;
			n = parse_field("key", argc - i - 1, argv + i + 1, e.key_size, &a->key) + 1;
		} else if (!strcmp(argv[i], "value") && !a->have_value) {
			a->have_value = 1;
			n = parse_field("value", argc - i - 1, argv + i + 1, e.ncpus ? e.cpu_value :
					e.value_size, &a->value) + 1;
		} else {
			goto bad;
		}
		if (n <= 0)
			goto bad;
	}
	return fd;
bad:
	close(fd);
	return -usage();
}

/* Check the key's size against the map's; 0, or -(exit status) with the reason. */
static int check_key(const struct elem_args *a, const struct bpf_map_info *info)
{
	char tb[16];

	if (a->key.n == info->key_size)
		return 0;
	fprintf(stderr, "rawbpf: map: a key of %u byte%s, but %s (%s %s) has %u-byte keys\n",
		a->key.n, a->key.n == 1 ? "" : "s", ref_name(&a->ref),
		map_type_name(info->type, tb, sizeof(tb)), info->name, info->key_size);
	return -usage();
}

/* The value buffer the kernel wants, from what was given: for a per-CPU map one value
 * for every CPU or one per possible CPU, each in an 8-byte-aligned slot.  Returns the
 * buffer (caller frees), or NULL with *status set and the reason printed. */
static uint8_t *build_value(const struct elem_args *a, const struct bpf_map_info *info,
			    const struct entries *e, int *status)
{
	uint32_t each = e->ncpus ? e->cpu_value : e->value_size, c, per;
	uint8_t *buf;
	char tb[16];

	per = a->value.n == each ? 0 : each;       /* 0: the same value for every CPU */
	if (a->value.n != each && (!e->ncpus || a->value.n != each * e->ncpus)) {
		fprintf(stderr, "rawbpf: map: a value of %u byte%s, but %s (%s %s) has %u-byte "
			"values", a->value.n, a->value.n == 1 ? "" : "s", ref_name(&a->ref),
			map_type_name(info->type, tb, sizeof(tb)), info->name, each);
		if (e->ncpus)
			fprintf(stderr, ", one per CPU: give %u bytes for every CPU, or %u "
				"(%u for each of the %u possible CPUs)", each, each * e->ncpus,
				each, e->ncpus);
		fprintf(stderr, "\n");
		*status = usage();
		return NULL;
	}
	buf = calloc(1, e->value_size + 1);
	if (!buf) {
		rbpf_error(ENOMEM, "map: no memory for the value");
		*status = cmd_fail(1);
		return NULL;
	}
	if (!e->ncpus)
		memcpy(buf, a->value.b, each);
	for (c = 0; c < e->ncpus; c++)
		memcpy(buf + (size_t)c * e->cpu_size, a->value.b + (size_t)c * per, each);
	return buf;
}

static void hex_string(const uint8_t *b, uint32_t n, char *out, size_t size)
{
	uint32_t i;
	size_t o = 0;

	out[0] = 0;
	for (i = 0; i < n && o + 4 < size; i++)
		o += snprintf(out + o, size - o, "%s%02x", i ? " " : "", b[i]);
	if (i < n)
		snprintf(out + (o < size - 4 ? o : size - 4), 4, "...");
}

static int is_array(uint32_t t)
{
	return t == BPF_MAP_TYPE_ARRAY || t == BPF_MAP_TYPE_PERCPU_ARRAY;
}

/* An element operation's errno, in words; returns the exit status (1). */
static int elem_fail(const char *op, const struct elem_args *a,
		     const struct bpf_map_info *info, int err)
{
	const char *why = rbpf_errno_hint(err);
	char key[128], tb[16], buf[160];

	hex_string(a->key.b, a->key.n, key, sizeof(key));
	if (err == -ENOENT && !strcmp(op, "getnext"))
		why = a->have_key ? "no key after this one: it was the last (or it is not in "
				    "the map and the map is empty)" : "the map is empty";
	else if (err == -ENOENT)
		why = a->flags == BPF_EXIST ? "no entry with this key, and --exist only "
			"replaces an existing one" : "no entry with this key";
	else if (err == -EEXIST)
		why = is_array(info->type) ? "an array has every key from the start, and "
		      "--noexist only adds a new one" : "the key is in the map already, and "
		      "--noexist only adds a new one";
	else if (err == -E2BIG && is_array(info->type))
		why = buf, snprintf(buf, sizeof(buf), "an array's keys run from 0 to %u "
				    "(max_entries - 1)", info->max_entries - 1);
	else if (err == -E2BIG)
		why = buf, snprintf(buf, sizeof(buf), "the map is full (max_entries %u)",
				    info->max_entries);
	else if (err == -EINVAL && !strcmp(op, "delete"))
		why = "this map type has no delete (an array's elements always exist)";
	rbpf_error(err, "map: %s on %s (%s %s), key %s: %s%s%s", op, ref_name(&a->ref),
		   map_type_name(info->type, tb, sizeof(tb)), info->name, a->have_key ? key :
		   "(none)", rbpf_errno_name(err), *why ? ": " : "", why);
	return cmd_fail(1);
}

/* map update|lookup|delete|getnext: parse, check sizes, one system call. */
static int elem_verb(int argc, char **argv)
{
	const char *op = argv[1];
	struct bpf_map_info info;
	struct elem_args a;
	struct entries e;
	uint8_t *value = NULL, *out = NULL;
	int fd, ret = 0, err;

	memset(&a, 0, sizeof(a));
	fd = parse_elem(argc, argv, &a, &info);
	if (fd < 0) {
		ret = -fd;
		goto out;
	}
	entries_for(&info, &e);
	if ((!a.have_key && strcmp(op, "getnext")) || (a.have_value != !strcmp(op, "update")) ||
	    (a.flags && strcmp(op, "update"))) {
		ret = usage();
		goto out;
	}
	if (a.have_key && (err = check_key(&a, &info)) < 0) {
		ret = -err;
		goto out;
	}
	if (a.have_value && !(value = build_value(&a, &info, &e, &ret)))
		goto out;
	out = calloc(1, (e.value_size > e.key_size ? e.value_size : e.key_size) + 1);
	if (!out) {
		rbpf_error(ENOMEM, "map: no memory for the key and value");
		ret = cmd_fail(1);
		goto out;
	}
	if (!strcmp(op, "update"))
		err = rbpf_map_update_elem(fd, a.key.b, value, a.flags);
	else if (!strcmp(op, "lookup"))
		err = rbpf_map_lookup_elem(fd, a.key.b, out, 0);
	else if (!strcmp(op, "delete"))
		err = rbpf_map_delete_elem(fd, a.key.b);
	else
		err = rbpf_map_get_next_key(fd, a.have_key ? a.key.b : NULL, out);
	if (err < 0) {
		ret = elem_fail(op, &a, &info, err);
	} else if (!strcmp(op, "lookup")) {
		print_entry(&e, a.key.b, out);
	} else if (!strcmp(op, "getnext")) {
		printf("next key: ");
		print_hex(out, e.key_size);
		printf("\n");
	}
out:
	if (fd >= 0)
		close(fd);
	free(a.key.b);
	free(a.value.b);
	free(value);
	free(out);
	return ret;
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
		return usage();
	for (i = 0; i < sizeof(elem_ops) / sizeof(elem_ops[0]); i++)
		if (!strcmp(argv[1], elem_ops[i]))
			return elem_verb(argc, argv);
	used = ref_parse(argc - 2, argv + 2, &ref);
	if (!used || argc != 2 + used)
		return usage();
	if (!strcmp(argv[1], "dump"))
		return map_dump(&ref);
	if (!strcmp(argv[1], "show"))
		return map_show(&ref);
	return usage();
}
