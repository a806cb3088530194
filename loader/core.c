/*
 * core.c -- CO-RE: make an instruction the compiler wrote for its own idea of a kernel
 * type right for the kernel the program is loaded into.
 *
 * clang, given `t->real_parent` on a type marked preserve_access_index (vmlinux.h's
 * types are), writes the offset it knows -- say 2336 -- into the instruction and leaves
 * a record in .BTF.ext: {instruction, local type id, access string, kind}.  The
 * access string is a path of indices through the local BTF: "0:57" reads "index 0 of
 * the root pointer (t[0]), then member 57 of struct task_struct".  A longer path
 * walks into embedded structs, unions and arrays: `&s->b[5]`, with b the second
 * member of s's struct, is "0:1:5".  Pointers are never followed: `t->a->b` is two
 * records, one per dereference.
 *
 * The loader then does, per record:
 *   1. local spec: walk the path through the local BTF, collecting each step's
 *      member name and the bit offset; this gives the value the compiler wrote
 *      (checked against the instruction before anything is patched: core_patch.c);
 *   2. candidates: every kernel type whose *essential name* is the local root's --
 *      the name with a `___flavour` suffix cut, so `struct task_struct___old` looks
 *      for `task_struct` -- and whose kind is the same (enum and enum64 count as one);
 *   3. match each candidate: follow the same path by member *names* (searching
 *      through anonymous structs and unions, which may differ between kernels),
 *      array indices as they are, checking at each step that the two fields are of
 *      compatible kinds (rules below);
 *   4. the result: the value for the target (offset, size, signedness, shifts,
 *      existence, type id or size, enumerator value).  Several matching candidates
 *      are fine only if they all give the same value; otherwise it is an error that
 *      names them.  No match at all: the "exists" kinds give 0, the others poison
 *      the instruction (core_patch.c) so that the verifier refuses it only if reached.
 *
 * Compatibility (libbpf's documented rules, written anew): for fields, two
 * structs/unions are compatible (their members are matched by name as the path goes
 * on); ints are, unless one is an old-style bitfield int; enums are if their names
 * agree; pointers are, whatever they point to; arrays are if their elements are.
 * For whole types (type id/exists/size): the same, except that pointers, arrays and
 * function prototypes compare what they point to, hold or take.  "Type matches" is
 * stricter: every member of the local struct must be in the target with a matching
 * type, ints must agree in size and sign, enums in size and enumerators.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core.h"
#include "rawbpf.h"

#define MAX_ACCESS 64          /* steps in an access string */
#define MAX_DEPTH 32           /* nesting while comparing types */

/* One step of an access path into a struct/union (name != NULL: the member's name,
 * "" if anonymous), an array (name NULL) or an enum (the enumerator's name). */
struct step {
	uint32_t idx;                /* member, element or enumerator index */
	const char *name;
	uint32_t field;              /* the member's or element's type id */
};

struct spec {
	const struct btf *b;
	uint32_t root;               /* the root type id, as recorded */
	uint32_t idx0;               /* the first index: root pointer[idx0] */
	struct step s[MAX_ACCESS];   /* steps after the first */
	uint32_t n;
	uint64_t bit;                /* field: bit offset from the root pointer */
	uint32_t field;              /* field: its type id (the root's for "0") */
	uint32_t bits;               /* field: bitfield width, 0 if not a bitfield */
	uint64_t enum_val;           /* enum: the enumerator's value */
};

enum cat { FIELD, TYPE, ENUMVAL };

static enum cat category(uint32_t kind)
{
	return kind <= BPF_CORE_FIELD_RSHIFT_U64 ? FIELD :
	       kind == BPF_CORE_ENUMVAL_EXISTS || kind == BPF_CORE_ENUMVAL_VALUE ? ENUMVAL : TYPE;
}

const char *core_kind_str(uint32_t kind)
{
	static const char *s[] = { "field byte offset", "field byte size", "field exists",
		"field signed", "field lshift u64", "field rshift u64", "local type id",
		"target type id", "type exists", "type size", "enum value exists",
		"enum value", "type matches" };

	return kind < sizeof(s) / sizeof(s[0]) ? s[kind] : "?";
}

