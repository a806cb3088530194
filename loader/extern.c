/*
 * extern.c -- externs: values and addresses an object leaves for the loader.
 *
 * An `extern` the object does not define is an undefined ELF symbol; its BTF (a VAR
 * or a FUNC with extern linkage, listed in a DATASEC) says what it is:
 *
 *   extern int CONFIG_HZ __kconfig;          .kconfig: a value from the kernel's
 *   extern unsigned LINUX_KERNEL_VERSION ...   config (kconfig.c) or about the kernel;
 *                                            the loader puts all of them in one
 *                                            read-only map, `.kconfig`, and every
 *                                            reference becomes a load from its value
 *   extern const struct rq runqueues __ksym; .ksyms, typed: the kernel variable's BTF
 *                                            id (ld_imm64, src BPF_PSEUDO_BTF_ID)
 *   extern const void some_sym __ksym;       .ksyms, typeless: its address, from
 *                                            /proc/kallsyms
 *   extern void bpf_rcu_read_lock(void) __ksym;   a kfunc: the call becomes
 *                                            src BPF_PSEUDO_KFUNC_CALL, imm = the
 *                                            kernel FUNC's BTF id
 *
 * A `__weak` extern may be missing: a kconfig value or address is then 0, a kfunc
 * call gets id 0, which the verifier accepts only in code it can prove dead (the
 * convention bpf_ksym_exists() relies on).  A strong one that is missing is an error
 * naming it.  The .kconfig layout follows libbpf's (largest alignment first, then
 * smallest size, then name), so both loaders produce the same instructions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "extern.h"
#include "kconfig.h"
#include "rawbpf.h"

#define LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)
#define CALL (BPF_JMP | BPF_CALL)

/* ------------------------------------------------------------------ collect */

/* The DATASEC entry naming `name`: *sec gets the DATASEC's name, returns the VAR or
 * FUNC id; else a FUNC of that name with extern linkage (*sec = ""), else 0. */
static uint32_t find_btf(const struct btf *b, const char *name, const char **sec)
{
	const struct btf_type *t;
	uint32_t id, i;

	for (id = 1; id < b->ntypes; id++) {
		t = btf_type(b, id);
		if (btf_kind(t) != BTF_KIND_DATASEC)
			continue;
		for (i = 0; i < btf_vlen(t); i++)
			if (!strcmp(btf_name(b, btf_secinfos(t)[i].type), name)) {
				*sec = btf_name(b, id);
				return btf_secinfos(t)[i].type;
			}
	}
	*sec = "";
	for (id = 1; id < b->ntypes; id++)
		if (btf_kind(btf_type(b, id)) == BTF_KIND_FUNC && !strcmp(btf_name(b, id), name))
			return id;
	return 0;
}

/* How a kconfig value is written into a type (libbpf's classes). */
static int kcfg_class(const struct btf *b, uint32_t type, struct ext *x)
{
	const struct btf_type *t = btf_type(b, btf_resolve(b, type));
	int64_t sz = btf_type_size(b, type), al = btf_type_align(b, type);

	x->size = sz, x->align = al;
	if (!t || sz <= 0 || al <= 0)
		return -1;
	if (btf_kind(t) == BTF_KIND_INT) {
		x->is_signed = !!(btf_int_encoding(t) & BTF_INT_SIGNED);
		x->kt = btf_int_encoding(t) & BTF_INT_BOOL ? KCFG_BOOL :
			t->size == 1 ? KCFG_CHAR : KCFG_INT;
		return (x->kt == KCFG_BOOL && t->size != 1) || (t->size & (t->size - 1)) ||
		       t->size > 8 ? -1 : 0;
	}
	if (core_is_enum(t) && !strcmp(btf_str(b, t->name_off), "libbpf_tristate"))
		return x->kt = KCFG_TRISTATE, 0;
	if (btf_kind(t) == BTF_KIND_ARRAY && btf_array(t)->nelems) {
		t = btf_type(b, btf_resolve(b, btf_array(t)->type));
		if (t && btf_kind(t) == BTF_KIND_INT && t->size == 1 &&
		    !(btf_int_encoding(t) & BTF_INT_BOOL))
			return x->kt = KCFG_CHAR_ARR, 0;
	}
	return -1;
}

static int one_extern(const struct elf *e, const struct btf *b, uint32_t sym, struct ext *x,
		      const char *obj)
{
	const char *sec;
	const struct btf_type *t;

	memset(x, 0, sizeof(*x));
	x->name = elf_sym_name(e, &e->syms[sym]);
	x->sym = sym;
	x->weak = ELF64_ST_BIND(e->syms[sym].st_info) == STB_WEAK;
	if (!b->ntypes || !(x->btf_id = find_btf(b, x->name, &sec)))
		return rbpf_error(ENOTSUP, "object %s: extern '%s' has no BTF (compile with "
				  "-g): rawbpf cannot tell a __kconfig from a __ksym", obj, x->name);
	t = btf_type(b, x->btf_id);
	x->type = t->type;
	if (btf_kind(t) == BTF_KIND_FUNC) {
		x->kind = EXT_KFUNC;
		return 0;
	}
	x->type = btf_kind(t) == BTF_KIND_VAR ? t->type : 0;
	if (!strcmp(sec, ".ksyms")) {
		x->kind = EXT_KSYM;
		if (!btf_type(b, btf_resolve(b, x->type)))
			x->type = 0;                 /* `const void`: typeless */
		return 0;
	}
	if (strcmp(sec, ".kconfig"))
		return rbpf_error(ENOTSUP, "object %s: extern '%s' is in section '%s': rawbpf "
				  "knows .kconfig (__kconfig) and .ksyms (__ksym) externs", obj,
				  x->name, sec);
	x->kind = EXT_KCONFIG;
	if (kcfg_class(b, x->type, x) < 0)
		return rbpf_error(ENOTSUP, "object %s: __kconfig extern '%s' has a type no "
				  "kconfig value fits (bool, char, an integer of 1-8 bytes, enum "
				  "libbpf_tristate or a char array)", obj, x->name);
	return 0;
}

