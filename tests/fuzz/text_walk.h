/*
 * text_walk.h -- what text_fuzz.c does with its input, shared with the replay of
 * tests/fuzz/text-regress/ in `make check` (tests/hardening.c).  The first byte
 * picks the reader: 0 verifier log, 1 trace_pipe line, 2 instructions (mod 3).
 */
#ifndef TEXT_WALK_H
#define TEXT_WALK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"

static volatile unsigned long text_sink;   /* so no read is optimised away */

static void text_vlog(const char *s)
{
	struct rbpf_vlog *v;
	const struct rbpf_hint *h;
	int i;

	if (rbpf_vlog_parse(s, &v) < 0)
		return;
	for (i = 0; i < v->n; i++)
		text_sink += v->rows[i].kind + v->rows[i].insn + v->rows[i].from + v->rows[i].code +
			v->rows[i].visit + strlen(v->rows[i].text) + strlen(v->rows[i].state);
	if (v->last_insn >= 0)
		text_sink += v->rows[v->last_insn].insn;
	rbpf_vlog_free(v);
	if ((h = rbpf_verifier_hint(s)))
		text_sink += strlen(h->hint);
}

static void text_trace(const char *s)
{
	struct rbpf_trace_line l;

	rbpf_trace_parse(s, &l);
	text_sink += l.pid + l.cpu + (l.ts > 1.0) + strlen(l.msg) + strlen(l.task);
}

static void text_disasm(const uint8_t *data, size_t size)
{
	size_t n = size / sizeof(struct bpf_insn), i;
	struct bpf_insn *insns = malloc(n ? n * sizeof(*insns) : 1);
	char buf[256];
	int r;

	memcpy(insns, data, n * sizeof(*insns));   /* aligned, as a loader holds them */
	for (i = 0; i < n; i += r > 0 ? r : 1) {
		r = rbpf_disasm_insn(&insns[i], n - i, buf, sizeof(buf), NULL);
		text_sink += strlen(buf);
		if (rbpf_disasm_macro(&insns[i], n - i, buf, sizeof(buf)) > 0)
			text_sink += strlen(buf);
	}
	free(insns);
}

static void text_walk(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return;
	if (data[0] % 3 == 2) {
		text_disasm(data + 1, size - 1);
		return;
	}
	s = malloc(size);                     /* the rest, NUL-terminated */
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	if (data[0] % 3 == 0)
		text_vlog(s);
	else
		text_trace(s);
	free(s);
}

#endif
