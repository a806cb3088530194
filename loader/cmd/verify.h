/*
 * verify.h -- what `rawbpf verify`'s two views share: the terminal table (verify.c)
 * and the HTML page (verify_html.c) draw the same analysed log.
 */
#ifndef CMD_VERIFY_H
#define CMD_VERIFY_H

#include <stdio.h>

#include "rawbpf.h"

/* One program's verdict, analysed. */
struct vrun {
	struct rbpf_object *obj;
	const struct rbpf_prog *p;
	struct rbpf_vlog *lg;
	int rejected;
	int fail_row;                  /* the row marked '>', or -1 */
	const struct rbpf_hint *hint;  /* NULL: none sure to be right */
	int has_chain;                 /* a stack rejection explained: 1 combined stack,
					* 2 frames above a tail call */
	struct rbpf_stack_chain chain;
	struct rbpf_vlog_fold *folds;  /* the view's folds (none with --all) */
	int nfolds;
};

/* "12: r1 = map[seen]" for an instruction: our disassembly with maps by name (the
 * kernel's text if ours fails). */
void vrun_insn_text(const struct vrun *r, const struct rbpf_vlog_row *row, char *buf, size_t size);
/* The verifier's reason: the log's lines after the last instruction row, without the
 * statistics and path rows, joined by "\n" into buf. */
void vrun_reason(const struct vrun *r, char *buf, size_t size);
/* "the call at insn 1 takes the stack past 512: ..." for a combined-stack rejection,
 * "the call at insn 5 leads to a tail call ..." for one above a tail call. */
void vrun_chain_text(const struct vrun *r, char *buf, size_t size);

/* The page: begin, one section per program, end.  0, or -errno. */
int vhtml_begin(FILE *f, const char *object);
int vhtml_prog(FILE *f, const struct vrun *r);
int vhtml_end(FILE *f);

#endif
