/*
 * btf_ext.c -- read .BTF.ext: what clang says about each instruction.
 *
 * .BTF.ext is a header and, per kind of info, a record size followed by blocks
 * {u32 section name offset, u32 count, count records}.  Three kinds: func_info (which
 * BTF FUNC starts at which instruction), line_info (which source line an instruction
 * came from) and CO-RE relocations (which instruction encodes which field access, for
 * the loader to adjust to the kernel it runs on: core.c).  The records are not
 * copied: a block points into the section, which the caller keeps.
 * (Documentation/bpf/btf.rst, ".BTF.ext section".)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "rawbpf.h"

#define BTF_MAGIC 0xeB9F


struct ext_header {               /* .BTF.ext's header (Documentation/bpf/btf.rst) */
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len;
	uint32_t func_info_off, func_info_len;
	uint32_t line_info_off, line_info_len;
	uint32_t core_relo_off, core_relo_len;    /* present when hdr_len >= 32 */
};

/* Read one info area: u32 record size, then blocks {u32 sec_name_off, u32 num,
 * num records}.  *out gets the blocks (malloc'd). */
static int read_info(const uint8_t *p, uint32_t len, uint32_t min_rec, const struct btf *b,
		     const char *file, const char *what, uint32_t *rec,
		     struct btf_ext_sec **out, uint32_t *nout)
{
	uint32_t off = 4, hdr[2];
	struct btf_ext_sec *s;

	*out = NULL;
	*nout = 0;
	if (len == 0)
		return 0;
	if (len < 4 || (memcpy(rec, p, 4), *rec < min_rec) || *rec > 1024)
		return rbpf_error(EINVAL, "btf: %s: .BTF.ext %s: bad record size", file, what);
	while (off < len) {
		if (len - off < 8)
			return rbpf_error(EINVAL, "btf: %s: .BTF.ext %s: block at %u cut off", file, what, off);
		memcpy(hdr, p + off, 8);
		off += 8;
		if (!btf_str(b, hdr[0]) || (uint64_t)hdr[1] * *rec > len - off)
			return rbpf_error(EINVAL, "btf: %s: .BTF.ext %s: block at %u has a bad "
					  "section name or runs past the end", file, what, off - 8);
		s = realloc(*out, (*nout + 1) * sizeof(*s));
		if (!s)
			return rbpf_error(ENOMEM, "btf: %s: out of memory", file);
		*out = s;
		s[*nout].sec = btf_str(b, hdr[0]);
		s[*nout].num = hdr[1];
		s[*nout].recs = p + off;
		(*nout)++;
		off += hdr[1] * *rec;
	}
	return 0;
}

/* One CO-RE record {u32 insn_off, type_id, access_str_off, kind}, in words: what
 * the program wanted the loader to adjust ("instruction 3: field 0:1 of task_like"). */
static void describe_core(const struct btf *b, const uint8_t *rec, char *out, size_t n)
{
	static const char *kinds[] = { "field offset", "field size", "field exists",
		"field signedness", "bitfield shift", "bitfield shift", "type id", "type id",
		"type exists", "type size", "enum value exists", "enum value", "type match" };
	const struct btf_type *t;
	const char *name, *access;
	uint32_t r[4];

	memcpy(r, rec, sizeof(r));
	t = btf_type(b, r[1]);
	name = t ? btf_str(b, t->name_off) : NULL;
	access = btf_str(b, r[2]);
	snprintf(out, n, "instruction %u: %s \"%s\" of type '%s'", r[0] / 8,
		 r[3] < sizeof(kinds) / sizeof(kinds[0]) ? kinds[r[3]] : "?",
		 access ? access : "?", name && *name ? name : "(anonymous)");
}

int btf_ext_parse(struct btf_ext *x, const uint8_t *data, uint64_t size,
		  const struct btf *b, const char *file)
{
	struct ext_header h = { 0 };
	uint32_t i;
	int r;

	memset(x, 0, sizeof(*x));
	if (size < 24 || (memcpy(&h, data, 24), h.magic != BTF_MAGIC) || h.hdr_len < 24 ||
	    h.hdr_len > size)
		return rbpf_error(EINVAL, "btf: %s: .BTF.ext has a bad header", file);
	if (h.hdr_len >= 32)
		memcpy(&h.core_relo_off, data + 24, 8);
	data += h.hdr_len;
	size -= h.hdr_len;
	if ((uint64_t)h.func_info_off + h.func_info_len > size ||
	    (uint64_t)h.line_info_off + h.line_info_len > size ||
	    (uint64_t)h.core_relo_off + h.core_relo_len > size)
		return rbpf_error(EINVAL, "btf: %s: .BTF.ext places its info outside the section", file);
	r = read_info(data + h.func_info_off, h.func_info_len, 8, b, file, "func_info",
		      &x->func_rec, &x->func, &x->nfunc);
	if (!r)
		r = read_info(data + h.line_info_off, h.line_info_len, 16, b, file, "line_info",
			      &x->line_rec, &x->line, &x->nline);
	if (!r)
		r = read_info(data + h.core_relo_off, h.core_relo_len, 16, b, file, "CO-RE",
			      &x->core_rec, &x->core, &x->ncore);
	for (i = 0; !r && i < x->ncore; i++) {
		x->core_relos += x->core[i].num;
		if (x->core[i].num && !x->core_sec) {
			x->core_sec = x->core[i].sec;
			x->core_sec_relos = x->core[i].num;
			describe_core(b, x->core[i].recs, x->core_what, sizeof(x->core_what));
		}
	}
	if (r)
		btf_ext_free(x);
	return r;
}

void btf_ext_free(struct btf_ext *x)
{
	free(x->func);
	free(x->line);
	free(x->core);
	memset(x, 0, sizeof(*x));
}

const struct btf_ext_sec *btf_ext_find(const struct btf_ext_sec *s, uint32_t n,
				       const char *sec)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s[i].sec, sec) == 0)
			return &s[i];
	return NULL;
}


void btf_ext_core_rec(const struct btf_ext *x, const struct btf_ext_sec *s, uint32_t i,
		      struct btf_core_rec *r)
{
	memcpy(r, s->recs + (size_t)i * x->core_rec, sizeof(*r));
}
