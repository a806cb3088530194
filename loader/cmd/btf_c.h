/*
 * cmd/btf_c.h -- a BTF written out as a C header (loader/cmd/btf_c.c, the order;
 * btf_c_decl.c, each declaration; used by `rawbpf btf --c`).
 */
#ifndef CMD_BTF_C_H
#define CMD_BTF_C_H

#include <stdint.h>
#include <stdio.h>

struct btf;
struct btf_type;

/* Every struct, union, enum and typedef of b as C declarations that clang compiles,
 * each type after what it needs, wrapped in the __VMLINUX_H__ guard and clang's
 * preserve_access_index pragma.  0, or -errno with a message kept. */
int btf_c_write(FILE *f, struct btf *b);

/* ------------------------------------------- shared by btf_c.c and btf_c_decl.c */

#define BUSY 1          /* being written: its members are being asked for */
#define DECLARED 2      /* `struct foo;` or the definition is out */
#define DEFINED 4       /* the definition (or typedef) is out */
#define MAX_DEPTH 2000  /* nesting of needs; deeper is a loop in a malformed BTF */
#define MAX_NEST 64     /* declarations inside declarations (parameters, inline bodies) */

enum { WEAK, STRONG, PARAM };   /* what need() must make of a type (see there) */

/* A growing string: declarations are built before they are written. */
struct sb {
	char *p;
	size_t n, cap;
};

/* Names used so far in one namespace, and how many times (open addressing). */
struct names {
	const char **key;
	uint32_t *count;
	uint32_t cap, used;
};

struct cw {
	FILE *f;
	struct btf *b;
	uint8_t *state;              /* per id: BUSY | DECLARED | DEFINED */
	uint8_t *align;              /* per id: C alignment in bytes, 0 = not yet known */
	uint8_t *packed;             /* per id: 1 packed, 2 not, 0 = not yet known */
	uint32_t *refs;              /* per id: how many types refer to it */
	char **name;                 /* per id: the name written, once chosen */
	struct names tags, idents;
	int depth;                   /* declarations being built inside each other */
	int err;
};

void cw_printf(struct cw *w, struct sb *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cw_indent(struct cw *w, struct sb *s, int n);
/* name, or name___N for its Nth use in the namespace (malloc'd; NULL: no memory). */
char *cw_unique(struct cw *w, struct names *ns, const char *name);
/* The name written for a type (tags and typedefs made unique on first use). */
const char *cw_type_name(struct cw *w, uint32_t id);
/* A typedef of the compiler's own (__builtin_va_list), written as what it means. */
int cw_is_builtin(struct cw *w, uint32_t id);
/* "struct foo", "int", or an anonymous type's whole body, after quals. */
void cw_base(struct cw *w, struct sb *s, uint32_t id, const char *quals, int indent);
/* "TYPE NAME" for a member, a typedef or a parameter (name "" for the type alone). */
void cw_decl(struct cw *w, struct sb *s, uint32_t id, const char *name, int indent);
/* { ... } of a struct/union (with layout filling) or of an enum. */
void cw_struct_body(struct cw *w, struct sb *s, uint32_t id, int indent);
void cw_enum_body(struct cw *w, struct sb *s, const struct btf_type *t, int indent);
/* Either, for an anonymous type written inline (guarded against itself). */
void cw_body(struct cw *w, struct sb *s, uint32_t id, int indent);

#endif
