/*
 * vstate.c -- following the registers through a parsed verifier log.
 *
 * The kernel logs, after each instruction, the registers it touched, and little
 * else.  Some facts a reader needs are never printed at the instruction where they
 * happen: when bpf_ringbuf_submit() gives a record back, every register that
 * pointed into it dies at once (the verifier turns them into plain numbers), but
 * the call's row shows nothing, and the learner first meets the dead register rows
 * later, in a message about a 'scalar'.  Packet pointers die the same way at a call
 * that may move the packet (bpf_xdp_adjust_head()).
 *
 * So this file walks the rows as the verifier walked them and keeps, per register:
 * its last printed state, where its value came from (which helper returned it, or
 * a read from the context), whether it is initialised, and whether a call killed
 * it.  Conditional jumps save a copy that the "from A to B" row of the other path
 * restores; BPF-to-BPF calls push the caller's registers and exit pops them.  The
 * results are a note on each killing call row ("R1 R7 released ...") and, for the
 * failing instruction, the facts about the register the message names
 * (struct rbpf_vlog_fail), on which the hints (vhint.c) depend.  Where the walk
 * cannot be followed (a snapshot lost, an unknown shape) the facts stay empty, and
 * a hint that needs them is not given.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "vlog.h"

enum { NREG = 11, SNAP_MAX = 4096, FRAMES = 9 };

struct reg {
	const char *st;           /* the value of its last "Rn=" token (not NUL-ended) */
	int len;                  /* its length; 0: no state seen */
	int init;                 /* written (or set up by the kernel) on this path */
	int killed_at;            /* insn of the call that killed it, or -1 */
	int pkt;                  /* killed as a packet pointer */
	char killed_by[48];
	char origin[48];          /* helper name, "ctx", or "" */
};

struct regs {
	struct reg r[NREG];
	int insn;                 /* snapshots: the jump that saved them */
	int depth;                /* snapshots: the call depth there */
};

struct track {
	struct regs now;
	struct regs *snaps;       /* saved at conditional jumps: a ring, newest last */
	int first, nsnaps, cap;   /* cap grows to SNAP_MAX */
	struct regs frames[FRAMES]; /* callers' registers at BPF-to-BPF calls */
	int depth;
	int lost;                 /* a snapshot or a frame was not found */
};

/* Calls that give back the reference held in r1. */
static const char *const releasers[] = {
	"bpf_ringbuf_submit", "bpf_ringbuf_discard", "bpf_sk_release", "bpf_task_release",
	"bpf_cgroup_release", "bpf_obj_drop", "bpf_percpu_obj_drop", "bpf_cpumask_release",
	"bpf_put_file", "bpf_key_put", "bpf_ct_release", "bpf_kptr_xchg_release",
};
/* Calls after which every packet pointer is invalid (the packet may move). */
static const char *const pkt_movers[] = {
	"bpf_xdp_adjust_", "bpf_skb_change_", "bpf_skb_pull_data", "bpf_skb_store_bytes",
	"bpf_skb_adjust_room", "bpf_skb_vlan_", "bpf_l3_csum_replace", "bpf_l4_csum_replace",
	"bpf_clone_redirect", "bpf_lwt_", "bpf_msg_pull_data", "bpf_msg_push_data",
	"bpf_msg_pop_data", "bpf_skb_ecn_set_ce",
};

static int starts_any(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strncmp(s, list[i], strlen(list[i])))
			return 1;
	return 0;
}

static void reg_clear(struct reg *r)
{
	memset(r, 0, sizeof(*r));
	r->killed_at = -1;
}

/* Does the state "ringbuf_mem(ref_obj_id=2,sz=8)" hold "key=VAL" exactly? */
static int state_has(const struct reg *r, const char *key, const char *val, size_t vlen)
{
	size_t k = strlen(key);
	int i;

	for (i = 0; i + (int)(k + vlen) <= r->len; i++)
		if (!strncmp(r->st + i, key, k) && !strncmp(r->st + i + k, val, vlen) &&
		    (i + (int)(k + vlen) == r->len || !isdigit((unsigned char)r->st[i + k + vlen])))
			return 1;
	return 0;
}

