/*
 * fuzz_walk.h -- what the fuzz target and its replay in `make check` do with an
 * object that opened: read every part of it the way rawbpf's verbs would, with no
 * system call.  Each read is one the loader promises is safe on any object it
 * accepted: linked instructions (disassembled, both forms), source lines, map
 * attributes and initial values.  Returns a checksum so no read is optimised away.
 */
#ifndef FUZZ_WALK_H
#define FUZZ_WALK_H

#include <string.h>

#include "rawbpf.h"

/* Every CO-RE relocation resolved against the object's own BTF: the records and the
 * type graph come from the file (access strings, type ids, loops). */
static unsigned long fuzz_walk_core(struct rbpf_prog *p)
{
	struct rbpf_core_row row;
	unsigned long sum = 0;
	uint32_t i;

	for (i = 0; i < rbpf_prog_core_count(p); i++) {
		rbpf_prog_core_row(p, i, RBPF_CORE_SELF, &row);
		sum += row.val + row.orig + strlen(row.what) + strlen(row.why) + row.poison;
	}
	return sum;
}

static unsigned long fuzz_walk_prog(struct rbpf_prog *p)
{
	const struct bpf_insn *insns;
	struct rbpf_line line;
	uint32_t cnt = 0, i;
	unsigned long sum = strlen(rbpf_prog_name(p)) + strlen(rbpf_prog_section(p));
	char buf[256];
	int n;

	sum += strlen(rbpf_prog_attach_target(p) ? rbpf_prog_attach_target(p) : "");
	sum += strlen(rbpf_attach_kind_name(rbpf_prog_attach_kind(p)));
	insns = rbpf_prog_insns(p, &cnt);
	for (i = 0; insns && i < cnt; i += n > 0 ? n : 1) {
		n = rbpf_disasm_insn(&insns[i], cnt - i, buf, sizeof(buf), NULL);
		sum += strlen(buf);
		if (rbpf_disasm_macro(&insns[i], cnt - i, buf, sizeof(buf)) > 0)
			sum += strlen(buf);
		if (rbpf_prog_line(p, i, &line) >= 0)
			sum += strlen(line.file) + strlen(line.text) + line.line + line.col;
	}
	return sum + fuzz_walk_core(p);
}

static unsigned long fuzz_walk(struct rbpf_object *obj)
{
	struct rbpf_prog *p = NULL;
	struct rbpf_map *m = NULL;
	unsigned long sum = strlen(rbpf_object_license(obj)) + rbpf_object_kversion(obj);
	unsigned char *v;
	size_t size, i;

	while ((p = rbpf_object_next_prog(obj, p)))
		sum += fuzz_walk_prog(p);
	while ((m = rbpf_object_next_map(obj, m))) {
		sum += strlen(rbpf_map_name(m)) + rbpf_map_type(m) + rbpf_map_key_size(m) +
		       rbpf_map_value_size(m) + rbpf_map_max_entries(m) + rbpf_map_flags(m);
		/* its head and tail: a .bss may claim gigabytes, calloc'd lazily */
		if ((v = rbpf_map_initial_value(m, &size)))
			for (i = 0; i < size; i += i == 4096 && size > 8192 ? size - 8192 : 1)
				sum += v[i];
	}
	return sum;
}

#endif
