/*
 * cmd/btf_c.c -- a BTF back into C: the vmlinux.h a CO-RE program includes.
 *
 * BTF holds every type the compiler saw; C wants them in an order.  A struct that
 * holds another by value needs that one defined first; one that only points to it
 * needs nothing (a tag first seen in a member declares itself at file scope); a
 * function prototype's parameters need a forward declaration (`struct foo;`), since a
 * tag first seen in a parameter list is private to that list.  So each named type
 * is written by a depth-first walk that first asks for what it needs:
 *
 *   need(id, how)     STRONG: complete here (a member by value, an array element);
 *                     WEAK: named is enough (behind a pointer); PARAM: in a
 *                     prototype's parameters, where only `struct foo;` before helps
 *   emit_def(id)      need(member, STRONG) for each member, then the definition
 *   emit_typedef(id)  need(target, WEAK), then `typedef ...;`
 *
 * A struct being written (BUSY) that is asked for again is behind a pointer (a
 * by-value cycle is not C), so nothing more is needed.  Anonymous structs, unions
 * and enums are written inline where they are used; an anonymous enum nobody uses
 * (a list of constants) stands alone.  Named types come in id order otherwise, so
 * the header reads roughly as the kernel's BTF does.
 *
 * The declarations themselves (names, layout, C's declarator syntax) are in
 * cmd/btf_c_decl.c.
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

/* ------------------------------------------------------------------ order */

static void out(struct cw *w, struct sb *s)
{
	if (s->n && fwrite(s->p, 1, s->n, w->f) != s->n)
		w->err = -EIO;
	free(s->p);
}

/* `struct foo;` once, unless the definition is out already. */
static void declare(struct cw *w, uint32_t id)
{
	struct sb s = { 0 };

	if ((w->state[id] & DECLARED) || !*btf_name(w->b, id))
		return;
	w->state[id] |= DECLARED;
	cw_base(w, &s, id, "", 0);
	cw_printf(w, &s, ";\n\n");
	out(w, &s);
}

static void need(struct cw *w, uint32_t id, int how, int depth);

/* A named struct, union or enum: what it holds first, then itself. */
static void emit_def(struct cw *w, uint32_t id)
{
	const struct btf_type *t = btf_type(w->b, id);
	struct sb s = { 0 };
	uint32_t i;

	if (w->state[id] & (BUSY | DEFINED))
		return;
	w->state[id] |= BUSY;
	for (i = 0; (btf_kind(t) == BTF_KIND_STRUCT || btf_kind(t) == BTF_KIND_UNION) &&
		    i < btf_vlen(t); i++)
		need(w, btf_members(t)[i].type, STRONG, 1);
	cw_base(w, &s, id, "", 0);
	if (btf_kind(t) == BTF_KIND_STRUCT || btf_kind(t) == BTF_KIND_UNION) {
		cw_printf(w, &s, " ");
		cw_struct_body(w, &s, id, 0);
	} else if (btf_vlen(t)) {
		cw_printf(w, &s, " ");
		cw_enum_body(w, &s, t, 0);
	}                              /* an enum without values: declared, `enum foo;` */
	cw_printf(w, &s, ";\n\n");
	out(w, &s);
	w->state[id] = DECLARED | DEFINED;
}

static void emit_typedef(struct cw *w, uint32_t id, int depth)
{
	const struct btf_type *t = btf_type(w->b, id);
	struct sb s = { 0 };

	if (w->state[id] & (BUSY | DEFINED))
		return;
	w->state[id] |= BUSY;
	need(w, t->type, WEAK, depth + 1);
	if (!cw_is_builtin(w, id)) {
		cw_printf(w, &s, "typedef ");
		cw_decl(w, &s, t->type, cw_type_name(w, id), 0);
		cw_printf(w, &s, ";\n\n");
		out(w, &s);
	}
	w->state[id] = DECLARED | DEFINED;
}

/* Make type id usable here.  STRONG: complete (a member by value, an array element).
 * WEAK: named is enough (behind a pointer; a tag first named in a member or a
 * typedef declares itself).  PARAM: inside a prototype's parameter list, where a
 * tag first named there would be private to the list: it needs `struct foo;` first. */