/* "0:1:5" -> {0, 1, 5}.  Digits separated by single colons, nothing else. */
static int parse_access(const char *s, uint32_t *idx, uint32_t *n)
{
	const char *start;
	uint64_t v;

	for (*n = 0;; s++) {
		for (v = 0, start = s; *s >= '0' && *s <= '9' && v <= UINT32_MAX; s++)
			v = v * 10 + (uint64_t)(*s - '0');
		if (s == start || v > UINT32_MAX || *n == MAX_ACCESS)
			return -EINVAL;
		idx[(*n)++] = v;
		if (!*s)
			return 0;
		if (*s != ':')
			return -EINVAL;
	}
}

/* ------------------------------------------------------------------ specs */

/* Step 1: the local path of a field relocation. */
static int local_field(const struct btf *b, const uint32_t *idx, uint32_t n,
		       struct spec *sp, char *why, size_t wn)
{
	uint32_t id = btf_resolve(b, sp->root), i, off, bits;
	const struct btf_type *t;
	int64_t sz = btf_type_size(b, id);

	if (sz < 0 || (uint64_t)idx[0] * sz > UINT32_MAX)
		return snprintf(why, wn, "the root type [%u] has no size", sp->root), -EINVAL;
	sp->idx0 = idx[0], sp->bit = (uint64_t)idx[0] * sz * 8, sp->field = sp->root;
	for (i = 1; i < n; i++, sp->n++) {
		t = btf_type(b, id);
		if (core_is_comp(t) && idx[i] < btf_vlen(t)) {
			btf_member_bits(b, t, idx[i], &off, &bits);
			sp->s[sp->n] = (struct step){ idx[i], btf_str(b, btf_members(t)[idx[i]].name_off),
						      btf_members(t)[idx[i]].type };
			if (!sp->s[sp->n].name)
				return snprintf(why, wn, "member %u of [%u] has a bad name", idx[i], id), -EINVAL;
			sp->bit += off, sp->bits = bits;
		} else if (t && btf_kind(t) == BTF_KIND_ARRAY) {
			sz = btf_type_size(b, btf_array(t)->type);
			if (sz < 0 || (uint64_t)idx[i] * sz > UINT32_MAX)
				return snprintf(why, wn, "array [%u]: bad element", id), -EINVAL;
			sp->s[sp->n] = (struct step){ idx[i], NULL, btf_array(t)->type };
			sp->bit += (uint64_t)idx[i] * sz * 8, sp->bits = 0;
		} else {
			return snprintf(why, wn, "step %u: index %u into type [%u], which is %s", i,
					idx[i], id, t ? "not a struct, union or array or too short" :
					"past the end"), -EINVAL;
		}
		sp->field = sp->s[sp->n].field;
		id = btf_resolve(b, sp->field);
	}
	return 0;
}

/* "struct", "int", ... for a type id (through typedefs); "bad type" for a bad id. */
static const char *kind_of(const struct btf *b, uint32_t id)
{
	const struct btf_type *t = btf_type(b, btf_resolve(b, id));

	return t ? btf_kind_str(btf_kind(t)) : "bad type";
}

static int no_member(const struct btf *tb, uint32_t id, const char *name, char *why, size_t wn)
{
	const char *like = core_similar_member(tb, id, name);

	snprintf(why, wn, "%s [%u] has no member '%s'%s%s%s", *btf_name(tb, id) ?
		 btf_name(tb, id) : "(anonymous)", id, name, like ? "; it has '" : "",
		 like ? like : "", like ? "', renamed?" : "");
	return 0;
}

/* Step 3: follow the local path through candidate cand.  1 matched, 0 not (why). */
static int target_field(const struct spec *loc, const struct btf *tb, uint32_t cand,
			struct spec *sp, char *why, size_t wn)
{
	uint32_t id = btf_resolve(tb, cand), i, bit, type, bits;
	const struct btf_type *t;
	int64_t sz = btf_type_size(tb, id);

