/*
 * object.c -- from an ELF object to loaded programs and maps.
 *
 * rbpf_object_open reads everything and links; nothing touches the kernel yet:
 *
 *   1. elf_parse checks the file (elf.c); .BTF and .BTF.ext are read (btf.c).
 *   2. maps: each symbol of the legacy `maps` section, each variable of `.maps`
 *      (btf_map_def), then one single-entry array per global-data section (.data,
 *      .rodata*, .bss*), holding the section's bytes.
 *   3. code: each executable section's instructions are copied and each of its
 *      SHT_REL entries is checked and indexed by instruction (rel_at).
 *   4. programs: each function of each executable section other than .text; the
 *      section name gives the program type and attach point (sec_defs below).
 *   5. link each program: its own instructions, then every function it calls
 *      (through a relocation, or a static call with none), appended once each;
 *      calls get their new pc-relative distance, map references become
 *      BPF_PSEUDO_MAP_IDX(_VALUE) with imm = the map's index, and the func_info and
 *      line_info records of each piece follow it to its new place.
 *
 * rbpf_object_load then creates the maps (filling and freezing global data), loads
 * the BTF, rewrites map indices to fds and loads each program with its own log, and
 * last fills prog arrays declared with initial values.
 *
 * What a relocation means is decided by the instruction it patches (ld_imm64 or call)
 * and the section of its symbol (a map section, global data, code, or nothing: an
 * extern), never by its type number alone (Documentation/bpf/llvm_reloc.rst).
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf.h"
#include "elf.h"
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
};

struct rbpf_prog {
	struct rbpf_object *obj;
	char *name, *sec_name, *target;
	int sec;                     /* its section, and where in it (instructions) */
	uint32_t start, len;
	enum bpf_prog_type type;
	enum bpf_attach_type expected;
	enum rbpf_attach_kind kind;
	struct bpf_insn *insns;      /* linked: the function, then its subprograms */
	uint32_t cnt;
	uint8_t *func_info, *line_info;  /* records with insn_off in final instructions */
	uint32_t nfunc, nline;
	int fd, autoload;
	char *log;
	uint32_t verified;
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
	uint32_t nprogs;
	struct rbpf_map *maps;
	uint32_t nmaps;
	char license[128];
	uint32_t kversion;
	int maps_sec, btf_maps_sec, btf_fd, maps_created;
	char *pin_root;
	int no_pin_by_name;          /* set_pin_root(NULL): such maps stay private */
	char notes[1024];            /* what open and load skipped, "; "-separated */
	const char *struct_ops_sec;  /* a .struct_ops* section: refused at load */
};

static int oom(const struct rbpf_object *o)
{
	return rbpf_error(ENOMEM, "object %s: out of memory", o->name);
}

