/*
 * cmd/map_elem.c -- `rawbpf map lookup|update|delete|getnext MAP key ... [value ...]`:
 * one element at a time, one system call each (BPF_MAP_LOOKUP_ELEM, _UPDATE_ELEM with
 * BPF_ANY, BPF_NOEXIST or BPF_EXIST, _DELETE_ELEM, _GET_NEXT_KEY).  The dump, the
 * listing and the verb's dispatch are in map.c, which describes the layouts.
 *
 * Keys and values are given as hex bytes or as one 0x integer in the machine's byte
 * order; the map's info gives the sizes, checked before the call so that a wrong size
 * is named as such rather than as the kernel's EINVAL or, worse, a silent read past
 * the bytes given.  A per-CPU update takes the layout a lookup gives: one
 * 8-byte-aligned slot per possible CPU, filled from one value or from one value per
 * CPU.  What a lookup returns prints as the map's BTF types say (--hex: bytes).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawbpf.h"
#include "../btf.h"
#include "cmd.h"
#include "map.h"
#include "ref.h"

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
	int hex;                 /* --hex: print bytes, not typed values */
};

/* Parse `MAP key ITEM... [value ITEM...] [--noexist|--exist]` from argv[2..);
 * the sizes come from the map, so the map is opened first.  Returns the map's fd, or
 * -(exit status) with the reason printed. */
static int parse_elem(int argc, char **argv, struct elem_args *a, struct bpf_map_info *info)
{
	int used = ref_parse(argc - 2, argv + 2, &a->ref), i, fd, n;
	struct entries e;

	if (!used)
		return -map_usage();
	fd = map_open(&a->ref, info);
	if (fd < 0)
		return fd;
	if (map_entries_for(info, &e) < 0) {
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
		} else if (!strcmp(argv[i], "--hex")) {
			a->hex = 1;
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
	return -map_usage();
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
	return -map_usage();
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
		*status = map_usage();
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
int map_elem_cmd(int argc, char **argv)
{
	const char *op = argv[1];
	struct bpf_map_info info;
	struct elem_args a;
	struct entries e = { 0 };
	uint8_t *value = NULL, *out = NULL;
	int fd, ret = 0, err;

	memset(&a, 0, sizeof(a));
	fd = parse_elem(argc, argv, &a, &info);
	if (fd < 0) {
		ret = -fd;
		goto out;
	}
	map_entries_for(&info, &e);
	map_entries_btf(&info, &e, a.hex);
	if ((!a.have_key && strcmp(op, "getnext")) || (a.have_value != !strcmp(op, "update")) ||
	    (a.flags && strcmp(op, "update"))) {
		ret = map_usage();
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
		map_print_entry(&e, a.key.b, out);
	} else if (!strcmp(op, "getnext")) {
		printf("next key: ");
		map_print_typed(&e, e.key_type, out, e.key_size);
		printf("\n");
	}
out:
	if (fd >= 0)
		close(fd);
	btf_free(&e.btf);
	free(a.key.b);
	free(a.value.b);
	free(value);
	free(out);
	return ret;
}

