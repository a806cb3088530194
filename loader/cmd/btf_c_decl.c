/*
 * cmd/btf_c_decl.c -- one BTF type as C text: the declarations cmd/btf_c.c puts in
 * order.  A declaration is built from the name outwards, as C reads it: walking
 * `fn`'s type PTR -> FUNC_PROTO -> INT gives "*fn", then "(*fn)(void)", then
 * "int (*fn)(void)"; arrays bind tighter than pointers, hence the parentheses, and
 * const/volatile seen before a pointer belong to it ("char *const p").
 *
 * Layout.  We write members, not offsets, so the header must make clang put each
 * member where BTF says it is.  We lay the struct out as C would (each member at its
 * type's alignment, a bitfield where its storage unit has room) and compare:
 *   - a member further on than C would put it (a member the kernel declared
 *     __aligned(64), say): unnamed bitfields fill the gap, `long: 64;` and smaller;
 *   - a member before that place, or a size no alignment explains: the struct was
 *     packed, and says __attribute__((packed)).
 * The tail gets the same filling, so sizeof matches too.  (The same rules a C
 * compiler applies, run forwards; the test checks sizeof and offsetof of every
 * struct of the kernel against BTF.)
 *
 * Names.  C has one namespace for tags (struct, union, enum) and one for ordinary
 * identifiers (typedefs, enumerators); BTF from many compilation units may repeat a
 * name for different types.  The first one written keeps the name, the Nth becomes
 * name___N: the flavour convention, so CO-RE still finds the kernel's type.
 * Type tags (__user, __rcu) are dropped, as bpftool's header drops them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "../btf.h"
#include "btf_c.h"

/* ------------------------------------------------------------------ strings */

void cw_printf(struct cw *w, struct sb *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(s->p ? s->p + s->n : NULL, s->p ? s->cap - s->n : 0, fmt, ap);
		va_end(ap);
		if (n < 0 || (s->p && s->n + n < s->cap))
			break;
		char *np = realloc(s->p, s->cap * 2 + n + 64);
		if (!np) {
			w->err = -ENOMEM;
			return;
		}
		s->p = np;
		s->cap = s->cap * 2 + n + 64;
	}
	s->n += n > 0 ? n : 0;
}

void cw_indent(struct cw *w, struct sb *s, int n)
{
	cw_printf(w, s, "%.*s", n, "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t");
}

/* ------------------------------------------------------------------- names */

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

/* Put name with its count in the first free slot from its hash on. */
static void names_put(struct names *ns, const char *name, uint32_t count)
{
	uint32_t j;

	for (j = hash(name) & (ns->cap - 1); ns->key[j]; j = (j + 1) & (ns->cap - 1))
		;
	ns->key[j] = name;
	ns->count[j] = count;
	ns->used++;
}

/* Twice the room (a power of two, at least 4096), the names rehashed; 0 or -ENOMEM. */
static int names_grow(struct names *ns)
{
	struct names big = { 0 };
	uint32_t i;

	big.cap = ns->cap ? ns->cap * 2 : 4096;
	big.key = calloc(big.cap, sizeof(*big.key));
	big.count = calloc(big.cap, sizeof(*big.count));
	if (!big.key || !big.count) {
		free(big.key);
		free(big.count);
		return -ENOMEM;
	}
	for (i = 0; i < ns->cap; i++)
		if (ns->key[i])
			names_put(&big, ns->key[i], ns->count[i]);
	free(ns->key);
	free(ns->count);
	*ns = big;
	return 0;
}

/* How many times name has been used in ns, counting this use; 0 if out of memory. */
static uint32_t names_use(struct names *ns, const char *name)
{
	uint32_t j;

	if (ns->used * 2 >= ns->cap && names_grow(ns) < 0)
		return 0;
	for (j = hash(name) & (ns->cap - 1); ns->key[j]; j = (j + 1) & (ns->cap - 1))
		if (!strcmp(ns->key[j], name))
			return ++ns->count[j];
	names_put(ns, name, 1);
	return 1;
}