/* Add to what rbpf_object_notes() says: what was skipped without failing. */
static void add_note(struct rbpf_object *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_note(struct rbpf_object *o, const char *fmt, ...)
{
	size_t n = strlen(o->notes);
	va_list ap;

	if (n && n + 2 < sizeof(o->notes))
		strcpy(o->notes + n, "; "), n += 2;
	va_start(ap, fmt);
	vsnprintf(o->notes + n, sizeof(o->notes) - n, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ section names */

static const struct sec_def {
	const char *prefix;          /* "kprobe/" needs a target; "xdp" may have "/..." */
	enum bpf_prog_type type;
	enum bpf_attach_type expected;
	enum rbpf_attach_kind kind;
} sec_defs[] = {
	{ "kprobe/", BPF_PROG_TYPE_KPROBE, 0, RBPF_ATTACH_KPROBE },
	{ "kretprobe/", BPF_PROG_TYPE_KPROBE, 0, RBPF_ATTACH_KRETPROBE },
	{ "ksyscall/", BPF_PROG_TYPE_KPROBE, 0, RBPF_ATTACH_KSYSCALL },
	{ "kretsyscall/", BPF_PROG_TYPE_KPROBE, 0, RBPF_ATTACH_KRETSYSCALL },
	{ "tracepoint/", BPF_PROG_TYPE_TRACEPOINT, 0, RBPF_ATTACH_TRACEPOINT },
	{ "tp/", BPF_PROG_TYPE_TRACEPOINT, 0, RBPF_ATTACH_TRACEPOINT },
	{ "raw_tracepoint/", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, RBPF_ATTACH_RAW_TP },
	{ "raw_tp/", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, RBPF_ATTACH_RAW_TP },
	{ "fentry/", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, RBPF_ATTACH_FENTRY },
	{ "fexit/", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, RBPF_ATTACH_FEXIT },
	{ "socket", BPF_PROG_TYPE_SOCKET_FILTER, 0, RBPF_ATTACH_SOCKET },
	{ "xdp", BPF_PROG_TYPE_XDP, 0, RBPF_ATTACH_XDP },
	{ "tc", BPF_PROG_TYPE_SCHED_CLS, 0, RBPF_ATTACH_TC },
	{ "classifier", BPF_PROG_TYPE_SCHED_CLS, 0, RBPF_ATTACH_TC },
	{ "perf_event", BPF_PROG_TYPE_PERF_EVENT, 0, RBPF_ATTACH_PERF_EVENT },
};
#define NDEFS (sizeof(sec_defs) / sizeof(sec_defs[0]))

const char *rbpf_attach_kind_name(enum rbpf_attach_kind k)
{
	static const char *names[] = { "none", "kprobe", "kretprobe", "ksyscall",
		"kretsyscall", "tracepoint", "raw_tp", "fentry", "fexit", "socket", "xdp",
		"tc", "perf_event" };

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

/* The definition matching a section name and the target after its prefix. */
static const struct sec_def *find_sec_def(const char *sec, const char **target)
{
	size_t i, n;

	for (i = 0; i < NDEFS; i++) {
		n = strlen(sec_defs[i].prefix);
		if (strncmp(sec, sec_defs[i].prefix, n) != 0)
			continue;
		if (sec_defs[i].prefix[n - 1] == '/') {      /* "kprobe/" wants a target */
			*target = sec + n;       /* raw_tp/ with none loads (libbpf's rule);
						  * attaching it asks for a name */
			return sec[n] || sec_defs[i].kind == RBPF_ATTACH_RAW_TP ? &sec_defs[i]
										  : NULL;
		}
		if (sec[n] == 0 || sec[n] == '/') {
			*target = sec[n] ? sec + n + 1 : "";
			return &sec_defs[i];
		}
	}
	return NULL;
}

static int unknown_section(const struct rbpf_object *o, const char *sec)
{
	char known[512] = "";
	size_t i;

	for (i = 0; i < NDEFS; i++) {
		strcat(known, i ? ", " : "");
		strcat(known, sec_defs[i].prefix);
		if (sec_defs[i].prefix[strlen(sec_defs[i].prefix) - 1] == '/')
			strcat(known, "NAME");
	}
	return rbpf_error(EINVAL, "object %s: section '%s': unknown program section name; "
			  "known: %s", o->name, sec, known);
}

/* ------------------------------------------------------------------- maps */

static struct rbpf_map *new_map(struct rbpf_object *o, const char *name, int sec,
				uint64_t off)
{
	struct rbpf_map *m = realloc(o->maps, (o->nmaps + 1) * sizeof(*m));

	if (!m)
		return NULL;
	o->maps = m;
	m += o->nmaps;
	memset(m, 0, sizeof(*m));
	m->name = strdup(name);
	if (!m->name)
		return NULL;
	o->nmaps++;
	m->sec = sec;
	m->sec_off = off;
	m->values_off = -1;
	m->fd = -1;
	return m;
}

/* Legacy `maps` section: {u32 type, key_size, value_size, max_entries, map_flags}
 * per symbol, at the symbol's offset; any longer definition must be zero after. */
static int legacy_maps(struct rbpf_object *o)
{
	const struct elf_sec *s = &o->elf.secs[o->maps_sec];
	const Elf64_Sym *sym;
	struct rbpf_map *m;
	uint32_t i, def[5];
	uint64_t j;
	const char *n;

	if (!s->data)
		return rbpf_error(EINVAL, "object %s: section 'maps' has no bytes", o->name);
	for (i = 1; i < o->elf.nsym; i++) {
		sym = &o->elf.syms[i];
		if (sym->st_shndx != o->maps_sec || ELF64_ST_TYPE(sym->st_info) == STT_SECTION)
			continue;
		n = elf_sym_name(&o->elf, sym);
		if (sym->st_size < sizeof(def) || sym->st_value > s->size ||
		    sym->st_size > s->size - sym->st_value)
			return rbpf_error(EINVAL, "object %s: map %s: definition at offset %llu, "
					  "size %llu, does not fit section 'maps' (%llu bytes; "
					  "need at least 20)", o->name, n,
					  (unsigned long long)sym->st_value,
					  (unsigned long long)sym->st_size,
					  (unsigned long long)s->size);
		for (j = sizeof(def); j < sym->st_size; j++)
			if (s->data[sym->st_value + j])
				return rbpf_error(EINVAL, "object %s: map %s: legacy definition has "
						  "non-zero fields after map_flags (offset %llu); "
						  "rawbpf reads only the first five", o->name, n,
						  (unsigned long long)j);
		memcpy(def, s->data + sym->st_value, sizeof(def));
		if (!(m = new_map(o, n, o->maps_sec, sym->st_value)))
			return oom(o);
		m->type = def[0], m->key_size = def[1], m->value_size = def[2];
		m->max_entries = def[3], m->flags = def[4];
	}
	return 0;
}

/* The value of the symbol named name in section sec, or -1. */
static int64_t sym_value(const struct rbpf_object *o, int sec, const char *name)
{
	uint32_t i;

	for (i = 1; i < o->elf.nsym; i++)
		if (o->elf.syms[i].st_shndx == sec &&
		    strcmp(elf_sym_name(&o->elf, &o->elf.syms[i]), name) == 0)
			return o->elf.syms[i].st_value;
	return -1;
}

/* BTF-defined maps: the variables of the .maps DATASEC. */
static int btf_maps(struct rbpf_object *o)
{
	const struct btf_type *ds, *var;
	const struct btf_var_secinfo *v;
	struct btf_map_def d;
	struct rbpf_map *m;
	const char *n;
	int64_t off;
	uint32_t i;
	int r;

	if (!o->btf.data)
		return rbpf_error(EINVAL, "object %s: section '.maps' needs the object's BTF, "
				  "but there is no .BTF section (compile with clang -g)", o->name);
	ds = btf_type(&o->btf, btf_find_datasec(&o->btf, ".maps"));
	if (!ds)
		return rbpf_error(EINVAL, "object %s: no DATASEC '.maps' in .BTF", o->name);
	v = (const struct btf_var_secinfo *)(ds + 1);
	for (i = 0; i < BTF_INFO_VLEN(ds->info); i++) {
		if ((r = btf_map_def(&o->btf, v[i].type, o->name, &d)) < 0)
			return r;
		var = btf_type(&o->btf, v[i].type);
		n = btf_str(&o->btf, var->name_off);
		off = n ? sym_value(o, o->btf_maps_sec, n) : -1;
		if (off < 0)
			return rbpf_error(EINVAL, "object %s: map %s: no symbol in section '.maps'",
					  o->name, n ? n : "?");
		if (!(m = new_map(o, n, o->btf_maps_sec, off)))
			return oom(o);
		m->type = d.type, m->key_size = d.key_size, m->value_size = d.value_size;
		m->btf_key = d.key_type, m->btf_value = d.value_type;
		m->max_entries = d.max_entries, m->flags = d.map_flags;
		m->pinning = d.pinning, m->map_extra = d.map_extra;
		m->values_off = d.values_off;
		if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
			/* libbpf's convention: one slot per possible CPU, int keys and values */
			if (!m->max_entries && (r = rbpf_num_possible_cpus()) > 0)
				m->max_entries = r;
			m->key_size = m->key_size ? m->key_size : 4;
			m->value_size = m->value_size ? m->value_size : 4;
		}
		if (m->type == BPF_MAP_TYPE_PROG_ARRAY && !m->value_size)
			m->value_size = 4;      /* __array(values, ...) gives no size: an fd */
	}
	return 0;
}

static int is_data_sec(const struct elf_sec *s)
{
	static const char *pfx[] = { ".data", ".rodata", ".bss" };
	size_t i, n;

	if (s->flags & SHF_EXECINSTR || !(s->flags & SHF_ALLOC) || s->size == 0)
		return 0;
	for (i = 0; i < 3; i++) {
		n = strlen(pfx[i]);
		if (!strncmp(s->name, pfx[i], n) && (s->name[n] == 0 || s->name[n] == '.'))
			return 1;
	}
	return 0;
}

/* Every loaded section is code, maps, global data, the license or the version;
 * any other is said, never dropped in silence.  .struct_ops* holds struct_ops maps
 * (a sched_ext scheduler, a TCP congestion control): loading without them would
 * load an object that does nothing, so load refuses it (create_maps). */
static void note_skipped_sections(struct rbpf_object *o)
{
	const struct elf_sec *s;
	uint32_t i;

	for (i = 1; i < o->elf.nsec; i++) {
		s = &o->elf.secs[i];
		if (!(s->flags & SHF_ALLOC) || s->flags & SHF_EXECINSTR || is_data_sec(s) ||
		    (int)i == o->maps_sec || (int)i == o->btf_maps_sec ||
		    !strcmp(s->name, "license") || !strcmp(s->name, "version"))
			continue;
		if (!strncmp(s->name, ".struct_ops", 11)) {
			o->struct_ops_sec = s->name;
			add_note(o, "section %s (struct_ops maps) is not supported", s->name);
		} else {
			add_note(o, "section %s (%llu bytes) was skipped: it is not code, maps, "
				 "global data, license or version", s->name,
				 (unsigned long long)s->size);
		}
	}
}

/* Global data: one ARRAY map of one value per section; .rodata* read-only. */
static int data_maps(struct rbpf_object *o)
{
	const struct elf_sec *s;
	struct rbpf_map *m;
	uint32_t i;

	for (i = 1; i < o->elf.nsec; i++) {
		s = &o->elf.secs[i];
		if (!is_data_sec(s))
			continue;
		if (s->size > UINT32_MAX / 2)
			return rbpf_error(EINVAL, "object %s: section %s is %llu bytes, too big "
					  "for a map value", o->name, s->name,
					  (unsigned long long)s->size);
		if (!(m = new_map(o, s->name, i, 0)) || !(m->data = calloc(1, s->size)))
			return oom(o);
		if (s->data)                /* NOBITS (.bss) stays zero */
			memcpy(m->data, s->data, s->size);
		m->type = BPF_MAP_TYPE_ARRAY;
		m->btf_value = o->btf.data ? btf_find_datasec(&o->btf, s->name) : 0;
		m->key_size = 4;
		m->value_size = s->size;
		m->max_entries = 1;
		if (!strncmp(s->name, ".rodata", 7))
			m->flags = BPF_F_RDONLY_PROG;
	}
	return 0;
}

/* ------------------------------------------------------------------- code */

/* Copy an executable section and index the relocations that patch it. */
static int read_code(struct rbpf_object *o, uint32_t i)
{
	const struct elf_sec *s = &o->elf.secs[i];
	struct code *c = &o->code[i];
	uint32_t k;

	if (s->size % INSN_SZ || !s->data)
		return rbpf_error(EINVAL, "object %s: code section %s is %llu bytes, not a "
				  "whole number of 8-byte instructions", o->name, s->name,
				  (unsigned long long)s->size);
	c->n = s->size / INSN_SZ;
	c->insns = malloc(s->size);
	c->rel_at = malloc(c->n * sizeof(*c->rel_at));
	if (!c->insns || !c->rel_at)
		return oom(o);
	memcpy(c->insns, s->data, s->size);
	for (k = 0; k < c->n; k++)
		c->rel_at[k] = -1;
	return 0;
}

/* One SHT_REL section: check each entry and index it in its target's rel_at. */
static int read_rels(struct rbpf_object *o, uint32_t i)
{
	const struct elf_sec *s = &o->elf.secs[i];
	struct code *c;
	const Elf64_Rel *r;
	uint32_t k, n;

	if (s->info == 0 || s->info >= o->elf.nsec)
		return rbpf_error(EINVAL, "object %s: relocation section %s patches section "
				  "%u, which does not exist", o->name, s->name, s->info);
	c = &o->code[s->info];
	if (!c->insns || !s->data)   /* .rel.BTF, .rel.maps, ...: read where used */
		return 0;
	if (c->rels)               /* rel_at indexes one array: a second would mix them */
		return rbpf_error(EINVAL, "object %s: relocation section %s patches section "
				  "%s, which already has one", o->name, s->name,
				  o->elf.secs[s->info].name);
	if (s->size % sizeof(*r) || (s->data - o->buf) % 8)
		return rbpf_error(EINVAL, "object %s: relocation section %s: size %llu is not a "
				  "whole number of entries, or it is misaligned", o->name,
				  s->name, (unsigned long long)s->size);
	r = (const Elf64_Rel *)s->data;
	n = s->size / sizeof(*r);
	for (k = 0; k < n; k++) {
		const char *what = r[k].r_offset % INSN_SZ ? "is not a multiple of 8" :
			r[k].r_offset / INSN_SZ >= c->n ? "is past the end of the section" :
			ELF64_R_SYM(r[k].r_info) >= o->elf.nsym ? "names a symbol that does not exist" :
			NULL;
		if (what)
			return rbpf_error(EINVAL, "object %s: %s entry %u: offset %llu (symbol %llu) "
					  "%s", o->name, s->name, k,
					  (unsigned long long)r[k].r_offset,
					  (unsigned long long)ELF64_R_SYM(r[k].r_info), what);
		c->rel_at[r[k].r_offset / INSN_SZ] = k;
	}
	c->rels = r;
	return 0;
}

/* The function of section sec that contains instruction idx: *start, *len. */
static int find_func(const struct rbpf_object *o, int sec, uint32_t idx,
		     uint32_t *start, uint32_t *len)
{
	const Elf64_Sym *s;
	uint32_t i;

	for (i = 1; i < o->elf.nsym; i++) {
		s = &o->elf.syms[i];
		if (s->st_shndx != sec || ELF64_ST_TYPE(s->st_info) != STT_FUNC)
			continue;
		if (idx >= s->st_value / INSN_SZ && idx < (s->st_value + s->st_size) / INSN_SZ) {
			if (s->st_value % INSN_SZ || s->st_size % INSN_SZ ||
			    s->st_value > o->elf.secs[sec].size ||
			    s->st_size > o->elf.secs[sec].size - s->st_value)
				return rbpf_error(EINVAL, "object %s: function %s at offset "
						  "%llu, size %llu, does not fit section %s",
						  o->name, elf_sym_name(&o->elf, s),
						  (unsigned long long)s->st_value,
						  (unsigned long long)s->st_size,
						  o->elf.secs[sec].name);
			*start = s->st_value / INSN_SZ;
			*len = s->st_size / INSN_SZ;
			return 0;
		}
	}
	return rbpf_error(EINVAL, "object %s: section %s: instruction %u is not inside any "
			  "function symbol", o->name, o->elf.secs[sec].name, idx);
}

/* Where a call (or an ld_imm64 of a function's address) at sec:idx leads.
 * Returns 1 and *tsec and *tidx, 0 if the instruction is neither, or -errno. */
static int code_target(const struct rbpf_object *o, int sec, uint32_t idx,
		       int *tsec, uint32_t *tidx)
{
	const struct code *c = &o->code[sec];
	const struct bpf_insn *in = &c->insns[idx];
	const Elf64_Sym *sym;
	int32_t k = c->rel_at[idx];
	int call = in->code == CALL && in->src_reg == BPF_PSEUDO_CALL;

	if (k < 0) {
		if (!call)
			return 0;
		*tsec = sec;                          /* static call: pc-relative */
		*tidx = idx + in->imm + 1;
		return 1;
	}
	sym = &o->elf.syms[ELF64_R_SYM(c->rels[k].r_info)];
	if (sym->st_shndx == 0 || sym->st_shndx >= o->elf.nsec ||
	    !o->code[sym->st_shndx].insns)
		return 0;                             /* not code: a map or data reference */
	if (!call && in->code != LD_IMM64)
		return 0;                             /* reported by relocate() */
	*tsec = sym->st_shndx;
	/* call: imm counts instructions minus one; ld_imm64: imm counts bytes */
	*tidx = call ? sym->st_value / INSN_SZ + in->imm + 1 :
		       (sym->st_value + in->imm) / INSN_SZ;
	return 1;
}

/* --------------------------------------------------------------- linking */

/* A run of instructions copied into a program: sec[start, start+len) at `at`. */
struct piece {
	int sec;
	uint32_t start, len, at;
};

struct link {
	struct piece *p;
	uint32_t n, total;
};

static int add_piece(struct rbpf_object *o, struct link *l, int sec, uint32_t start,
		     uint32_t len)
{
	struct piece *p;
	uint32_t i;

	for (i = 0; i < l->n; i++)
		if (l->p[i].sec == sec && l->p[i].start == start)
			return i;
	if (!(p = realloc(l->p, (l->n + 1) * sizeof(*p))))
		return oom(o);
	l->p = p;
	l->p[l->n] = (struct piece){ sec, start, len, l->total };
	l->total += len;
	return l->n++;
}

/* The final position of sec:idx, which add_piece has made part of the program. */
static int64_t final_pos(const struct rbpf_object *o, const struct link *l, int sec,
			 uint32_t idx)
{
	uint32_t start, len, i;

	if (find_func(o, sec, idx, &start, &len) < 0)
		return -EINVAL;
	for (i = 0; i < l->n; i++)
		if (l->p[i].sec == sec && l->p[i].start == start)
			return l->p[i].at + idx - start;
	return -EINVAL;
}

/* Collect the program's pieces: its function, then each function reached. */
static int collect(struct rbpf_object *o, struct rbpf_prog *p, struct link *l)
{
	uint32_t k, j, start, len;
	uint32_t tidx;
	int tsec, r;

	if ((r = add_piece(o, l, p->sec, p->start, p->len)) < 0)
		return r;
	for (k = 0; k < l->n; k++) {
		for (j = l->p[k].start; j < l->p[k].start + l->p[k].len; j++) {
			if ((r = code_target(o, l->p[k].sec, j, &tsec, &tidx)) < 0)
				return r;
			if (r == 0)
				continue;
			if (tidx >= o->code[tsec].n)
				return rbpf_error(EINVAL, "object %s: %s: call at instruction %u "
						  "leads outside section %s", o->name, p->name, j,
						  o->elf.secs[tsec].name);
			if ((r = find_func(o, tsec, tidx, &start, &len)) < 0 ||
			    (r = add_piece(o, l, tsec, start, len)) < 0)
				return r;
		}
	}
	return 0;
}

static int extern_error(const struct rbpf_object *o, const struct rbpf_prog *p,
			const char *sym)
{
	return rbpf_error(ENOTSUP, "object %s: program %s: relocation against '%s', which "
			  "is not defined in this object (an extern: __kconfig, __ksym and "
			  "kfuncs are not supported by rawbpf; define the value in the "
			  "program or pass it through a .rodata constant)", o->name, p->name, sym);
}

/* An ld_imm64 naming sym: a map (its symbol, or a static map's section symbol +
 * imm) or global data (offset = imm + symbol value).  0, or -ENOENT if neither. */
static int map_reloc(const struct rbpf_object *o, const Elf64_Sym *sym, struct bpf_insn *in)
{
	const struct rbpf_map *mp;
	uint64_t off = (uint64_t)(uint32_t)in->imm + sym->st_value;
	uint32_t m;

	for (m = 0; m < o->nmaps; m++) {
		mp = &o->maps[m];
		if (mp->sec != sym->st_shndx || (mp->data ? off >= mp->value_size : mp->sec_off != off))
			continue;
		in->src_reg = mp->data ? BPF_PSEUDO_MAP_IDX_VALUE : BPF_PSEUDO_MAP_IDX;
		in->imm = m;
		in[1].imm = mp->data ? off : 0;
		return 0;
	}
	return -ENOENT;
}

/* Patch instruction j of piece pc (final index pc->at + j) for its relocation. */
static int relocate(struct rbpf_object *o, struct rbpf_prog *p, const struct link *l,
		    const struct piece *pc, uint32_t j)
{
	const struct code *c = &o->code[pc->sec];
	uint32_t idx = pc->start + j, at = pc->at + j, tidx;
	struct bpf_insn *in = &p->insns[at];
	const char *sname, *where = o->elf.secs[pc->sec].name;
	const Elf64_Sym *sym;
	int64_t t;
	int tsec, r;

	if ((r = code_target(o, pc->sec, idx, &tsec, &tidx)) != 0) {
		if (r < 0 || (t = final_pos(o, l, tsec, tidx)) < 0)
			return r < 0 ? r : -EINVAL;
		in->imm = t - at - 1;
		if (in->code == LD_IMM64)
			in->src_reg = BPF_PSEUDO_FUNC;
		return 0;
	}
	if (c->rel_at[idx] < 0)
		return 0;
	sym = &o->elf.syms[ELF64_R_SYM(c->rels[c->rel_at[idx]].r_info)];
	sname = elf_sym_name(&o->elf, sym);
	if (sym->st_shndx == SHN_UNDEF)
		return extern_error(o, p, sname);
	if (sym->st_shndx >= o->elf.nsec)
		return rbpf_error(EINVAL, "object %s: %s: relocation at offset %u in %s: symbol "
				  "'%s' has section index %u, but there are %u sections", o->name,
				  p->name, idx * 8, where, sname, sym->st_shndx, o->elf.nsec);
	if (in->code == LD_IMM64 && j + 1 >= pc->len)
		return rbpf_error(EINVAL, "object %s: %s: the ld_imm64 at offset %u in %s is "
				  "cut in half by the end of its function", o->name, p->name,
				  idx * 8, where);
	if (in->code != LD_IMM64)
		return rbpf_error(EINVAL, "object %s: %s: relocation at offset %u in %s hits "
				  "an instruction (opcode 0x%02x) that is neither ld_imm64 nor a "
				  "call", o->name, p->name, idx * 8, where, in->code);
	if (map_reloc(o, sym, in) == 0)
		return 0;
	return rbpf_error(EINVAL, "object %s: %s: ld_imm64 at offset %u in %s refers to "
			  "'%s' in section %s, which is neither a map, global data nor code",
			  o->name, p->name, idx * 8, where, sname, o->elf.secs[sym->st_shndx].name);
}

/*
 * .BTF.ext records of one piece.  A block holds the records of a whole section, and a
 * section may hold many programs: scanning all of a block's records for each piece,
 * as a first version did, made linking quadratic in the programs per section (35% of
 * opening a 200-program object, with a realloc per record).  clang writes each block
 * in ascending insn_off (the kernel wants each program's records so), so a piece's
 * records are one run, found by binary search; a block that is not sorted (never seen
 * from clang) falls back to the full scan.  Either way the output grows once per piece.
 */
static uint32_t rec_insn(const struct ext_index *x, const struct btf_ext_sec *b, uint32_t i)
{
	uint32_t off;

	memcpy(&off, b->recs + (size_t)i * x->rec, 4);
	return off / INSN_SZ;                    /* bytes in the file, insns for the kernel */
}

/* The first record of sorted block b at or after instruction insn. */
static uint32_t ext_lower_bound(const struct ext_index *x, const struct btf_ext_sec *b,
				uint32_t insn)
{
	uint32_t lo = 0, hi = b->num, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (rec_insn(x, b, mid) < insn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Fill x from the parsed blocks: one pass over each block to see if it is sorted. */
static int index_ext(struct rbpf_object *o, struct ext_index *x,
		     const struct btf_ext_sec *blocks, uint32_t nb, uint32_t rec)
{
	uint32_t k, i;

	*x = (struct ext_index){ blocks, nb, rec, NULL };
	if (nb && !(x->sorted = calloc(nb, 1)))
		return oom(o);
	for (k = 0; k < nb; k++) {
		for (i = 1; i < blocks[k].num; i++)
			if (rec_insn(x, &blocks[k], i) < rec_insn(x, &blocks[k], i - 1))
				break;
		x->sorted[k] = i >= blocks[k].num;
	}
	return 0;
}

/* Append the records of piece pc to *out, moved to their final instruction. */
static int copy_ext(struct rbpf_object *o, const struct ext_index *x, const struct piece *pc,
		    uint8_t **out, uint32_t *n)
{
	const struct btf_ext_sec *b = btf_ext_find(x->blocks, x->nblocks, o->elf.secs[pc->sec].name);
	uint32_t end = pc->start + pc->len, lo = 0, hi, i, k = 0, off;
	uint8_t *nout;

	if (!b)
		return 0;
	hi = b->num;
	if (x->sorted[b - x->blocks]) {
		lo = ext_lower_bound(x, b, pc->start);
		hi = ext_lower_bound(x, b, end);
	}
	for (i = lo; i < hi; i++)                /* count, then grow *out once */
		off = rec_insn(x, b, i), k += off >= pc->start && off < end;
	if (!k)
		return 0;
	if (!(nout = realloc(*out, ((size_t)*n + k) * x->rec)))
		return oom(o);
	*out = nout;
	for (i = lo; i < hi; i++) {
		off = rec_insn(x, b, i);
		if (off < pc->start || off >= end)
			continue;
		memcpy(nout + (size_t)*n * x->rec, b->recs + (size_t)i * x->rec, x->rec);
		off = off - pc->start + pc->at;
		memcpy(nout + (size_t)*n * x->rec, &off, 4);
		(*n)++;
	}
	return 0;
}

/* Build p->insns from the pieces, patching each relocation. */
static int link_prog(struct rbpf_object *o, struct rbpf_prog *p)
{
	struct link l = { 0 };
	struct piece *pc;
	uint32_t k, j;
	int r;

	if ((r = collect(o, p, &l)) < 0)
		goto out;
	r = -ENOMEM;
	if (!(p->insns = malloc(l.total * INSN_SZ)))
		goto out;
	p->cnt = l.total;
	for (k = 0; k < l.n; k++) {
		pc = &l.p[k];
		memcpy(p->insns + pc->at, o->code[pc->sec].insns + pc->start, pc->len * INSN_SZ);
		for (j = 0; j < pc->len; j++)
			if ((r = relocate(o, p, &l, pc, j)) < 0)
				goto out;
		if ((r = copy_ext(o, &o->xfunc, pc, &p->func_info, &p->nfunc)) < 0 ||
		    (r = copy_ext(o, &o->xline, pc, &p->line_info, &p->nline)) < 0)
			goto out;
	}
	r = 0;
out:
	free(l.p);
	if (r == -ENOMEM)
		return oom(o);
	return r;
}

/* --------------------------------------------------------------- programs */

/* One program per function symbol of an executable section other than .text. */
static int section_progs(struct rbpf_object *o, uint32_t sec)
{
	const struct elf_sec *s = &o->elf.secs[sec];
	const struct sec_def *d;
	const Elf64_Sym *sym;
	struct rbpf_prog *p;
	const char *target;
	uint32_t i;

	if (!(d = find_sec_def(s->name, &target)))
		return unknown_section(o, s->name);
	for (i = 1; i < o->elf.nsym; i++) {
		sym = &o->elf.syms[i];
		if (sym->st_shndx != sec || ELF64_ST_TYPE(sym->st_info) != STT_FUNC)
			continue;
		if (sym->st_value % INSN_SZ || sym->st_size % INSN_SZ || sym->st_size == 0 ||
		    sym->st_value > s->size || sym->st_size > s->size - sym->st_value)
			return rbpf_error(EINVAL, "object %s: function %s at offset %llu, size "
					  "%llu, does not fit section %s (%llu bytes)", o->name,
					  elf_sym_name(&o->elf, sym),
					  (unsigned long long)sym->st_value,
					  (unsigned long long)sym->st_size, s->name,
					  (unsigned long long)s->size);
		if (!(p = realloc(o->progs, (o->nprogs + 1) * sizeof(*p))))
			return oom(o);
		o->progs = p;
		p += o->nprogs++;
		memset(p, 0, sizeof(*p));
		p->obj = o;
		p->fd = -1;
		p->autoload = 1;
		p->sec = sec;
		p->start = sym->st_value / INSN_SZ;
		p->len = sym->st_size / INSN_SZ;
		p->type = d->type;
		p->expected = d->expected;
		p->kind = d->kind;
		p->name = strdup(elf_sym_name(&o->elf, sym));
		p->sec_name = strdup(s->name);
		p->target = strdup(target);   /* a ksyscall's name is resolved at attach */
		if (!p->name || !p->sec_name || !p->target)
			return oom(o);
	}
	return 0;
}

/* ------------------------------------------------------------------- open */

static void read_license(struct rbpf_object *o)
{
	int i = elf_find_sec(&o->elf, "license");
	const struct elf_sec *s = i > 0 ? &o->elf.secs[i] : NULL;

	if (s && s->data)
		snprintf(o->license, sizeof(o->license), "%.*s",
			 (int)(s->size < sizeof(o->license) ? s->size : sizeof(o->license) - 1),
			 s->data);
	i = elf_find_sec(&o->elf, "version");
	if (i > 0 && o->elf.secs[i].data && o->elf.secs[i].size == 4)
		memcpy(&o->kversion, o->elf.secs[i].data, 4);
}

static int read_btf(struct rbpf_object *o)
{
	int i = elf_find_sec(&o->elf, ".BTF"), r;
	const struct elf_sec *s;

	if (i < 0)
		return 0;
	s = &o->elf.secs[i];
	if ((r = btf_parse(&o->btf, s->data, s->data ? s->size : 0, o->name)) < 0)
		return r;
	btf_fixup_datasecs(&o->btf, &o->elf);
	i = elf_find_sec(&o->elf, ".BTF.ext");
	if (i < 0 || !o->elf.secs[i].data)
		return 0;
	s = &o->elf.secs[i];
	if ((r = btf_ext_parse(&o->ext, s->data, s->size, &o->btf, o->name)) < 0)
		return r;
	if (o->ext.core_relos)
		return rbpf_error(ENOTSUP, "object %s: %u CO-RE relocations (%u in section "
				  "%s, the first at %s; from BPF_CORE_READ, vmlinux.h types or "
				  "preserve_access_index): rawbpf does not support CO-RE; read "
				  "kernel memory with bpf_probe_read_kernel() at known offsets, "
				  "or use the tracepoint's own context struct", o->name,
				  o->ext.core_relos, o->ext.core_sec_relos, o->ext.core_sec,
				  o->ext.core_what);
	return 0;
}

/* Everything open does once the bytes are in o->buf. */
static int build(struct rbpf_object *o)
{
	uint32_t i;
	int r;

	if ((r = elf_parse(&o->elf, o->buf, o->size, o->name)) < 0)
		return r;
	read_license(o);
	if ((r = read_btf(o)) < 0 ||
	    (r = index_ext(o, &o->xfunc, o->ext.func, o->ext.nfunc, o->ext.func_rec)) < 0 ||
	    (r = index_ext(o, &o->xline, o->ext.line, o->ext.nline, o->ext.line_rec)) < 0)
		return r;
	o->maps_sec = elf_find_sec(&o->elf, "maps");
	o->btf_maps_sec = elf_find_sec(&o->elf, ".maps");
	if ((o->maps_sec > 0 && (r = legacy_maps(o)) < 0) ||
	    (o->btf_maps_sec > 0 && (r = btf_maps(o)) < 0) || (r = data_maps(o)) < 0)
		return r;
	note_skipped_sections(o);
	if (!(o->code = calloc(o->elf.nsec, sizeof(*o->code))))
		return oom(o);
	for (i = 1; i < o->elf.nsec; i++)
		if (o->elf.secs[i].type == SHT_PROGBITS && o->elf.secs[i].flags & SHF_EXECINSTR &&
		    o->elf.secs[i].size &&
		    (r = read_code(o, i)) < 0)
			return r;
	for (i = 1; i < o->elf.nsec; i++)
		if (o->elf.secs[i].type == SHT_REL && (r = read_rels(o, i)) < 0)
			return r;
	for (i = 1; i < o->elf.nsec; i++)
		if (o->code[i].insns && strcmp(o->elf.secs[i].name, ".text") &&
		    (r = section_progs(o, i)) < 0)
			return r;
	for (i = 0; i < o->nprogs; i++)
		if ((r = link_prog(o, &o->progs[i])) < 0)
			return r;
	return 0;
}

/* Open from buf, which the object takes over (freed on failure too): a file's bytes
 * are used where they were read, not copied again (179 KB for the bench's object). */
static int open_owned(uint8_t *buf, size_t size, const char *name, struct rbpf_object **obj)
{
	struct rbpf_object *o = calloc(1, sizeof(*o));
	int r;

	*obj = NULL;
	if (o) {
		o->btf_fd = -1;
		o->buf = buf;
		o->size = size;
	}
	if (!o || !(o->name = strdup(name))) {
		if (!o)
			free(buf);
		rbpf_object_close(o);
		return rbpf_error(ENOMEM, "object %s: out of memory", name);
	}
	if ((r = build(o)) < 0) {
		rbpf_object_close(o);
		return r;
	}
	*obj = o;
	return 0;
}

int rbpf_object_open_mem(const void *buf, size_t size, const char *name,
			 struct rbpf_object **obj)
{
	uint8_t *copy = malloc(size ? size : 1);

	*obj = NULL;
	name = name ? name : "(memory)";
	if (!copy)
		return rbpf_error(ENOMEM, "object %s: out of memory", name);
	memcpy(copy, buf, size);
	return open_owned(copy, size, name, obj);
}

int rbpf_object_open(const char *path, struct rbpf_object **obj)
{
	uint8_t *buf;
	size_t size;
	int r;

	*obj = NULL;
	if ((r = elf_read_file(path, &buf, &size)) < 0)
		return rbpf_error(r, "object %s: cannot read: %s", path,
				  r == -EINVAL ? "not a regular file" : strerror(-r));
	return open_owned(buf, size, path, obj);
}

void rbpf_object_close(struct rbpf_object *o)
{
	uint32_t i;

	if (!o)
		return;
	for (i = 0; i < o->nprogs; i++) {
		struct rbpf_prog *p = &o->progs[i];

		if (p->fd >= 0)
			close(p->fd);
		free(p->name), free(p->sec_name), free(p->target), free(p->insns);
		free(p->func_info), free(p->line_info), free(p->log);
	}
	for (i = 0; i < o->nmaps; i++) {
		if (o->maps[i].fd >= 0)
			close(o->maps[i].fd);
		free(o->maps[i].name), free(o->maps[i].data), free(o->maps[i].pinned_here);
	}
	for (i = 0; o->code && i < o->elf.nsec; i++)
		free(o->code[i].insns), free(o->code[i].rel_at);
	if (o->btf_fd >= 0)
		close(o->btf_fd);
	free(o->code), free(o->progs), free(o->maps), free(o->pin_root);
	free(o->xfunc.sorted), free(o->xline.sorted);
	btf_ext_free(&o->ext);
	btf_free(&o->btf);
	elf_free(&o->elf);
	free(o->buf), free(o->name);
	free(o);
}

/* ------------------------------------------------------------ creating maps */

static int map_error(const struct rbpf_object *o, const struct rbpf_map *m, int err,
		     const char *what)
{
	const char *hint = rbpf_errno_hint(err);

	return rbpf_error(err, "object %s: map %s (type %u, key %u, value %u, max_entries "
			  "%u, flags 0x%x): %s failed: %s (%s)%s%s", o->name, m->name, m->type,
			  m->key_size, m->value_size, m->max_entries, m->flags, what,
			  rbpf_errno_name(err), strerror(-err), *hint ? ": " : "", hint);
}

/* Rules the kernel answers with a bare EINVAL, checked here first so that the
 * message names the parameter that is wrong. */
static int check_map_shape(const struct rbpf_object *o, const struct rbpf_map *m)
{
	long page = sysconf(_SC_PAGESIZE);

	if (m->type == BPF_MAP_TYPE_RINGBUF && (m->key_size || m->value_size))
		return rbpf_error(EINVAL, "object %s: map %s: a ring buffer has no keys or "
				  "values, so its key and value sizes must be 0 (it declares "
				  "key %u, value %u): drop __type(key/value) and key_size/"
				  "value_size", o->name, m->name, m->key_size, m->value_size);
	if (m->type == BPF_MAP_TYPE_RINGBUF &&
	    (m->max_entries == 0 || (m->max_entries & (m->max_entries - 1)) ||
	     m->max_entries % page))
		return rbpf_error(EINVAL, "object %s: map %s: a ring buffer's max_entries "
				  "(its size in bytes, %u here) must be a power of 2 and a "
				  "multiple of the page size (%ld)", o->name, m->name,
				  m->max_entries, page);
	if (m->type == BPF_MAP_TYPE_ARRAY_OF_MAPS || m->type == BPF_MAP_TYPE_HASH_OF_MAPS)
		return rbpf_error(ENOTSUP, "object %s: map %s is a map of maps (%s): the kernel "
				  "needs an inner map to copy its shape from, and rawbpf does "
				  "not create maps of maps yet", o->name, m->name,
				  m->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ? "ARRAY_OF_MAPS" :
				  "HASH_OF_MAPS");
	return 0;
}

/* The kernel's name for a map: 15 characters of [A-Za-z0-9_.]; global data gets a
 * short object prefix ("hello.rodata") so bpftool's list says whose it is. */
static void kernel_map_name(const struct rbpf_object *o, const struct rbpf_map *m,
			    char out[BPF_OBJ_NAME_LEN])
{
	const char *base = strrchr(o->name, '/') ? strrchr(o->name, '/') + 1 : o->name;
	size_t i, pfx = m->data ? strcspn(base, ".") : 0;

	if (pfx > 7)
		pfx = 7;
	snprintf(out, BPF_OBJ_NAME_LEN, "%.*s%s", (int)pfx, base, m->name);
	for (i = 0; out[i]; i++)
		if (!(out[i] == '_' || out[i] == '.' || (out[i] >= '0' && out[i] <= '9') ||
		      ((out[i] | 0x20) >= 'a' && (out[i] | 0x20) <= 'z')))
			out[i] = '_';
}

/* A map with __uint(pinning, 1): reuse PIN_ROOT/NAME if it exists (1), else it is
 * to be created and pinned there (0).  A pinned map of another shape is an error. */
static int pinned_map(struct rbpf_object *o, struct rbpf_map *m, char *path, size_t n)
{
	struct bpf_map_info i = { 0 };
	uint32_t len = sizeof(i);
	int fd;

	if (o->no_pin_by_name)
		return 0;
	snprintf(path, n, "%s/%s", o->pin_root ? o->pin_root : "/sys/fs/bpf", m->name);
	if ((fd = rbpf_obj_get(path)) < 0)
		return 0;
	if (rbpf_obj_get_info_by_fd(fd, &i, &len) < 0 || i.type != m->type ||
	    i.key_size != m->key_size || i.value_size != m->value_size ||
	    i.max_entries != m->max_entries) {
		close(fd);
		return rbpf_error(EEXIST, "object %s: map %s: %s holds a pinned map of another "
				  "type or size (remove it, or rename the map)", o->name,
				  m->name, path);
	}
	m->fd = fd;
	return 1;
}

static int create_map(struct rbpf_object *o, struct rbpf_map *m)
{
	struct rbpf_map_create_args a = { 0 };
	char name[BPF_OBJ_NAME_LEN], path[512];
	uint32_t zero = 0;
	int r;

	if ((r = check_map_shape(o, m)) < 0)
		return r;
	if (m->pinning == 1 && (r = pinned_map(o, m, path, sizeof(path))) != 0)
		return r < 0 ? r : 0;
	kernel_map_name(o, m, name);
	a.type = m->type, a.name = name, a.key_size = m->key_size;
	a.value_size = m->value_size, a.max_entries = m->max_entries;
	a.map_flags = m->flags, a.map_extra = m->map_extra;
	if (o->btf_fd >= 0 && m->btf_key + m->btf_value) {
		/* with the types, bpftool can print keys and values as structs */
		a.btf_fd = o->btf_fd, a.btf_key_type_id = m->btf_key;
		a.btf_value_type_id = m->btf_value;
		if ((m->fd = rbpf_map_create(&a)) >= 0)
			goto created;
		a.btf_fd = a.btf_key_type_id = a.btf_value_type_id = 0;
	}
	if ((m->fd = rbpf_map_create(&a)) < 0)
		return r = m->fd, m->fd = -1, map_error(o, m, r, "BPF_MAP_CREATE");
created:
	if (m->data && (r = rbpf_map_update_elem(m->fd, &zero, m->data, 0)) < 0)
		return map_error(o, m, r, "writing its initial value");
	if (m->data && (m->flags & BPF_F_RDONLY_PROG) && (r = rbpf_map_freeze(m->fd)) < 0)
		return map_error(o, m, r, "BPF_MAP_FREEZE");
	if (m->pinning != 1 || o->no_pin_by_name)
		return 0;
	if ((r = rbpf_obj_pin(m->fd, path)) < 0)
		return rbpf_error(r, "object %s: map %s: pinning at %s failed: %s (%s)%s",
				  o->name, m->name, path, rbpf_errno_name(r), strerror(-r),
				  r == -ENOENT || r == -EPERM ? ": is a bpffs mounted there? "
				  "(mount -t bpf bpf /sys/fs/bpf)" : "");
	if (!(m->pinned_here = strdup(path))) {
		unlink(path);
		return oom(o);
	}
	return 0;
}

/* A load that fails takes back the by-name pins it made: they would outlive the
 * process and hand a half-loaded object's map to the next run.  Pins that were
 * there before (reused maps) are left alone. */
static void unpin_made_here(struct rbpf_object *o)
{
	uint32_t i;

	for (i = 0; i < o->nmaps; i++) {
		if (!o->maps[i].pinned_here)
			continue;
		unlink(o->maps[i].pinned_here);
		free(o->maps[i].pinned_here);
		o->maps[i].pinned_here = NULL;
	}
}

/* Load the object's BTF; if the kernel refuses it, note why and go on without. */
static void load_btf(struct rbpf_object *o)
{
	char log[4096] = "", *last;
	size_t n;
	int r;

	if (!o->btf.data || o->btf_fd >= 0)
		return;
	r = rbpf_btf_load(o->btf.data, o->btf.size, NULL, 0, 0, NULL);
	if (r >= 0) {
		o->btf_fd = r;
		return;
	}
	rbpf_btf_load(o->btf.data, o->btf.size, log, sizeof(log), 1, NULL);
	log[sizeof(log) - 1] = 0;
	for (n = strlen(log); n && log[n - 1] == '\n'; n--)
		log[n - 1] = 0;                      /* the kernel's reason is the last line */
	last = strrchr(log, '\n') ? strrchr(log, '\n') + 1 : log;
	if (!*last)                                  /* no log (EPERM, say): say what */
		last = strerror(-r);
	add_note(o, "the kernel refused the object's BTF (%s: %.300s); programs loaded "
		 "without it, so the verifier log has no source lines", rbpf_errno_name(r), last);
}

static int create_maps(struct rbpf_object *o)
{
	uint32_t i;
	int r;

	if (o->maps_created)
		return 0;
	if (o->struct_ops_sec)
		return rbpf_error(ENOTSUP, "object %s: section %s declares struct_ops maps (a "
				  "sched_ext scheduler, a TCP congestion control...): rawbpf "
				  "does not load struct_ops yet, and without them the object "
				  "would load and do nothing", o->name, o->struct_ops_sec);
	load_btf(o);
	for (i = 0; i < o->nmaps; i++)
		if (o->maps[i].fd < 0 && (r = create_map(o, &o->maps[i])) < 0) {
			unpin_made_here(o);
			return r;
		}
	o->maps_created = 1;
	return 0;
}

/* -------------------------------------------------------- loading programs */

/* Map indices -> fds (BPF_PSEUDO_MAP_IDX -> BPF_PSEUDO_MAP_FD and _VALUE). */
static void patch_map_fds(struct rbpf_prog *p)
{
	struct bpf_insn *in;
	uint32_t i;

	for (i = 0; i + 1 < p->cnt; i++) {
		in = &p->insns[i];
		if (in->code != LD_IMM64)
			continue;
		if ((in->src_reg == BPF_PSEUDO_MAP_IDX || in->src_reg == BPF_PSEUDO_MAP_IDX_VALUE) &&
		    (uint32_t)in->imm < p->obj->nmaps) {     /* else the file's own: the kernel judges */
			in->src_reg = in->src_reg == BPF_PSEUDO_MAP_IDX ? BPF_PSEUDO_MAP_FD :
									  BPF_PSEUDO_MAP_VALUE;
			in->imm = p->obj->maps[in->imm].fd;
		}
		i++;
	}
}

/* The verifier's count: bpf_prog_info.verified_insns (5.16+), else from the log. */
static uint32_t verified_insns(int fd, const char *log)
{
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info), n = 0;
	const char *s;

	if (fd >= 0 && rbpf_obj_get_info_by_fd(fd, &info, &len) == 0 && info.verified_insns)
		return info.verified_insns;
	if (log && (s = strstr(log, "processed ")))
		sscanf(s, "processed %u insns", &n);
	return n;
}

static int gpl_compatible(const char *l)
{
	static const char *ok[] = { "GPL", "GPL v2", "GPL and additional rights",
		"Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(l, ok[i]))
			return 1;
	return 0;
}

static void fill_args(struct rbpf_prog *p, struct rbpf_prog_load_args *a, uint32_t level)
{
	struct rbpf_object *o = p->obj;

	memset(a, 0, sizeof(*a));
	a->type = p->type, a->expected_attach_type = p->expected, a->name = p->name;
	a->insns = p->insns, a->insn_cnt = p->cnt;
	a->license = o->license, a->kern_version = o->kversion;
	a->log_level = level;
	if (o->btf_fd >= 0) {
		a->prog_btf_fd = o->btf_fd;
		a->func_info = p->func_info, a->func_info_cnt = p->nfunc;
		a->func_info_rec_size = p->nfunc ? o->ext.func_rec : 0;
		a->line_info = p->line_info, a->line_info_cnt = p->nline;
		a->line_info_rec_size = p->nline ? o->ext.line_rec : 0;
	}
}

int rbpf_prog_load_one(struct rbpf_prog *p, uint32_t log_level)
{
	struct rbpf_object *o = p->obj;
	struct rbpf_prog_load_args a;
	int r;

	if (p->fd >= 0)
		return p->fd;
	if ((r = create_maps(o)) < 0)
		return r;
	patch_map_fds(p);
	fill_args(p, &a, log_level);
	if (p->kind == RBPF_ATTACH_FENTRY || p->kind == RBPF_ATTACH_FEXIT) {
		if ((r = rbpf_vmlinux_btf_id(p->target, BTF_KIND_FUNC)) < 0)
			return rbpf_error_prefix(r, "object %s: program %s (%s): ", o->name,
						 p->name, p->sec_name);
		a.attach_btf_id = r;
	}
	free(p->log);
	r = rbpf_load_prog(&a, &p->log);
	p->verified = verified_insns(r, p->log);
	if (r >= 0)
		return p->fd = r;
	if (p->log && strstr(p->log, "GPL") && !gpl_compatible(o->license))
		return rbpf_error_prefix(r, "object %s: program %s (%s): it calls a GPL-only "
					 "helper, and the license section says \"%s\" (declare "
					 "char LICENSE[] SEC(\"license\") = \"GPL\";): ", o->name,
					 p->name, p->sec_name, o->license);
	if (r == -EPERM && a.attach_btf_id)     /* seen on 6.18 development machines */
		return rbpf_error_prefix(r, "object %s: program %s (%s): some kernels refuse "
					 "fentry/fexit programs even to root (a lockdown or "
					 "security policy); use a kprobe or a tracepoint: ",
					 o->name, p->name, p->sec_name);
	return rbpf_error_prefix(r, "object %s: program %s (%s): ", o->name, p->name,
				 p->sec_name);
}

/* Prog arrays declared with __array(values, ...) = { [i] = prog }: each slot is a
 * .rel.maps entry at the map's offset + values_off + 8 * i, naming the program. */
static int fill_prog_arrays(struct rbpf_object *o)
{
	int i = elf_find_sec(&o->elf, ".rel.maps"), r;
	const struct elf_sec *s = i > 0 ? &o->elf.secs[i] : NULL;
	const Elf64_Rel *rel;
	struct rbpf_prog *p;
	struct rbpf_map *m;
	uint32_t k, j, slot;
	uint64_t off;

	for (k = 0; s && s->data && k < s->size / sizeof(*rel); k++) {
		rel = (const Elf64_Rel *)s->data + k;
		if (ELF64_R_SYM(rel->r_info) >= o->elf.nsym)
			continue;
		p = rbpf_object_find_prog(o, elf_sym_name(&o->elf,
					  &o->elf.syms[ELF64_R_SYM(rel->r_info)]));
		for (j = 0; j < o->nmaps; j++) {
			m = &o->maps[j];
			off = m->sec_off + m->values_off;
			if (m->sec != o->btf_maps_sec || m->values_off < 0 || rel->r_offset < off ||
			    (rel->r_offset - off) / 8 >= m->max_entries)
				continue;
			slot = (rel->r_offset - off) / 8;
			if (!p || p->fd < 0 || m->fd < 0)
				break;
			if ((r = rbpf_map_update_elem(m->fd, &slot, &p->fd, 0)) < 0)
				return map_error(o, m, r, "setting its initial values");
			break;
		}
	}
	return 0;
}

int rbpf_object_load(struct rbpf_object *o, uint32_t log_level)
{
	char first_msg[1024] = "";
	uint32_t i;
	int r, first = 0;

	if ((r = create_maps(o)) < 0)
		return r;
	for (i = 0; i < o->nprogs; i++) {
		if (!o->progs[i].autoload || o->progs[i].fd >= 0)
			continue;
		r = rbpf_prog_load_one(&o->progs[i], log_level);
		if (r < 0 && !first) {          /* keep going: every program gets its log */
			first = r;
			snprintf(first_msg, sizeof(first_msg), "%s", rbpf_errmsg());
		}
	}
	r = fill_prog_arrays(o);                /* the programs that did load */
	if (first < 0 || r < 0)
		unpin_made_here(o);
	if (first < 0)
		return rbpf_error(first, "%s", first_msg);
	return r;
}

/* -------------------------------------------------------------- pinning */

/* DIR/KIND/NAME with the leading dots dropped and the others made '_' (bpffs
 * refuses names with a dot): .rodata.str1.1 is DIR/maps/rodata_str1_1. */
static void pin_path(char *path, size_t n, const char *dir, const char *kind,
		     const char *name)
{
	char *p;

	while (*name == '.')
		name++;
	snprintf(path, n, "%s/%s/%s", dir, kind, name);
	for (p = path + strlen(path) - strlen(name); *p; p++)
		if (*p == '.')
			*p = '_';
}

static int pin_one(const char *dir, const char *kind, const char *name, int fd)
{
	char path[512];
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, kind);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return rbpf_error(errno, "pin: cannot create %s: %s (is %s on a bpffs? "
				  "mount -t bpf bpf /sys/fs/bpf)", path, strerror(errno), dir);
	pin_path(path, sizeof(path), dir, kind, name);
	if ((r = rbpf_obj_pin(fd, path)) < 0)
		return rbpf_error(r, "pin: BPF_OBJ_PIN at %s failed: %s (%s)%s", path,
				  rbpf_errno_name(r), strerror(-r), r == -EEXIST ?
				  ": something is pinned there already" : r == -EPERM ?
				  ": the directory must be on a bpffs" : "");
	return 0;
}

/* Take back the first nmaps map pins and nprogs program pins rbpf_object_pin made,
 * then the directories if that left them empty (rmdir removes nothing else). */
static void unpin_some(const struct rbpf_object *o, const char *dir, uint32_t nmaps,
		       uint32_t nprogs)
{
	char path[512];
	uint32_t i;

	for (i = 0; i < nmaps; i++)
		if (o->maps[i].fd >= 0) {
			pin_path(path, sizeof(path), dir, "maps", o->maps[i].name);
			unlink(path);
		}
	for (i = 0; i < nprogs; i++)
		if (o->progs[i].fd >= 0) {
			pin_path(path, sizeof(path), dir, "progs", o->progs[i].name);
			unlink(path);
		}
	snprintf(path, sizeof(path), "%s/maps", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/progs", dir);
	rmdir(path);
	rmdir(dir);
}

/* All or nothing: a pin that fails takes back the ones made before it. */
int rbpf_object_pin(struct rbpf_object *o, const char *dir)
{
	uint32_t i, j;
	int r;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return rbpf_error(errno, "pin: cannot create %s: %s", dir, strerror(errno));
	for (i = 0; i < o->nmaps; i++)
		if (o->maps[i].fd >= 0 &&
		    (r = pin_one(dir, "maps", o->maps[i].name, o->maps[i].fd)) < 0)
			return unpin_some(o, dir, i, 0), r;
	for (j = 0; j < o->nprogs; j++)
		if (o->progs[j].fd >= 0 &&
		    (r = pin_one(dir, "progs", o->progs[j].name, o->progs[j].fd)) < 0)
			return unpin_some(o, dir, i, j), r;
	return 0;
}

int rbpf_object_set_pin_root(struct rbpf_object *o, const char *dir)
{
	char *d;

	o->no_pin_by_name = !dir;
	if (!dir)
		return 0;
	if (!(d = strdup(dir)))
		return oom(o);
	free(o->pin_root);
	o->pin_root = d;
	return 0;
}

/* ------------------------------------------------------------ accessors */

const char *rbpf_object_name(const struct rbpf_object *o) { return o->name; }
const char *rbpf_object_license(const struct rbpf_object *o) { return o->license; }
uint32_t rbpf_object_kversion(const struct rbpf_object *o) { return o->kversion; }
int rbpf_object_btf_fd(const struct rbpf_object *o) { return o->btf_fd; }
const char *rbpf_object_notes(const struct rbpf_object *o) { return o->notes; }

struct rbpf_prog *rbpf_object_next_prog(const struct rbpf_object *o, const struct rbpf_prog *prev)
{
	size_t i = prev ? (size_t)(prev - o->progs) + 1 : 0;

	return i < o->nprogs ? &o->progs[i] : NULL;
}

struct rbpf_prog *rbpf_object_find_prog(const struct rbpf_object *o, const char *name)
{
	uint32_t i;

	for (i = 0; i < o->nprogs; i++)
		if (!strcmp(o->progs[i].name, name))
			return &o->progs[i];
	return NULL;
}

const char *rbpf_prog_name(const struct rbpf_prog *p) { return p->name; }
const char *rbpf_prog_section(const struct rbpf_prog *p) { return p->sec_name; }
enum bpf_prog_type rbpf_prog_type(const struct rbpf_prog *p) { return p->type; }
enum bpf_attach_type rbpf_prog_expected_attach_type(const struct rbpf_prog *p) { return p->expected; }
enum rbpf_attach_kind rbpf_prog_attach_kind(const struct rbpf_prog *p) { return p->kind; }
const char *rbpf_prog_attach_target(const struct rbpf_prog *p) { return p->target; }
int rbpf_prog_fd(const struct rbpf_prog *p) { return p->fd; }
const char *rbpf_prog_log(const struct rbpf_prog *p) { return p->log ? p->log : ""; }
uint32_t rbpf_prog_verified_insns(const struct rbpf_prog *p) { return p->verified; }
void rbpf_prog_set_autoload(struct rbpf_prog *p, int on) { p->autoload = !!on; }
int rbpf_prog_autoload(const struct rbpf_prog *p) { return p->autoload; }

int rbpf_prog_set_type(struct rbpf_prog *p, enum bpf_prog_type type,
		       enum bpf_attach_type expected)
{
	if (p->fd >= 0)
		return rbpf_error(EBUSY, "object %s: program %s is already loaded; set its "
				  "type before loading", p->obj->name, p->name);
	p->type = type;
	p->expected = expected;
	return 0;
}

const struct bpf_insn *rbpf_prog_insns(const struct rbpf_prog *p, uint32_t *cnt)
{
	*cnt = p->cnt;
	return p->insns;
}

int rbpf_prog_line(const struct rbpf_prog *p, uint32_t insn, struct rbpf_line *out)
{
	const struct btf *b = &p->obj->btf;
	uint32_t rec = p->obj->ext.line_rec, i, li[4];
	int found = -1;

	for (i = 0; i < p->nline; i++) {        /* records are sorted by instruction */
		memcpy(li, p->line_info + i * rec, sizeof(li));
		if (li[0] > insn)
			break;
		found = i;
	}
	if (found < 0)
		return -ENOENT;
	memcpy(li, p->line_info + found * rec, sizeof(li));
	out->file = btf_str(b, li[1]) ? btf_str(b, li[1]) : "";
	out->text = btf_str(b, li[2]) ? btf_str(b, li[2]) : "";
	out->line = li[3] >> 10;                /* line_col: line << 10 | column */
	out->col = li[3] & 0x3ff;
	return li[0] == insn;
}

const char *rbpf_prog_func_at(const struct rbpf_prog *p, uint32_t insn)
{
	const struct btf *b = &p->obj->btf;
	uint32_t rec = p->obj->ext.func_rec, i, fi[2];   /* insn_off, type_id */
	const struct btf_type *t;

	for (i = 0; i < p->nfunc; i++) {
		memcpy(fi, p->func_info + i * rec, sizeof(fi));
		if (fi[0] == insn && (t = btf_type(b, fi[1])))
			return btf_str(b, t->name_off);
	}
	return NULL;
}

struct rbpf_map *rbpf_object_next_map(const struct rbpf_object *o, const struct rbpf_map *prev)
{
	size_t i = prev ? (size_t)(prev - o->maps) + 1 : 0;

	return i < o->nmaps ? &o->maps[i] : NULL;
}

struct rbpf_map *rbpf_object_find_map(const struct rbpf_object *o, const char *name)
{
	uint32_t i;

	for (i = 0; i < o->nmaps; i++)
		if (!strcmp(o->maps[i].name, name))
			return &o->maps[i];
	return NULL;
}

struct rbpf_map *rbpf_object_map_at(const struct rbpf_object *o, uint32_t i)
{
	return i < o->nmaps ? &o->maps[i] : NULL;
}

const char *rbpf_map_name(const struct rbpf_map *m) { return m->name; }
enum bpf_map_type rbpf_map_type(const struct rbpf_map *m) { return m->type; }
uint32_t rbpf_map_key_size(const struct rbpf_map *m) { return m->key_size; }
uint32_t rbpf_map_value_size(const struct rbpf_map *m) { return m->value_size; }
uint32_t rbpf_map_max_entries(const struct rbpf_map *m) { return m->max_entries; }
uint32_t rbpf_map_flags(const struct rbpf_map *m) { return m->flags; }
int rbpf_map_fd(const struct rbpf_map *m) { return m->fd; }

void *rbpf_map_initial_value(struct rbpf_map *m, size_t *size)
{
	*size = m->data ? m->value_size : 0;
	return m->data;
}
