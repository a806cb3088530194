/*
 * btf.c -- read BTF, the type information clang -g puts in .BTF and .BTF.ext.
 *
 * .BTF is a header, a run of variable-length type records (type ids count from 1 in
 * the order they appear) and a string section.  We index the records once
 * (types[id]), checking each against the section, and then answer four questions:
 * what does a .maps variable declare (btf_map_def), what does the kernel need fixed
 * before it accepts this BTF (btf_fixup_datasecs), which source line is this
 * instruction (the .BTF.ext line_info records, read by btf_ext_parse), and what is the
 * BTF id of a kernel function (rbpf_vmlinux_btf_id, same reader on the kernel's own
 * /sys/kernel/btf/vmlinux).  The same reader is public (struct rbpf_btf, rawbpf.h)
 * for BTF that comes from the kernel: `rawbpf prog dump` names a program's functions
 * and source lines with it.  btf.h stays internal: its structs are the reader's
 * working view, which CO-RE will grow; the API promises only what the public
 * functions answer.
 *
 * .BTF.ext is a header and, per kind of info (func_info, line_info, CO-RE
 * relocations), a record size followed by blocks {section name, count, records}.
 * (Documentation/bpf/btf.rst; the structs are in uapi linux/btf.h.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "rawbpf.h"

#define BTF_MAGIC 0xeB9F

/* Bytes that follow struct btf_type for each kind, or -1 for a kind we do not know. */
static int64_t extra_size(const struct btf_type *t)
{
	uint32_t vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:       return 4;
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC: case BTF_KIND_FLOAT: case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_ARRAY:     return sizeof(struct btf_array);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return (int64_t)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:      return (int64_t)vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:    return (int64_t)vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO: return (int64_t)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:       return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:   return (int64_t)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:  return sizeof(struct btf_decl_tag);
	}
	return -1;
}

/* Walk the type records once: count them, then fill b->types. */
static int index_types(struct btf *b, uint8_t *p, uint32_t len, const char *file)
{
	uint32_t pass, off, n;
	int64_t extra;

	for (pass = 0; pass < 2; pass++) {
		for (off = 0, n = 1; off < len; n++) {
			struct btf_type *t = (struct btf_type *)(p + off);

			if (len - off < sizeof(*t))
				return rbpf_error(EINVAL, "btf: %s: type %u at offset %u is cut off "
						  "by the end of the type section", file, n, off);
			extra = extra_size(t);
			if (extra < 0)
				return rbpf_error(EINVAL, "btf: %s: type %u has unknown kind %u",
						  file, n, BTF_INFO_KIND(t->info));
			if ((uint64_t)extra > len - off - sizeof(*t))
				return rbpf_error(EINVAL, "btf: %s: type %u at offset %u runs past "
						  "the end of the type section", file, n, off);
			if (pass == 1)
				b->types[n] = t;
			off += sizeof(*t) + extra;
		}
		if (pass == 0) {
			b->ntypes = n;
			b->types = calloc(n, sizeof(*b->types));
			if (!b->types)
				return rbpf_error(ENOMEM, "btf: %s: out of memory", file);
		}
	}
	return 0;
}

int btf_parse(struct btf *b, const uint8_t *data, uint64_t size, const char *file)
{
	struct btf_header h;
	int r;

	memset(b, 0, sizeof(*b));
	if (size < sizeof(h) || size > UINT32_MAX)
		return rbpf_error(EINVAL, "btf: %s: .BTF is %llu bytes, too short for its header",
				  file, (unsigned long long)size);
	memcpy(&h, data, sizeof(h));
	if (h.magic != BTF_MAGIC || h.version != 1)
		return rbpf_error(EINVAL, "btf: %s: bad .BTF magic 0x%x or version %u",
				  file, h.magic, h.version);
	if (h.hdr_len < sizeof(h) || h.hdr_len > size ||
	    h.hdr_len % 4 || h.type_off % 4 ||      /* types are read as u32s in place */
	    (uint64_t)h.type_off + h.type_len > size - h.hdr_len ||
	    (uint64_t)h.str_off + h.str_len > size - h.hdr_len || h.str_len == 0)
		return rbpf_error(EINVAL, "btf: %s: .BTF header places its types (%u+%u) or "
				  "strings (%u+%u) outside the %llu-byte section", file,
				  h.type_off, h.type_len, h.str_off, h.str_len,
				  (unsigned long long)size);
	b->data = malloc(size);
	if (!b->data)
		return rbpf_error(ENOMEM, "btf: %s: out of memory", file);
	memcpy(b->data, data, size);
	b->size = size;
	b->strs = (const char *)b->data + h.hdr_len + h.str_off;
	b->str_len = h.str_len;
	if (b->strs[b->str_len - 1] != 0) {
		r = rbpf_error(EINVAL, "btf: %s: the string section does not end in NUL", file);
		goto bad;
	}
	r = index_types(b, b->data + h.hdr_len + h.type_off, h.type_len, file);
	if (r == 0)
		return 0;
bad:
	btf_free(b);
	return r;
}