/* name, or name___N for the Nth use of it in its namespace (a malloc'd string). */
char *cw_unique(struct cw *w, struct names *ns, const char *name)
{
	uint32_t n = names_use(ns, name);
	size_t len = strlen(name) + 16;
	char *s = malloc(len);

	if (!s || !n) {
		free(s);
		w->err = -ENOMEM;
		return NULL;
	}
	snprintf(s, len, n > 1 ? "%s___%u" : "%s", name, n);
	return s;
}

/* The name written for type id: struct/union/enum tags and typedefs are made unique
 * the first time they are asked for; a forward declaration keeps its name (it
 * refers to the struct of that name). */
const char *cw_type_name(struct cw *w, uint32_t id)
{
	const struct btf_type *t = btf_type(w->b, id);
	const char *n = btf_name(w->b, id);

	if (w->name[id] || !*n)
		return w->name[id] ? w->name[id] : n;
	if (btf_kind(t) == BTF_KIND_FWD || !strncmp(n, "__builtin_", 10))
		return n;
	w->name[id] = cw_unique(w, btf_kind(t) == BTF_KIND_TYPEDEF ? &w->idents : &w->tags, n);
	return w->name[id] ? w->name[id] : n;
}

/* ------------------------------------------------------------------ layout */

static uint32_t c_align(struct cw *w, uint32_t id, int depth);

/* Does struct/union id need __attribute__((packed)): a member where its alignment
 * would not put it, a bitfield across its storage unit, or a size that is not a
 * multiple of the members' largest alignment? */
static int is_packed(struct cw *w, uint32_t id, int depth)
{
	const struct btf_type *t = btf_type(w->b, id);
	uint32_t i, off, bits, a, max = 1;
	int64_t unit;

	if (w->packed[id])
		return w->packed[id] == 1;
	w->packed[id] = 2;                       /* for now (a malformed loop stops here) */
	for (i = 0; i < btf_vlen(t); i++) {
		btf_member_bits(w->b, t, i, &off, &bits);
		a = c_align(w, btf_members(t)[i].type, depth + 1);
		max = a > max ? a : max;
		unit = btf_type_size(w->b, btf_members(t)[i].type) * 8;
		if (bits ? unit > 0 && off / unit != (off + bits - 1) / unit : off % (a * 8) != 0)
			break;
	}
	w->packed[id] = i < btf_vlen(t) || t->size % max ? 1 : 2;
	return w->packed[id] == 1;
}

/* The alignment clang gives type id as we write it, in bytes. */
static uint32_t c_align(struct cw *w, uint32_t id, int depth)
{
	const struct btf_type *t;
	uint32_t a = 1, i, m;

	id = btf_resolve(w->b, id);
	t = btf_type(w->b, id);
	if (!t || depth > MAX_DEPTH)
		return 1;
	if (w->align[id])
		return w->align[id];
	w->align[id] = 1;                        /* for now (a malformed loop stops here) */
	switch (btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_ENUM: case BTF_KIND_ENUM64: case BTF_KIND_FLOAT:
		a = t->size > 16 ? 16 : t->size ? t->size : 1;
		break;
	case BTF_KIND_PTR:
		a = 8;
		break;
	case BTF_KIND_ARRAY:
		a = c_align(w, btf_array(t)->type, depth + 1);
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		for (i = 0; !is_packed(w, id, depth) && i < btf_vlen(t); i++)
			if ((m = c_align(w, btf_members(t)[i].type, depth + 1)) > a)
				a = m;
		break;
	}
	return w->align[id] = a;
}

