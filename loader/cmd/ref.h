/*
 * cmd/ref.h -- naming one kernel object on the rawbpf command line: `ID` or
 * `pinned PATH` (loader/cmd/ref.c; used by prog.c and map.c), and the
 * names of program and map types, as bpftool prints them (also load.c).
 */
#ifndef CMD_REF_H
#define CMD_REF_H

#include <stdint.h>

enum ref_kind { REF_PROG, REF_MAP };

struct obj_ref {
	uint32_t id;            /* when path is NULL */
	const char *path;       /* `pinned PATH`: a file in a bpffs */
};

/* Parse `ID` or `pinned PATH` at argv[0..argc): the number of arguments used (1 or
 * 2), or 0 when they are neither (a usage error). */
int ref_parse(int argc, char **argv, struct obj_ref *ref);

/* An fd for the object: BPF_*_GET_FD_BY_ID, or BPF_OBJ_GET on the pin after checking
 * that the path is in a bpffs and that the pin holds a `kind`.  fd or -errno, with a
 * message naming the id or path. */
int ref_open(const struct obj_ref *ref, enum ref_kind kind);

/* After ref_open failed: print its message; a pin that is not one (or holds the
 * wrong kind) is a naming mistake, so the usage follows and the status is 2; an id
 * that is gone (the object was freed) is a failure, status 1. */
int ref_fail(const struct obj_ref *ref, int (*usage)(void));

/* "id 42" or "/sys/fs/bpf/x", for messages (a static buffer). */
const char *ref_name(const struct obj_ref *ref);

/* "socket_filter", "hash", ...; "typeN" (written into buf) for a type these tables
 * do not know yet. */
const char *prog_type_name(uint32_t t, char *buf, size_t n);
const char *map_type_name(uint32_t t, char *buf, size_t n);

#endif
