/*
 * sec_table.h -- the section-name table (loader/object_sec.c).  Internal to the loader.
 */
#ifndef RBPF_SEC_TABLE_H
#define RBPF_SEC_TABLE_H

#include <stdint.h>

#include "rawbpf.h"

struct sec_row {
	const char *name;                /* "kprobe", "cgroup_skb/ingress" */
	int plus;                        /* 1: also "name/TARGET"; 0: exactly name */
	enum bpf_prog_type type;
	enum bpf_attach_type expected;   /* BPF_PROG_LOAD's expected_attach_type */
	uint32_t flags;                  /* prog_flags: BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS */
	enum rbpf_attach_kind kind;
	const char *btf_fmt;             /* attach_btf_id: the vmlinux object named
					  * printf(btf_fmt, target), or NULL */
	int btf_kind;                    /* ... of this BTF kind (FUNC, TYPEDEF) */
	const char *refuse;              /* known but not supported: why, or NULL */
};

/* The row for section name sec and its target (what follows "name/"), or NULL. */
const struct sec_row *sec_find(const char *sec, const char **target);
/* -EINVAL: "object OBJ: section 'SEC': unknown ...; known: <every name>". */
int sec_unknown(const char *obj, const char *sec);
/* The vmlinux BTF id a program of this row and target is loaded with: > 0, 0 when
 * the row needs none, or -errno with a message. */
int sec_attach_btf_id(const struct sec_row *r, const char *target);

#endif
