/*
 * cmd/verify_html.c -- `rawbpf verify OBJ --html FILE`: one page to explore a log.
 *
 * The terminal table is one long column of rows.  A page can do what a terminal
 * cannot: put the C source, the walk and the verifier's state side by side, let the
 * reader click an instruction (or a source line) and see the state the verifier
 * had there on every path that went through it, and open and close the paths and
 * the folded rounds of loops.
 *
 * The page is one file with nothing from outside: no network, no external script,
 * style or font.  Each program is a <section> holding its data as JSON in a
 * <script type="application/json"> (instructions, source lines, the walk's rows,
 * the folds) and the script at the end draws it.  The walk is drawn lazily: a path
 * or a fold is turned into rows only when opened, so a log of a million rows costs
 * the browser what it shows.  The data itself is bounded too: a fold keeps at most
 * FOLD_KEEP of its rows (the page says how many it left out; `--all` on the
 * terminal prints them).
 *
 * Element ids the test (tests/verify_html.py) relies on: #verdict, #reason, #hint,
 * .fail (the failing row), .insn (a row; data-insn its index), #state (the pane the
 * state goes to).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "verify.h"

#define FOLD_KEEP 2000    /* rows of a fold kept in the page */

/* s as a JSON string: quotes, backslashes, control characters escaped, and "</" so
 * that no text can close the script element. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '/' && s[-1] == '<')
			fputs("\\/", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char page_head[] =
"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>rawbpf verify</title>\n<style>\n"
"body{font:13px/1.35 monospace;margin:0;background:#fafafa;color:#222}\n"
"header{padding:6px 10px;background:#eee;border-bottom:1px solid #ccc}\n"
"section{border-bottom:3px solid #999}\n"
".top{padding:6px 10px}.bad{color:#b00;font-weight:bold}.ok{color:#070;font-weight:bold}\n"
"#hint,.hint{color:#060}.chain{color:#b00}\n"
".panes{display:grid;grid-template-columns:32% 36% 32%;height:70vh}\n"
".pane{overflow:auto;border-left:1px solid #ccc;padding:2px 4px}\n"
".pane h3{margin:2px 0;font-size:13px;background:#ddd;position:sticky;top:0}\n"
".src,.insn{white-space:pre;cursor:pointer}.src:hover,.insn:hover{background:#e6f0ff}\n"
".sel{background:#cde}.fail{background:#fcc!important}.again{color:#777}\n"
".note{color:#a50}.path>summary,.fold>summary{color:#808;cursor:pointer}\n"
".visit{border-bottom:1px dotted #bbb;padding:2px 0;white-space:pre-wrap;word-break:break-all}\n"
"</style></head><body>\n";

int vhtml_begin(FILE *f, const char *object)
{
	fputs(page_head, f);
	fputs("<header>rawbpf verify: <b id=\"object\"></b> &mdash; click an instruction or a source "
	      "line to see the verifier's state on every path through it</header>\n", f);
	fputs("<script>document.getElementById('object').textContent=", f);
	json_str(f, object);
	fputs(";</script>\n", f);
	return ferror(f) ? -EIO : 0;
}

/* The source lines with line info, and the line of each instruction. */
static void put_source(FILE *f, const struct vrun *r, uint32_t cnt)
{
	struct rbpf_line l;
	uint32_t k, last = 0;

	fputs(",\"line\":[", f);
	for (k = 0; k < cnt; k++)
		fprintf(f, "%s%u", k ? "," : "", rbpf_prog_line(r->p, k, &l) >= 0 ? l.line : 0);
	fputs("],\"src\":{", f);
	for (k = 0; k < cnt; k++) {
		if (rbpf_prog_line(r->p, k, &l) < 0 || !l.line || l.line == last || !l.text)
			continue;
		fprintf(f, "%s\"%u\":", last ? "," : "", l.line);
		json_str(f, l.text);
		last = l.line;
	}
	fputs("}", f);
}

