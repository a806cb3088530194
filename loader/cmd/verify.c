/*
 * cmd/verify.c -- `rawbpf verify OBJ [PROG] [--level 1|2] [--stats] [--raw] [--all]
 * [--html FILE]`: what the verifier thought, instruction by instruction, beside the
 * C it came from.
 *
 * Each program of the object (or the one named) is loaded with a verifier log.  The
 * log is parsed (loader/vlog.c, which also follows the registers: vstate.c) and
 * drawn as one row per instruction the verifier walked, in the order it walked them:
 *
 *   ! source line (from .BTF.ext)  | index: instruction        | state after it
 *
 * The mark column says `*` when the verifier walks an instruction again (a loop,
 * or a second path through it), `>` on the instruction that failed.  A path the
 * verifier turns to is announced by a `from 4 to 9` row with the state it starts
 * from; `safe` rows are paths cut short because they match a state already proven;
 * BPF-to-BPF calls show the callee's state on entry and the caller's on return.
 * What the kernel does not print but a reader needs is added to the state column
 * after "<<": registers a call released or invalidated.  On a rejection the
 * kernel's message follows verbatim, then a hint (vhint.c) when one is sure to fit.
 *
 * Long logs are folded (loader/vfold.c): the repeated rounds of a loop become one
 * row saying how many and what changed, and a view still too long loses its middle;
 * log lines the table has no column for (mark_precise: ...) are counted after it.
 * --all shows every row and those lines.  --html FILE writes the page of
 * verify_html.c as well.  A combined-stack rejection marks the call that took the
 * stack past 512 bytes (loader/vstack.c), not the last row walked.
 *
 * The instruction text is our disassembly (tests check that it equals the kernel's)
 * with maps by name.  The source and instruction columns have fixed widths (a cut
 * cell ends in `~`); on a terminal the state column is cut to fit its width, and
 * there is colour unless NO_COLOR is set; piped, the state is whole and plain.
 * Exit status: 0 every program accepted, 1 one was rejected, 2 could not run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "rawbpf.h"
#include "cmd.h"
#include "verify.h"

#define SRC_W 34          /* source column */
#define INSN_W 40         /* instruction column, with its index */
#define VIEW_ROWS 1800    /* the folded view's rows, at most (about) */

struct view {
	int width;            /* terminal columns, 0: no limit */
	int color;
	int stats;            /* print the statistics lines (--stats) */
	int all;              /* no folds; the unparsed lines in full (--all) */
	const char *c_src, *c_mark, *c_fail, *c_path, *c_hint, *c_off;
};

/* Print s in a cell of w columns (w 0: as is): padded, or cut with a '~'. */
static void cell(const char *s, int w, int pad)
{
	int n = strlen(s);

	if (w <= 0)
		printf("%s", s);
	else if (n > w)
		printf("%.*s~", w - 1, s);
	else
		printf("%s%*s", s, pad ? w - n : 0, "");
}

static void row(const struct view *v, const char *mark, const char *mcolor, const char *src,
		const char *insn, const char *icolor, const char *state)
{
	int state_w = v->width ? v->width - 2 - SRC_W - 3 - INSN_W - 3 : 0;

	printf("%s%-2s%s", mcolor, mark, v->c_off);
	printf("%s", v->c_src);
	cell(src, SRC_W, 1);
	printf("%s | %s", v->c_off, icolor);
	cell(insn, INSN_W, 1);
	printf("%s | ", v->c_off);
	cell(state, v->width ? (state_w > 10 ? state_w : 10) : 0, 0);
	printf("\n");
}

/* The source text for an instruction when it starts a new line record, else "". */
static const char *source_for(const struct rbpf_prog *p, int insn, uint32_t *last_line)
{
	static char buf[512];
	struct rbpf_line l;

	if (insn < 0 || rbpf_prog_line(p, insn, &l) < 0 || !l.line || l.line == *last_line)
		return "";
	*last_line = l.line;
	snprintf(buf, sizeof(buf), "%u: %s", l.line, l.text + strspn(l.text, " \t"));
	return buf;
}

