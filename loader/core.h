/*
 * core.h -- CO-RE relocations (loader/core.c: resolving; core_patch.c: patching the
 * instructions and explaining a poisoned one).  Internal to the loader.
 */
#ifndef RBPF_CORE_H
#define RBPF_CORE_H

#include <linux/bpf.h>
#include <stdint.h>

#include "btf.h"
#include "rawbpf.h"

/* libbpf's convention for "this relocation could not be resolved": a call to helper
 * 0xbad2310, which the verifier refuses only if the path that reaches it is taken. */
#define CORE_POISON 0xbad2310

/* A relocation as a program carries it: the record and where its instruction ended
 * up in the linked program. */
struct core_relo {
	uint32_t insn;               /* index in the program's instructions */
	struct btf_core_rec rec;     /* as .BTF.ext has it (insn_off in its section) */
};

/* What one relocation comes to against one target BTF. */
struct core_res {
	uint64_t orig;               /* the value the compiler wrote (from the local BTF) */
	uint64_t val;                /* the value for the target */
	int poison;                  /* cannot be resolved: poison the instruction */
	uint32_t orig_sz, new_sz;    /* field byte offset on a load/store: field sizes */
	int sz_ok;                   /* the load may be resized to new_sz (unsigned/ptr) */
	int unchecked;               /* a bitfield: clang sizes the load by the struct's
				      * alignment, we by the field's type; both are right,
				      * so the compiler's value is not checked */
	uint32_t target_id;          /* the target type that matched (0: none) */
	char what[192];              /* the access in C: "task_struct->real_parent" */
	char why[256];               /* poison or error: the reason, in words */
};

/* Resolve rec of the local (object's) BTF against target.  0 with *res filled
 * (res->poison set when nothing matched), or -errno with a message for a record
 * that is malformed or ambiguous. */
int core_resolve(const struct btf *local, struct btf *target, const struct btf_core_rec *rec,
		 struct core_res *res);
/* "field byte offset", "type size", ... */
const char *core_kind_str(uint32_t kind);

/* Patch insns[idx] (cnt instructions) with res, after checking that it holds
 * res->orig.  0, or -errno with a message naming prog and idx. */
int core_patch(struct bpf_insn *insns, uint32_t cnt, uint32_t idx, const struct core_res *res,
	       const char *prog);
/* The relocations of section sec whose instructions lie in [start, start+len),
 * appended to *out with insn = at + (index - start). */
int core_collect(const struct btf_ext *x, const char *sec, uint32_t start, uint32_t len,
		 uint32_t at, struct core_relo **out, uint32_t *n);

/* ------------------------------------------- core_obj.c: for a whole object */

struct core_ctx;                 /* the target BTF(s) of one object */
void core_ctx_free(struct core_ctx *c);
/* Relocate against this BTF file instead of the running kernel's (NULL: kernel). */
int core_set_target(struct core_ctx **c, const char *path);
/* The target BTF: path if given (a second BTF for listings), else the set one. */
int core_target(struct core_ctx **c, const char *path, struct btf **out);
/* Say that name (not copied: it must live as long as c) will be looked up in the
 * kernel's BTF; when the object says every such name before the BTF is loaded, only
 * those are indexed (a lookup of another still works, slower). */
int core_want(struct core_ctx **c, const char *name);
/* The running kernel's BTF, loaded once per object (also when the target is a file). */
int core_kernel(struct core_ctx **c, struct btf **out);
/* Resolve and patch a program's n relocations; res[i] gets each result. */
int core_apply_prog(struct core_ctx **c, const struct btf *local, const char *prog,
		    struct bpf_insn *insns, uint32_t cnt, const struct core_relo *relos,
		    uint32_t n, struct core_res *res);
/* A load refused with log: if the verifier stopped at a poisoned instruction,
 * a message naming its relocation in C terms (returns err); else 0. */
int core_explain(int err, const char *obj, const char *prog, const char *log,
		 const struct core_relo *relos, const struct core_res *res, uint32_t n);
/* One relocation resolved against path (NULL: the object's target), for listings. */
int core_row(struct core_ctx **c, struct btf *local, const char *prog,
	     const struct core_relo *r, const char *path, struct rbpf_core_row *row);

/* ---------------------------------------- core_compat.c: the matching rules */

int core_is_comp(const struct btf_type *t);       /* struct or union (t may be NULL) */
int core_is_enum(const struct btf_type *t);       /* enum or enum64 */
int core_same_ename(const char *a, const char *b); /* same essential name */
/* Member name of struct/union id, through anonymous members: 1 and its bit offset
 * from id's start, type id and bitfield width; 0 if absent. */
int core_find_member(const struct btf *b, uint32_t id, const char *name,
		     uint32_t *bit, uint32_t *type, uint32_t *bits, int depth);
/* Enumerator of enum t by essential name: 1 and its value (sign-extended). */
int core_find_enumerator(const struct btf *b, const struct btf_type *t, const char *name,
			 uint64_t *v);
/* A member of id named like name but for leading underscores, or NULL. */
const char *core_similar_member(const struct btf *b, uint32_t id, const char *name);
int core_fields_compat(const struct btf *lb, uint32_t lid, const struct btf *tb,
		       uint32_t tid, int depth);
int core_types_compat(const struct btf *lb, uint32_t lid, const struct btf *tb,
		      uint32_t tid, int depth);
int core_types_match(const struct btf *lb, uint32_t lid, const struct btf *tb,
		     uint32_t tid, int behind_ptr, int depth);

#endif
