/*
 * object.h -- the object model: what rbpf_object_open builds from an ELF file and
 * rbpf_object_load hands to the kernel.  Internal to the loader, like elf.h and
 * btf.h; the API sees only the opaque struct rbpf_object, rbpf_prog and rbpf_map.
 *
 * The object's files, in the order open and load use them:
 *
 *   object_sec.c    section names -> program type, expected attach type, flags and
 *                   attach kind (one row per name); one program per function of an
 *                   executable section
 *   object_maps.c   maps: the legacy `maps` section, BTF `.maps`, global data
 *   object_link.c   code sections and their relocations; each program linked with the
 *                   subprograms it calls, its .BTF.ext records moved along
 *   object.c        open (the steps above, in order), close, the accessors
 *   object_load.c   load: create the maps, load the BTF and each program, fill prog
 *                   arrays; pin
 *   object_core.c   the object's side of CO-RE and externs (core*.c, extern*.c): the
 *                   names it looks up in the kernel's BTF, relocating and patching
 *                   each program before its load
 */
#ifndef RBPF_OBJECT_H
#define RBPF_OBJECT_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "btf.h"
#include "core.h"
#include "elf.h"
#include "extern.h"
#include "rawbpf.h"

#define INSN_SZ sizeof(struct bpf_insn)
#define LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)
#define CALL (BPF_JMP | BPF_CALL)

struct rbpf_map {
	char *name;                  /* symbol name, or the data section's name */
	uint32_t type, key_size, value_size, max_entries, flags;
	uint32_t pinning;            /* 1: by name under the object's pin root */
	uint64_t map_extra;
	int sec;                     /* ELF section that defines it */
	uint64_t sec_off;            /* the defining symbol's offset there (0 for data) */
	uint8_t *data;               /* global data: the initial bytes (value_size) */
	int64_t values_off;          /* .maps `values` member offset, or -1 */
	uint32_t btf_key, btf_value; /* __type(key/value, T): T's BTF id, else 0 */
	struct btf_map_def *inner;   /* maps of maps: the inner maps' definition (map_in_map.c) */
	int fd;
	char *pinned_here;           /* the by-name pin this object made (removed again
				      * if the load that made it fails), or NULL */
};

/* One executable section: its instructions and, per instruction, its relocation. */
struct code {
	struct bpf_insn *insns;      /* copy of the section (aligned) */
	uint32_t n;
	const Elf64_Rel *rels;       /* the SHT_REL entries that patch it (in the file) */
	int32_t *rel_at;             /* rel_at[i]: index into rels for insn i, or -1 */
};

/* One kind of .BTF.ext record (func_info or line_info): its blocks, one per code
 * section, and whether each block's records ascend by instruction (see copy_ext). */
struct ext_index {
	const struct btf_ext_sec *blocks;
	uint32_t nblocks, rec;       /* rec: bytes per record */
	uint8_t *sorted;             /* sorted[k]: block k's insn_off never decreases */
	const struct btf_ext_sec **of_sec;   /* of_sec[section]: its block, or NULL */
};

struct rbpf_prog {
	struct rbpf_object *obj;
	const char *name, *sec_name, *target;   /* in the file's bytes (o->buf) */
	int sec;                     /* its section, and where in it (instructions) */
	uint32_t start, len;
	enum bpf_prog_type type;
	enum bpf_attach_type expected;
	enum rbpf_attach_kind kind;
	struct bpf_insn *insns;      /* linked: the function, then its subprograms */
	uint32_t cnt;
	uint8_t *func_info, *line_info;  /* records with insn_off in final instructions, */
					 /* in insns's allocation, after the instructions */
	uint32_t nfunc, nline;
	int fd, autoload;
	char *log;
	uint32_t verified;           /* the verifier's count: from a rejection's log, or */
	uint32_t log_level;          /* asked of the kernel when first wanted (verified_ */
	int verified_known;          /* known); log_level: of the last load */
	/* CO-RE (core*.c): relocations at their final instructions, their results */
	struct core_relo *core;
	struct core_res *core_res;   /* NULL until relocated (first load) */
	uint32_t ncore;
	uint32_t *ext_at, *ext_idx;  /* externs (extern.c): insn, index in exts.e */
	uint32_t next;
	char *attach_name;           /* the kernel's name for the target (btf_trace_X) */
};

