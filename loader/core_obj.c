/*
 * core_obj.c -- CO-RE for a whole object: which BTF to relocate against, every
 * relocation of a program resolved and patched, and a failed load that reached a
 * poisoned instruction explained in C terms.
 *
 * The target BTF is the running kernel's unless the object was told another file
 * (rbpf_object_set_core_btf: another kernel's BTF, to see what would move there).
 * It is loaded on the first program that needs it and kept for the others; a
 * listing may ask for a second file beside it (rawbpf core --btf FILE).
 *
 * Each program keeps its relocations (core_collect, while linking) and, once
 * resolved, their results: `rawbpf core`, disasm and the poison explanation read
 * them.  A program is relocated once, just before its first load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "rawbpf.h"

struct core_ctx {
	char *path;                  /* the target file set by the user, or NULL: kernel */
	struct btf target;           /* loaded on first use (target.ntypes != 0) */
	char *other_path;            /* a second BTF for listings */
	struct btf other;
	struct btf kernel;           /* the running kernel's, when target is a file */
	const char **names;          /* every name the object will look up in it */
	uint32_t nnames;             /* (core_want): only those are indexed */
};

void core_ctx_free(struct core_ctx *c)
{
	if (!c)
		return;
	btf_free(&c->target), btf_free(&c->other), btf_free(&c->kernel);
	free(c->names);
	free(c->path), free(c->other_path);
	free(c);
}

static int ctx(struct core_ctx **c)
{
	if (!*c && !(*c = calloc(1, sizeof(**c))))
		return rbpf_error(ENOMEM, "CO-RE: out of memory");
	return 0;
}

int core_set_target(struct core_ctx **c, const char *path)
{
	int r;

	if ((r = ctx(c)) < 0)
		return r;
	btf_free(&(*c)->target);
	free((*c)->path);
	if (!((*c)->path = path ? strdup(path) : NULL) && path)
		return rbpf_error(ENOMEM, "CO-RE: out of memory");
	return 0;
}

int core_want(struct core_ctx **c, const char *name)
{
	const char **n;
	int r;

	if ((r = ctx(c)) < 0)
		return r;
	if (!(n = realloc((*c)->names, ((*c)->nnames + 1) * sizeof(*n))))
		return rbpf_error(ENOMEM, "CO-RE: out of memory");
	(*c)->names = n;
	n[(*c)->nnames++] = name;
	return 0;
}

/* Load the object's kernel (or target) BTF and index the names it wants. */
static int load_indexed(struct core_ctx *c, struct btf *b, const char *path)
{
	if (c->nnames)
		return btf_load_only(b, path, c->names, c->nnames);
	return path ? btf_load_file(b, path) : btf_load_vmlinux(b);
}

/* The BTF to relocate against: path (a listing's second column), else the one set
 * for the object, else the kernel's. */
int core_target(struct core_ctx **c, const char *path, struct btf **out)
{
	struct btf *b;
	int r;

	if ((r = ctx(c)) < 0)
		return r;
	if (path && (!(*c)->other_path || strcmp((*c)->other_path, path))) {
		btf_free(&(*c)->other);
		free((*c)->other_path);
		if (!((*c)->other_path = strdup(path)))
			return rbpf_error(ENOMEM, "CO-RE: out of memory");
	}
	if (path) {                          /* a listing's: indexed in full when used */
		b = &(*c)->other;
		if (!b->ntypes && (r = btf_load_file(b, path)) < 0)
			return r;
	} else {
		b = &(*c)->target;
		if (!b->ntypes && (r = load_indexed(*c, b, (*c)->path)) < 0)
			return r;
	}
	*out = b;
	return 0;
}

/* The running kernel's BTF (attach ids, ksyms, kfuncs): the target's when no file
 * was set, loaded once either way. */
int core_kernel(struct core_ctx **c, struct btf **out)
{
	int r;

	if ((r = ctx(c)) < 0)
		return r;
	if (!(*c)->path)
		return core_target(c, NULL, out);
	if (!(*c)->kernel.ntypes && (r = load_indexed(*c, &(*c)->kernel, NULL)) < 0)
		return r;
	*out = &(*c)->kernel;
	return 0;
}

