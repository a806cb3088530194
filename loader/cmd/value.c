/*
 * cmd/value.c -- bytes printed as their BTF type says: what `map dump`, `map lookup`
 * and `run --record` show instead of hex.
 *
 * A map created from an object's BTF remembers the BTF ids of its key and value
 * (struct bpf_map_info: btf_id, btf_key_type_id, btf_value_type_id); a ring buffer
 * record has no type, so `run --record 'struct event'` names one in the object's BTF.
 * Either way we hold a struct btf and a type id, and walk the type over the bytes:
 *
 *   int, enum          a number; an enumerator by its name when one has the value;
 *                      _Bool as true/false
 *   char array         a "string" when it holds printable text up to a NUL
 *   other arrays       [1, 2, 3]
 *   struct, union      {.pid = 42, .comm = "bash"}: C's designated initializers, the
 *                      way the value would be written in the program; an anonymous
 *                      member's own fields appear in braces of their own
 *   global data        {.counter = 7, .greeting = "hi"}: a .data/.bss/.rodata
 *                      map's value is a DATASEC, its variables read like members
 *   pointer            0xffff8880... (an address: nothing to follow in user space)
 *   bitfield           its bits in hex, 0x5, as bpftool prints them (a flags
 *                      field reads best so; the sign is not applied)
 *   anything else      hex bytes
 *
 * This follows what bpftool's dump prints for the same types (numbers, names,
 * strings, nesting) in C's syntax rather than JSON's; tests/value.c holds the two
 * side by side.  Every read is checked against the bytes given: a type larger than
 * them prints as hex.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawbpf.h"
#include "../btf.h"
#include "value.h"

#define MAX_DEPTH 32

/* A string of the BTF, "" when its offset is bad. */
static const char *str(const struct btf *b, uint32_t off)
{
	const char *s = btf_str(b, off);

	return s ? s : "";
}

static void hex(FILE *f, const uint8_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s%02x", i ? " " : "", p[i]);
}

/* bits bits starting bit_off bits into p, little-endian, as an unsigned number. */
static uint64_t get_bits(const uint8_t *p, uint32_t bit_off, uint32_t bits)
{
	uint64_t v = 0;
	uint32_t i;

	for (i = 0; i < bits && i < 64; i++)
		v |= (uint64_t)(p[(bit_off + i) / 8] >> ((bit_off + i) % 8) & 1) << i;
	return v;
}

static int64_t sign_extend(uint64_t v, uint32_t bits)
{
	return bits && bits < 64 ? (int64_t)(v << (64 - bits)) >> (64 - bits) : (int64_t)v;
}

/* An INT at p (n bytes there): its bits may start past bit 0 (btf_int_offset). */
static void put_int(FILE *f, const struct btf_type *t, const uint8_t *p, uint32_t n)
{
	uint32_t enc = btf_int_encoding(t), bits = btf_int_bits(t), bit_off = btf_int_offset(t);
	uint64_t v;

	if ((uint64_t)bit_off + bits > (uint64_t)n * 8) {
		fprintf(f, "?");
		return;
	}
	if (bits > 64) {                             /* __int128: bytes, as hex */
		fprintf(f, "0x");
		for (uint32_t i = t->size; i > 0; i--)
			fprintf(f, "%02x", p[i - 1]);
		return;
	}
	v = get_bits(p, bit_off, bits);
	if (enc & BTF_INT_BOOL)
		fprintf(f, v ? "true" : "false");
	else if ((enc & BTF_INT_CHAR) && v >= 0x20 && v < 0x7f && v != '\'' && v != '\\')
		fprintf(f, "'%c'", (int)v);
	else if (enc & BTF_INT_SIGNED)
		fprintf(f, "%lld", (long long)sign_extend(v, bits));
	else
		fprintf(f, "%llu", (unsigned long long)v);
}

