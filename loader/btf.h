/*
 * btf.h -- the BTF reader's view (loader/btf.c, btf_index.c, btf_ext.c, btf_maps.c).
 * Internal to the loader and its command.
 *
 * A struct btf is one parsed BTF blob: an object's .BTF section (our own copy, which
 * the loader fixes up in place) or the kernel's /sys/kernel/btf/vmlinux (mapped
 * read-only, or read where the kernel does not allow the mapping).  Type ids count
 * from 1; id 0 is void.  btf_type() returns NULL for an id out of range, btf_name()
 * "" for a bad or empty name: callers check ids, never raw offsets.
 *
 * The inline accessors below read the kind-specific records that follow a struct
 * btf_type (uapi linux/btf.h); the parser has checked that they lie in the section.
 */
#ifndef RBPF_BTF_H
#define RBPF_BTF_H

#include <linux/btf.h>
#include <stddef.h>
#include <stdint.h>

#include "elf.h"

/* A name btf_load_only was asked for: its essential part and that part's length.
 * The array and the names' bytes are one allocation (freed by one free()). */
struct btf_want {
	const char *name;
	uint32_t len, head;          /* head: btf_head2(name) */
};

struct btf {
	const uint8_t *data;         /* the whole blob: header, types, strings */
	uint32_t size;
	uint8_t *owned;              /* malloc'd copy (object BTF), freed by btf_free */
	void *map;                   /* or an mmap of the file (kernel BTF), unmapped */
	size_t map_len;
	const uint8_t *tsec;         /* the type section */
	uint32_t tsec_len;
	const char *strs;            /* the string section, NUL-terminated as a whole */
	uint32_t str_len;
	uint32_t *offs;              /* offs[id]: byte offset of type id in tsec (id >= 1) */
	uint32_t ntypes;             /* ids 0..ntypes-1 are valid; 0 is void */
	/* The by-name index (btf_index.c), built on the first lookup: a hash of each
	 * named type's essential name (flavour suffix cut), chained in id order. */
	uint32_t *bucket, *chain;    /* bucket[h] = first id, chain[id] = next id, 0 ends */
	uint32_t nbucket;            /* a power of two; 0 = not built yet */
	struct btf_want *only;       /* btf_load_only: the essential names indexed, */
	uint32_t nonly;              /* each once (NULL when every named type is) */
	uint32_t *picked;            /* btf_load_picking: the ids of the named types */
	uint32_t npicked;            /* whose names start with the wanted two bytes */
	const char *file;            /* for messages (not owned: a literal or the caller's) */
};

/* The first two bytes of a name as a number, and whether a 65536-bit set holds it:
 * the partial index's first filter (a kernel name whose first two bytes start no
 * wanted name is not looked at again). */
static inline uint32_t btf_head2(const char *s)
{ return (uint8_t)s[0] | (s[0] ? (uint32_t)(uint8_t)s[1] << 8 : 0); }
static inline int btf_head_in(const uint8_t *set, const char *s)
{ return set[btf_head2(s) / 8] >> btf_head2(s) % 8 & 1; }

/* ---------------------------------------------------------------- one type record */

static inline uint32_t btf_kind(const struct btf_type *t) { return BTF_INFO_KIND(t->info); }
static inline uint32_t btf_vlen(const struct btf_type *t) { return BTF_INFO_VLEN(t->info); }
static inline int btf_kflag(const struct btf_type *t) { return BTF_INFO_KFLAG(t->info); }

/* INT: its encoding (BTF_INT_SIGNED | _CHAR | _BOOL), bit offset and width. */
static inline uint32_t btf_int_word(const struct btf_type *t) { return *(const uint32_t *)(t + 1); }
static inline uint32_t btf_int_encoding(const struct btf_type *t) { return BTF_INT_ENCODING(btf_int_word(t)); }
static inline uint32_t btf_int_offset(const struct btf_type *t) { return BTF_INT_OFFSET(btf_int_word(t)); }
static inline uint32_t btf_int_bits(const struct btf_type *t) { return BTF_INT_BITS(btf_int_word(t)); }

static inline const struct btf_array *btf_array(const struct btf_type *t)
{ return (const struct btf_array *)(t + 1); }
/* STRUCT/UNION: vlen members. */
static inline const struct btf_member *btf_members(const struct btf_type *t)
{ return (const struct btf_member *)(t + 1); }
/* Member i's offset in bits from the start of the struct.  With kind_flag set the
 * offset word packs (bitfield size << 24 | bit offset); without it, the offset is the
 * whole word and a bitfield's width sits in its INT type. */