static int is_stats_line(const char *s)
{
	return !strncmp(s, "processed ", 10) || !strncmp(s, "verification time", 17) ||
	       !strncmp(s, "stack depth", 11);
}

void vrun_insn_text(const struct vrun *r, const struct rbpf_vlog_row *row, char *buf, size_t size)
{
	struct rbpf_disasm_opts o = { .map_name = rbpf_disasm_object_map_name, .priv = r->obj };
	uint32_t cnt;
	const struct bpf_insn *insns = rbpf_prog_insns(r->p, &cnt);
	char text[256];

	if ((uint32_t)row->insn >= cnt ||
	    rbpf_disasm_insn(insns + row->insn, cnt - row->insn, text, sizeof(text), &o) < 0)
		snprintf(text, sizeof(text), "%s", row->text);
	snprintf(buf, size, "%4d: %s", row->insn, text);
}

/* 5.10 prints the registers once more on a line of their own (" R0_w=... R10=fp0",
 * " frame1: R1=...") between the failing instruction and its reason: the state the
 * table's row before already shows, so not part of the kernel's words here. */
static int own_line_state(const char *t)
{
	return t[0] == ' ' && ((t[1] == 'R' && t[2] >= '0' && t[2] <= '9') ||
			       !strncmp(t + 1, "frame", 5) || !strncmp(t + 1, "fp-", 3));
}

void vrun_reason(const struct vrun *r, char *buf, size_t size)
{
	int i;

	*buf = 0;
	for (i = r->lg->last_insn + 1; i < r->lg->n; i++) {
		const struct rbpf_vlog_row *row = &r->lg->rows[i];

		if (row->kind == RBPF_VLOG_OTHER && !is_stats_line(row->text) && row->text[0] &&
		    !own_line_state(row->text))
			snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", *buf ? "\n" : "", row->text);
	}
}

void vrun_chain_text(const struct vrun *r, char *buf, size_t size)
{
	const struct rbpf_stack_chain *c = &r->chain;
	int i, tail = r->has_chain == 2;

	*buf = 0;
	if (!r->has_chain)
		return;
	snprintf(buf, size, tail ? "the call at insn %d leads to a tail call (insn %d) under %d bytes "
		 "of frames, over 256:" : "the call at insn %d takes the stack past 512 bytes:",
		 c->frames[c->n - 2].call, c->frames[c->n - 1].call, c->total);
	for (i = 0; i < c->n - tail; i++)
		snprintf(buf + strlen(buf), size - strlen(buf), " %sfunction at insn %d (%d bytes)",
			 i ? "+ " : "", c->frames[i].start, c->frames[i].size);
	snprintf(buf + strlen(buf), size - strlen(buf), " = %d", c->total);
}

/* The state to show on an instruction row: its own, or for a call, the state line
 * the kernel prints after it (the result in R0); then rawbpf's note. */
static const char *row_state(const struct rbpf_vlog *lg, int i, char *buf, size_t size)
{
	const struct rbpf_vlog_row *r = &lg->rows[i];
	const char *st = r->state;
	int k;

	for (k = i + 1; !*st && k < lg->n && lg->rows[k].kind == RBPF_VLOG_OTHER; k++)
		;                                        /* mark_precise lines between */
	if (!*st && k < lg->n && lg->rows[k].kind == RBPF_VLOG_STATE && lg->rows[k].insn > r->insn &&
	    lg->rows[k].insn <= r->insn + 2)
		st = lg->rows[k].state;
	if (!r->note)
		return st;
	snprintf(buf, size, "%s%s<< %s", st, *st ? "  " : "", r->note);
	return buf;
}

