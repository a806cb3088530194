/*
 * cmd/map.h -- what map.c (list, show, dump) and map_elem.c (lookup, update, delete,
 * getnext) share: the map named on the command line, the sizes user space sees, and
 * how an entry is printed.
 */
#ifndef CMD_MAP_H
#define CMD_MAP_H

#include <linux/bpf.h>
#include <stdint.h>

#include "../btf.h"
#include "ref.h"

struct entries {
	uint32_t key_size, value_size;   /* value_size: the user-space size (per-CPU: all) */
	uint32_t ncpus, cpu_size;        /* per-CPU maps: CPUs and bytes per CPU; else 0 */
	uint32_t cpu_value;              /* per-CPU maps: the value's own size (no padding) */
	struct btf btf;                  /* the map's BTF (ntypes 0: none, or --hex) */
	uint32_t key_type, value_type;   /* their BTF ids, 0 for none */
};

int map_usage(void);
/* An fd and the info for the map named on the command line; fd, or -(exit status)
 * with the message printed. */
int map_open(const struct obj_ref *ref, struct bpf_map_info *info);
/* The sizes user space sees for this map; 0 or -errno.  Zeroes e first. */
int map_entries_for(const struct bpf_map_info *info, struct entries *e);
/* Then the map's BTF, unless hex (btf_free(&e->btf) when done). */
void map_entries_btf(const struct bpf_map_info *info, struct entries *e, int hex);
void map_print_hex(const uint8_t *b, uint32_t n);
void map_print_typed(const struct entries *e, uint32_t type, const uint8_t *b, uint32_t n);
/* "key: K  value: V", or per CPU one "  value (CPU NN): V" line each. */
void map_print_entry(const struct entries *e, const uint8_t *key, const uint8_t *val);
/* The element verbs (map_elem.c). */
int map_elem_cmd(int argc, char **argv);

#endif
