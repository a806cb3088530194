/*
 * rawbpf_vlog.h -- the verifier's log, read: rows, the registers followed along them,
 * hints, folds for long logs, the stack of a call chain.  Part of rawbpf.h (which
 * includes it); kept apart because it sits beside the loader's flow: the loader
 * never calls it, the rawbpf command and the lessons do.
 *
 *   loader/vlog.c    the log split into rows (struct rbpf_vlog)
 *   loader/vstate.c  the registers followed along them (row notes, struct rbpf_vlog_fail)
 *   loader/vhint.c   a hint, matched on the message and the state
 *   loader/vfold.c   repeated rounds of loops folded, long views cut
 *   loader/vstack.c  the call chain behind "combined stack size"
 */
#ifndef RAWBPF_VLOG_API_H
#define RAWBPF_VLOG_API_H

#include <stddef.h>
#include <linux/bpf.h>

/* A plain-language line for a verifier message, keyed by a substring of the message
 * AND a condition on the state the verifier was in (loader/vhint.c). */
enum rbpf_hint_when {
	RBPF_WHEN_ANY,           /* the message says it all */
	RBPF_WHEN_KILLED,        /* the register was released/invalidated by a call */
	RBPF_WHEN_ALIVE,         /* ... and it was not */
	RBPF_WHEN_SCALAR,        /* it holds a number the program computed or read */
	RBPF_WHEN_CTX_FIELD,     /* it holds a number read from a context field */
	RBPF_WHEN_STORE,         /* the failing instruction writes memory */
	RBPF_WHEN_LOAD,          /* the failing instruction reads memory */
	RBPF_WHEN_CALLEE_ARG,    /* a callee reads an argument its caller did not set */
	RBPF_WHEN_RINGBUF,       /* the register holds bpf_ringbuf_reserve()'s result */
	RBPF_WHEN_PKT_MOVED,     /* a packet pointer, dead since a call moved the packet */
	RBPF_WHEN_EXIT,          /* the failing instruction is an exit */
	RBPF_WHEN_PKT_RANGE,     /* a packet pointer with some bytes proven (r=N > 0) */
	RBPF_WHEN_PKT_NO_RANGE,  /* a packet pointer with none proven */
};
struct rbpf_hint {
	const char *id;         /* "use_after_release": names the hint in tests */
	const char *match;      /* "invalid mem access 'scalar'": in the message */
	enum rbpf_hint_when when;
	const char *hint;       /* "this pointer was given back ..." */
};
/* The hint for a rejection's log (parsed, then rbpf_vlog_hint), or NULL. */
const struct rbpf_hint *rbpf_verifier_hint(const char *log);
/* The whole table, for listing and tests. */
const struct rbpf_hint *rbpf_verifier_hints(size_t *count);