/* One fold row: what was left out, and how to see it. */
static void fold_row(const struct view *v, const struct rbpf_vlog_fold *f)
{
	char text[320];

	if (f->times)
		snprintf(text, sizeof(text), "... these %d rows repeated %d more times (%d rows folded); "
			 "what changed: %s (--all shows them)", f->body, f->times,
			 f->last - f->first + 1, f->changed);
	else
		snprintf(text, sizeof(text), "... %d rows cut for length (--all shows them)",
			 f->last - f->first + 1);
	printf("%s  %s%s\n", v->c_path, text, v->c_off);
}

/* The table for one program's log. */
/* Under a relocated instruction: which CO-RE relocation set its value.  (Resolving
 * caches the kernel's BTF in the object, hence the cast.) */
static void core_row(const struct view *v, const struct rbpf_prog *cp, int insn)
{
	struct rbpf_prog *p = (struct rbpf_prog *)cp;
	struct rbpf_core_row r;
	char what[300], vals[160];
	int i = rbpf_prog_core_at(p, insn);

	if (i < 0 || rbpf_prog_core_row(p, i, NULL, &r) < 0)
		return;
	snprintf(what, sizeof(what), "      ^ CO-RE %s", r.what);
	if (r.poison)
		snprintf(vals, sizeof(vals), "%s: %llu in the object, absent here (poisoned)",
			 r.kind_name, (unsigned long long)r.orig);
	else
		snprintf(vals, sizeof(vals), "%s: %llu in the object, %llu here", r.kind_name,
			 (unsigned long long)r.orig, (unsigned long long)r.val);
	row(v, "", "", "", what, v->c_path, vals);
}

static void draw(const struct view *v, const struct vrun *run)
{
	const struct rbpf_vlog *lg = run->lg;
	uint32_t last_line = 0, cnt;
	const struct bpf_insn *code = rbpf_prog_insns(run->p, &cnt);
	char insn[300], st[1024];
	int i, f = 0, after_exit = 0;

	row(v, "", "", "SOURCE", "INSN", "", "VERIFIER STATE AFTER IT");
	for (i = 0; i <= lg->last_insn; i++) {
		const struct rbpf_vlog_row *r = &lg->rows[i];
		int fail = run->rejected && i == run->fail_row;

		if (f < run->nfolds && i == run->folds[f].first) {
			fold_row(v, &run->folds[f]);
			i = run->folds[f++].last;
			last_line = 0;
			continue;
		}
		switch (r->kind) {
		case RBPF_VLOG_INSN:
			vrun_insn_text(run, r, insn, sizeof(insn));
			if (fail || after_exit)
				last_line = 0;          /* the failing row always shows its line */
			/* an exit followed by an instruction: a new path, which 5.10's
			 * level-2 log does not announce with a "from 9 to 15" line */
			after_exit = (uint32_t)r->insn < cnt &&
				     code[r->insn].code == (BPF_JMP | BPF_EXIT);
			row(v, fail ? ">" : r->visit > 1 ? "*" : "", fail ? v->c_fail : v->c_mark,
			    source_for(run->p, r->insn, &last_line), insn, fail ? v->c_fail : "",
			    row_state(lg, i, st, sizeof(st)));
			if (r->visit == 1)
				core_row(v, run->p, r->insn);
			break;
		case RBPF_VLOG_PATH:
			after_exit = 0;
			snprintf(insn, sizeof(insn), "-- from %d to %d --", r->from, r->insn);
			row(v, "", "", "", insn, v->c_path, r->state);
			last_line = 0;
			break;
		case RBPF_VLOG_SAFE:
			snprintf(insn, sizeof(insn), "%4d: safe (state seen before)", r->insn);
			row(v, "", "", "", insn, v->c_path, "");
			break;
		default:        /* "callee:" / "returning from callee:" + a state line */
			if (!strcmp(r->text, "returning from callee:"))
				after_exit = 0;
			if (i + 1 < lg->n && lg->rows[i + 1].text[0] == ' ' &&
			    (!strcmp(r->text, "callee:") || !strcmp(r->text, "returning from callee:")))
				row(v, "", "", "", r->text[0] == 'c' ? "-- enter the callee --" :
				    "-- return to the caller --", v->c_path, lg->rows[i + 1].text + 1);
			break;
		}
	}
}

