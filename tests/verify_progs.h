/*
 * verify_progs.h -- the C programs rejected on purpose (progs/bad_NAME.bpf.c, each with
 * its twin progs/fixed_NAME.bpf.c), the hint each must get, and where the verifier
 * fails.  Shared by tests/verify_progs.c (which loads them) and tests/verify_cases.c
 * (every hint has a program: a row of asm/verifier_cases.h or one of these).
 */
#ifndef VERIFY_PROGS_H
#define VERIFY_PROGS_H

static const struct bad_prog {
	const char *name;
	const char *hint;              /* the id of the hint it must get */
	const char *why_not_on_line;   /* NULL: the failing insn is on the marked line */
} bad_progs[] = {
	{ "null_check", "null_lookup", NULL },
	{ "packet_bounds", "packet_unchecked", NULL },
	{ "index_bounds", "index_unbounded", NULL },
	{ "gpl_helper", "gpl_only", NULL },
	{ "ringbuf_leak", "unreleased", "every return shares one exit, at the closing brace" },
	{ "stack_chain", "stack_chain", "the stack sum is checked after the walk, not at an instruction" },
	{ "spin_lock", "lock_call", NULL },
	{ "tail_call_stack", "tail_call_stack", "the frames are added up after the walk" },
	{ "ringbuf_after_submit", "use_after_release", NULL },
	{ "packet_loop", "too_large", NULL },
};
#define N_BAD_PROGS (sizeof(bad_progs) / sizeof(bad_progs[0]))

#endif
