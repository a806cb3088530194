/*
 * object_link.c -- from code sections to one instruction array per program.
 *
 * A program is its function plus every function it calls, which clang may have put
 * in .text or another section.  The kernel wants them as one array, callees after
 * the caller, calls pointing at their callees by pc-relative distance.  So:
 *
 *   1. each executable section's instructions are copied and each of its SHT_REL
 *      entries is checked and indexed by instruction (rel_at);
 *   2. a program collects its pieces: its own function, then every function reached
 *      (through a relocation, or a static call with none), appended once each;
 *   3. each piece is copied to its place; calls get their new distance, map
 *      references become BPF_PSEUDO_MAP_IDX(_VALUE) with imm = the map's index, and
 *      the func_info and line_info records of each piece follow it to its new place.
 *
 * What a relocation means is decided by the instruction it patches (ld_imm64 or call)
 * and the section of its symbol (a map section, global data, code, or nothing: an
 * extern), never by its type number alone (Documentation/bpf/llvm_reloc.rst).
 */
#include <stdlib.h>
#include <string.h>

#include "object.h"

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
		return obj_oom(o);
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

/* Every executable section copied, then every SHT_REL section indexed. */
int obj_read_code(struct rbpf_object *o)
{
	uint32_t i;
	int r;

	if (!(o->code = calloc(o->elf.nsec, sizeof(*o->code))))
		return obj_oom(o);
	for (i = 1; i < o->elf.nsec; i++)
		if (o->elf.secs[i].type == SHT_PROGBITS && o->elf.secs[i].flags & SHF_EXECINSTR &&
		    o->elf.secs[i].size && (r = read_code(o, i)) < 0)
			return r;
	for (i = 1; i < o->elf.nsec; i++)
		if (o->elf.secs[i].type == SHT_REL && (r = read_rels(o, i)) < 0)
			return r;
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

/* Most instructions are neither relocated nor a call: nothing to link, and the
 * loops below pass over them with this one test. */
static int plain(const struct code *c, uint32_t idx)
{
	return c->rel_at[idx] < 0 &&
	       !(c->insns[idx].code == CALL && c->insns[idx].src_reg == BPF_PSEUDO_CALL);
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

/* A run of instructions copied into a program: sec[start, start+len) at `at`.  Its
 * func_info [0] and line_info [1] records are among records [lo, hi) of its
 * section's block of each (found once, by ext_range). */
struct piece {
	int sec;
	uint32_t start, len, at;
	uint32_t lo[2], hi[2];
};

/* A program's pieces: most programs are one or two functions, so the first few
 * live in `first`, and only a program that calls more gets an array from the heap. */
struct link {
	struct piece *p;             /* first, or a heap array of cap pieces */
	uint32_t n, cap, total;
	struct piece first[8];
};

static int add_piece(struct rbpf_object *o, struct link *l, int sec, uint32_t start,
		     uint32_t len)
{
	struct piece *p;
	uint32_t i;

	for (i = 0; i < l->n; i++)
		if (l->p[i].sec == sec && l->p[i].start == start)
			return i;
	if (l->n == l->cap) {
		if (!(p = malloc(2 * l->cap * sizeof(*p))))
			return obj_oom(o);
		memcpy(p, l->p, l->n * sizeof(*p));
		if (l->p != l->first)
			free(l->p);
		l->p = p, l->cap *= 2;
	}
	l->p[l->n] = (struct piece){ sec, start, len, l->total, { 0, 0 }, { 0, 0 } };
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
			if (plain(&o->code[l->p[k].sec], j))
				continue;
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
	if (sym->st_shndx == SHN_UNDEF)                 /* an extern: object_core.c */
		return obj_link_extern(o, p, in, pc->len - j, at, sym, sname);
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

/* Fill x from the parsed blocks: one pass over each block to see if it is sorted,
 * and each code section's block found once (by name), not once per piece. */
static int index_ext(struct rbpf_object *o, struct ext_index *x,
		     const struct btf_ext_sec *blocks, uint32_t nb, uint32_t rec)
{
	uint32_t k, i;

	*x = (struct ext_index){ blocks, nb, rec, NULL, NULL };
	if ((nb && !(x->sorted = calloc(nb, 1))) ||
	    !(x->of_sec = calloc(o->elf.nsec ? o->elf.nsec : 1, sizeof(*x->of_sec))))
		return obj_oom(o);
	for (k = 0; k < nb; k++) {
		for (i = 1; i < blocks[k].num; i++)
			if (rec_insn(x, &blocks[k], i) < rec_insn(x, &blocks[k], i - 1))
				break;
		x->sorted[k] = i >= blocks[k].num;
	}
	for (i = 1; nb && i < o->elf.nsec; i++)
		if (o->elf.secs[i].flags & SHF_EXECINSTR)
			x->of_sec[i] = btf_ext_find(blocks, nb, o->elf.secs[i].name);
	return 0;
}

/* Find where piece pc's records of kind k (0 func_info, 1 line_info) lie in x's
 * block for its section -- all of the block if it is not sorted, else one run:
 * its start by binary search, its end a few records on -- and count them. */
static uint32_t ext_range(const struct ext_index *x, struct piece *pc, int k)
{
	const struct btf_ext_sec *b = x->of_sec[pc->sec];
	uint32_t i, n = 0, off, end = pc->start + pc->len;

	pc->lo[k] = 0, pc->hi[k] = b ? b->num : 0;
	if (b && x->sorted[b - x->blocks]) {
		pc->lo[k] = pc->hi[k] = ext_lower_bound(x, b, pc->start);
		while (pc->hi[k] < b->num && rec_insn(x, b, pc->hi[k]) < end)
			pc->hi[k]++;
	}
	for (i = pc->lo[k]; i < pc->hi[k]; i++)
		off = rec_insn(x, b, i), n += off >= pc->start && off < end;
	return n;
}

/* Append the records of kind k of piece pc to out[*n...] (room made by the caller),
 * moved to their final instruction. */
static void copy_ext(const struct ext_index *x, const struct piece *pc, int k, uint8_t *out,
		     uint32_t *n)
{
	const struct btf_ext_sec *b = x->of_sec[pc->sec];
	uint32_t i, off;

	for (i = pc->lo[k]; i < pc->hi[k]; i++) {
		off = rec_insn(x, b, i);
		if (off < pc->start || off >= pc->start + pc->len)
			continue;
		memcpy(out + (size_t)*n * x->rec, b->recs + (size_t)i * x->rec, x->rec);
		off = off - pc->start + pc->at;
		memcpy(out + (size_t)*n * x->rec, &off, 4);
		(*n)++;
	}
}

/* Make p's one allocation: its instructions, then its func_info and line_info
 * records, counted first (three arrays grown piece by piece were a third of the
 * time it took to open a 200-program object: mostly malloc). */
static int alloc_prog(struct rbpf_object *o, struct rbpf_prog *p, struct link *l)
{
	size_t nf = 0, nl = 0, size;
	uint32_t k;
	uint8_t *m;

	for (k = 0; k < l->n; k++)
		nf += ext_range(&o->xfunc, &l->p[k], 0), nl += ext_range(&o->xline, &l->p[k], 1);
	size = (size_t)l->total * INSN_SZ + nf * o->xfunc.rec + nl * o->xline.rec;
	if (!(m = malloc(size ? size : 1)))
		return obj_oom(o);
	p->insns = (struct bpf_insn *)m;
	p->cnt = l->total;
	p->func_info = nf ? m + (size_t)l->total * INSN_SZ : NULL;
	p->line_info = nl ? m + (size_t)l->total * INSN_SZ + nf * o->xfunc.rec : NULL;
	return 0;
}

/* Build p->insns from the pieces, patching each relocation. */
int obj_link_prog(struct rbpf_object *o, struct rbpf_prog *p)
{
	struct link l = { .cap = 8 };
	struct piece *pc;
	uint32_t k, j;
	int r;

	l.p = l.first;
	if ((r = collect(o, p, &l)) < 0 || (r = alloc_prog(o, p, &l)) < 0)
		goto out;
	for (k = 0; k < l.n; k++) {
		pc = &l.p[k];
		memcpy(p->insns + pc->at, o->code[pc->sec].insns + pc->start, pc->len * INSN_SZ);
		for (j = 0; j < pc->len; j++)
			if (!plain(&o->code[pc->sec], pc->start + j) &&
			    (r = relocate(o, p, &l, pc, j)) < 0)
				goto out;
		copy_ext(&o->xfunc, pc, 0, p->func_info, &p->nfunc);
		copy_ext(&o->xline, pc, 1, p->line_info, &p->nline);
		/* CO-RE: the piece's relocations follow it (core_patch.c) */
		if ((r = core_collect(&o->ext, o->elf.secs[pc->sec].name, pc->start, pc->len,
				      pc->at, &p->core, &p->ncore)) < 0)
			goto out;
	}
	r = 0;
out:
	if (l.p != l.first)
		free(l.p);
	return r;
}

int obj_index_ext(struct rbpf_object *o)
{
	int r = index_ext(o, &o->xfunc, o->ext.func, o->ext.nfunc, o->ext.func_rec);

	return r < 0 ? r : index_ext(o, &o->xline, o->ext.line, o->ext.nline, o->ext.line_rec);
}