struct rbpf_object {
	char *name;
	uint8_t *buf;                /* the file's bytes, owned */
	size_t size;
	struct elf elf;
	struct btf btf;              /* btf.data == NULL: no .BTF */
	struct btf_ext ext;
	struct ext_index xfunc, xline;   /* ext.func / ext.line, as linking reads them */
	struct code *code;           /* code[section], .insns NULL if not executable */
	struct rbpf_prog *progs;
	uint32_t nprogs, progs_cap;
	struct rbpf_map *maps;
	uint32_t nmaps;
	char license[128];
	uint32_t kversion;
	int maps_sec, btf_maps_sec, btf_fd, maps_created;
	char *pin_root;
	int no_pin_by_name;          /* set_pin_root(NULL): such maps stay private */
	char notes[1024];            /* what open and load skipped, "; "-separated */
	const char *struct_ops_sec;  /* a .struct_ops* section: refused at load */
	struct core_ctx *core;       /* CO-RE: the kernel's BTF, the target (core_obj.c) */
	struct ext_table exts;       /* externs (extern.c) */
	int kcfg_map;                /* index of the .kconfig map, or -1 */
};

static inline int obj_oom(const struct rbpf_object *o)
{
	return rbpf_error(ENOMEM, "object %s: out of memory", o->name);
}

/* Add to what rbpf_object_notes() says: what was skipped without failing. */
static inline void __attribute__((format(printf, 2, 3)))
obj_add_note(struct rbpf_object *o, const char *fmt, ...)
{
	size_t n = strlen(o->notes);
	va_list ap;

	if (n && n + 2 < sizeof(o->notes))
		strcpy(o->notes + n, "; "), n += 2;
	va_start(ap, fmt);
	vsnprintf(o->notes + n, sizeof(o->notes) - n, fmt, ap);
	va_end(ap);
}

/* object_sec.c: the row of a section name (sec_table.h) and the BTF id its programs
 * load with. */
struct sec_row;
const struct sec_row *sec_find(const char *sec, const char **target);
int sec_attach_btf_id(const struct sec_row *r, const char *target);
uint32_t sec_prog_flags(const char *sec);

/* object_sec.c: the programs of executable section sec (its name decides their type
 * and attach kind); an unknown name is an error listing the known ones. */
int obj_section_progs(struct rbpf_object *o, uint32_t sec);

/* object_maps.c: every map the object declares, then one per global-data section;
 * allocated sections that are none of code, maps, data, license or version noted. */
int obj_find_maps(struct rbpf_object *o);
/* A new map named name, defined at sec:off (sec -1: made by the loader); NULL. */
struct rbpf_map *obj_new_map(struct rbpf_object *o, const char *name, int sec, uint64_t off);

/* object_link.c: copy each code section and index its relocations (o->code). */
int obj_read_code(struct rbpf_object *o);
/* Index the .BTF.ext func_info and line_info blocks for linking (o->xfunc, xline). */
int obj_index_ext(struct rbpf_object *o);
/* Build p->insns (and its func_info/line_info) from its function and every
 * subprogram it reaches, each relocation patched. */
int obj_link_prog(struct rbpf_object *o, struct rbpf_prog *p);

/* object_core.c: the externs (found at open; kconfig ones get a read-only map). */
int obj_extern_maps(struct rbpf_object *o);
/* At link: an instruction naming undefined symbol sym (an extern). */
int obj_link_extern(struct rbpf_object *o, struct rbpf_prog *p, struct bpf_insn *in,
		    uint32_t room, uint32_t at, const Elf64_Sym *sym, const char *sname);
/* Before the maps are created: the names to index, the externs' values. */
int obj_prepare_kernel(struct rbpf_object *o);
/* Before a program's load: CO-RE relocations and extern instructions patched. */
int obj_relocate_prog(struct rbpf_prog *p);
/* The BTF id the kernel wants as attach_btf_id for a program of section row `row`
 * (fentry/fexit, tp_btf, iter, lsm...): > 0, 0 when none, or -errno. */
struct sec_row;
int obj_attach_btf_id(struct rbpf_prog *p, const struct sec_row *row, const char *target);
/* The object's BTF as the kernel takes it (externs fixed), in a copy: 0 and *b set
 * to it (free with btf_free) or to o->btf when nothing needs fixing. */
int obj_kernel_btf(struct rbpf_object *o, struct btf *copy, const struct btf **b);
/* A refused load explained by CO-RE or an extern: err with a message, else 0. */
int obj_explain_refusal(struct rbpf_prog *p, int err);

#endif
