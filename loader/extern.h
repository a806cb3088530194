/*
 * extern.h -- externs: what an object leaves for the loader to fill in from the
 * kernel (loader/extern.c, extern_btf.c).  Internal to the loader.
 */
#ifndef RBPF_EXTERN_H
#define RBPF_EXTERN_H

#include <linux/bpf.h>
#include <stdint.h>

#include "btf.h"
#include "elf.h"

enum ext_kind {
	EXT_KCONFIG,                 /* __kconfig: a value in the .kconfig map */
	EXT_KSYM,                    /* __ksym variable: typed (BTF id) or typeless (address) */
	EXT_KFUNC,                   /* __ksym function: a kfunc, called by BTF id */
};

enum kcfg_type { KCFG_BOOL, KCFG_CHAR, KCFG_TRISTATE, KCFG_INT, KCFG_CHAR_ARR };

struct ext {
	const char *name;            /* the symbol's name (in the ELF string table) */
	uint32_t sym;                /* its ELF symbol index */
	enum ext_kind kind;
	int weak;                    /* __weak: may be missing (then 0) */
	uint32_t btf_id;             /* its VAR or FUNC in the object's BTF */
	uint32_t type;               /* the VAR's type (0: a typeless ksym), FUNC's proto */
	enum kcfg_type kt;           /* .kconfig: how the value is written */
	int is_signed;
	uint32_t off, size, align;   /* .kconfig: its place in the map's value */
	/* filled at load (ext_resolve) */
	uint32_t kernel_id;          /* typed ksym, kfunc: the kernel's BTF id (0: missing) */
	uint64_t addr;               /* typeless ksym: the address (0: missing) */
};

struct ext_table {
	struct ext *e;
	uint32_t n;
	uint32_t kcfg_size;          /* bytes of the .kconfig map value; 0: no kconfig */
	uint32_t kcfg_datasec;       /* BTF id of the .kconfig DATASEC, or 0 */
	int resolved;                /* ext_resolve has run */
};

/* At open: find the externs (undefined symbols, with their BTF) and lay out .kconfig.
 * 0 (none is fine), or -errno naming the extern. */
int ext_collect(struct ext_table *t, const struct elf *e, const struct btf *b,
		const char *obj);
void ext_free(struct ext_table *t);
/* The extern of ELF symbol sym, or NULL. */
const struct ext *ext_of_sym(const struct ext_table *t, uint32_t sym);

/* At link (open): an instruction referring to extern x.  kconfig: made an ld_imm64
 * of the .kconfig map's value (map index kcfg_map) at the extern's offset.  Others
 * are left for ext_patch at load.  Returns 0 or -errno. */
int ext_link(const struct ext *x, struct bpf_insn *in, uint32_t room, int kcfg_map,
	     const char *obj, const char *prog, uint32_t idx);

/* At load, once per object: values of the kconfig externs into kcfg (kcfg_size
 * bytes), kernel ids and addresses of the others.  kernel: the kernel's BTF, or
 * NULL if it is not needed (only kconfig externs). */
int ext_resolve(struct ext_table *t, struct btf *kernel, const struct btf *local,
		uint8_t *kcfg, const char *obj);
/* True if resolving needs the kernel's BTF (a ksym or a kfunc). */
int ext_need_kernel_btf(const struct ext_table *t);
/* At load: patch an instruction referring to a ksym or kfunc (after ext_resolve). */
int ext_patch(const struct ext *x, struct bpf_insn *in, uint32_t room, const char *obj,
	      const char *prog, uint32_t idx);

/* A load refused with log: if the verifier could not place a __ksym, say why
 * (returns err); else 0. */
int ext_explain(int err, const char *obj, const char *prog, const char *log);

/* The object's BTF as the kernel will take it (extern_btf.c): .kconfig and .ksyms
 * DATASECs laid out, extern VARs and FUNCs given linkages the kernel accepts.
 * Works on b, a copy the caller owns. */
int ext_fix_btf(const struct ext_table *t, struct btf *b);

#endif