/* Read the "Rn=..." tokens of a state line into the registers (top-level spaces
 * separate tokens; "var_off=(0x0; 0xff)" has one inside parentheses). */
static void overlay(struct regs *g, const char *s, int full)
{
	int seen[NREG] = { 0 }, i;

	if (full && strstr(s, "frame"))  /* several frames in one line: no clearing */
		full = 0;
	while (s && *s) {
		const char *t = s, *e;
		int depth = 0, n;

		while (*t == ' ')
			t++;
		for (e = t; *e && (depth || *e != ' '); e++)
			depth += *e == '(' ? 1 : *e == ')' ? -1 : 0;
		if (t[0] == 'R' && isdigit((unsigned char)t[1])) {
			const char *q = t + 1, *eq;

			n = (int)strtol(q, NULL, 10);
			eq = memchr(t, '=', e - t);
			if (n >= 0 && n < NREG && eq) {
				g->r[n].st = eq + 1;
				g->r[n].len = e - eq - 1;
				g->r[n].init = 1;
				seen[n] = 1;
			}
		}
		s = *e ? e + 1 : e;
	}
	if (full)               /* a path's state lists every live register */
		for (i = 0; i < NREG; i++)
			if (!seen[i])
				reg_clear(&g->r[i]);
}

static char *add_note(struct rbpf_vlog *v, struct rbpf_vlog_row *row, const char *text)
{
	char **nn = realloc(v->notes, (v->nnotes + 1) * sizeof(*nn));
	char *s = strdup(text);

	if (!nn || !s) {
		free(s);
		if (nn)
			v->notes = nn;
		return NULL;
	}
	v->notes = nn;
	v->notes[v->nnotes++] = s;
	row->note = s;
	return s;
}

/* A call to NAME at instruction insn: kill what it releases or invalidates. */
static void kill_by_call(struct rbpf_vlog *v, struct rbpf_vlog_row *row, struct regs *g,
			 const char *name)
{
	const struct reg *r1 = &g->r[1];
	const char *ref = NULL;
	char note[320], what[200] = "";
	int i, n = 0, pkt = starts_any(name, pkt_movers, sizeof(pkt_movers) / sizeof(*pkt_movers));
	size_t rlen = 0;

	if (starts_any(name, releasers, sizeof(releasers) / sizeof(*releasers)) && r1->len) {
		const char *p = memmem(r1->st, r1->len, "ref_obj_id=", 11);

		if (p) {
			ref = p + 11;
			rlen = strspn(ref, "0123456789");
			snprintf(what, sizeof(what), "%.*s", r1->len, r1->st);
		}
	}
	if (!ref && !pkt)
		return;
	snprintf(note, sizeof(note), "%s", "");
	for (i = 0; i < NREG; i++) {
		struct reg *r = &g->r[i];
		int hit = ref ? state_has(r, "ref_obj_id=", ref, rlen) :
			  r->len >= 3 && !strncmp(r->st, "pkt", 3);

		/* r0 and r2-r5 get the call's result and garbage anyway: name the
		 * argument and the callee-saved registers that still look alive */
		if (!hit || i == 10 || i == 0 || (i >= 2 && i <= 5))
			continue;
		if (pkt && !*what)
			snprintf(what, sizeof(what), "%.*s", r->len, r->st);
		r->killed_at = row->insn;
		r->pkt = !ref;
		snprintf(r->killed_by, sizeof(r->killed_by), "%s", name);
		snprintf(note + strlen(note), sizeof(note) - strlen(note), "%sR%d", n++ ? " " : "", i);
	}
	if (!n)
		return;
	snprintf(note + strlen(note), sizeof(note) - strlen(note), ref ?
		 " released (%s): dead from here" : " invalid from here (were %s): the packet may move",
		 what);
	add_note(v, row, note);
}