/* Where C puts the next member (bits from the struct's start) after cur. */
static uint64_t natural(struct cw *w, uint64_t cur, uint32_t type, uint32_t bits, int packed)
{
	int64_t unit = btf_type_size(w->b, type) * 8;
	uint64_t a;

	if (bits)
		return packed || unit <= 0 || cur / unit == (cur + bits - 1) / unit ? cur :
		       (cur + unit - 1) / unit * (uint64_t)unit;
	a = packed ? 8 : c_align(w, type, 0) * 8;
	return (cur + a - 1) / a * a;
}

/* Unnamed bitfields from bit `from` to bit `to`: they hold the place and, having no
 * name, give the struct no alignment of their own.  Each stays inside its storage
 * unit, so `long: 64` only where a u64 starts.  A gap of more than 4 KiB (a
 * malformed size, most likely) is one char array instead of thousands of lines. */
static void pad(struct cw *w, struct sb *s, uint64_t from, uint64_t to, int indent)
{
	static const struct { const char *type; uint32_t bits; } units[] = {
		{ "long", 64 }, { "int", 32 }, { "short", 16 }, { "char", 8 },
	};
	uint64_t n;
	uint32_t i;

	while (from < to) {
		const char *type = "char";

		if (from % 8 == 0 && to - from > 8 * 4096) {
			cw_indent(w, s, indent);
			cw_printf(w, s, "char __pad_at_%llu[%llu];\n", (unsigned long long)from / 8,
				  (unsigned long long)(to - from) / 8);
			from += (to - from) / 8 * 8;
			continue;
		}
		n = from % 8 ? 8 - from % 8 : to - from;
		if (n > to - from)
			n = to - from;
		for (i = 0; !(from % 8) && i < 4; i++)
			if (from % units[i].bits == 0 && to - from >= units[i].bits) {
				type = units[i].type;
				n = units[i].bits;
				break;
			}
		cw_indent(w, s, indent);
		cw_printf(w, s, "%s: %u;\n", type, (unsigned)n);
		from += n;
	}
}

/* ------------------------------------------------------------ declarations */

/* A typedef of the compiler's own (__builtin_va_list): clang predefines the name, for
 * its target, and BPF's va_list is not x86's.  We write what the kernel's stands for
 * instead (struct __va_list_tag[1]), so that structs holding one keep their layout. */
int cw_is_builtin(struct cw *w, uint32_t id)
{
	const struct btf_type *t = btf_type(w->b, id);

	return t && btf_kind(t) == BTF_KIND_TYPEDEF && !strncmp(btf_name(w->b, id), "__builtin_", 10);
}

/* d = prefix + d: a pointer's star goes in front of what is declared. */
static void prepend(struct cw *w, struct sb *d, const char *prefix)
{
	struct sb n = { 0 };

	cw_printf(w, &n, "%s%s", prefix, d->n ? d->p : "");
	free(d->p);
	*d = n;
}

/* Arrays and functions bind tighter than *: (*p)[4], (*fn)(int). */
static void paren_if_pointer(struct cw *w, struct sb *d)
{
	if (d->n && d->p[0] == '*') {
		prepend(w, d, "(");
		cw_printf(w, d, ")");
	}
}

/* (int, struct foo *, ...) of a FUNC_PROTO, names left out as bpftool does. */
static void params(struct cw *w, struct sb *d, const struct btf_type *t)
{
	const struct btf_param *p = btf_params(t);
	uint32_t i, n = btf_vlen(t);

	cw_printf(w, d, "(%s", n ? "" : "void");
	for (i = 0; i < n; i++) {
		cw_printf(w, d, i ? ", " : "");
		if (i == n - 1 && !p[i].type)
			cw_printf(w, d, "...");
		else
			cw_decl(w, d, p[i].type, "", 0);
	}
	cw_printf(w, d, ")");
}

/* What a declaration starts with: qualifiers, then a type's name or an anonymous
 * struct/union/enum written out in full. */