/* Lines of the walk the table has no column for: a count by their first word, or
 * with --all each line, in a section of their own. */
static void unparsed(const struct view *v, const struct rbpf_vlog *lg)
{
	char words[6][24], line[400] = "";
	int counts[6] = { 0 }, nw = 0, total = 0, i, k;

	for (i = 0; i <= lg->last_insn; i++) {
		const struct rbpf_vlog_row *r = &lg->rows[i];
		const char *t = r->text;
		size_t len;

		if (r->kind != RBPF_VLOG_OTHER || !strcmp(t, "callee:") || !strcmp(t, "caller:") ||
		    !strcmp(t, "returning from callee:") || !strncmp(t, "func#", 5) || !*t ||
		    (t[0] == ' ' && i > 0 && lg->rows[i - 1].text[strlen(lg->rows[i - 1].text) - 1] == ':'))
			continue;
		if (v->all) {
			if (!total)
				printf("%sLOG LINES NOT IN THE TABLE (row: line)%s\n", v->c_path, v->c_off);
			printf("  %d: %s\n", i, t);
		}
		total++;
		if (t[0] == '(')                 /* 6.18: "(55,63) frame 1 insn 114 +live -8" */
			t = "stack-liveness";
		else if (t[0] == ' ')            /* 5.10: the states after a jump, on their own */
			t = "state";
		else if (!strncmp(t, "last_idx ", 9) || !strncmp(t, "regs=", 5) ||
			 !strncmp(t, "parent ", 7))
			t = "mark_precise";             /* 6.1's precision backtracking */
		len = strcspn(t, ": ");
		for (k = 0; k < nw && (strlen(words[k]) != len || strncmp(words[k], t, len)); k++)
			;
		if (k == nw && nw < 6)
			snprintf(words[nw++], sizeof(words[0]), "%.*s", (int)(len < 23 ? len : 23), t);
		if (k < 6)
			counts[k]++;
	}
	if (!total || v->all)
		return;
	for (k = 0; k < nw; k++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s %d", k ? ", " : "",
			 words[k], counts[k]);
	printf("%s(%d lines of the log are not in the table: %s; --all prints them)%s\n",
	       v->c_path, total, line, v->c_off);
}

/* After the table: the kernel's own words, the hint, the statistics. */
static void verdict(const struct view *v, const struct vrun *run)
{
	const struct rbpf_vlog *lg = run->lg;
	char chain[400];
	int i;

	if (v->all)
		unparsed(v, lg);
	for (i = lg->last_insn + 1; i < lg->n; i++) {
		const struct rbpf_vlog_row *r = &lg->rows[i];

		if (r->kind != RBPF_VLOG_OTHER || own_line_state(r->text))
			continue;
		if (is_stats_line(r->text) ? v->stats : run->rejected)
			printf("%s%s%s\n", run->rejected && !is_stats_line(r->text) ? v->c_fail : "",
			       r->text, v->c_off);
	}
	vrun_chain_text(run, chain, sizeof(chain));
	if (*chain)
		printf("%s%s%s\n", v->c_fail, chain, v->c_off);
	if (run->hint)
		printf("%shint: %s%s\n", v->c_hint, run->hint->hint, v->c_off);
	if (run->core_hint[0])
		printf("%shint: %s%s\n", v->c_hint, run->core_hint, v->c_off);
	if (!v->all && run->rejected)          /* an accepted walk: no need to say */
		unparsed(v, lg);
}