/* The destination of "r7 = r0", "w1 += 3", "r1 = *(u32 *)(r6 +16)": reg or -1,
 * *src the source register of a plain copy or a load, *mov 1 for "=". */
static int dest_of(const char *t, int *src, int *mov)
{
	int d, n = 0;
	char op[4];

	*src = -1;
	*mov = 0;
	if ((t[0] != 'r' && t[0] != 'w') || sscanf(t + 1, "%d %3s %n", &d, op, &n) < 2 || !n)
		return -1;
	if (d < 0 || d >= NREG || op[strlen(op) - 1] != '=' || !strcmp(op, "=="))
		return -1;
	*mov = !strcmp(op, "=");
	t += 1 + n;                    /* the source side ("%n" counted from t + 1) */
	n = 0;
	if ((t[n] == 'r' || t[n] == 'w') && isdigit((unsigned char)t[n + 1]))
		*src = (int)strtol(t + n + 1, NULL, 10);
	else if (!strncmp(t + n, "*(", 2) && strstr(t + n, "(r"))
		*src = (int)strtol(strstr(t + n, "(r") + 2, NULL, 10);
	if (*src >= NREG)
		*src = -1;
	return d;
}

/* The snapshots are a ring that grows to SNAP_MAX: then the oldest is forgotten
 * (a jump whose other branch the verifier never took leaves one behind). */
static struct regs *snap_at(struct track *k, int i)
{
	return &k->snaps[(k->first + i) % k->cap];
}

static void push_snap(struct track *k, int insn)
{
	struct regs *s;

	if (k->nsnaps == k->cap && k->cap < SNAP_MAX) {
		int cap = k->cap ? 2 * k->cap : 64, i;
		struct regs *n = malloc(cap * sizeof(*n));

		if (n) {
			for (i = 0; i < k->nsnaps; i++)
				n[i] = *snap_at(k, i);
			free(k->snaps);
			k->snaps = n;
			k->first = 0;
			k->cap = cap;
		}
	}
	if (!k->cap) {
		k->lost = 1;
		return;
	}
	if (k->nsnaps == k->cap) {
		k->first = (k->first + 1) % k->cap;
		k->nsnaps--;
	}
	s = snap_at(k, k->nsnaps++);
	*s = k->now;
	s->depth = k->depth;
	s->insn = insn;
}

/* "from A to B": the newest snapshot taken at A, taken out of the ring. */
static void pop_snap(struct track *k, int from)
{
	int i;

	for (i = k->nsnaps - 1; i >= 0; i--)
		if (snap_at(k, i)->insn == from)
			break;
	if (i < 0) {
		k->lost = 1;
		return;
	}
	k->now = *snap_at(k, i);
	k->depth = k->now.depth;
	for (; i + 1 < k->nsnaps; i++)           /* usually the newest: nothing to move */
		*snap_at(k, i) = *snap_at(k, i + 1);
	k->nsnaps--;
	k->lost = 0;
}

