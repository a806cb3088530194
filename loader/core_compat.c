/*
 * core_compat.c -- CO-RE's rules for when a kernel type may stand for the program's.
 *
 * Three relations, from loosest to strictest (core.c says which relocation uses
 * which): fields_compat, for each step of a field access; types_compat, for type
 * id/exists/size relocations; types_match, for "type matches".  Plus the two
 * searches they need: a member by name through anonymous structs and unions
 * (find_member), an enumerator by essential name (find_enumerator).
 *
 * Every walk is bounded by MAX_DEPTH: BTF from a file may loop.
 */
#include <string.h>

#include "core.h"

#define MAX_DEPTH 32

int core_same_ename(const char *a, const char *b)
{
	size_t la = btf_essential_len(a), lb = btf_essential_len(b);

	return la == lb && strncmp(a, b, la) == 0;
}

int core_is_enum(const struct btf_type *t)
{
	return t && (btf_kind(t) == BTF_KIND_ENUM || btf_kind(t) == BTF_KIND_ENUM64);
}

int core_is_comp(const struct btf_type *t)
{
	return t && (btf_kind(t) == BTF_KIND_STRUCT || btf_kind(t) == BTF_KIND_UNION);
}

/* Member `name` of struct/union id, looked for through anonymous members too:
 * its bit offset from the start of id, its type and bitfield width. */
int core_find_member(const struct btf *b, uint32_t id, const char *name,
		       uint32_t *bit, uint32_t *type, uint32_t *bits, int depth)
{
	const struct btf_type *t = btf_type(b, id);
	uint32_t i, off, w, sub;
	const char *n;

	for (i = 0; core_is_comp(t) && depth < MAX_DEPTH && i < btf_vlen(t); i++) {
		n = btf_str(b, btf_members(t)[i].name_off);
		if (!n || (*n && (*n != *name || strcmp(n, name) != 0)))
			continue;       /* (offsets are worked out for the one member found) */
		if (*n) {
			btf_member_bits(b, t, i, bit, bits);
			*type = btf_members(t)[i].type;
			return 1;
		}
		sub = btf_resolve(b, btf_members(t)[i].type);
		if (core_is_comp(btf_type(b, sub)) &&
		    core_find_member(b, sub, name, bit, type, bits, depth + 1)) {
			btf_member_bits(b, t, i, &off, &w);
			*bit += off;
			return 1;
		}
	}
	return 0;
}

/* A member of struct/union id named like name but for leading underscores (the
 * kernel's way of renaming a field it wants nobody to use as before: state ->
 * __state in 5.14), or NULL. */
const char *core_similar_member(const struct btf *b, uint32_t id, const char *name)
{
	const struct btf_type *t = btf_type(b, id);
	const char *n;
	uint32_t i;

	name += strspn(name, "_");
	for (i = 0; core_is_comp(t) && i < btf_vlen(t); i++) {
		n = btf_str(b, btf_members(t)[i].name_off);
		if (n && *n && !strcmp(n + strspn(n, "_"), name))
			return n;
	}
	return NULL;
}

/* ------------------------------------------------------------- compatibility */

/* Fields: may the local field's type stand for the target's? */
int core_fields_compat(const struct btf *lb, uint32_t lid, const struct btf *tb,
			 uint32_t tid, int depth)
{
	const struct btf_type *l = btf_type(lb, btf_resolve(lb, lid));
	const struct btf_type *t = btf_type(tb, btf_resolve(tb, tid));

	if (!l || !t || depth > MAX_DEPTH)
		return 0;
	if ((core_is_comp(l) && core_is_comp(t)) || (core_is_enum(l) && core_is_enum(t)))
		return core_is_enum(l) && *btf_str(lb, l->name_off) && *btf_str(tb, t->name_off) ?
		       core_same_ename(btf_str(lb, l->name_off), btf_str(tb, t->name_off)) : 1;
	if (btf_kind(l) != btf_kind(t))
		return 0;
	switch (btf_kind(l)) {
	case BTF_KIND_PTR: case BTF_KIND_FLOAT:
		return 1;
	case BTF_KIND_FWD:
		return core_same_ename(btf_str(lb, l->name_off), btf_str(tb, t->name_off));
	case BTF_KIND_INT:
		return btf_int_offset(l) == 0 && btf_int_offset(t) == 0;
	case BTF_KIND_ARRAY:
		return core_fields_compat(lb, btf_array(l)->type, tb, btf_array(t)->type, depth + 1);
	}
	return 0;
}