void btf_free(struct btf *b)
{
	free(b->data);
	free(b->types);
	memset(b, 0, sizeof(*b));
}

const struct btf_type *btf_type(const struct btf *b, uint32_t id)
{
	return id && id < b->ntypes ? b->types[id] : NULL;
}

const char *btf_str(const struct btf *b, uint32_t off)
{
	return off < b->str_len ? b->strs + off : NULL;
}

uint32_t btf_resolve(const struct btf *b, uint32_t id)
{
	const struct btf_type *t;
	int depth;

	for (depth = 0; depth < 32 && (t = btf_type(b, id)); depth++) {
		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_TYPEDEF: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		}
		break;
	}
	return id;
}

/* Arrays nest: depth bounds a malicious cycle of arrays. */
static int64_t type_size(const struct btf *b, uint32_t id, int depth)
{
	const struct btf_type *t = btf_type(b, btf_resolve(b, id));
	const struct btf_array *a;
	int64_t elem;

	if (!t || depth > 32)
		return -EINVAL;
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT: case BTF_KIND_STRUCT: case BTF_KIND_UNION:
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64: case BTF_KIND_FLOAT:
	case BTF_KIND_DATASEC:
		return t->size;
	case BTF_KIND_PTR:
		return 8;
	case BTF_KIND_ARRAY:
		a = (const struct btf_array *)(t + 1);
		elem = type_size(b, a->type, depth + 1);
		if (elem < 0 || elem * a->nelems > UINT32_MAX)
			return -EINVAL;
		return elem * a->nelems;
	}
	return -EINVAL;
}

int64_t btf_type_size(const struct btf *b, uint32_t id)
{
	return type_size(b, id, 0);
}

uint32_t btf_find_datasec(const struct btf *b, const char *name)
{
	const char *n;
	uint32_t id;

	for (id = 1; id < b->ntypes; id++) {
		if (BTF_INFO_KIND(b->types[id]->info) != BTF_KIND_DATASEC)
			continue;
		n = btf_str(b, b->types[id]->name_off);
		if (n && strcmp(n, name) == 0)
			return id;
	}
	return 0;
}

/* ------------------------------------------------------------ DATASEC fix-ups */

/* clang writes DATASEC size 0 and every variable at offset 0; the kernel wants the
 * real ones, in increasing order.  A variable with no symbol keeps what it had: if
 * that is wrong the kernel refuses the BTF and the loader goes on without it. */
static void fixup_datasec(struct btf *b, struct btf_type *t, const struct elf *e)
{
	struct btf_var_secinfo *v = (struct btf_var_secinfo *)(t + 1), tmp;
	uint32_t i, j, n = BTF_INFO_VLEN(t->info);
	const struct btf_type *var;
	const char *name = btf_str(b, t->name_off), *vname;
	int sec = name ? elf_find_sec(e, name) : -1;
	int64_t off;

	if (sec < 0)
		return;
	t->size = e->secs[sec].size;
	for (i = 0; i < n; i++) {
		var = btf_type(b, v[i].type);
		vname = var ? btf_str(b, var->name_off) : NULL;
		if (vname && (off = elf_sym_value(e, sec, vname)) >= 0)
			v[i].offset = off;
	}
	for (i = 1; i < n; i++)              /* insertion sort: n is small */
		for (j = i; j > 0 && v[j - 1].offset > v[j].offset; j--) {
			tmp = v[j];
			v[j] = v[j - 1];
			v[j - 1] = tmp;
		}
}