/* The hint, the failing row, the stack chain, the folds. */
static int analyse(const struct view *v, struct vrun *run)
{
	uint32_t cnt;
	const struct bpf_insn *insns = rbpf_prog_insns(run->p, &cnt);
	const char *m;
	int i, total = 0;

	run->fail_row = run->rejected ? run->lg->last_insn : -1;
	run->hint = run->rejected ? rbpf_vlog_hint(run->lg) : NULL;
	if (run->core_hint[0])
		run->hint = NULL;        /* a poisoned CO-RE instruction: its own hint */
	if (run->rejected && (m = strstr(run->lg->reason, "combined stack size of ")) &&
	    sscanf(m, "combined stack size of %*d calls is %d", &total) == 1 &&
	    ((rbpf_stack_chain(insns, cnt, 16, &run->chain) && run->chain.total == total) ||
	     (rbpf_stack_chain(insns, cnt, 32, &run->chain) && run->chain.total == total)))
		run->has_chain = 1;
	if (run->rejected && (m = strstr(run->lg->reason, "call stack of previous frames is ")) &&
	    sscanf(m, "call stack of previous frames is %d", &total) == 1 &&
	    ((rbpf_tail_call_chain(insns, cnt, 16, &run->chain) && run->chain.total == total) ||
	     (rbpf_tail_call_chain(insns, cnt, 32, &run->chain) && run->chain.total == total)))
		run->has_chain = 2;
	if (run->has_chain) {
		int call = run->chain.frames[run->chain.n - 2].call;

		for (i = 0; i <= run->lg->last_insn; i++)
			if (run->lg->rows[i].kind == RBPF_VLOG_INSN && run->lg->rows[i].insn == call) {
				run->fail_row = i;
				break;
			}
	}
	if (!v->all && rbpf_vlog_fold(run->lg, VIEW_ROWS, &run->folds, &run->nfolds) < 0)
		return -1;
	return 0;
}

/* A program with a loop may be walked round after round up to a million
 * instructions: its level-2 log then runs to a hundred MB, and a log that outgrows
 * its first buffer costs a second walk (the kernel answers ENOSPC with the size it
 * needed, and load.c loads again).  So a program with a back-edge gets a first
 * buffer a million-instruction walk fits in (memory the kernel does not write is
 * only reserved); one without keeps the loader's. */
static uint32_t first_log_size(const struct rbpf_prog *p, uint32_t level)
{
	uint32_t cnt, i;
	const struct bpf_insn *in = rbpf_prog_insns(p, &cnt);

	for (i = 0; in && (level & 2) && i < cnt; i++) {
		int cls = BPF_CLASS(in[i].code), op = BPF_OP(in[i].code);

		if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL && op != BPF_EXIT &&
		    in[i].off < 0)
			return 192u << 20;
	}
	return rbpf_log_start_size;
}

/* Load one program and show it.  Returns 0 accepted, 1 rejected, 2 could not. */
static int verify_prog(const struct view *v, struct rbpf_object *obj, struct rbpf_prog *p,
		       uint32_t level, int raw, FILE *html)
{
	uint32_t saved = rbpf_log_start_size;
	struct vrun run = { .obj = obj, .p = p };
	const char *log;
	int fd;

	rbpf_log_start_size = first_log_size(p, level);
	fd = rbpf_object_load_prog(p, level);
	rbpf_log_start_size = saved;
	log = rbpf_prog_log(p);
	run.rejected = fd < 0 && log && *log && (fd == -EACCES || fd == -EINVAL || fd == -E2BIG);
	if (fd < 0 && !run.rejected) {
		fprintf(stderr, "rawbpf: %s\n", rbpf_errmsg());
		return 2;
	}
	if (run.rejected && strstr(rbpf_errmsg(), "does not exist in this kernel's BTF"))
		snprintf(run.core_hint, sizeof(run.core_hint), "%s", strstr(rbpf_errmsg(), "insn "));
	if (raw) {
		printf("%s", log ? log : "");
		return run.rejected;
	}
	printf("%sprogram %s (%s): %s%s\n", run.rejected ? v->c_fail : v->c_hint, rbpf_prog_name(p),
	       rbpf_prog_section(p), run.rejected ? "REJECTED" : "accepted", v->c_off);
	if (rbpf_vlog_parse(log, &run.lg) < 0 || analyse(v, &run) < 0) {
		rbpf_vlog_free(run.lg);
		return cmd_fail(2);
	}
	draw(v, &run);
	verdict(v, &run);
	if (html && vhtml_prog(html, &run) < 0) {
		free(run.folds);
		rbpf_vlog_free(run.lg);
		return cmd_fail(2);
	}
	free(run.folds);
	rbpf_vlog_free(run.lg);
	return run.rejected;
}

