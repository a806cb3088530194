/*
 * extern_btf.c -- the object's BTF, made acceptable to the kernel when it declares
 * externs.
 *
 * clang describes externs in BTF the way C sees them: VARs with extern linkage in
 * DATASECs `.kconfig` and `.ksyms` of size 0, and kfuncs as FUNCs with extern linkage
 * listed in `.ksyms`.  The kernel's BTF checker accepts none of that: a DATASEC lists
 * only VARs, each at an offset inside the section's size, and VAR and FUNC linkage
 * must be static or global.  So, on a copy that only the kernel sees:
 *   - `.kconfig` gets its real layout (the map's: extern.c) and its VARs become
 *     global;
 *   - in `.ksyms`, each VAR is given 4 bytes or its type's size, a typeless one the
 *     type int, and each FUNC entry is replaced by one dummy int VAR appended to the
 *     types (appending keeps every existing id);
 *   - extern FUNCs become static.
 * None of this changes an instruction: it only lets the kernel take the BTF, so the
 * verifier log has source lines and global functions are checked as such.
 */
#include <errno.h>
#include <string.h>

#include "extern.h"
#include "rawbpf.h"

/* A 4-byte signed INT of b, appended if b has none; its id or -errno. */
static int int_type(struct btf *b, uint32_t name_off)
{
	struct { struct btf_type t; uint32_t enc; } rec = {
		{ .name_off = name_off, .info = BTF_KIND_INT << 24, .size = 4 },
		BTF_INT_SIGNED << 24 | 32 };
	const struct btf_type *t;
	uint32_t id;

	for (id = 1; id < b->ntypes; id++) {
		t = btf_type(b, id);
		if (btf_kind(t) == BTF_KIND_INT && t->size == 4 && btf_int_bits(t) == 32)
			return id;
	}
	return btf_add_type(b, &rec, sizeof(rec));
}

static void sort_secinfos(struct btf_type *ds)
{
	struct btf_var_secinfo *v = (struct btf_var_secinfo *)(ds + 1), tmp;
	uint32_t i, j;

	for (i = 1; i < btf_vlen(ds); i++)
		for (j = i; j > 0 && v[j - 1].offset > v[j].offset; j--)
			tmp = v[j], v[j] = v[j - 1], v[j - 1] = tmp;
}

static void fix_kconfig(const struct ext_table *t, struct btf *b, uint32_t ds_id)
{
	struct btf_type *ds = btf_type_mut(b, ds_id), *var;
	struct btf_var_secinfo *v = (struct btf_var_secinfo *)(ds + 1);
	uint32_t i, k;

	for (i = 0; i < btf_vlen(ds); i++) {
		for (k = 0; k < t->n; k++)
			if (t->e[k].kind == EXT_KCONFIG && !strcmp(t->e[k].name, btf_name(b, v[i].type)))
				v[i].offset = t->e[k].off, v[i].size = t->e[k].size;
		if ((var = btf_type_mut(b, v[i].type)) && btf_kind(var) == BTF_KIND_VAR)
			((struct btf_var *)(var + 1))->linkage = BTF_VAR_GLOBAL_ALLOCATED;
	}
	ds->size = t->kcfg_size;
	sort_secinfos(ds);
}

static int fix_ksyms(struct btf *b, uint32_t ds_id)
{
	struct { struct btf_type t; struct btf_var v; } dummy = { { 0 }, { BTF_VAR_GLOBAL_ALLOCATED } };
	struct btf_var_secinfo *v;
	struct btf_type *ds, *var;
	uint32_t i, off = 0;
	int64_t sz;
	int int_id, dummy_id;

	ds = btf_type_mut(b, ds_id);
	dummy.t.name_off = ds->name_off + 1;          /* "ksyms": a valid identifier */
	if ((int_id = int_type(b, dummy.t.name_off)) < 0)
		return int_id;
	dummy.t.info = BTF_KIND_VAR << 24, dummy.t.type = int_id;
	if ((dummy_id = btf_add_type(b, &dummy, sizeof(dummy))) < 0)
		return dummy_id;
	ds = btf_type_mut(b, ds_id);                  /* the blob moved */
	v = (struct btf_var_secinfo *)(ds + 1);
	for (i = 0; i < btf_vlen(ds); i++) {
		var = btf_type_mut(b, v[i].type);
		if (!var || btf_kind(var) != BTF_KIND_VAR) {
			v[i].type = dummy_id;                  /* a kfunc's FUNC */
		} else {
			((struct btf_var *)(var + 1))->linkage = BTF_VAR_GLOBAL_ALLOCATED;
			if (btf_type_size(b, var->type) <= 0)
				var->type = int_id;            /* typeless: `const void` */
		}
		sz = btf_type_size(b, btf_type(b, v[i].type)->type);
		v[i].offset = off, v[i].size = sz > 0 ? sz : 4;
		off += v[i].size;
	}
	ds->size = off;
	return 0;
}

int ext_fix_btf(const struct ext_table *t, struct btf *b)
{
	struct btf_type *ft;
	uint32_t id;
	int r;

	if (!t->n)
		return 0;
	if ((id = btf_find_datasec(b, ".kconfig")))
		fix_kconfig(t, b, id);
	if ((id = btf_find_datasec(b, ".ksyms")) && (r = fix_ksyms(b, id)) < 0)
		return r;
	for (id = 1; id < b->ntypes; id++) {
		ft = btf_type_mut(b, id);
		if (btf_kind(ft) == BTF_KIND_FUNC && btf_vlen(ft) == BTF_FUNC_EXTERN)
			ft->info = BTF_KIND_FUNC << 24 | BTF_FUNC_STATIC;
	}
	return 0;
}