/* A verifier log, parsed into rows (see loader/vlog.c for the line shapes). */
enum rbpf_vlog_kind {
	RBPF_VLOG_INSN,          /* "12: (bf) r1 = r6    ; R1_w=ctx()" */
	RBPF_VLOG_STATE,         /* "12: R1=ctx() R10=fp0" */
	RBPF_VLOG_PATH,          /* "from 4 to 9: R0=0 R10=fp0" */
	RBPF_VLOG_SAFE,          /* "9: safe" */
	RBPF_VLOG_OTHER,         /* any other line: "caller:", the rejection, stats */
};
struct rbpf_vlog_row {
	enum rbpf_vlog_kind kind;
	int insn;                /* instruction index (PATH: where it goes), or -1 */
	int from;                /* PATH: the branch instruction */
	int code;                /* INSN: the opcode the kernel printed */
	int visit;               /* INSN: 1 the first time this index is walked, 2 ... */
	const char *text;        /* INSN: the kernel's instruction text; else the line */
	const char *state;       /* INSN: registers after it ("" if none); STATE, PATH:
				  * the state; else "" */
	const char *note;        /* INSN: rawbpf's remark, what the kernel does not
				  * print ("R1 R7 released (ringbuf_mem...)"), or NULL */
};
/* What following the registers along the failing path tells (loader/vstate.c). */
struct rbpf_vlog_fail {
	int reg;                 /* the register the message names ("R7 ..."), or -1 */
	char state[160];         /* its last state on that path, "" when unknown */
	char origin[48];         /* the helper whose result it holds; "ctx" for a
				  * number read from the context; "" */
	int killed_at;           /* the call that released or invalidated it, or -1 */
	char killed_by[48];      /* that call's name */
	int pkt_moved;           /* killed as a packet pointer (not released) */
	int store, load, exit;   /* the failing instruction writes / reads memory, exits */
	int callee_arg;          /* a callee's argument its caller never set */
};
struct rbpf_vlog {
	struct rbpf_vlog_row *rows;
	int n;
	int last_insn;           /* index in rows of the last INSN row, or -1: on a
				  * rejection, the instruction that failed */
	char *buf;               /* the log's copy the rows point into */
	char *reason;            /* the text after the last instruction line: the
				  * verifier's message(s) and statistics */
	struct rbpf_vlog_fail fail;
	char **notes;            /* (the rows' notes, owned here) */
	int nnotes;
};
/* Parse a log (NULL is an empty log) and follow its registers (the rows' notes,
 * ->fail).  0 and *out (free with rbpf_vlog_free), or -ENOMEM. */
int rbpf_vlog_parse(const char *log, struct rbpf_vlog **out);
void rbpf_vlog_free(struct rbpf_vlog *v);
/* A run of rows a view may hide (loader/vfold.c). */
struct rbpf_vlog_fold {
	int first, last;         /* rows first..last are folded away */
	int body;                /* a loop: rows in one round of it */
	int times;               /* a loop: rounds folded (0: cut for length, not a loop) */
	char changed[200];       /* a loop: what changed from the first round to the last,
				  * "R7 1 -> 83332, R8 ..." */
};
/* Folds for a view of at most about max_rows rows (0: loops only): repeated rounds of
 * a loop between its first and last round, then, if still too long, the middle.
 * 0 and *out (free()) with *count folds in row order, or -ENOMEM. */
int rbpf_vlog_fold(const struct rbpf_vlog *v, int max_rows, struct rbpf_vlog_fold **out,
		   int *count);
/* The call chain behind "combined stack size of N calls is M" (loader/vstack.c). */
#define RBPF_STACK_CHAIN_MAX 9
struct rbpf_stack_chain {
	int n;                   /* frames, the main function first */
	int total;               /* their sizes added up: over 512 */
	struct {
		int start;       /* the function's first instruction */
		int size;        /* its frame, rounded up as the verifier does */
		int call;        /* the instruction calling the next frame; -1 in the last */
	} frames[RBPF_STACK_CHAIN_MAX];
};
/* The first chain of BPF-to-BPF calls (depth first from insn 0) whose frames, each
 * rounded up to `round` bytes (32 on 6.1; 16 for JIT-compiled programs on newer
 * kernels), add up to more than 512 bytes: 1 and *c; 0 when there is none.  The call
 * that goes over is c->frames[c->n - 2].call. */
int rbpf_stack_chain(const struct bpf_insn *insns, int cnt, int round, struct rbpf_stack_chain *c);
/* The same for "tail_calls are not allowed when call stack of previous frames is N":
 * the first chain to a function (not main) that makes a tail call with more than 256
 * bytes of frames above it.  c->total is N; the last frame's call is the tail call;
 * the call that leads there is c->frames[c->n - 2].call. */
int rbpf_tail_call_chain(const struct bpf_insn *insns, int cnt, int round,
			 struct rbpf_stack_chain *c);
/* The hint for a parsed rejection: the first entry whose text is in the message and
 * whose condition holds on the state; NULL when none is sure to be right. */
const struct rbpf_hint *rbpf_vlog_hint(const struct rbpf_vlog *v);

#endif