static inline uint32_t btf_member_bit_offset(const struct btf_type *t, uint32_t i)
{
	uint32_t o = btf_members(t)[i].offset;
	return btf_kflag(t) ? BTF_MEMBER_BIT_OFFSET(o) : o;
}
/* Member i's width in bits if it is a bitfield declared in the struct (kind_flag),
 * else 0 (an INT member may still be narrower than its size: see btf_int_bits). */
static inline uint32_t btf_member_bitfield_size(const struct btf_type *t, uint32_t i)
{
	return btf_kflag(t) ? BTF_MEMBER_BITFIELD_SIZE(btf_members(t)[i].offset) : 0;
}
/* ENUM (32-bit values, signed when kind_flag) and ENUM64 (lo32/hi32 halves). */
static inline const struct btf_enum *btf_enums(const struct btf_type *t)
{ return (const struct btf_enum *)(t + 1); }
static inline const struct btf_enum64 *btf_enum64s(const struct btf_type *t)
{ return (const struct btf_enum64 *)(t + 1); }
static inline uint64_t btf_enum64_value(const struct btf_enum64 *e)
{ return (uint64_t)e->val_hi32 << 32 | e->val_lo32; }
/* FUNC_PROTO: vlen parameters; t->type is the return type.  A last parameter with
 * name 0 and type 0 marks "...". */
static inline const struct btf_param *btf_params(const struct btf_type *t)
{ return (const struct btf_param *)(t + 1); }
/* VAR: linkage (BTF_VAR_STATIC, _GLOBAL_ALLOCATED, _GLOBAL_EXTERN). */
static inline const struct btf_var *btf_var(const struct btf_type *t)
{ return (const struct btf_var *)(t + 1); }
/* DATASEC: vlen {type (a VAR or FUNC), offset, size}. */
static inline const struct btf_var_secinfo *btf_secinfos(const struct btf_type *t)
{ return (const struct btf_var_secinfo *)(t + 1); }
/* DECL_TAG: component_idx (-1: the type itself, else member/param index). */
static inline const struct btf_decl_tag *btf_decl_tag(const struct btf_type *t)
{ return (const struct btf_decl_tag *)(t + 1); }

/* ------------------------------------------------------------------ btf.c */

/* Parse a BTF blob into b, copying it (the copy may be fixed up in place). */
int btf_parse(struct btf *b, const uint8_t *data, uint64_t size, const char *file);
/* Load a BTF file: raw BTF (like /sys/kernel/btf/vmlinux) or an ELF file with a .BTF
 * section.  Raw files are mapped read-only and private where the kernel allows it
 * (sysfs BTF since 6.16), read otherwise. */
int btf_load_file(struct btf *b, const char *path);
/* The running kernel's BTF (/sys/kernel/btf/vmlinux). */
int btf_load_vmlinux(struct btf *b);
/* Load path (NULL: the kernel's BTF) and, while walking its types, keep in
 * b->picked the ids of the named types whose names' first two bytes are in the
 * 65536-bit set heads (btf_head_in).  btf_load_only is built on it. */
int btf_load_picking(struct btf *b, const char *path, const uint8_t *heads);
void btf_free(struct btf *b);

const struct btf_type *btf_type(const struct btf *b, uint32_t id);
/* Append a type record (struct btf_type and its tail, len bytes) to a BTF we own:
 * its new id, or -errno.  Pointers into the old blob are invalid afterwards. */
int btf_add_type(struct btf *b, const void *rec, uint32_t len);
/* A writable view of a type of a BTF we own (btf_parse); NULL otherwise. */
struct btf_type *btf_type_mut(struct btf *b, uint32_t id);
const char *btf_str(const struct btf *b, uint32_t off);   /* NULL if off is bad */
/* The type's name, "" for an anonymous type, a bad id or a bad offset. */
const char *btf_name(const struct btf *b, uint32_t id);
/* "struct", "union", "int", ... for a kind; "?" for an unknown one. */
const char *btf_kind_str(uint32_t kind);

/* Skip const/volatile/restrict/type_tag (not typedefs); returns the id underneath. */
uint32_t btf_skip_mods(const struct btf *b, uint32_t id);
/* Skip typedefs too. */
uint32_t btf_resolve(const struct btf *b, uint32_t id);
/* Size in bytes of a sized type (through typedefs/modifiers), or -errno. */
int64_t btf_type_size(const struct btf *b, uint32_t id);
/* Alignment in bytes the C compiler gives the type (1 for a packed struct it
 * can detect: a member at an offset its own alignment does not divide), or -errno. */