static void need(struct cw *w, uint32_t id, int how, int depth)
{
	const struct btf_type *t = btf_type(w->b, id);
	uint32_t i;

	if (!t || depth > MAX_DEPTH)
		return;
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		return need(w, t->type, how == PARAM ? PARAM : WEAK, depth + 1);
	case BTF_KIND_ARRAY:
		return need(w, btf_array(t)->type, STRONG, depth + 1);
	case BTF_KIND_CONST: case BTF_KIND_VOLATILE: case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return need(w, t->type, how, depth + 1);
	case BTF_KIND_TYPEDEF:
		if (cw_is_builtin(w, id))              /* written as what it stands for */
			return need(w, t->type, how, depth + 1);
		emit_typedef(w, id, depth);
		return how == STRONG ? need(w, t->type, STRONG, depth + 1) : (void)0;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		if (*btf_name(w->b, id))
			return how == STRONG ? emit_def(w, id) : how == PARAM ? declare(w, id) : (void)0;
		if (w->state[id] & BUSY)
			return;
		w->state[id] |= BUSY;               /* inline: what its members need */
		for (i = 0; i < btf_vlen(t); i++)
			need(w, btf_members(t)[i].type, STRONG, depth + 1);
		w->state[id] &= ~BUSY;
		return;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		return *btf_name(w->b, id) ? emit_def(w, id) : (void)0;
	case BTF_KIND_FWD:
		return declare(w, id);
	case BTF_KIND_FUNC_PROTO:
		need(w, t->type, WEAK, depth + 1);
		for (i = 0; i < btf_vlen(t); i++)
			need(w, btf_params(t)[i].type, PARAM, depth + 1);
		return;
	}
}

/* ------------------------------------------------------------------ the file */

/* refs[id]: how many types (not functions or variables) name id; an anonymous enum
 * with none is a list of constants, written on its own. */
static void count_refs(struct cw *w)
{
	const struct btf_type *t;
	uint32_t id, i;

	for (id = 1; id < w->b->ntypes; id++) {
		t = btf_type(w->b, id);
		switch (btf_kind(t)) {
		case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE: case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
			if (t->type < w->b->ntypes)
				w->refs[t->type]++;
			break;
		case BTF_KIND_ARRAY:
			if (btf_array(t)->type < w->b->ntypes)
				w->refs[btf_array(t)->type]++;
			break;
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			for (i = 0; i < btf_vlen(t); i++)
				if (btf_members(t)[i].type < w->b->ntypes)
					w->refs[btf_members(t)[i].type]++;
			break;
		case BTF_KIND_FUNC_PROTO:
			for (i = 0; i < btf_vlen(t); i++)
				if (btf_params(t)[i].type < w->b->ntypes)
					w->refs[btf_params(t)[i].type]++;
			break;
		}
	}
}

/* Every type, in id order, each after what it needs. */
static void write_types(struct cw *w)
{
	const struct btf_type *t;
	struct sb s;
	uint32_t id, k;

	for (id = 1; id < w->b->ntypes && !w->err; id++) {
		t = btf_type(w->b, id);
		k = btf_kind(t);
		if (k == BTF_KIND_TYPEDEF)
			emit_typedef(w, id, 0);
		else if (k == BTF_KIND_FWD)
			declare(w, id);
		else if ((k == BTF_KIND_STRUCT || k == BTF_KIND_UNION) && *btf_name(w->b, id))
			emit_def(w, id);
		else if ((k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64) && *btf_name(w->b, id))
			emit_def(w, id);
		else if ((k == BTF_KIND_ENUM || k == BTF_KIND_ENUM64) && !w->refs[id] && btf_vlen(t)) {
			memset(&s, 0, sizeof(s));
			cw_printf(w, &s, "enum ");
			cw_body(w, &s, id, 0);
			cw_printf(w, &s, ";\n\n");
			out(w, &s);
		}
	}
}

int btf_c_write(FILE *f, struct btf *b)
{
	struct cw w = { .f = f, .b = b };
	uint32_t n = b->ntypes, i;

	w.state = calloc(n, 1);
	w.align = calloc(n, 1);
	w.packed = calloc(n, 1);
	w.refs = calloc(n, sizeof(*w.refs));
	w.name = calloc(n, sizeof(*w.name));
	if (!w.state || !w.align || !w.packed || !w.refs || !w.name)
		w.err = -ENOMEM;
	if (!w.err) {
		count_refs(&w);
		fprintf(f, "/* %s: written by `rawbpf btf --c` */\n"
			"#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n"
			"/* Every struct and union below is relocatable by CO-RE (see bpf_prog.h),\n"
			" * unless BPF_NO_PRESERVE_ACCESS_INDEX is defined first. */\n"
			"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute push "
			"(__attribute__((preserve_access_index)), apply_to = record)\n#endif\n\n",
			b->file ? b->file : "BTF");
		write_types(&w);
		fprintf(f, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n"
			"#endif\n\n#endif /* __VMLINUX_H__ */\n");
	}
	for (i = 0; w.name && i < n; i++)
		free(w.name[i]);
	free(w.state);
	free(w.align);
	free(w.packed);
	free(w.refs);
	free(w.name);
	free(w.tags.key);
	free(w.tags.count);
	free(w.idents.key);
	free(w.idents.count);
	if (w.err)
		return rbpf_error(-w.err, "btf: writing C for %s: %s", b->file ? b->file : "BTF",
				  w.err == -ENOMEM ? "out of memory" : "write error");
	return 0;
}
