/*
 * cmd/value.h -- bytes printed as their BTF type says (loader/cmd/value.c; used by
 * map.c for keys and values and run.c for --record).
 */
#ifndef CMD_VALUE_H
#define CMD_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct btf;

/* Print the n bytes at data as type id of b, on one line without a newline:
 * 42, "bash", {.pid = 1, .comm = "sh"}.  Returns 0, or -1 (nothing printed) when the
 * type has no size or is larger than the bytes: the caller prints hex. */
int value_print(FILE *f, const struct btf *b, uint32_t id, const void *data, size_t n);

/* The kernel's copy of BTF object id (a map's info.btf_id), parsed into b (the
 * caller btf_free()s it).  0 or -errno (no message: the caller falls back to hex). */
int value_btf_by_id(uint32_t id, struct btf *b);

/* The id of a type named on the command line: "struct event", "union u",
 * "enum e", or a typedef or base type's name ("u64", "event_t"); 0 if b has none. */
uint32_t value_find_type(struct btf *b, const char *name);

#endif