/* Whole types (type id, exists, size). */
int core_types_compat(const struct btf *lb, uint32_t lid, const struct btf *tb,
			uint32_t tid, int depth)
{
	const struct btf_type *l, *t;
	uint32_t i;

	lid = btf_resolve(lb, lid), tid = btf_resolve(tb, tid);
	l = btf_type(lb, lid), t = btf_type(tb, tid);
	if (!lid || !tid)
		return !lid && !tid;                    /* void matches only void */
	if (!l || !t || depth > MAX_DEPTH)
		return 0;
	if (core_is_enum(l) && core_is_enum(t))
		return 1;
	if (btf_kind(l) != btf_kind(t))
		return 0;
	switch (btf_kind(l)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_FWD: case BTF_KIND_FLOAT:
		return 1;
	case BTF_KIND_INT:
		return btf_int_offset(l) == 0 && btf_int_offset(t) == 0;
	case BTF_KIND_PTR:
		return core_types_compat(lb, l->type, tb, t->type, depth + 1);
	case BTF_KIND_ARRAY:
		return core_types_compat(lb, btf_array(l)->type, tb, btf_array(t)->type, depth + 1);
	case BTF_KIND_FUNC_PROTO:
		if (btf_vlen(l) != btf_vlen(t))
			return 0;
		for (i = 0; i < btf_vlen(l); i++)
			if (!core_types_compat(lb, btf_params(l)[i].type, tb, btf_params(t)[i].type,
					  depth + 1))
				return 0;
		return core_types_compat(lb, l->type, tb, t->type, depth + 1);
	}
	return 0;
}

/* The enumerator of enum t whose essential name is name: its value in *v.
 * A 32-bit ENUM's value is widened as a signed number whatever its kflag says, as
 * libbpf does (its btf_enum.val is an s32).  That is also what keeps 64-bit enums
 * right on kernels whose BTF predates ENUM64 (5.10's pahole wrote
 * perf_callchain_context as an 8-byte ENUM of truncated values: PERF_CONTEXT_USER,
 * (u64)-512, is 0xfffffe00 there, and only sign extension gives it back). */
int core_find_enumerator(const struct btf *b, const struct btf_type *t, const char *name,
			   uint64_t *v)
{
	uint32_t i;

	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_enum64 *e64 = &btf_enum64s(t)[i];
		const struct btf_enum *e = &btf_enums(t)[i];
		const char *n = btf_str(b, btf_kind(t) == BTF_KIND_ENUM ? e->name_off : e64->name_off);

		if (!n || !core_same_ename(n, name))
			continue;
		*v = btf_kind(t) == BTF_KIND_ENUM64 ? btf_enum64_value(e64) :
		     (uint64_t)(int64_t)(int32_t)e->val;
		return 1;
	}
	return 0;
}

/* Type matches: the stricter relation (BPF_CORE_TYPE_MATCHES). */
int core_types_match(const struct btf *lb, uint32_t lid, const struct btf *tb,
		       uint32_t tid, int behind_ptr, int depth)
{
	const struct btf_type *l = btf_type(lb, btf_resolve(lb, lid));
	const struct btf_type *t = btf_type(tb, btf_resolve(tb, tid));
	uint32_t i, bit, type, bits;
	const char *ln;
	uint64_t v;

	if (!l || !t || depth > MAX_DEPTH)
		return !l && !t;
	ln = btf_str(lb, l->name_off);
	if ((core_is_comp(l) || core_is_enum(l) || btf_kind(l) == BTF_KIND_FWD) && *ln &&
	    !core_same_ename(ln, btf_str(tb, t->name_off)))
		return 0;
	if (core_is_enum(l) && core_is_enum(t)) {
		for (i = 0; i < btf_vlen(l); i++)
			if (!core_find_enumerator(tb, t, btf_kind(l) == BTF_KIND_ENUM ?
					     btf_str(lb, btf_enums(l)[i].name_off) :
					     btf_str(lb, btf_enum64s(l)[i].name_off), &v))
				return 0;
		return l->size == t->size;
	}
	if (btf_kind(l) != btf_kind(t))
		return 0;
	switch (btf_kind(l)) {
	case BTF_KIND_FWD:
		return 1;
	case BTF_KIND_INT:
		return l->size == t->size && (btf_int_encoding(l) & BTF_INT_SIGNED) ==
					     (btf_int_encoding(t) & BTF_INT_SIGNED);
	case BTF_KIND_FLOAT:
		return l->size == t->size;
	case BTF_KIND_PTR:
		return core_types_match(lb, l->type, tb, t->type, 1, depth + 1);
	case BTF_KIND_ARRAY:
		return btf_array(l)->nelems == btf_array(t)->nelems &&
		       core_types_match(lb, btf_array(l)->type, tb, btf_array(t)->type, behind_ptr,
				   depth + 1);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		if (behind_ptr)
			return 1;
		for (i = 0; i < btf_vlen(l); i++) {
			ln = btf_str(lb, btf_members(l)[i].name_off);
			if (!ln || !*ln || !core_find_member(tb, btf_resolve(tb, tid), ln, &bit, &type,
							&bits, 0) ||
			    !core_types_match(lb, btf_members(l)[i].type, tb, type, 0, depth + 1))
				return 0;
		}
		return 1;
	case BTF_KIND_FUNC_PROTO:
		if (btf_vlen(l) != btf_vlen(t))
			return 0;
		for (i = 0; i < btf_vlen(l); i++)
			if (!core_types_match(lb, btf_params(l)[i].type, tb, btf_params(t)[i].type,
					 behind_ptr, depth + 1))
				return 0;
		return core_types_match(lb, l->type, tb, t->type, behind_ptr, depth + 1);
	}
	return 0;
}