/* Resolve and patch every relocation of one program; res[i] gets each result. */
int core_apply_prog(struct core_ctx **c, const struct btf *local, const char *prog,
		    struct bpf_insn *insns, uint32_t cnt, const struct core_relo *relos,
		    uint32_t n, struct core_res *res)
{
	struct btf *target;
	uint32_t i;
	int r;

	if (n && (r = core_target(c, NULL, &target)) < 0)
		return rbpf_error_prefix(r, "CO-RE: %s has %u relocations: ", prog, n);
	for (i = 0; i < n; i++) {
		if ((r = core_resolve(local, target, &relos[i].rec, &res[i])) < 0)
			return rbpf_error_prefix(r, "%s insn %u: ", prog, relos[i].insn);
		if ((r = core_patch(insns, cnt, relos[i].insn, &res[i], prog)) < 0)
			return r;
	}
	return 0;
}

/* The instruction index of the poisoned call the verifier stopped at, or -1:
 * the log's "N: (85) call unknown#195896080" just before "invalid func". */
static long poisoned_insn(const char *log)
{
	const char *fail = log ? strstr(log, "invalid func unknown#195896080") : NULL;
	const char *p, *line = NULL;
	long idx = -1;

	for (p = log; fail && p && p < fail; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strstr(p, ": (85) call unknown#195896080") &&
		    strstr(p, ": (85) call unknown#195896080") < fail)
			line = p;
	if (line)
		sscanf(line, "%ld:", &idx);
	return idx;
}

/* If the verifier refused a poisoned instruction, say which relocation it was. */
int core_explain(int err, const char *obj, const char *prog, const char *log,
		 const struct core_relo *relos, const struct core_res *res, uint32_t n)
{
	long idx = poisoned_insn(log);
	uint32_t i;

	for (i = 0; idx >= 0 && res && i < n; i++) {
		if (relos[i].insn != idx || !res[i].poison)
			continue;
		return rbpf_error(err, "object %s: program %s: insn %ld: %s does not exist in "
				  "this kernel's BTF (%s), and this path reaches it: guard the "
				  "access with bpf_core_field_exists() (or bpf_core_type_exists()) "
				  "or read it through a ___flavour of the type that has it "
				  "(the verifier: invalid func unknown#195896080)", obj, prog,
				  idx, res[i].what, res[i].why);
	}
	return 0;
}

int core_row(struct core_ctx **c, struct btf *local, const char *prog,
	     const struct core_relo *r, const char *path, struct rbpf_core_row *row)
{
	struct core_res res;
	struct btf *target = local;
	const char *acc = btf_str(local, r->rec.access_str_off);

	memset(row, 0, sizeof(*row));
	row->insn = r->insn, row->kind = r->rec.kind;
	row->kind_name = core_kind_str(r->rec.kind);
	row->access = acc ? acc : "?";
	if ((!path || strcmp(path, RBPF_CORE_SELF)) &&
	    (row->err = core_target(c, path, &target)) < 0) {
		snprintf(row->why, sizeof(row->why), "%s", rbpf_errmsg());
		return rbpf_error_prefix(row->err, "%s insn %u: ", prog, r->insn);
	}
	if (!local->ntypes)
		row->err = rbpf_error(ENOENT, "CO-RE: the object has no BTF");
	if (row->err ||
	    (row->err = core_resolve(local, target, &r->rec, &res)) < 0) {
		snprintf(row->why, sizeof(row->why), "%s", rbpf_errmsg());
		return rbpf_error_prefix(row->err, "%s insn %u: ", prog, r->insn);
	}
	memcpy(row->what, res.what, sizeof(row->what));
	memcpy(row->why, res.why, sizeof(row->why));
	row->orig = res.orig, row->val = res.val, row->poison = res.poison;
	return 0;
}
