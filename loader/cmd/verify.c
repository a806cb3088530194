/*
 * cmd/verify.c -- `rawbpf verify OBJ [PROG] [--level 1|2] [--stats] [--raw]`:
 * what the verifier thought, instruction by instruction, beside the C it came from.
 *
 * Each program of the object (or the one named) is loaded with a verifier log.  The
 * log is parsed (loader/vlog.c) and drawn as one row per instruction the verifier
 * walked, in the order it walked them:
 *
 *   ! source line (from .BTF.ext)  | index: instruction        | state after it
 *
 * The mark column says `*` when the verifier walks an instruction again (a loop,
 * or a second path through it), `>` on the instruction that failed.  A path the
 * verifier turns to is announced by a `from 4 to 9` row with the state it starts
 * from; `safe` rows are paths cut short because they match a state already proven;
 * BPF-to-BPF calls show the callee's state on entry and the caller's on return.
 * On a rejection the kernel's message follows verbatim, then a hint.
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

#define SRC_W 34          /* source column */
#define INSN_W 40         /* instruction column, with its index */

struct view {
	int width;            /* terminal columns, 0: no limit */
	int color;
	int stats;            /* print the statistics lines (--stats) */
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

/* The table for one program's log. */
static void draw(const struct view *v, struct rbpf_object *obj, const struct rbpf_prog *p,
		 const struct rbpf_vlog *lg, int rejected)
{
	struct rbpf_disasm_opts o = { .map_name = rbpf_disasm_object_map_name, .priv = obj };
	uint32_t cnt, last_line = 0;
	const struct bpf_insn *insns = rbpf_prog_insns(p, &cnt);
	char text[256], insn[300];
	int i;

	row(v, "", "", "SOURCE", "INSN", "", "VERIFIER STATE AFTER IT");
	for (i = 0; i <= lg->last_insn; i++) {
		const struct rbpf_vlog_row *r = &lg->rows[i];
		int fail = rejected && i == lg->last_insn;

		switch (r->kind) {
		case RBPF_VLOG_INSN:
			if ((uint32_t)r->insn >= cnt ||
			    rbpf_disasm_insn(insns + r->insn, cnt - r->insn, text, sizeof(text), &o) < 0)
				snprintf(text, sizeof(text), "%s", r->text);
			snprintf(insn, sizeof(insn), "%4d: %s", r->insn, text);
			if (fail)
				last_line = 0;          /* the failing row always shows its line */
			row(v, fail ? ">" : r->visit > 1 ? "*" : "", fail ? v->c_fail : v->c_mark,
			    source_for(p, r->insn, &last_line), insn, fail ? v->c_fail : "", r->state);
			break;
		case RBPF_VLOG_PATH:
			snprintf(insn, sizeof(insn), "-- from %d to %d --", r->from, r->insn);
			row(v, "", "", "", insn, v->c_path, r->state);
			last_line = 0;
			break;
		case RBPF_VLOG_SAFE:
			snprintf(insn, sizeof(insn), "%4d: safe (state seen before)", r->insn);
			row(v, "", "", "", insn, v->c_path, "");
			break;
		default:        /* "callee:" / "returning from callee:" + a state line */
			if (i + 1 < lg->n && lg->rows[i + 1].text[0] == ' ' &&
			    (!strcmp(r->text, "callee:") || !strcmp(r->text, "returning from callee:")))
				row(v, "", "", "", r->text[0] == 'c' ? "-- enter the callee --" :
				    "-- return to the caller --", v->c_path, lg->rows[i + 1].text + 1);
			break;
		}
	}
}

/* After the table: the kernel's own words, the hint, the statistics. */
static void verdict(const struct view *v, const struct rbpf_vlog *lg, const char *log,
		    int rejected)
{
	const struct rbpf_hint *h = rejected ? rbpf_verifier_hint(log) : NULL;
	int i;

	for (i = lg->last_insn + 1; i < lg->n; i++) {
		const struct rbpf_vlog_row *r = &lg->rows[i];

		if (is_stats_line(r->text) ? v->stats : rejected)
			printf("%s%s%s\n", rejected && !is_stats_line(r->text) ? v->c_fail : "",
			       r->text, v->c_off);
	}
	if (h)
		printf("%shint: %s%s\n", v->c_hint, h->hint, v->c_off);
}

/* Load one program and show it.  Returns 0 accepted, 1 rejected, 2 could not. */
static int verify_prog(const struct view *v, struct rbpf_object *obj, struct rbpf_prog *p,
		       uint32_t level, int raw)
{
	int fd = rbpf_object_load_prog(p, level);
	const char *log = rbpf_prog_log(p);
	int rejected = fd < 0 && log && *log && (fd == -EACCES || fd == -EINVAL || fd == -E2BIG);
	struct rbpf_vlog *lg;

	if (fd < 0 && !rejected) {
		fprintf(stderr, "rawbpf: %s\n", rbpf_errmsg());
		return 2;
	}
	if (raw) {
		printf("%s", log ? log : "");
		return rejected;
	}
	printf("%sprogram %s (%s): %s%s\n", rejected ? v->c_fail : v->c_hint, rbpf_prog_name(p),
	       rbpf_prog_section(p), rejected ? "REJECTED" : "accepted", v->c_off);
	if (rbpf_vlog_parse(log, &lg) < 0)
		return cmd_fail(2);
	draw(v, obj, p, lg, rejected);
	verdict(v, lg, log, rejected);
	rbpf_vlog_free(lg);
	return rejected;
}

static int usage(void)
{
	fprintf(stderr, "usage: rawbpf verify OBJ [PROG] [--level 1|2] [--stats] [--raw]\n");
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
	const char *path = NULL, *name = NULL;
	int level = 2, stats = 0, raw = 0, i, worst = 0, r, found = 0;
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
	if (rbpf_object_open(path, &obj) < 0)
		return cmd_fail(2);
	rbpf_object_set_pin_root(obj, NULL);     /* verify reads; it pins nothing */
	for (p = rbpf_object_next_prog(obj, NULL); p; p = rbpf_object_next_prog(obj, p)) {
		if (name && strcmp(name, rbpf_prog_name(p)))
			continue;
		if (found++)
			printf("\n");
		r = verify_prog(&v, obj, p, level | (stats ? 4 : 0), raw);
		worst = r > worst ? r : worst;
	}
	rbpf_object_close(obj);
	if (!found) {
		fprintf(stderr, "rawbpf: %s has no program%s%s\n", path, name ? " named " : "",
			name ? name : "");
		return 2;
	}
	return worst;
}