void btf_fixup_datasecs(struct btf *b, const struct elf *e)
{
	uint32_t id;

	for (id = 1; id < b->ntypes; id++)
		if (BTF_INFO_KIND(b->types[id]->info) == BTF_KIND_DATASEC)
			fixup_datasec(b, b->types[id], e);
}

/* ------------------------------------------------------------ .maps definitions */

/* __uint(name, N) is a field `int (*name)[N]`: N is the array's element count. */
static int int_attr(const struct btf *b, uint32_t type, uint32_t *val)
{
	const struct btf_type *t = btf_type(b, btf_resolve(b, type));

	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_PTR)
		return -EINVAL;
	t = btf_type(b, btf_resolve(b, t->type));
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_ARRAY)
		return -EINVAL;
	*val = ((const struct btf_array *)(t + 1))->nelems;
	return 0;
}

/* __type(name, T) is a field `T *name`: the size of T, and T's id. */
static int type_attr(const struct btf *b, uint32_t type, uint32_t *size, uint32_t *id)
{
	const struct btf_type *t = btf_type(b, btf_resolve(b, type));
	int64_t s;

	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_PTR)
		return -EINVAL;
	s = btf_type_size(b, t->type);
	if (s < 0 || s > UINT32_MAX)
		return -EINVAL;
	*size = s;
	*id = t->type;
	return 0;
}

/* One field of a map definition. */
static int map_field(const struct btf *b, const struct btf_member *m, const char *name,
		     struct btf_map_def *d)
{
	uint32_t v = 0;
	int r = -EINVAL;

	if (!strcmp(name, "key") || !strcmp(name, "value"))
		return name[0] == 'k' ? type_attr(b, m->type, &d->key_size, &d->key_type) :
					type_attr(b, m->type, &d->value_size, &d->value_type);
	if (!strcmp(name, "values")) {
		d->values_off = m->offset / 8;    /* __array(values, ...): slots filled by .rel.maps */
		return 0;
	}
	if ((r = int_attr(b, m->type, &v)) < 0)
		return r;
	if (!strcmp(name, "type"))             d->type = v;
	else if (!strcmp(name, "max_entries")) d->max_entries = v;
	else if (!strcmp(name, "map_flags"))   d->map_flags = v;
	else if (!strcmp(name, "key_size"))    d->key_size = v;
	else if (!strcmp(name, "value_size"))  d->value_size = v;
	else if (!strcmp(name, "pinning"))     d->pinning = v;
	else if (!strcmp(name, "map_extra"))   d->map_extra = v;
	else if (strcmp(name, "numa_node"))    return -ENOENT;
	return 0;
}

int btf_map_def(const struct btf *b, uint32_t var_id, const char *file,
		struct btf_map_def *d)
{
	const struct btf_type *var = btf_type(b, var_id);

	memset(d, 0, sizeof(*d));
	d->values_off = -1;
	if (!var || BTF_INFO_KIND(var->info) != BTF_KIND_VAR)
		return rbpf_error(EINVAL, "btf: %s: .maps entry type %u is not a variable",
				  file, var_id);
	return btf_map_def_struct(b, btf_resolve(b, var->type), file,
				  btf_str(b, var->name_off), d);
}

/* ptypes (issue 16): the struct alone, for an inner map's __array(values, struct X). */
int btf_map_def_struct(const struct btf *b, uint32_t id, const char *file, const char *name,
		       struct btf_map_def *d)
{
	const struct btf_type *t = btf_type(b, id);
	const struct btf_member *m;
	const char *field;
	uint32_t i;
	int r;