void cw_base(struct cw *w, struct sb *s, uint32_t id, const char *quals, int indent)
{
	const struct btf_type *t = btf_type(w->b, id);
	uint32_t k = t ? btf_kind(t) : 0;
	const char *kw = k == BTF_KIND_UNION || (k == BTF_KIND_FWD && btf_kflag(t)) ? "union" :
			 k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64 ? "enum" : "struct";

	cw_printf(w, s, "%s", quals);
	switch (k) {
	case BTF_KIND_INT: case BTF_KIND_FLOAT: case BTF_KIND_TYPEDEF:
		cw_printf(w, s, "%s", cw_type_name(w, id));
		return;
	case BTF_KIND_FWD:
		if (!*btf_name(w->b, id))               /* malformed: nothing to name */
			break;
		/* fall through */
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		cw_printf(w, s, "%s ", kw);
		if (*btf_name(w->b, id))
			cw_printf(w, s, "%s", cw_type_name(w, id));
		else
			cw_body(w, s, id, indent);
		return;
	}
	cw_printf(w, s, "void");
}

/* Append "BASE DECLARATOR" for a name of type id (name "" for a type alone):
 * the declarator grows from the name outwards as the type chain is walked. */
void cw_decl(struct cw *w, struct sb *s, uint32_t id, const char *name, int indent)
{
	static const char *const qual[] = { [BTF_KIND_CONST] = "const ",
		[BTF_KIND_VOLATILE] = "volatile ", [BTF_KIND_RESTRICT] = "restrict " };
	struct sb d = { 0 }, q = { 0 };          /* the declarator; pending qualifiers */
	const struct btf_type *t;
	int depth;

	if (++w->depth > MAX_NEST) {              /* prototypes in prototypes: a loop */
		w->depth--;
		cw_printf(w, s, "void");
		return;
	}
	cw_printf(w, &d, "%s", name);
	cw_printf(w, &q, "%s", "");
	for (depth = 0; depth < MAX_DEPTH && (t = btf_type(w->b, id)); depth++) {
		uint32_t k = btf_kind(t), next = t->type;

		if (k == BTF_KIND_CONST || k == BTF_KIND_VOLATILE || k == BTF_KIND_RESTRICT) {
			if (!strstr(q.p, qual[k]))    /* const array of const: one const */
				cw_printf(w, &q, "%s", qual[k]);
		} else if (k == BTF_KIND_PTR) {
			prepend(w, &d, q.p);          /* qualifiers seen so far are the pointer's */
			prepend(w, &d, "*");
			q.n = 0, q.p[0] = 0;
		} else if (k == BTF_KIND_ARRAY) {     /* qualifiers go on to the elements */
			paren_if_pointer(w, &d);
			cw_printf(w, &d, "[%u]", btf_array(t)->nelems);
			next = btf_array(t)->type;
		} else if (k == BTF_KIND_FUNC_PROTO) {
			paren_if_pointer(w, &d);
			params(w, &d, t);
			q.n = 0, q.p[0] = 0;
		} else if (k != BTF_KIND_TYPE_TAG && !cw_is_builtin(w, id)) {
			break;                        /* a base type: the chain ends */
		}
		id = next;
	}
	cw_base(w, s, id, q.p ? q.p : "", indent);
	while (d.n && d.p[d.n - 1] == ' ')
		d.p[--d.n] = 0;
	if (d.n)
		cw_printf(w, s, " %s", d.p);
	free(d.p);
	free(q.p);
	w->depth--;
}

/* ------------------------------------------------------------------ bodies */

/* The size C gives an enum with these values: int, unless one needs 64 bits. */
static uint32_t enum_natural_size(const struct btf_type *t)
{
	uint32_t i;

	for (i = 0; btf_kind(t) == BTF_KIND_ENUM64 && i < btf_vlen(t); i++) {
		uint64_t v = btf_enum64_value(&btf_enum64s(t)[i]);

		if (btf_kflag(t) ? (int64_t)v < INT32_MIN || (int64_t)v > INT32_MAX : v > UINT32_MAX)
			return 8;
	}
	return 4;
}

