/*
 * map_in_map.c -- maps whose values are maps (ARRAY_OF_MAPS, HASH_OF_MAPS).
 *
 * A program looks up the outer map and gets an inner map it can use like any map
 * (a lookup in it, an update...), so user space can swap whole tables at once.
 * The verifier must know, when it checks the program, what the inner maps look
 * like, before any is stored: the outer map is created with a template, an inner
 * map of the right shape whose fd goes in BPF_MAP_CREATE's inner_map_fd.  The
 * kernel copies the template's description (type, key and value sizes, flags, and
 * max_entries unless the template has BPF_F_INNER_MAP), then the template can go.
 * Every map stored later must match that description, or the update is EINVAL.
 *
 * In an object (libbpf's convention), the inner map's definition is the struct the
 * `values` member points to:
 *
 *     struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1);
 *                    __type(key, u32); __type(value, u64); };
 *     struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); __uint(max_entries, 2);
 *              __type(key, u32); __array(values, struct inner); }
 *             outer SEC(".maps") = { .values = { &a, &b } };
 *
 * `__array(values, struct inner)` is the member `struct inner *values[]`: in BTF an
 * ARRAY of PTR to that STRUCT, read with the same rules as a .maps variable.  The
 * initial values are .rel.maps relocations naming maps a and b: stored, as fds,
 * after the outer map is created (on lookup from user space the kernel answers with
 * their ids).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "map_in_map.h"
#include "object.h"

int mim_is_outer(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

/* Follow `values` (ARRAY of PTR of STRUCT) to the struct's id, or 0. */
static uint32_t inner_struct(const struct btf *b, uint32_t id)
{
	const struct btf_type *t = btf_type(b, id = btf_resolve(b, id));

	if (t && BTF_INFO_KIND(t->info) == BTF_KIND_ARRAY)
		t = btf_type(b, id = btf_resolve(b, ((const struct btf_array *)(t + 1))->type));
	if (t && BTF_INFO_KIND(t->info) == BTF_KIND_PTR)
		t = btf_type(b, id = btf_resolve(b, t->type));
	return t && BTF_INFO_KIND(t->info) == BTF_KIND_STRUCT ? id : 0;
}

int mim_inner_def(const struct btf *b, const struct btf_map_def *outer, const char *file,
		  const char *name, struct btf_map_def *inner)
{
	uint32_t id = outer->values_type ? inner_struct(b, outer->values_type) : 0;
	char what[160];

	if (!outer->values_type)
		return rbpf_error(EINVAL, "object %s: map %s: a map of maps needs its inner "
				  "map's definition: declare __array(values, struct {...}) with "
				  "the inner map's type, key, value and max_entries", file, name);
	if (!id)
		return rbpf_error(EINVAL, "object %s: map %s: `values` is not an array of "
				  "pointers to a struct (__array(values, struct {...}))", file, name);
	snprintf(what, sizeof(what), "%s (its inner map)", name);
	return btf_map_def_struct(b, id, file, what, inner);
}

int mim_template_create(const struct btf_map_def *in, const char *file, const char *outer)
{
	struct rbpf_map_create_args a = { 0 };
	int fd;

	a.type = in->type, a.name = "inner_template";
	a.key_size = in->key_size, a.value_size = in->value_size;
	a.max_entries = in->max_entries, a.map_flags = in->map_flags;
	a.map_extra = in->map_extra;
	if ((fd = rbpf_map_create(&a)) < 0)
		return rbpf_error(fd, "object %s: map %s: creating the template of its inner "
				  "maps (type %u, key %u, value %u bytes, %u entries) failed: %s "
				  "(%s)", file, outer, in->type, in->key_size, in->value_size,
				  in->max_entries, rbpf_errno_name(fd), strerror(-fd));
	return fd;
}

int mim_check_inner(const struct btf_map_def *in, const char *file, const char *outer,
		    const char *name, uint32_t type, uint32_t key, uint32_t value,
		    uint32_t max, uint32_t flags)
{
	const char *what = type != in->type ? "type" : key != in->key_size ? "key size" :
		value != in->value_size ? "value size" :
		(flags & ~BPF_F_INNER_MAP) != (in->map_flags & ~BPF_F_INNER_MAP) ? "flags" :
		!(in->map_flags & BPF_F_INNER_MAP) && max != in->max_entries ? "max_entries" :
		NULL;

	if (!what)
		return 0;
	return rbpf_error(EINVAL, "object %s: map %s: initial value %s does not match its "
			  "inner map's definition: its %s differs (inner: type %u, key %u, "
			  "value %u, %u entries, flags 0x%x; %s: type %u, key %u, value %u, %u "
			  "entries, flags 0x%x)%s", file, outer, name, what, in->type,
			  in->key_size, in->value_size, in->max_entries, in->map_flags, name,
			  type, key, value, max, flags, !strcmp(what, "max_entries") ?
			  "; BPF_F_INNER_MAP in the inner definition's map_flags lets sizes differ"
			  : "");
}

int mim_fill_slot(struct rbpf_object *o, struct rbpf_map *m, uint32_t slot,
		  const Elf64_Rel *rel)
{
	const char *n = elf_sym_name(&o->elf, &o->elf.syms[ELF64_R_SYM(rel->r_info)]);
	struct rbpf_map *in = NULL;
	uint64_t key;
	uint32_t i;
	int r;

	for (i = 0; i < o->nmaps && !in; i++)      /* by name, as rbpf_object_find_map */
		if (!strcmp(o->maps[i].name, n))
			in = &o->maps[i];
	if (!in)
		return rbpf_error(EINVAL, "object %s: map %s: initial value [%u] is '%s', which "
				  "is not a map of this object", o->name, m->name, slot, n);
	if ((r = mim_check_inner(m->inner, o->name, m->name, n, in->type, in->key_size,
				 in->value_size, in->max_entries, in->flags)) < 0)
		return r;
	if (m->key_size != 4 && m->key_size != 8)      /* the slot is the key */
		return rbpf_error(EINVAL, "object %s: map %s: initial values need a key of 4 "
				  "or 8 bytes (an index), not %u", o->name, m->name, m->key_size);
	if (m->fd < 0 || in->fd < 0)
		return 0;
	key = slot;                     /* little-endian: the same bytes as a u32 */
	if ((r = rbpf_map_update_elem(m->fd, &key, &in->fd, 0)) < 0)
		return rbpf_error(r, "object %s: map %s: storing map %s (fd %d) at [%u]: %s (%s)",
				  o->name, m->name, n, in->fd, slot, rbpf_errno_name(r),
				  strerror(-r));
	return 0;
}
