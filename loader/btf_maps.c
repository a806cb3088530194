/*
 * btf_maps.c -- what a BPF object's BTF tells the loader about its maps and data.
 *
 * Two jobs.  A BTF-defined map is a variable in section .maps whose type is an
 * anonymous struct; each field encodes one attribute in its *type*, because BTF keeps
 * types, not values: `__uint(max_entries, 64)` is a field `int (*max_entries)[64]`, so
 * the value is an array's element count, and `__type(key, u32)` is a field `u32 *key`.
 * btf_map_def reads those back.  And clang leaves each DATASEC's size and its
 * variables' offsets at zero for the loader to fill in from the ELF symbol table;
 * the kernel refuses the BTF until they are right (btf_fixup_datasecs).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "rawbpf.h"


static int by_offset(const void *a, const void *b)
{
	const struct btf_var_secinfo *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* clang writes DATASEC size 0 and every variable at offset 0; the kernel wants the
 * real ones, in increasing order.  A variable with no symbol keeps what it had: if
 * that is wrong the kernel refuses the BTF and the loader goes on without it. */
static void fixup_datasec(struct btf *b, struct btf_type *t, const struct elf *e)
{
	struct btf_var_secinfo *v = (struct btf_var_secinfo *)(t + 1);
	uint32_t i, n = BTF_INFO_VLEN(t->info), nsyms;
	const char *name = btf_str(b, t->name_off);
	int sec = name ? elf_find_sec(e, name) : -1;
	struct elf_named *syms;
	int64_t off;

	if (sec < 0)
		return;
	t->size = e->secs[sec].size;
	/* one sorted pass over the symbols per DATASEC, not one scan per variable (that
	 * made opening an object with 50 maps spend a fifth of its time in strcmp) */
	if (!(syms = elf_sec_symbols(e, sec, &nsyms)))
		return;                      /* out of memory: the kernel will say */
	for (i = 0; i < n; i++)
		if ((off = elf_named_find(syms, nsyms, btf_name(b, v[i].type))) >= 0)
			v[i].offset = off;
	free(syms);
	qsort(v, n, sizeof(*v), by_offset);
}

void btf_fixup_datasecs(struct btf *b, const struct elf *e)
{
	uint32_t id;

	for (id = 1; id < b->ntypes; id++)
		if (btf_kind(btf_type(b, id)) == BTF_KIND_DATASEC && btf_type_mut(b, id))
			fixup_datasec(b, btf_type_mut(b, id), e);
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

