/*
 * object_core.c -- the object's side of CO-RE and externs: where core*.c and
 * extern*.c meet the object model.
 *
 *   open    the externs are found (extern.c); __kconfig ones get one read-only map,
 *           `.kconfig`, made here; while linking, a reference to a kconfig extern
 *           becomes a load from that map's value, and references to ksyms and kfuncs
 *           are noted on the program for load (obj_link_extern); each program's
 *           CO-RE records follow its code (object_link.c calls core_collect).
 *   load    before the maps: every name the object will look up in the kernel's BTF
 *           is said first, so that only those are indexed, and the externs get their
 *           values (obj_prepare_kernel); the object's BTF is handed to the kernel
 *           with its extern DATASECs fixed (obj_kernel_btf); before each program:
 *           its relocations resolved and patched, its extern instructions patched
 *           (obj_relocate_prog); a refusal at a poisoned instruction or an
 *           unplaceable __ksym is explained (obj_explain_refusal).
 *
 * The kernel's BTF is loaded once per object (core_obj.c) for all of it: relocations,
 * ksyms, kfuncs and the attach ids of fentry/fexit and tp_btf programs.
 */
#include <stdlib.h>
#include <string.h>

#include "object.h"
#include "sec_table.h"

/* ------------------------------------------------------------------- open */

int obj_extern_maps(struct rbpf_object *o)
{
	struct rbpf_map *m;
	int r;

	o->kcfg_map = -1;
	if ((r = ext_collect(&o->exts, &o->elf, &o->btf, o->name)) < 0 || !o->exts.kcfg_size)
		return r;
	if (!(m = obj_new_map(o, ".kconfig", -1, 0)) || !(m->data = calloc(1, o->exts.kcfg_size)))
		return obj_oom(o);
	m->type = BPF_MAP_TYPE_ARRAY;
	m->key_size = 4, m->value_size = o->exts.kcfg_size, m->max_entries = 1;
	m->flags = BPF_F_RDONLY_PROG;             /* frozen once written, like .rodata */
	m->btf_value = o->exts.kcfg_datasec;
	o->kcfg_map = m - o->maps;
	return 0;
}

int obj_link_extern(struct rbpf_object *o, struct rbpf_prog *p, struct bpf_insn *in,
		    uint32_t room, uint32_t at, const Elf64_Sym *sym, const char *sname)
{
	const struct ext *x = ext_of_sym(&o->exts, sym - o->elf.syms);
	uint32_t *a, *i;
	int r;

	if (!x)
		return rbpf_error(ENOTSUP, "object %s: program %s: relocation against '%s', "
				  "which is not defined in this object and is no __kconfig, "
				  "__ksym or kfunc extern", o->name, p->name, sname);
	if ((r = ext_link(x, in, room, o->kcfg_map, o->name, p->name, at)) < 0 ||
	    x->kind == EXT_KCONFIG)
		return r;
	a = realloc(p->ext_at, (p->next + 1) * sizeof(*a));
	if (a)
		p->ext_at = a;
	i = realloc(p->ext_idx, (p->next + 1) * sizeof(*i));
	if (i)
		p->ext_idx = i;
	if (!a || !i)
		return obj_oom(o);
	p->ext_at[p->next] = at, p->ext_idx[p->next++] = x - o->exts.e;
	return 0;
}

/* ------------------------------------------------------------------- load */

static const char *attach_name(struct rbpf_prog *p, const struct sec_row *row);

/* Every name the object will look up in the kernel's BTF: its relocations' types,
 * its attach points, its ksyms and kfuncs (they live as long as the object). */
static int want_names(struct rbpf_object *o)
{
	const char *target;
	uint32_t i, k;
	int r = 0;

	for (i = 0; !r && i < o->nprogs; i++) {
		struct rbpf_prog *p = &o->progs[i];

		for (k = 0; !r && k < p->ncore; k++)
			if (*btf_name(&o->btf, p->core[k].rec.type_id))
				r = core_want(&o->core, btf_name(&o->btf, p->core[k].rec.type_id));
		if (!r && attach_name(p, sec_find(p->sec_name, &target)))
			r = core_want(&o->core, p->attach_name);
	}
	for (i = 0; !r && i < o->exts.n; i++)
		if (o->exts.e[i].kind != EXT_KCONFIG)
			r = core_want(&o->core, o->exts.e[i].name);
	return r;
}