/* libbpf's order for .kconfig: alignment descending, size ascending, then name. */
static int kcfg_cmp(const void *pa, const void *pb)
{
	const struct ext *a = pa, *b = pb;

	if ((a->kind == EXT_KCONFIG) != (b->kind == EXT_KCONFIG))
		return a->kind == EXT_KCONFIG ? -1 : 1;
	if (a->kind == EXT_KCONFIG && a->align != b->align)
		return a->align > b->align ? -1 : 1;
	if (a->kind == EXT_KCONFIG && a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return strcmp(a->name, b->name);
}

int ext_collect(struct ext_table *t, const struct elf *e, const struct btf *b,
		const char *obj)
{
	const Elf64_Sym *s;
	struct ext *x;
	uint32_t i, off = 0;
	int r;

	memset(t, 0, sizeof(*t));
	for (i = 1; i < e->nsym; i++) {
		s = &e->syms[i];
		if (s->st_shndx != SHN_UNDEF || !*elf_sym_name(e, s) ||
		    ELF64_ST_BIND(s->st_info) == STB_LOCAL)
			continue;
		if (!(x = realloc(t->e, (t->n + 1) * sizeof(*x))))
			return rbpf_error(ENOMEM, "object %s: out of memory", obj);
		t->e = x;
		if ((r = one_extern(e, b, i, &t->e[t->n], obj)) < 0)
			return r;
		t->n++;
	}
	if (t->n)                        /* qsort(NULL, 0) is undefined (UBSan says so) */
		qsort(t->e, t->n, sizeof(*t->e), kcfg_cmp);
	for (i = 0; i < t->n && t->e[i].kind == EXT_KCONFIG; i++) {
		off = (off + t->e[i].align - 1) / t->e[i].align * t->e[i].align;
		t->e[i].off = off;
		off += t->e[i].size;
	}
	t->kcfg_size = off;
	t->kcfg_datasec = off ? btf_find_datasec(b, ".kconfig") : 0;
	return 0;
}

void ext_free(struct ext_table *t)
{
	free(t->e);
	memset(t, 0, sizeof(*t));
}

const struct ext *ext_of_sym(const struct ext_table *t, uint32_t sym)
{
	uint32_t i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].sym == sym)
			return &t->e[i];
	return NULL;
}

int ext_need_kernel_btf(const struct ext_table *t)
{
	uint32_t i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].kind != EXT_KCONFIG)
			return 1;
	return 0;
}

/* --------------------------------------------------------------- link, patch */

int ext_link(const struct ext *x, struct bpf_insn *in, uint32_t room, int kcfg_map,
	     const char *obj, const char *prog, uint32_t idx)
{
	int wide = in->code == LD_IMM64 && room >= 2;

	if ((x->kind == EXT_KFUNC && in->code != CALL && !wide) ||
	    (x->kind != EXT_KFUNC && !wide))
		return rbpf_error(EINVAL, "object %s: %s insn %u: refers to extern '%s' with "
				  "opcode 0x%02x (expected %s)", obj, prog, idx, x->name, in->code,
				  x->kind == EXT_KFUNC ? "a call or an ld_imm64" : "an ld_imm64");
	if (x->kind != EXT_KCONFIG)
		return 0;                            /* ext_patch, at load */
	in->src_reg = BPF_PSEUDO_MAP_IDX_VALUE;
	in[1].imm = x->off + in->imm;
	in->imm = kcfg_map;
	return 0;
}

int ext_patch(const struct ext *x, struct bpf_insn *in, uint32_t room, const char *obj,
	      const char *prog, uint32_t idx)
{
	if (in->code == CALL) {                      /* a kfunc call (id 0: missing, weak) */
		in->src_reg = BPF_PSEUDO_KFUNC_CALL;
		in->imm = x->kernel_id, in->off = 0;
		return 0;
	}
	if (in->code != LD_IMM64 || room < 2)
		return rbpf_error(EINVAL, "object %s: %s insn %u: extern '%s' on opcode 0x%02x",
				  obj, prog, idx, x->name, in->code);
	if (x->kernel_id) {                          /* typed ksym, or a kfunc's address */
		in->src_reg = BPF_PSEUDO_BTF_ID;
		in->imm = x->kernel_id, in[1].imm = 0;
	} else {                                     /* an address, or 0 when missing */
		in->src_reg = 0;
		in->imm = (uint32_t)x->addr, in[1].imm = (uint32_t)(x->addr >> 32);
	}
	return 0;
}