	memset(d, 0, sizeof(*d));
	d->values_off = -1;
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT)
		return rbpf_error(EINVAL, "btf: %s: map %s: its type is not a struct", file, name);
	m = (const struct btf_member *)(t + 1);
	for (i = 0; i < BTF_INFO_VLEN(t->info); i++) {
		field = btf_str(b, m[i].name_off);
		if (field && !strcmp(field, "values"))
			d->values_type = m[i].type;
		r = field ? map_field(b, &m[i], field, d) : -EINVAL;
		if (r < 0)
			return rbpf_error(EINVAL, "btf: %s: map %s: field '%s' is %s", file, name,
					  field ? field : "?", r == -ENOENT ? "not a map attribute "
					  "(type, key, value, key_size, value_size, max_entries, "
					  "map_flags, pinning, map_extra, values)" :
					  "not in the __uint/__type form");
	}
	return 0;
}

/* -------------------------------------------------------------------- .BTF.ext */

struct ext_header {               /* .BTF.ext's header (Documentation/bpf/btf.rst) */
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len;
	uint32_t func_info_off, func_info_len;
	uint32_t line_info_off, line_info_len;
	uint32_t core_relo_off, core_relo_len;    /* present when hdr_len >= 32 */
};

/* Read one info area: u32 record size, then blocks {u32 sec_name_off, u32 num,
 * num records}.  *out gets the blocks (malloc'd). */
static int read_info(const uint8_t *p, uint32_t len, uint32_t min_rec, const struct btf *b,
		     const char *file, const char *what, uint32_t *rec,
		     struct btf_ext_sec **out, uint32_t *nout)
{
	uint32_t off = 4, hdr[2];
	struct btf_ext_sec *s;

	*out = NULL;
	*nout = 0;
	if (len == 0)
		return 0;
	if (len < 4 || (memcpy(rec, p, 4), *rec < min_rec) || *rec > 1024)
		return rbpf_error(EINVAL, "btf: %s: .BTF.ext %s: bad record size", file, what);
	while (off < len) {
		if (len - off < 8)
			return rbpf_error(EINVAL, "btf: %s: .BTF.ext %s: block at %u cut off", file, what, off);
		memcpy(hdr, p + off, 8);
		off += 8;
		if (!btf_str(b, hdr[0]) || (uint64_t)hdr[1] * *rec > len - off)
			return rbpf_error(EINVAL, "btf: %s: .BTF.ext %s: block at %u has a bad "
					  "section name or runs past the end", file, what, off - 8);
		s = realloc(*out, (*nout + 1) * sizeof(*s));
		if (!s)
			return rbpf_error(ENOMEM, "btf: %s: out of memory", file);
		*out = s;
		s[*nout].sec = btf_str(b, hdr[0]);
		s[*nout].num = hdr[1];
		s[*nout].recs = p + off;
		(*nout)++;
		off += hdr[1] * *rec;
	}
	return 0;
}

/* One CO-RE record {u32 insn_off, type_id, access_str_off, kind}, in words: what
 * the program wanted the loader to adjust ("instruction 3: field 0:1 of task_like"). */
static void describe_core(const struct btf *b, const uint8_t *rec, char *out, size_t n)
{
	static const char *kinds[] = { "field offset", "field size", "field exists",
		"field signedness", "bitfield shift", "bitfield shift", "type id", "type id",
		"type exists", "type size", "enum value exists", "enum value", "type match" };
	const struct btf_type *t;
	const char *name, *access;
	uint32_t r[4];

	memcpy(r, rec, sizeof(r));
	t = btf_type(b, r[1]);
	name = t ? btf_str(b, t->name_off) : NULL;
	access = btf_str(b, r[2]);
	snprintf(out, n, "instruction %u: %s \"%s\" of type '%s'", r[0] / 8,
		 r[3] < sizeof(kinds) / sizeof(kinds[0]) ? kinds[r[3]] : "?",
		 access ? access : "?", name && *name ? name : "(anonymous)");
}