int obj_prepare_kernel(struct rbpf_object *o)
{
	struct btf *kernel = NULL;
	int r;

	if ((r = want_names(o)) < 0 || !o->exts.n || o->exts.resolved)
		return r;
	if (ext_need_kernel_btf(&o->exts) && (r = core_kernel(&o->core, &kernel)) < 0)
		return rbpf_error_prefix(r, "object %s: its __ksym externs need the kernel's "
					 "BTF: ", o->name);
	return ext_resolve(&o->exts, kernel, &o->btf,
			   o->kcfg_map >= 0 ? o->maps[o->kcfg_map].data : NULL, o->name);
}

int obj_kernel_btf(struct rbpf_object *o, struct btf *copy, const struct btf **b)
{
	int r;

	*b = &o->btf;
	if (!o->exts.n)
		return 0;
	if ((r = btf_parse(copy, o->btf.data, o->btf.size, o->name)) < 0 ||
	    (r = ext_fix_btf(&o->exts, copy)) < 0) {
		btf_free(copy);
		return r;
	}
	*b = copy;
	return 0;
}

/* Resolve and patch the program's relocations, once; then its extern instructions. */
int obj_relocate_prog(struct rbpf_prog *p)
{
	uint32_t i;
	int r;

	if (p->ncore && !p->core_res) {
		if (!(p->core_res = calloc(p->ncore, sizeof(*p->core_res))))
			return obj_oom(p->obj);
		r = core_apply_prog(&p->obj->core, &p->obj->btf, p->name, p->insns, p->cnt,
				    p->core, p->ncore, p->core_res);
		if (r < 0) {
			free(p->core_res);
			p->core_res = NULL;
			return rbpf_error_prefix(r, "object %s: ", p->obj->name);
		}
	}
	for (i = 0; i < p->next; i++)
		if ((r = ext_patch(&p->obj->exts.e[p->ext_idx[i]], &p->insns[p->ext_at[i]],
				   p->cnt - p->ext_at[i], p->obj->name, p->name, p->ext_at[i])) < 0)
			return r;
	p->next = 0;                 /* patched once: a second load must not redo it */
	return 0;
}

/* The kernel's name for a program's attach target (btf_trace_sched_switch), or NULL
 * when its section needs none; kept on the program. */
static const char *attach_name(struct rbpf_prog *p, const struct sec_row *row)
{
	char name[256];

	if (!row || !row->btf_fmt || !*p->target)
		return NULL;
	if (!p->attach_name) {
		snprintf(name, sizeof(name), row->btf_fmt, p->target);
		p->attach_name = strdup(name);
	}
	return p->attach_name;
}

int obj_attach_btf_id(struct rbpf_prog *p, const struct sec_row *row, const char *target)
{
	const char *name = attach_name(p, row);
	struct btf *kernel;
	uint32_t id;

	if (!name)                                      /* none, or its error */
		return row ? sec_attach_btf_id(row, target) : 0;
	if (core_kernel(&p->obj->core, &kernel) == 0 &&   /* loaded once per object */
	    (id = btf_find(kernel, name, row->btf_kind)))
		return id;
	return sec_attach_btf_id(row, target);          /* its message, with hints */
}

int obj_explain_refusal(struct rbpf_prog *p, int err)
{
	struct rbpf_object *o = p->obj;

	return core_explain(err, o->name, p->name, p->log, p->core, p->core_res, p->ncore) ||
	       ext_explain(err, o->name, p->name, p->log);
}

/* --------------------------------------------------------------- the API */

int rbpf_object_set_core_btf(struct rbpf_object *o, const char *path)
{
	return core_set_target(&o->core, path);
}

uint32_t rbpf_prog_core_count(const struct rbpf_prog *p) { return p->ncore; }

int rbpf_prog_core_row(struct rbpf_prog *p, uint32_t i, const char *btf_path,
		       struct rbpf_core_row *row)
{
	if (i >= p->ncore)
		return -ENOENT;
	return core_row(&p->obj->core, &p->obj->btf, p->name, &p->core[i], btf_path, row);
}

int rbpf_prog_core_at(const struct rbpf_prog *p, uint32_t insn)
{
	uint32_t i;

	for (i = 0; i < p->ncore; i++)
		if (p->core[i].insn == insn)
			return i;
	return -1;
}