/* One instruction row: what it does to the registers, then the state it printed. */
static void step(struct rbpf_vlog *v, struct track *k, struct rbpf_vlog_row *row)
{
	struct regs *g = &k->now;
	int cls = row->code & 7, op = row->code & 0xf0, d, src, mov, i;

	if ((cls == BPF_JMP || cls == BPF_JMP32) && op == BPF_CALL) {
		const char *name = row->text + 5;                  /* "call " */

		if (!strncmp(name, "pc", 2)) {                     /* BPF-to-BPF */
			if (k->depth < FRAMES) {
				k->frames[k->depth++] = *g;
				for (i = 6; i < NREG; i++)
					reg_clear(&g->r[i]);
				g->r[10].init = 1;
			} else {
				k->lost = 1;
			}
			return;
		}
		kill_by_call(v, row, g, name);
		for (i = 1; i <= 5; i++)
			reg_clear(&g->r[i]);
		reg_clear(&g->r[0]);
		g->r[0].init = 1;
		snprintf(g->r[0].origin, sizeof(g->r[0].origin), "%.*s",
			 (int)strcspn(name, "#"), name);
	} else if (cls == BPF_JMP && op == BPF_EXIT && k->depth > 0) {
		struct reg r0 = g->r[0];

		*g = k->frames[--k->depth];
		for (i = 1; i <= 5; i++)
			reg_clear(&g->r[i]);
		g->r[0] = r0;
	} else if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_JA && op != BPF_EXIT) {
		push_snap(k, row->insn);
	} else if ((d = dest_of(row->text, &src, &mov)) >= 0 && cls != BPF_ST && cls != BPF_STX) {
		struct reg *r = &g->r[d];

		if (cls == BPF_LDX) {
			const struct reg *s = src >= 0 ? &g->r[src] : NULL;
			int ctx = s && s->len >= 3 && !strncmp(s->st, "ctx", 3);

			reg_clear(r);
			snprintf(r->origin, sizeof(r->origin), "%s", ctx ? "ctx" : "");
		} else if (mov && src >= 0) {
			*r = g->r[src];
		} else if (mov) {
			reg_clear(r);
		}
		r->init = 1;
	}
	overlay(g, row->state, 0);
}

/* The facts about the register the message names, before the failing insn. */
static void fail_facts(struct rbpf_vlog *v, const struct track *k, const struct rbpf_vlog_row *row)
{
	struct rbpf_vlog_fail *f = &v->fail;
	const char *m = v->reason;
	const struct reg *r;
	int cls = row->code & 7;

	f->store = cls == BPF_ST || cls == BPF_STX;
	f->load = cls == BPF_LDX;
	f->exit = cls == BPF_JMP && (row->code & 0xf0) == BPF_EXIT;
	while (*m == '\n')
		m++;
	if (m[0] != 'R' || !isdigit((unsigned char)m[1]) || k->lost)
		return;
	f->reg = (int)strtol(m + 1, NULL, 10);
	if (f->reg < 0 || f->reg >= NREG) {
		f->reg = -1;
		return;
	}
	r = &k->now.r[f->reg];
	snprintf(f->state, sizeof(f->state), "%.*s", r->len, r->st ? r->st : "");
	snprintf(f->origin, sizeof(f->origin), "%s", r->origin);
	f->killed_at = r->killed_at;
	f->pkt_moved = r->pkt;
	snprintf(f->killed_by, sizeof(f->killed_by), "%s", r->killed_by);
	f->callee_arg = k->depth > 0 && f->reg >= 1 && f->reg <= 5 && !r->init;
}

void rbpf_vlog_track(struct rbpf_vlog *v)
{
	struct track *k = calloc(1, sizeof(*k));
	int i;

	memset(&v->fail, 0, sizeof(v->fail));
	v->fail.reg = -1;
	v->fail.killed_at = -1;
	if (!k)
		return;
	for (i = 0; i < NREG; i++)
		reg_clear(&k->now.r[i]);
	k->now.r[1].init = k->now.r[10].init = 1;       /* ctx and the frame pointer */
	for (i = 0; i < v->n; i++) {
		struct rbpf_vlog_row *row = &v->rows[i];

		if (row->kind == RBPF_VLOG_PATH) {
			pop_snap(k, row->from);
			overlay(&k->now, row->state, 1);
		} else if (row->kind == RBPF_VLOG_STATE) {
			overlay(&k->now, row->state, 0);
		} else if (row->kind == RBPF_VLOG_INSN) {
			if (i == v->last_insn)
				fail_facts(v, k, row);
			step(v, k, row);
		}
	}
	free(k->snaps);
	free(k);
}
