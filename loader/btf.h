/*
 * btf.h -- the BTF reader's view (loader/btf.c).  Internal to the loader.
 */
#ifndef RBPF_BTF_H
#define RBPF_BTF_H

#include <linux/btf.h>
#include <stdint.h>

#include "elf.h"

struct btf {
	uint8_t *data;               /* our own copy (fixed up in place), owned */
	uint32_t size;
	const char *strs;            /* the string section */
	uint32_t str_len;
	struct btf_type **types;     /* types[id], id 1..ntypes-1; types[0] is void (NULL) */
	uint32_t ntypes;
};

/* One .BTF.ext info block: the records for one ELF section. */
struct btf_ext_sec {
	const char *sec;             /* the code section's name */
	const uint8_t *recs;         /* num records of rec_size bytes */
	uint32_t num;
};

struct btf_ext {
	uint32_t func_rec, line_rec;        /* record sizes */
	struct btf_ext_sec *func, *line;
	uint32_t nfunc, nline;
	uint32_t core_relos;                /* CO-RE relocation records (unsupported) */
	const char *core_sec;               /* the first section that has some */
	uint32_t core_sec_relos;            /* and how many of them are its own */
	char core_what[160];                /* and its first record, in words */
};

/* A map as its .maps variable declares it. */
struct btf_map_def {
	uint32_t type, key_size, value_size, max_entries, map_flags, pinning;
	uint64_t map_extra;
	uint32_t key_type, value_type;   /* BTF ids of __type(key/value, T), or 0 */
	int64_t values_off;          /* offset of the `values` array in the variable, or -1 */
	uint32_t values_type;        /* its BTF type (an array of pointers), or 0 */
};

int btf_parse(struct btf *b, const uint8_t *data, uint64_t size, const char *file);
void btf_free(struct btf *b);
const struct btf_type *btf_type(const struct btf *b, uint32_t id);
const char *btf_str(const struct btf *b, uint32_t off);   /* NULL if off is bad */
/* Skip typedef/const/volatile/restrict/type_tag; returns the id underneath. */
uint32_t btf_resolve(const struct btf *b, uint32_t id);
/* Size in bytes of a sized type, or -errno. */
int64_t btf_type_size(const struct btf *b, uint32_t id);
/* The id of the DATASEC type with this name, or 0. */
uint32_t btf_find_datasec(const struct btf *b, const char *name);
/* Fill in what clang leaves for the loader: each DATASEC's size (its ELF
 * section's) and each variable's offset (its symbol's value), sorted by offset. */
void btf_fixup_datasecs(struct btf *b, const struct elf *e);
/* Read the map definition of .maps variable var_id; names the map in errors. */
int btf_map_def(const struct btf *b, uint32_t var_id, const char *file,
		struct btf_map_def *d);
/* The same from the struct type id (an inner map's definition); name for messages. */
int btf_map_def_struct(const struct btf *b, uint32_t id, const char *file, const char *name,
		       struct btf_map_def *d);

int btf_ext_parse(struct btf_ext *x, const uint8_t *data, uint64_t size,
		  const struct btf *b, const char *file);
void btf_ext_free(struct btf_ext *x);
/* The block for a section, or NULL. */
const struct btf_ext_sec *btf_ext_find(const struct btf_ext_sec *s, uint32_t n,
				       const char *sec);

#endif