	if (sz < 0)
		return snprintf(why, wn, "target type [%u] has no size", cand), 0;
	sp->b = tb, sp->root = cand, sp->bit = (uint64_t)loc->idx0 * sz * 8, sp->field = cand;
	for (i = 0; i < loc->n; i++) {
		const struct step *s = &loc->s[i];

		t = btf_type(tb, id);
		if (s->name && !*s->name)
			continue;            /* anonymous: the next name is searched through */
		if (s->name) {
			if (!core_is_comp(t) || !core_find_member(tb, id, s->name, &bit, &type, &bits, 0))
				return no_member(tb, id, s->name, why, wn);
			if (!core_fields_compat(loc->b, s->field, tb, type, 0))
				return snprintf(why, wn, "member '%s' is a %s here", s->name,
						kind_of(tb, type)), 0;
			sp->bit += bit, sp->bits = bits, sp->field = type;
		} else {
			if (!t || btf_kind(t) != BTF_KIND_ARRAY)
				return snprintf(why, wn, "[%u] is not an array here", id), 0;
			if (btf_array(t)->nelems && s->idx >= btf_array(t)->nelems)
				return snprintf(why, wn, "index %u is past the %u elements of the "
						"array here", s->idx, btf_array(t)->nelems), 0;
			sz = btf_type_size(tb, btf_array(t)->type);
			if (sz < 0)
				return snprintf(why, wn, "array [%u] has no element size", id), 0;
			sp->bit += (uint64_t)s->idx * sz * 8, sp->bits = 0;
			sp->field = btf_array(t)->type;
			if (!core_fields_compat(loc->b, s->field, tb, sp->field, 0))
				return snprintf(why, wn, "array element types differ"), 0;
		}
		id = btf_resolve(tb, sp->field);
	}
	return 1;
}

/* Step 4 for fields: a spec's value for one kind; *byte_sz the field's bytes. */
static int field_value(const struct spec *sp, uint32_t kind, uint64_t *val,
		       uint32_t *byte_sz_out, char *why, size_t wn)
{
	const struct btf_type *ft = btf_type(sp->b, btf_resolve(sp->b, sp->field));
	int64_t sz = btf_type_size(sp->b, sp->field);
	uint64_t bit = sp->bit, bits = sp->bits, off, size;

	*val = 1;
	if (kind == BPF_CORE_FIELD_EXISTS)
		return 0;
	if (sz < 0)
		return snprintf(why, wn, "the field's type has no size"), -EINVAL;
	size = sz;
	if (!bits) {
		if (bit % 8)
			return snprintf(why, wn, "field at bit %llu is not byte-aligned",
					(unsigned long long)bit), -EINVAL;
		off = bit / 8, bits = size * 8;
	} else {
		if (!size || size > 8)
			return snprintf(why, wn, "bitfield of a %llu-byte type",
					(unsigned long long)size), -EINVAL;
		for (off = bit / 8 / size * size; bit + bits - off * 8 > size * 8;
		     off = bit / 8 / size * size) {
			if (size >= 8)
				return snprintf(why, wn, "bitfield crosses 8 bytes"), -EINVAL;
			size *= 2;
		}
	}
	*byte_sz_out = size;
	switch (kind) {
	case BPF_CORE_FIELD_BYTE_OFFSET: *val = off; break;
	case BPF_CORE_FIELD_BYTE_SIZE:   *val = size; break;
	case BPF_CORE_FIELD_SIGNED:
		*val = core_is_enum(ft) ? btf_kflag(ft) : ft && btf_kind(ft) == BTF_KIND_INT &&
		       (btf_int_encoding(ft) & BTF_INT_SIGNED);
		break;
	case BPF_CORE_FIELD_LSHIFT_U64:  *val = 64 - (bit + bits - off * 8); break;
	case BPF_CORE_FIELD_RSHIFT_U64:  *val = 64 - bits; break;
	}
	return 0;
}

/* An enumerator relocation's local side: "N" is the Nth enumerator of the enum. */
static int local_enum(const struct btf *b, const uint32_t *idx, uint32_t n, struct spec *sp,
		      char *why, size_t wn)
{
	const struct btf_type *t = btf_type(b, btf_resolve(b, sp->root));
	const char *name;

	if (!core_is_enum(t) || n != 1 || idx[0] >= btf_vlen(t))
		return snprintf(why, wn, "access \"%u\" is not an enumerator of [%u]", idx[0],
				sp->root), -EINVAL;
	name = btf_str(b, btf_kind(t) == BTF_KIND_ENUM ? btf_enums(t)[idx[0]].name_off :
			  btf_enum64s(t)[idx[0]].name_off);
	if (!name || !core_find_enumerator(b, t, name, &sp->enum_val))
		return snprintf(why, wn, "enumerator %u of [%u] has a bad name", idx[0],
				sp->root), -EINVAL;
	sp->s[0] = (struct step){ idx[0], name, 0 };
	sp->n = 1;
	return 0;
}

/* A type relocation's value for type id of b. */
static int type_value(const struct btf *b, uint32_t id, uint32_t kind, uint64_t *val)
{
	int64_t sz;

	switch (kind) {
	case BPF_CORE_TYPE_ID_LOCAL: case BPF_CORE_TYPE_ID_TARGET:
		*val = id;
		return 0;
	case BPF_CORE_TYPE_SIZE:
		if ((sz = btf_type_size(b, id)) < 0)
			return -EINVAL;
		*val = sz;
		return 0;
	}
	*val = 1;
	return 0;
}

