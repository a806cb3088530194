/*
 * rawbpf_core.h -- CO-RE relocations in rawbpf's API (loader/core*.c,
 * object_core.c): a part of rawbpf.h, which includes it.
 *
 * clang records, for every access to a kernel type marked preserve_access_index,
 * which field it meant (a CO-RE relocation in .BTF.ext); the loader adjusts each
 * one to the kernel's BTF before loading.  These calls show them: each relocation
 * of a program, the value clang wrote and the value for a BTF (the kernel's, or
 * another kernel's file).
 */
#ifndef RAWBPF_CORE_H
#define RAWBPF_CORE_H

#include <stdint.h>

struct rbpf_object;
struct rbpf_prog;

/* CO-RE relocations (loader/core*.c): clang's records of field offsets, sizes, type
 * and enum facts that the loader adjusts to the kernel's BTF before loading. */
struct rbpf_core_row {
	uint32_t insn;           /* instruction index in the linked program */
	uint32_t kind;           /* enum bpf_core_relo_kind */
	const char *kind_name;   /* "field byte offset", ... */
	const char *access;      /* the raw access string, "0:57" */
	char what[192];          /* the access in C: "task_struct->real_parent" */
	uint64_t orig;           /* the value the compiler wrote */
	uint64_t val;            /* the value for the target BTF */
	int poison;              /* nothing matches in the target: the insn is poisoned */
	char why[256];           /* when poisoned (or err): why, in words */
	int err;                 /* -errno: this relocation could not be resolved at all */
};
/* Relocate against this BTF file (another kernel's /sys/kernel/btf/vmlinux, raw or
 * an ELF vmlinux) instead of the running kernel's; NULL: the kernel's again. */
int rbpf_object_set_core_btf(struct rbpf_object *obj, const char *path);
uint32_t rbpf_prog_core_count(const struct rbpf_prog *p);
/* Relocation i of p, resolved against btf_path (NULL: the object's target;
 * RBPF_CORE_SELF: the object's own BTF, where every access matches itself -- for
 * tests and fuzzing, no kernel needed) without patching anything; row->err and the
 * message say if it cannot be. */
#define RBPF_CORE_SELF ":self"
int rbpf_prog_core_row(struct rbpf_prog *p, uint32_t i, const char *btf_path,
		       struct rbpf_core_row *row);
/* The index of the relocation at instruction insn of p, or -1. */
int rbpf_prog_core_at(const struct rbpf_prog *p, uint32_t insn);

#endif
