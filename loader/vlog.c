/*
 * vlog.c -- reading the verifier's log: its lines, sorted into rows.
 *
 * At log level 2 the verifier prints every instruction it walks, with the state of
 * the registers it touched ("7: (15) if r7 == 0x0 goto pc+7 ; R7=ringbuf_mem(...)"),
 * the state a new path starts from ("from 7 to 15: R0=0 ..."), the paths it cuts
 * short because it proved an equal state before ("15: safe"), and at the end its
 * verdict.  This file splits those lines into rows (struct rbpf_vlog_row) without
 * copying them, keeps the text after the last instruction row as the reason, and
 * hands the rows to vstate.c, which follows the registers along them.  The hints
 * (vhint.c) read the reason and what vstate.c found; the command draws the rows.
 * Lines it does not know (mark_precise: backtracking, "caller:" blocks) are kept
 * as OTHER rows, for the command to show or fold.
 *
 * The reason kept here is every line after the last instruction row: the loader's
 * rule (rbpf_log_reason, load.c) names its last line, but some messages take two
 * ("invalid access to map value, ... off=16" then "R0 min value is outside ..."),
 * and a hint may need both.  All of this sits beside the flow: the loader never
 * calls it; the command and the lessons do.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "vlog.h"

/* The part of the log that explains the verdict: everything after the last
 * instruction line ("N: (xx) ..."), or the whole log when there is none (errors found
 * before the walk, like unreachable code). */
static const char *log_reason(const char *log)
{
	const char *p = log, *after = log;

	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *q = p;

		while (isdigit((unsigned char)*q))
			q++;
		if (q > p && q[0] == ':' && q[1] == ' ' && q[2] == '(')
			after = nl ? nl + 1 : p + strlen(p);
		if (!nl)
			break;
		p = nl + 1;
	}
	return after;
}

/* "12: " at the start of a line: the number and the length of the prefix, or -1. */
static int insn_prefix(const char *s, int *len)
{
	const char *q = s;
	long n;

	while (isdigit((unsigned char)*q))
		q++;
	if (q == s || q - s > 7 || q[0] != ':' || q[1] != ' ')
		return -1;
	n = strtol(s, NULL, 10);
	*len = q + 2 - s;
	return n < (1 << 21) ? (int)n : -1;     /* a program has at most 1M insns */
}

/* Split an INSN line's rest "(bf) r1 = r6      ; R1_w=ctx()" in place. */
static void split_insn(char *rest, struct rbpf_vlog_row *r)
{
	char *semi = strstr(rest, " ; "), *end;

	if (!semi && strlen(rest) >= 2 && !strcmp(rest + strlen(rest) - 2, " ;"))
		semi = rest + strlen(rest) - 2;         /* "; " with nothing after it */

	r->code = (int)strtol(rest + 1, NULL, 16);
	r->text = rest + 5;
	r->state = "";
	if (!semi && (semi = strstr(rest, " goto ")) != NULL) {
		/* level 1 puts a jump's target state on its line: "goto pc+4 13: R0=..." */
		char *sp = strchr(semi + 6, ' ');
		int n = 0;

		if (sp && sscanf(sp + 1, "%*d:%n", &n) >= 0 && n > 0 && sp[1 + n] == ' ') {
			*sp = 0;
			r->state = sp + 1;
		}
		return;
	}
	if (semi) {
		r->state = semi[2] ? semi + 3 : "";
		end = semi;
		while (end > r->text && end[-1] == ' ')
			end--;
		*end = 0;
	}
}

/* Classify one line (NUL-terminated, no newline).  Returns 0 to drop it. */
static int parse_line(char *l, struct rbpf_vlog_row *r, int *in_live)
{
	int len, n;
	unsigned a, b;

	memset(r, 0, sizeof(*r));
	r->insn = -1;
	if (!strcmp(l, "Live regs before insn:")) {
		*in_live = 1;
		return 0;
	}
	if (*in_live && l[0] == ' ')
		return 0;
	*in_live = 0;
	if (!l[0] || l[0] == ';')
		return 0;
	if (sscanf(l, "from %u to %u", &a, &b) == 2 && strstr(l, ": ")) {
		r->kind = RBPF_VLOG_PATH;
		r->from = a;
		r->insn = b;
		r->state = strstr(l, ": ") + 2;
		r->text = l;
		return 1;
	}
	n = insn_prefix(l, &len);
	r->text = l;
	r->state = "";
	if (n < 0) {
		r->kind = RBPF_VLOG_OTHER;
		return 1;
	}
	r->insn = n;
	if (l[len] == '(' && isxdigit((unsigned char)l[len + 1]) &&
	    isxdigit((unsigned char)l[len + 2]) && l[len + 3] == ')' && l[len + 4] == ' ') {
		r->kind = RBPF_VLOG_INSN;
		split_insn(l + len, r);
	} else if (!strcmp(l + len, "safe")) {
		r->kind = RBPF_VLOG_SAFE;
	} else {
		r->kind = RBPF_VLOG_STATE;
		r->state = l + len;
	}
	return 1;
}

int rbpf_vlog_parse(const char *log, struct rbpf_vlog **out)
{
	struct rbpf_vlog *v = calloc(1, sizeof(*v));
	size_t cap = 0;
	int in_live = 0, *visits = NULL, nvisits = 0;
	char *line, *next;

	*out = NULL;
	if (!v || !(v->buf = strdup(log ? log : "")))
		goto nomem;
	v->last_insn = -1;
	for (line = v->buf; line && *line; line = next) {
		struct rbpf_vlog_row r;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (!parse_line(line, &r, &in_live))
			continue;
		if (r.kind == RBPF_VLOG_INSN) {
			if (r.insn >= nvisits) {       /* grow the visit counters */
				int *nv = realloc(visits, (r.insn + 64) * sizeof(int));
				if (!nv)
					goto nomem;
				memset(nv + nvisits, 0, (r.insn + 64 - nvisits) * sizeof(int));
				visits = nv;
				nvisits = r.insn + 64;
			}
			r.visit = ++visits[r.insn];
			v->last_insn = v->n;
		}
		if ((size_t)v->n == cap) {
			struct rbpf_vlog_row *nr = realloc(v->rows, (cap = cap ? 2 * cap : 256) * sizeof(r));
			if (!nr)
				goto nomem;
			v->rows = nr;
		}
		v->rows[v->n++] = r;
	}
	free(visits);
	visits = NULL;
	if (!(v->reason = strdup(log_reason(log ? log : ""))))
		goto nomem;
	rbpf_vlog_track(v);
	*out = v;
	return 0;
nomem:
	free(visits);
	rbpf_vlog_free(v);
	return rbpf_error(ENOMEM, "vlog: no memory to parse a verifier log");
}

void rbpf_vlog_free(struct rbpf_vlog *v)
{
	int i;

	if (!v)
		return;
	for (i = 0; i < v->nnotes; i++)
		free(v->notes[i]);
	free(v->notes);
	free(v->reason);
	free(v->rows);
	free(v->buf);
	free(v);
}
