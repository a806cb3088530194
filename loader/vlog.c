/*
 * vlog.c -- reading the verifier's log: what it said, and what that usually means.
 *
 * The verifier explains a rejection in one line near the end of its log ("R0
 * invalid mem access 'map_value_or_null'").  The words are precise but terse, and
 * they change a little from kernel to kernel, so the hints below are keyed by
 * substrings that have stayed stable from 5.15 to 6.18.  The first entry whose
 * substring occurs in the log's reason wins: specific entries come before general
 * ones ("R0 !read_ok" before "!read_ok").  asm/verifier_cases.h holds one program per
 * hint that makes the kernel say it; tests/verify_cases.c loads each and checks.
 *
 * The reason is found by the loader's one rule (rbpf_log_reason, load.c).  The hints
 * live here, beside the flow, and the flow never calls them: a load's message says
 * what the verifier said, and whoever prints it -- the rawbpf command, a lesson --
 * adds the hint.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"

static const struct rbpf_hint hints[] = {
	{ "'map_value_or_null'",
	  "the pointer from bpf_map_lookup_elem() may be NULL: test it (if (!p) return 0;) before using it" },
	{ "_or_null'",
	  "the pointer may be NULL: test it against 0 before reading or writing through it" },
	{ "invalid mem access 'scalar'",
	  "a plain number is used as a pointer: only pointers the verifier handed you (ctx, stack, map values, packet) may be dereferenced" },
	{ "type=ctx expected=",
	  "the context pointer (the program's argument) went where the helper wants memory it can read: pass a pointer to a stack variable or a map value" },
	{ " expected=",
	  "a helper got the wrong kind of argument: the message names the register, what it held (type=) and what the helper accepts (expected=)" },
	{ "R0 !read_ok",
	  "the program exits without a return value: set r0 (return something) on every path" },
	{ "!read_ok",
	  "a register is read before anything was written to it; remember a call wipes r1-r5" },
	{ "invalid read from stack",
	  "stack memory is read before it was written: initialise the variable (= {} or __builtin_memset) first" },
	{ "invalid indirect read from stack",
	  "a helper reads stack memory that was never written: initialise the whole variable you pass (= {})" },
	{ "invalid write to stack",
	  "the stack is 512 bytes per function: the offset from r10 must lie within -512..-1" },
	{ "unbounded min value",
	  "an index that may be negative was added to a pointer: check both ends (if (i < 0 || i >= N) return 0;) first" },
	{ "unbounded memory access",
	  "the offset has no upper bound: compare it with the size (if (i >= N) return 0;) before the access" },
	{ "invalid access to packet",
	  "packet bytes read without a bounds check: test data + offset + size <= data_end first" },
	{ "offset is outside of the packet",
	  "packet bytes read without a bounds check: test data + offset + size <= data_end first" },
	{ "infinite loop detected",
	  "the loop comes back to the same state: something must change (a counter) and end it" },
	{ "is too complex",             /* "The sequence of 8193 jumps is too complex." */
	  "too many branches are waiting to be checked (a loop with a condition inside): bound the loop tighter, or use bpf_loop()" },
	{ "BPF program is too large",
	  "the verifier walked a million instructions: bound loops tightly, use bpf_loop(), or split with tail calls" },
	{ "unreachable insn",
	  "no path reaches this instruction: a jump offset is wrong, or dead code was left in" },
	{ "jump out of range",
	  "a jump lands outside the program: offsets count from the next instruction" },
	{ "combined stack size",
	  "a chain of calls uses more than 512 bytes of stack in total: shrink the locals or use a per-CPU array map as scratch" },
	{ "GPL-restricted",
	  "this helper is GPL-only: declare char LICENSE[] SEC(\"license\") = \"GPL\";" },
	{ "invalid func unknown#",
	  "this kernel has no helper with that number: it is newer than the kernel, or a typo" },
	{ "unknown func",
	  "this program type may not call that helper: choose another helper or another program type" },
	{ "cannot use helper",
	  "this program type may not call that helper: choose another helper or another program type" },
	{ "Unreleased reference",       /* up to 6.12 */
	  "something acquired (ring buffer reserve, socket lookup) is not released on every path: submit/discard/release it before exit" },
	{ "reference leak",             /* 6.13+: "... would lead to reference leak" */
	  "something acquired (ring buffer reserve, socket lookup) is not released on every path: submit/discard/release it before exit" },
};

const struct rbpf_hint *rbpf_verifier_hint(const char *log)
{
	char reason[1024];
	size_t i;

	if (!log || !rbpf_log_reason(log, reason, sizeof(reason)))
		return NULL;
	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strstr(reason, hints[i].match))
			return &hints[i];
	return NULL;
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
	*out = v;
	return 0;
nomem:
	free(visits);
	rbpf_vlog_free(v);
	return rbpf_error(ENOMEM, "vlog: no memory to parse a verifier log");
}

void rbpf_vlog_free(struct rbpf_vlog *v)
{
	if (!v)
		return;
	free(v->rows);
	free(v->buf);
	free(v);
}

const struct rbpf_hint *rbpf_verifier_hints(size_t *count)
{
	*count = sizeof(hints) / sizeof(hints[0]);
	return hints;
}