/* { A = 1, ... }: each enumerator made unique among ordinary identifiers; a size C
 * would not give these values (a packed enum: 1 byte) said with a mode attribute. */
void cw_enum_body(struct cw *w, struct sb *s, const struct btf_type *t, int indent)
{
	uint32_t i, n = btf_vlen(t), is64 = btf_kind(t) == BTF_KIND_ENUM64;

	cw_printf(w, s, "{\n");
	for (i = 0; i < n; i++) {
		uint32_t off = is64 ? btf_enum64s(t)[i].name_off : btf_enums(t)[i].name_off;
		const char *name = btf_str(w->b, off);
		char *u = cw_unique(w, &w->idents, name ? name : "");

		cw_indent(w, s, indent + 1);
		if (!is64)
			cw_printf(w, s, btf_kflag(t) ? "%s = %d,\n" : "%s = %u,\n", u ? u : "",
				  btf_enums(t)[i].val);
		else
			cw_printf(w, s, btf_kflag(t) ? "%s = %lldLL,\n" : "%s = %lluULL,\n", u ? u : "",
				  (long long)btf_enum64_value(&btf_enum64s(t)[i]));
		free(u);
	}
	cw_indent(w, s, indent);
	cw_printf(w, s, "}");
	if (t->size != enum_natural_size(t) && (t->size == 1 || t->size == 2 || t->size == 4 ||
						t->size == 8))    /* a packed enum, say */
		cw_printf(w, s, " __attribute__((mode(%s)))", t->size == 1 ? "QI" : t->size == 2 ?
			  "HI" : t->size == 4 ? "SI" : "DI");
}

/* { members } of a struct or union, with the filling the layout needs. */
void cw_struct_body(struct cw *w, struct sb *s, uint32_t id, int indent)
{
	const struct btf_type *t = btf_type(w->b, id);
	const struct btf_member *m = btf_members(t);
	int is_union = btf_kind(t) == BTF_KIND_UNION, packed = is_packed(w, id, 0);
	uint32_t i, off, bits;
	uint64_t cur = 0, end, a;                /* in bits: a malformed size may need 35 */
	int64_t size;

	cw_printf(w, s, "{\n");
	for (i = 0; i < btf_vlen(t); i++) {
		btf_member_bits(w->b, t, i, &off, &bits);
		if (!is_union && off > natural(w, cur, m[i].type, bits, packed)) {
			pad(w, s, cur, off, indent + 1);
			cur = off;
		}
		cw_indent(w, s, indent + 1);
		cw_decl(w, s, m[i].type, btf_str(w->b, m[i].name_off) ? btf_str(w->b, m[i].name_off) : "",
		     indent + 1);
		cw_printf(w, s, bits ? ": %u;\n" : ";\n", bits);
		size = btf_type_size(w->b, m[i].type);
		end = off + (bits ? bits : size > 0 ? (uint64_t)size * 8 : 0);
		cur = !is_union || end > cur ? end : cur;
	}
	a = (packed ? 1 : c_align(w, id, 0)) * 8;
	if (!is_union && (uint64_t)t->size * 8 > (cur + a - 1) / a * a)
		pad(w, s, cur, (uint64_t)t->size * 8, indent + 1);
	cw_indent(w, s, indent);
	cw_printf(w, s, packed ? "} __attribute__((packed))" : "}");
}

void cw_body(struct cw *w, struct sb *s, uint32_t id, int indent)
{
	const struct btf_type *t = btf_type(w->b, id);

	if (btf_kind(t) == BTF_KIND_ENUM || btf_kind(t) == BTF_KIND_ENUM64)
		cw_enum_body(w, s, t, indent);
	else if (w->state[id] & BUSY)        /* inside itself: a malformed BTF */
		cw_printf(w, s, "{}");
	else {
		w->state[id] |= BUSY;
		cw_struct_body(w, s, id, indent);
		w->state[id] &= ~BUSY;
	}
}