int64_t btf_type_align(const struct btf *b, uint32_t id);
/* Member i of struct/union t: the resolved byte offset and bit details.
 * bit_off from the start of the struct; bits is the width (0: not a bitfield). */
void btf_member_bits(const struct btf *b, const struct btf_type *t, uint32_t i,
		     uint32_t *bit_off, uint32_t *bits);

/* ------------------------------------------------------------ btf_index.c */

/* Length of name without its flavour: "task_struct___old" -> 11.  The flavour is
 * the part after the last "___" that has a non-'_' on each side. */
size_t btf_essential_len(const char *name);
/* Build the by-name index now (lookups build it anyway); 0 or -ENOMEM. */
int btf_index(struct btf *b);
/* Load path (NULL: the kernel's BTF) and index only the types whose essential name
 * is one of names[0..n) (essential names: "task_struct", not "task_struct___old"):
 * what a loader does when it knows every name it will look up, to skip the
 * kernel's 100,000 others.  A later lookup of another name builds the whole index.
 * 0 or -errno. */
int btf_load_only(struct btf *b, const char *path, const char *const *names, uint32_t n);
/* The first type (lowest id) named exactly name of this kind (kind < 0: any kind),
 * or 0. */
uint32_t btf_find(struct btf *b, const char *name, int kind);
/* Iterate the types whose essential name is name[0..len): pass prev = 0 for the
 * first; returns the next id in increasing order, 0 at the end. */
uint32_t btf_find_next(struct btf *b, const char *name, size_t len, uint32_t prev);
/* The id of the DATASEC type with this name, or 0. */
uint32_t btf_find_datasec(const struct btf *b, const char *name);

/* ------------------------------------------------------------- btf_maps.c */

/* A map as its .maps variable declares it. */
struct btf_map_def {
	uint32_t type, key_size, value_size, max_entries, map_flags, pinning;
	uint64_t map_extra;
	uint32_t key_type, value_type;   /* BTF ids of __type(key/value, T), or 0 */
	int64_t values_off;          /* offset of the `values` array in the variable, or -1 */
	uint32_t values_type;        /* its BTF type (an array of pointers), or 0 */
};

/* Fill in what clang leaves for the loader: each DATASEC's size (its ELF
 * section's) and each variable's offset (its symbol's value), sorted by offset. */
void btf_fixup_datasecs(struct btf *b, const struct elf *e);
/* Read the map definition of .maps variable var_id; names the map in errors. */
int btf_map_def(const struct btf *b, uint32_t var_id, const char *file,
		struct btf_map_def *d);
/* The same from the struct type id (an inner map's definition); name for messages. */
int btf_map_def_struct(const struct btf *b, uint32_t id, const char *file, const char *name,
		       struct btf_map_def *d);

/* -------------------------------------------------------------- btf_ext.c */

/* One .BTF.ext info block: the records for one ELF section. */
struct btf_ext_sec {
	const char *sec;             /* the code section's name */
	const uint8_t *recs;         /* num records of rec_size bytes */
	uint32_t num;
};

/* A CO-RE relocation record (uapi struct bpf_core_relo). */
struct btf_core_rec {
	uint32_t insn_off;           /* byte offset of the instruction in its section */
	uint32_t type_id;            /* the local (object's) type the access starts from */
	uint32_t access_str_off;     /* "0:1:2": see core.c */
	uint32_t kind;               /* enum bpf_core_relo_kind */
};

struct btf_ext {
	uint32_t func_rec, line_rec, core_rec;   /* record sizes */
	struct btf_ext_sec *func, *line, *core;
	uint32_t nfunc, nline, ncore;
	uint32_t core_relos;                /* CO-RE relocation records in all */
	const char *core_sec;               /* the first section that has some */
	uint32_t core_sec_relos;            /* and how many of them are its own */
	char core_what[160];                /* and its first record, in words */
};

int btf_ext_parse(struct btf_ext *x, const uint8_t *data, uint64_t size,
		  const struct btf *b, const char *file);
void btf_ext_free(struct btf_ext *x);
/* The block for a section, or NULL. */
const struct btf_ext_sec *btf_ext_find(const struct btf_ext_sec *s, uint32_t n,
				       const char *sec);
/* Record i of a CO-RE block, copied out (records may be unaligned). */
void btf_ext_core_rec(const struct btf_ext *x, const struct btf_ext_sec *s, uint32_t i,
		      struct btf_core_rec *r);

#endif