/* An enum: the enumerator with this value by name, or the number. */
static void put_enum(FILE *f, const struct btf *b, const struct btf_type *t, const uint8_t *p)
{
	uint32_t n = btf_vlen(t), i, width = t->size * 8;
	uint64_t v = get_bits(p, 0, width);
	int is_signed = btf_kflag(t);

	if (is_signed)
		v = sign_extend(v, width);
	for (i = 0; i < n; i++) {
		uint64_t e = btf_kind(t) == BTF_KIND_ENUM64 ? btf_enum64_value(&btf_enum64s(t)[i]) :
			     (uint64_t)(is_signed ? (int64_t)btf_enums(t)[i].val :
					(int64_t)(uint32_t)btf_enums(t)[i].val);

		if (width < 64 && !is_signed)
			e &= (1ull << width) - 1;
		if (e == v) {
			fprintf(f, "%s", str(b, btf_kind(t) == BTF_KIND_ENUM64 ?
				btf_enum64s(t)[i].name_off : btf_enums(t)[i].name_off));
			return;
		}
	}
	fprintf(f, is_signed ? "%lld" : "%llu", (long long)v);
}

/* A char array that holds text: printable bytes up to a NUL inside the array. */
static int is_text(const struct btf *b, const struct btf_type *elem, const uint8_t *p,
		   uint32_t n)
{
	uint32_t i;

	if (btf_kind(elem) != BTF_KIND_INT || elem->size != 1 ||
	    (!(btf_int_encoding(elem) & BTF_INT_CHAR) && strcmp(str(b, elem->name_off), "char")))
		return 0;
	for (i = 0; i < n && p[i]; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f)
			return 0;
	return i < n;
}