int btf_ext_parse(struct btf_ext *x, const uint8_t *data, uint64_t size,
		  const struct btf *b, const char *file)
{
	struct ext_header h = { 0 };
	struct btf_ext_sec *core = NULL;
	uint32_t ncore = 0, core_rec, i;
	int r;

	memset(x, 0, sizeof(*x));
	if (size < 24 || (memcpy(&h, data, 24), h.magic != BTF_MAGIC) || h.hdr_len < 24 ||
	    h.hdr_len > size)
		return rbpf_error(EINVAL, "btf: %s: .BTF.ext has a bad header", file);
	if (h.hdr_len >= 32)
		memcpy(&h.core_relo_off, data + 24, 8);
	data += h.hdr_len;
	size -= h.hdr_len;
	if ((uint64_t)h.func_info_off + h.func_info_len > size ||
	    (uint64_t)h.line_info_off + h.line_info_len > size ||
	    (uint64_t)h.core_relo_off + h.core_relo_len > size)
		return rbpf_error(EINVAL, "btf: %s: .BTF.ext places its info outside the section", file);
	r = read_info(data + h.func_info_off, h.func_info_len, 8, b, file, "func_info",
		      &x->func_rec, &x->func, &x->nfunc);
	if (!r)
		r = read_info(data + h.line_info_off, h.line_info_len, 16, b, file, "line_info",
			      &x->line_rec, &x->line, &x->nline);
	if (!r)
		r = read_info(data + h.core_relo_off, h.core_relo_len, 16, b, file, "CO-RE",
			      &core_rec, &core, &ncore);
	for (i = 0; !r && i < ncore; i++) {
		x->core_relos += core[i].num;
		if (core[i].num && !x->core_sec) {
			x->core_sec = core[i].sec;
			x->core_sec_relos = core[i].num;
			describe_core(b, core[i].recs, x->core_what, sizeof(x->core_what));
		}
	}
	free(core);
	if (r)
		btf_ext_free(x);
	return r;
}

void btf_ext_free(struct btf_ext *x)
{
	free(x->func);
	free(x->line);
	memset(x, 0, sizeof(*x));
}

const struct btf_ext_sec *btf_ext_find(const struct btf_ext_sec *s, uint32_t n,
				       const char *sec)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s[i].sec, sec) == 0)
			return &s[i];
	return NULL;
}

/* ------------------------------------------------------------ the public reader */

/* The API's handle: the same reader, for BTF that did not come from an ELF file. */
struct rbpf_btf {
	struct btf b;
};

int rbpf_btf_open_mem(const void *data, size_t size, const char *name,
		      struct rbpf_btf **out)
{
	struct rbpf_btf *h = calloc(1, sizeof(*h));
	int r;

	*out = NULL;
	if (!h)
		return rbpf_error(ENOMEM, "btf: %s: out of memory", name);
	if ((r = btf_parse(&h->b, data, size, name)) < 0) {
		free(h);
		return r;
	}
	*out = h;
	return 0;
}

void rbpf_btf_free(struct rbpf_btf *h)
{
	if (h)
		btf_free(&h->b);
	free(h);
}

const char *rbpf_btf_str(const struct rbpf_btf *h, uint32_t off)
{
	return btf_str(&h->b, off);
}

const char *rbpf_btf_type_name(const struct rbpf_btf *h, uint32_t id)
{
	const struct btf_type *t = btf_type(&h->b, id);

	return t ? btf_str(&h->b, t->name_off) : NULL;
}

/* --------------------------------------------------------------- vmlinux lookup */

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

int rbpf_vmlinux_btf_id(const char *name, int kind)
{
	struct btf b;
	uint8_t *buf = NULL;
	size_t size = 0;
	uint32_t id;
	const char *n;
	int r, found;

	r = elf_read_file(VMLINUX_BTF, &buf, &size);   /* sysfs gives its true size */
	if (r < 0)
		return rbpf_error(r, "btf: cannot read %s: %s (kernel built without "
				  "CONFIG_DEBUG_INFO_BTF?)", VMLINUX_BTF, strerror(-r));
	r = btf_parse(&b, buf, size, VMLINUX_BTF);
	free(buf);
	if (r < 0)
		return r;
	for (id = 1; id < b.ntypes; id++) {
		n = btf_str(&b, b.types[id]->name_off);
		if ((int)BTF_INFO_KIND(b.types[id]->info) == kind && n && !strcmp(n, name))
			break;
	}
	found = id < b.ntypes;
	btf_free(&b);
	if (found)
		return id;
	return rbpf_error(ENOENT, "btf: no %s named '%s' in %s", kind == BTF_KIND_FUNC ?
			  "function" : "type of that kind", name, VMLINUX_BTF);
}