static int usage(void)
{
	fprintf(stderr, "usage: rawbpf verify OBJ [PROG] [--level 1|2] [--stats] [--raw] [--all]"
		" [--html FILE]\n");
	return 2;
}

static void setup_view(struct view *v, int stats)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	memset(v, 0, sizeof(*v));
	v->stats = stats;
	if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		v->width = ws.ws_col;
	else if (isatty(1) && cols && atoi(cols) > 0)
		v->width = atoi(cols);
	v->color = isatty(1) && !getenv("NO_COLOR");
	v->c_src = v->color ? "\033[36m" : "";
	v->c_mark = v->color ? "\033[33m" : "";
	v->c_fail = v->color ? "\033[1;31m" : "";
	v->c_path = v->color ? "\033[35m" : "";
	v->c_hint = v->color ? "\033[32m" : "";
	v->c_off = v->color ? "\033[0m" : "";
}

int cmd_verify(int argc, char **argv)
{
	const char *path = NULL, *name = NULL, *html_path = NULL;
	int level = 2, stats = 0, raw = 0, all = 0, i, worst = 0, r, found = 0;
	FILE *html = NULL;
	struct rbpf_object *obj;
	struct rbpf_prog *p;
	struct view v;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--level") && i + 1 < argc)
			level = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--stats"))
			stats = 1;
		else if (!strcmp(argv[i], "--raw"))
			raw = 1;
		else if (!strcmp(argv[i], "--all"))
			all = 1;
		else if (!strcmp(argv[i], "--html") && i + 1 < argc)
			html_path = argv[++i];
		else if (argv[i][0] == '-')
			return usage();
		else if (!path)
			path = argv[i];
		else if (!name)
			name = argv[i];
		else
			return usage();
	}
	if (!path || (level != 1 && level != 2))
		return usage();
	setup_view(&v, stats);
	v.all = all;
	if (rbpf_object_open(path, &obj) < 0)
		return cmd_fail(2);
	if (html_path && (!(html = fopen(html_path, "w")) || vhtml_begin(html, path) < 0)) {
		fprintf(stderr, "rawbpf: cannot write %s: %s\n", html_path, strerror(errno));
		if (html)
			fclose(html);
		rbpf_object_close(obj);
		return 2;
	}
	rbpf_object_set_pin_root(obj, NULL);     /* verify reads; it pins nothing */
	for (p = rbpf_object_next_prog(obj, NULL); p; p = rbpf_object_next_prog(obj, p)) {
		if (name && strcmp(name, rbpf_prog_name(p)))
			continue;
		if (found++)
			printf("\n");
		r = verify_prog(&v, obj, p, level | (stats ? 4 : 0), raw, html);
		worst = r > worst ? r : worst;
	}
	rbpf_object_close(obj);
	if (html && (vhtml_end(html) < 0 || fclose(html) != 0)) {
		fprintf(stderr, "rawbpf: cannot write %s: %s\n", html_path, strerror(errno));
		return 2;
	}
	if (!found) {
		fprintf(stderr, "rawbpf: %s has no program%s%s\n", path, name ? " named " : "",
			name ? name : "");
		return 2;
	}
	return worst;
}