static void put_string(FILE *f, const uint8_t *p)
{
	fputc('"', f);
	for (; *p; p++)
		fprintf(f, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
	fputc('"', f);
}

static void put(FILE *f, const struct btf *b, uint32_t id, const uint8_t *p, uint32_t n,
		uint32_t bit_off, uint32_t bits, int depth);

static void put_array(FILE *f, const struct btf *b, const struct btf_type *t,
		      const uint8_t *p, uint32_t n, int depth)
{
	const struct btf_array *a = btf_array(t);
	const struct btf_type *elem = btf_type(b, btf_resolve(b, a->type));
	int64_t es = btf_type_size(b, a->type);
	uint32_t i;

	if (elem && is_text(b, elem, p, a->nelems))
		return put_string(f, p);
	fputc('[', f);
	for (i = 0; es > 0 && i < a->nelems; i++) {
		fprintf(f, i ? ", " : "");
		put(f, b, a->type, p + i * es, n - i * es, 0, 0, depth + 1);
	}
	fputc(']', f);
}

static void put_struct(FILE *f, const struct btf *b, const struct btf_type *t,
		       const uint8_t *p, uint32_t n, int depth)
{
	const struct btf_member *m = btf_members(t);
	uint32_t i, bit_off, bits;
	const char *name;

	fputc('{', f);
	for (i = 0; i < btf_vlen(t); i++) {
		btf_member_bits(b, t, i, &bit_off, &bits);
		name = btf_str(b, m[i].name_off);
		fprintf(f, "%s", i ? ", " : "");
		if (name && *name)
			fprintf(f, ".%s = ", name);
		if (bits)     /* a bitfield: its bits are read from the struct's start */
			put(f, b, m[i].type, p, n, bit_off, bits, depth + 1);
		else
			put(f, b, m[i].type, p + bit_off / 8, n - bit_off / 8, 0, 0, depth + 1);
	}
	fputc('}', f);
}

/* A global-data map's value (.data, .bss, .rodata): its variables, like members. */
static void put_datasec(FILE *f, const struct btf *b, const struct btf_type *t,
			const uint8_t *p, uint32_t n, int depth)
{
	const struct btf_var_secinfo *v = btf_secinfos(t);
	const struct btf_type *var;
	uint32_t i;

	fputc('{', f);
	for (i = 0; i < btf_vlen(t); i++) {
		var = btf_type(b, v[i].type);
		fprintf(f, "%s.%s = ", i ? ", " : "", btf_name(b, v[i].type));
		if (!var || btf_kind(var) != BTF_KIND_VAR || v[i].offset > n)
			fprintf(f, "?");
		else
			put(f, b, var->type, p + v[i].offset, n - v[i].offset, 0, 0, depth + 1);
	}
	fputc('}', f);
}

/* The value of type id at p (n bytes left); a bitfield when bits > 0. */
static void put(FILE *f, const struct btf *b, uint32_t id, const uint8_t *p, uint32_t n,
		uint32_t bit_off, uint32_t bits, int depth)
{
	const struct btf_type *t = btf_type(b, btf_resolve(b, id));
	int64_t size = btf_type_size(b, id);
	uint64_t u = 0;

	if (!t || (bits && (uint64_t)bit_off + bits > (uint64_t)n * 8) ||
	    (!bits && (size < 0 || (uint64_t)size > n))) {
		fprintf(f, "?");                     /* a type that lies about its size */
		return;
	}
	if (depth > MAX_DEPTH) {
		hex(f, p, bits ? 0 : size);
		return;
	}
	if (bits) {
		fprintf(f, "0x%llx", (unsigned long long)get_bits(p, bit_off, bits));
		return;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		return put_int(f, t, p, n);
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		return put_enum(f, b, t, p);
	case BTF_KIND_PTR:
		memcpy(&u, p, 8);
		return (void)fprintf(f, "0x%llx", (unsigned long long)u);
	case BTF_KIND_ARRAY:
		return put_array(f, b, t, p, n, depth);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return put_struct(f, b, t, p, n, depth);
	case BTF_KIND_DATASEC:
		return put_datasec(f, b, t, p, n, depth);
	case BTF_KIND_FLOAT:
		if (t->size == 4) {
			float x;
			memcpy(&x, p, 4);
			return (void)fprintf(f, "%g", x);
		}
		if (t->size == 8) {
			double x;
			memcpy(&x, p, 8);
			return (void)fprintf(f, "%g", x);
		}
	}
	hex(f, p, bits ? 0 : size);
}

int value_print(FILE *f, const struct btf *b, uint32_t id, const void *data, size_t n)
{
	int64_t size = btf_type_size(b, id);

	if (!id || size <= 0 || (uint64_t)size > n)
		return -1;
	put(f, b, id, data, n > UINT32_MAX ? UINT32_MAX : n, 0, 0, 0);
	return 0;
}

int value_btf_by_id(uint32_t id, struct btf *b)
{
	struct bpf_btf_info bi;
	uint32_t len = sizeof(bi);
	uint8_t *buf = NULL;
	int fd = rbpf_btf_get_fd_by_id(id), r;

	if (fd < 0)
		return fd;
	memset(&bi, 0, sizeof(bi));
	r = rbpf_obj_get_info_by_fd(fd, &bi, &len);          /* first ask: the size */
	if (r == 0 && !(buf = calloc(1, bi.btf_size + 1)))
		r = -ENOMEM;
	if (r == 0) {
		uint32_t size = bi.btf_size;

		memset(&bi, 0, sizeof(bi));
		bi.btf = (uint64_t)(unsigned long)buf;
		bi.btf_size = size;
		len = sizeof(bi);
		r = rbpf_obj_get_info_by_fd(fd, &bi, &len);  /* second: the bytes */
		if (r == 0)
			r = btf_parse(b, buf, size, "map BTF");
	}
	free(buf);
	close(fd);
	return r;
}

uint32_t value_find_type(struct btf *b, const char *name)
{
	static const struct { const char *prefix; int kind; } k[] = {
		{ "struct ", BTF_KIND_STRUCT }, { "union ", BTF_KIND_UNION },
		{ "enum ", BTF_KIND_ENUM },
	};
	uint32_t id;
	size_t i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (!strncmp(name, k[i].prefix, strlen(k[i].prefix))) {
			name += strlen(k[i].prefix);
			name += strspn(name, " ");
			id = btf_find(b, name, k[i].kind);
			if (!id && k[i].kind == BTF_KIND_ENUM)
				id = btf_find(b, name, BTF_KIND_ENUM64);
			return id;
		}
	id = btf_find(b, name, BTF_KIND_TYPEDEF);      /* a typedef or a base type */
	return id ? id : btf_find(b, name, BTF_KIND_INT);
}