/* The access in C: task_struct->se.vruntime, s[1].b[5], BAR (enum foo). */
static void render(const struct spec *sp, uint32_t kind, char *out, size_t n)
{
	const struct btf_type *t = btf_type(sp->b, sp->root);
	const char *root = btf_name(sp->b, sp->root), *sep = sp->idx0 ? "." : "->";
	size_t k;
	uint32_t i;

	if (category(kind) == TYPE) {
		snprintf(out, n, "%s %s", t ? btf_kind_str(btf_kind(t)) : "void", *root ? root : "(anon)");
		return;
	}
	if (category(kind) == ENUMVAL) {
		snprintf(out, n, "%s (enum %s)", sp->s[0].name, *root ? root : "(anon)");
		return;
	}
	k = snprintf(out, n, "%s", *root ? root : "(anon)");
	if (sp->idx0 && k < n)
		k += snprintf(out + k, n - k, "[%u]", sp->idx0);
	for (i = 0; i < sp->n && k < n; i++) {
		if (!sp->s[i].name)
			k += snprintf(out + k, n - k, "[%u]", sp->s[i].idx), sep = ".";
		else if (*sp->s[i].name)
			k += snprintf(out + k, n - k, "%s%s", sep, sp->s[i].name), sep = ".";
	}
}

/* Steps 3 and 4 for one candidate: 1 and *val if it matches, 0 if not (why). */
static int try_candidate(const struct spec *loc, uint32_t kind, const struct btf *tb,
			 uint32_t cand, uint64_t *val, uint32_t *sz, char *why, size_t wn)
{
	struct spec ts = { .b = tb };
	const struct btf_type *t;

	switch (category(kind)) {
	case FIELD:
		if (!target_field(loc, tb, cand, &ts, why, wn))
			return 0;
		return field_value(&ts, kind, val, sz, why, wn) < 0 ? 0 : 1;
	case ENUMVAL:
		t = btf_type(tb, btf_resolve(tb, cand));
		if (!core_is_enum(t) || !core_find_enumerator(tb, t, loc->s[0].name, val))
			return snprintf(why, wn, "enum %s [%u] has no %s", btf_name(tb, cand), cand,
					loc->s[0].name), 0;
		if (kind == BPF_CORE_ENUMVAL_EXISTS)
			*val = 1;
		return 1;
	case TYPE:
		if (kind == BPF_CORE_TYPE_MATCHES ? !core_types_match(loc->b, loc->root, tb, cand, 0, 0) :
		    !core_types_compat(loc->b, loc->root, tb, cand, 0))
			return snprintf(why, wn, "%s [%u] is not compatible", btf_name(tb, cand),
					cand), 0;
		return type_value(tb, cand, kind, val) < 0 ? 0 : 1;
	}
	return 0;
}

static int same_kind(const struct btf_type *l, const struct btf_type *t)
{
	return btf_kind(l) == btf_kind(t) || (core_is_enum(l) && core_is_enum(t));
}

/* Step 2: every candidate, each tried; they must agree. */
static int candidates(const struct spec *loc, uint32_t kind, struct btf *tb,
		      struct core_res *res)
{
	const struct btf_type *lt = btf_type(loc->b, loc->root);
	const char *name = btf_name(loc->b, loc->root);
	size_t len = btf_essential_len(name);
	uint32_t id = 0, sz = 0, nmatch = 0;
	uint64_t v;
	char why[200] = "";

	snprintf(why, sizeof(why), "no %s named '%.*s' in the target BTF",
		 btf_kind_str(btf_kind(lt)), (int)len, name);
	while ((id = btf_find_next(tb, name, len, id))) {
		if (!same_kind(lt, btf_type(tb, id)) ||
		    !try_candidate(loc, kind, tb, id, &v, &sz, why, sizeof(why)))
			continue;
		if (nmatch++ == 0) {
			res->val = v, res->new_sz = sz, res->target_id = id;
		} else if (v != res->val || sz != res->new_sz) {
			return rbpf_error(EINVAL, "CO-RE: %s (%s): candidates %s [%u] and %s [%u] "
					  "in the target BTF give different values (%llu and "
					  "%llu): cannot choose", res->what, core_kind_str(kind),
					  btf_name(tb, res->target_id), res->target_id,
					  btf_name(tb, id), id, (unsigned long long)res->val,
					  (unsigned long long)v);
		}
	}
	if (nmatch)
		return 0;
	res->val = 0;
	res->poison = kind != BPF_CORE_FIELD_EXISTS && kind != BPF_CORE_TYPE_EXISTS &&
		      kind != BPF_CORE_ENUMVAL_EXISTS && kind != BPF_CORE_TYPE_MATCHES;
	snprintf(res->why, sizeof(res->why), "%s", why);
	return 0;
}