/* One row of the walk: [row, kind, insn, from, visit, state, note]. */
static void put_row(FILE *f, const struct vrun *r, int i, int *first)
{
	const struct rbpf_vlog_row *row = &r->lg->rows[i];
	const char *st = row->state;
	int k = i + 1;

	if (row->kind != RBPF_VLOG_INSN && row->kind != RBPF_VLOG_PATH && row->kind != RBPF_VLOG_SAFE)
		return;
	while (row->kind == RBPF_VLOG_INSN && !*st && k < r->lg->n && r->lg->rows[k].kind == RBPF_VLOG_OTHER)
		k++;
	if (row->kind == RBPF_VLOG_INSN && !*st && k < r->lg->n && r->lg->rows[k].kind == RBPF_VLOG_STATE &&
	    r->lg->rows[k].insn > row->insn && r->lg->rows[k].insn <= row->insn + 2)
		st = r->lg->rows[k].state;          /* a call's result, printed after it */
	fprintf(f, "%s[%d,%d,%d,%d,%d,", *first ? "" : ",\n", i, row->kind, row->insn, row->from,
		row->visit);
	json_str(f, st);
	fputc(',', f);
	json_str(f, row->note ? row->note : "");
	fputc(']', f);
	*first = 0;
}

static void put_rows(FILE *f, const struct vrun *r)
{
	int i, fi = 0, first = 1;

	fputs(",\"rows\":[", f);
	for (i = 0; i <= r->lg->last_insn; i++) {
		if (fi < r->nfolds && i == r->folds[fi].first + FOLD_KEEP)
			i = r->folds[fi].last + 1;      /* the rest of a long fold stays out */
		if (fi < r->nfolds && i > r->folds[fi].last)
			fi++;
		if (i > r->lg->last_insn)
			break;
		put_row(f, r, i, &first);
	}
	fputs("],\"folds\":[", f);
	for (i = 0; i < r->nfolds; i++) {
		const struct rbpf_vlog_fold *fo = &r->folds[i];
		int n = fo->last - fo->first + 1;

		fprintf(f, "%s[%d,%d,%d,%d,%d,", i ? "," : "", fo->first, fo->last, fo->body, fo->times,
			n > FOLD_KEEP ? n - FOLD_KEEP : 0);
		json_str(f, fo->changed);
		fputc(']', f);
	}
	fputs("]", f);
}

int vhtml_prog(FILE *f, const struct vrun *r)
{
	uint32_t cnt, k;
	char buf[4096];

	rbpf_prog_insns(r->p, &cnt);
	fputs("<section><script type=\"application/json\" class=\"data\">{\"name\":", f);
	json_str(f, rbpf_prog_name(r->p));
	fputs(",\"type\":", f);
	json_str(f, rbpf_prog_section(r->p));
	fprintf(f, ",\"rejected\":%d,\"fail\":%d,\"reason\":", r->rejected, r->fail_row);
	vrun_reason(r, buf, sizeof(buf));
	json_str(f, buf);
	fputs(",\"hint\":", f);
	json_str(f, r->hint ? r->hint->hint : "");
	fputs(",\"chain\":", f);
	vrun_chain_text(r, buf, sizeof(buf));
	json_str(f, buf);
	fputs(",\"insns\":[", f);
	for (k = 0; k < cnt; k++) {
		struct rbpf_vlog_row row = { .insn = (int)k, .text = "" };

		vrun_insn_text(r, &row, buf, sizeof(buf));
		if (k)
			fputc(',', f);
		json_str(f, buf);
	}
	fputs("]", f);
	put_source(f, r, cnt);
	put_rows(f, r);
	fputs("}</script></section>\n", f);
	return ferror(f) ? -EIO : 0;
}

extern const char vhtml_script[];

int vhtml_end(FILE *f)
{
	fputs("<script>\n", f);
	fputs(vhtml_script, f);
	fputs("</script>\n</body></html>\n", f);
	return ferror(f) ? -EIO : 0;
}