/* Step 1 for each category: the local spec and the compiler's value. */
static int local_side(const struct btf *lb, const struct btf_core_rec *rec, struct spec *loc,
		      struct core_res *res)
{
	uint32_t idx[MAX_ACCESS], n;
	const char *acc = btf_str(lb, rec->access_str_off);
	int r = 0;

	if (!acc || parse_access(acc, idx, &n) < 0)
		return rbpf_error(EINVAL, "CO-RE: relocation at insn byte %u: bad access string "
				  "\"%.40s\" (wanted indices like 0:1:2)", rec->insn_off,
				  acc ? acc : "(offset past the strings)");
	if (!btf_type(lb, rec->type_id) || rec->kind > BPF_CORE_TYPE_MATCHES)
		return rbpf_error(EINVAL, "CO-RE: relocation at insn byte %u: type id %u (of %u) "
				  "or kind %u is out of range", rec->insn_off, rec->type_id,
				  lb->ntypes, rec->kind);
	loc->b = lb, loc->root = rec->type_id;
	if (category(rec->kind) == FIELD)
		r = local_field(lb, idx, n, loc, res->why, sizeof(res->why));
	else if (category(rec->kind) == ENUMVAL)
		r = local_enum(lb, idx, n, loc, res->why, sizeof(res->why));
	if (!r && category(rec->kind) == FIELD)
		r = field_value(loc, rec->kind, &res->orig, &res->orig_sz, res->why, sizeof(res->why));
	else if (!r && category(rec->kind) == ENUMVAL)
		res->orig = rec->kind == BPF_CORE_ENUMVAL_EXISTS ? 1 : loc->enum_val;
	else if (!r)
		r = type_value(lb, rec->type_id, rec->kind, &res->orig);
	if (r < 0)
		return rbpf_error(EINVAL, "CO-RE: relocation at insn byte %u (%s \"%s\" of [%u]): %s",
				  rec->insn_off, core_kind_str(rec->kind), acc, rec->type_id,
				  res->why[0] ? res->why : "bad local type");
	render(loc, rec->kind, res->what, sizeof(res->what));
	return 0;
}

/* May a load of orig_sz bytes be resized: pointers and unsigned ints (a 32-bit
 * kernel's pointers, size_t). */
static int resizable(const struct btf *b, uint32_t id)
{
	const struct btf_type *t = btf_type(b, btf_resolve(b, id));

	return t && (btf_kind(t) == BTF_KIND_PTR ||
		     (btf_kind(t) == BTF_KIND_INT && !(btf_int_encoding(t) & BTF_INT_SIGNED)));
}

int core_resolve(const struct btf *local, struct btf *target, const struct btf_core_rec *rec,
		 struct core_res *res)
{
	struct spec loc = { 0 };
	int r;

	memset(res, 0, sizeof(*res));
	if ((r = local_side(local, rec, &loc, res)) < 0)
		return r;
	res->new_sz = res->orig_sz;
	if (rec->kind == BPF_CORE_TYPE_ID_LOCAL) {
		res->val = res->orig;
		return 0;
	}
	if (!*btf_name(local, rec->type_id))
		return rbpf_error(EINVAL, "CO-RE: %s (%s): the local type [%u] has no name, so "
				  "nothing in the target can be matched to it", res->what,
				  core_kind_str(rec->kind), rec->type_id);
	if ((r = candidates(&loc, rec->kind, target, res)) < 0)
		return r;
	res->unchecked = category(rec->kind) == FIELD && loc.bits;
	res->sz_ok = rec->kind == BPF_CORE_FIELD_BYTE_OFFSET && !loc.bits &&
		     resizable(local, loc.field);
	if (res->target_id && res->sz_ok) {    /* the target's field must be resizable too */
		struct spec ts = { .b = target };
		char why[8];

		target_field(&loc, target, res->target_id, &ts, why, sizeof(why));
		res->sz_ok = resizable(target, ts.field);
	}
	return 0;
}
