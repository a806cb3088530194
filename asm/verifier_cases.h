/*
 * verifier_cases.h -- a catalogue of programs the verifier rejects, as table rows.
 *
 * Each row is one small program built with bpf_insn.h, the program type it is loaded
 * as, and what must happen: REJECT with the kernel's message containing the given
 * substrings in that order, and the hint (loader/vlog.c) that explains it; or ACCEPT,
 * for the twin of a rejected row in which one instruction is fixed -- read the pair
 * side by side to see what the verifier wanted.
 *
 * Messages are matched on substrings that read the same on 5.15, 6.1 and 6.18.
 * Where the wording changed, a message is given as "old|new" and either counts.
 * A row that needs a map says which (MAP_ARRAY / MAP_HASH: 4-byte key, 16-byte value,
 * 1 entry; MAP_RINGBUF: 4096 bytes); every BPF_LD_MAP_FD(reg, 0) in it gets its fd.
 *
 * Used by asm/reject.c (the learner's runner: `build/asm/reject [NAME]`) and
 * tests/verify_cases.c (the same rows under `make check`).  Adding a case adds a row.
 */
#ifndef VERIFIER_CASES_H
#define VERIFIER_CASES_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "bpf_insn.h"
#include "rawbpf.h"

enum vcase_map { NO_MAP, MAP_ARRAY, MAP_HASH, MAP_RINGBUF };
enum vcase_result { REJECT, ACCEPT };
/* Row flags.  VC_BPF_ONLY: load with CAP_BPF but without CAP_PERFMON and
 * CAP_SYS_ADMIN (root may read uninitialised stack).  VC_QUIET_LOG: log level 4 (the
 * message and statistics, no instructions): a million-instruction walk logged at
 * level 1 outgrows the largest log buffer, and before 6.4 the kernel keeps the head
 * of the log, not the message at its end. */
enum { VC_BPF_ONLY = 1, VC_QUIET_LOG = 2 };

struct vcase {
	const char *name;
	enum bpf_prog_type type;
	const char *license;          /* NULL: "GPL" */
	enum vcase_map map;
	struct bpf_insn insns[24];    /* ends at the last non-zero slot */
	enum vcase_result result;
	const char *msgs[3];          /* REJECT: substrings of the log, in order */
	const char *hint;             /* REJECT: the .match of the hint that must come out
				       * ("A|B": either, when the wording changed) */
	int flags;                    /* VC_BPF_ONLY, VC_QUIET_LOG, or 0 */
};

#define SOCK BPF_PROG_TYPE_SOCKET_FILTER

/* r2 = &key (a u32 0 at fp-4) -- the usual start of a map lookup */
#define KEY_ON_STACK \
	BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 0), \
	BPF_MOV64_REG(BPF_REG_2, BPF_REG_10), \
	BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4)

static const struct vcase vcases[] = {
{
	/* u32 *v = bpf_map_lookup_elem(&hash, &key); return *v;   -- v may be NULL.
	 * (A hash map: since 6.x an array lookup with a constant key in range is known
	 * to succeed, and the verifier accepts this for an array.) */
	"null_check_missing", SOCK, NULL, MAP_HASH, {
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_0, 0),          /* <- *v */
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid mem access 'map_value_or_null'" }, "'map_value_or_null'", 0,
}, {
	"null_check_missing_fixed", SOCK, NULL, MAP_HASH, {
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 1),                /* if (!v) return 0 */
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0,
}, {
	/* bpf_map_lookup_elem(&arr, ctx) -- the key must be memory the helper can read */
	"ctx_as_key", SOCK, NULL, MAP_ARRAY, {
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_1),                  /* <- key = ctx */
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R2 type=ctx expected=fp" }, "type=ctx expected=", 0,
}, {
	/* bpf_map_lookup_elem(0, &key) -- r1 must be a map */
	"scalar_as_map", SOCK, NULL, NO_MAP, {
		KEY_ON_STACK,
		BPF_MOV64_IMM(BPF_REG_1, 0),                          /* <- map = 0 */
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R1 type=scalar expected=map_ptr" }, " expected=", 0,
}, {
	/* return *(u64 *)0 */
	"deref_scalar", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_1, 0),
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 0),         /* <- *(u64 *)r1 */
		BPF_EXIT_INSN(),
	}, REJECT, { "R1 invalid mem access 'scalar'" }, "invalid mem access 'scalar'", 0,
}, {
	/* r0 = r2 -- r2 was never written */
	"uninit_register", SOCK, NULL, NO_MAP, {
		BPF_MOV64_REG(BPF_REG_0, BPF_REG_2),                  /* <- reads r2 */
		BPF_EXIT_INSN(),
	}, REJECT, { "R2 !read_ok" }, "!read_ok", 0,
}, {
	"uninit_register_fixed", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_MOV64_REG(BPF_REG_0, BPF_REG_2),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0,
}, {
	/* exit without a return value */
	"no_return_value", SOCK, NULL, NO_MAP, {
		BPF_EXIT_INSN(),                                      /* <- r0 unset */
	}, REJECT, { "R0 !read_ok" }, "R0 !read_ok", 0,
}, {
	"no_return_value_fixed", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0,
}, {
	/* a store below the 512-byte frame */
	"stack_out_of_frame", SOCK, NULL, NO_MAP, {
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -520, 0),              /* <- fp-520 */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "stack R10 off=-520 size=8" }, "invalid write to stack", 0,
}, {
	"stack_out_of_frame_fixed", SOCK, NULL, NO_MAP, {
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -512, 0),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0,
}, {
	/* char *v = lookup(...); if (v) return v[bpf_get_prandom_u32()]; -- i unchecked */
	"index_unbounded_min", SOCK, NULL, MAP_ARRAY, {
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_0),
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 2),
		BPF_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6),         /* <- v + i */
		BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "math between map_value pointer and register with unbounded min value" },
	"unbounded min value", 0,
}, {
	/* the same with i >= 0 checked but no upper bound */
	"index_unbounded_max", SOCK, NULL, MAP_ARRAY, {
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_0),
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 4),
		BPF_JMP_IMM(BPF_JSLT, BPF_REG_6, 0, 3),               /* <- only i < 0 out */
		BPF_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6),
		BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R0 unbounded memory access" }, "unbounded memory access", 0,
}, {
	"index_unbounded_max_fixed", SOCK, NULL, MAP_ARRAY, {
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_0),
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 4),
		BPF_JMP_IMM(BPF_JGT, BPF_REG_6, 15, 3),               /* if (i > 15) out */
		BPF_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6),
		BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0,
}, {
	/* XDP: return *(u8 *)ctx->data -- no comparison with data_end */
	"packet_unchecked", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 0),          /* r2 = ctx->data */
		BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_2, 0),          /* <- *(u8 *)data */
		BPF_MOV64_IMM(BPF_REG_0, 2),                          /* XDP_PASS */
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid access to packet|R2 offset is outside of the packet" },
	"invalid access to packet|offset is outside of the packet", 0,
}, {
	"packet_unchecked_fixed", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 0),          /* r2 = ctx->data */
		BPF_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1, 4),          /* r3 = ctx->data_end */
		BPF_MOV64_REG(BPF_REG_4, BPF_REG_2),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_4, 1),
		BPF_JMP_REG(BPF_JGT, BPF_REG_4, BPF_REG_3, 1),        /* if (data + 1 > end) */
		BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_2, 0),
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0,
}, {
	/* for (;;) ; */
	"infinite_loop", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_JMP_A(-1),                                        /* <- jumps to itself */
	}, REJECT, { "infinite loop detected at insn 1" }, "infinite loop detected", 0,
}, {
	/* for (i = 0; i < 0x7fffffff; i++) ; -- bounded, but far too long to walk */
	"loop_too_long", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_1, 0),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, 1),
		BPF_JMP_IMM(BPF_JLT, BPF_REG_1, 0x7fffffff, -2),      /* <- 2^31 rounds */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "BPF program is too large" }, "BPF program is too large", VC_QUIET_LOG,
}, {
	"loop_too_long_fixed", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_1, 0),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, 1),
		BPF_JMP_IMM(BPF_JLT, BPF_REG_1, 100, -2),             /* 100 rounds */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0,
}, {
	/* code after the last exit that nothing jumps to */
	"unreachable_code", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 1),                          /* <- dead */
		BPF_EXIT_INSN(),
	}, REJECT, { "unreachable insn 2" }, "unreachable insn", 0,
}, {
	"jump_out_of_range", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_JMP_A(5),                                         /* <- past the end */
		BPF_EXIT_INSN(),
	}, REJECT, { "jump out of range from insn 1 to 7" }, "jump out of range", 0,
}, {
	/* main and a subprogram each with a 304-byte local: 320 + 320 > 512 */
	"combined_stack_too_big", SOCK, NULL, NO_MAP, {
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -304, 0),
		BPF_CALL_REL(2),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -304, 0),              /* <- 304 more */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "combined stack size of 2 calls" }, "combined stack size", 0,
}, {
	"combined_stack_too_big_fixed", SOCK, NULL, NO_MAP, {
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -304, 0),
		BPF_CALL_REL(2),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -96, 0),               /* 96 fits */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0,
}, {
	/* bpf_trace_printk("hi\n", 4) from a program whose license is not GPL */
	"gpl_only_helper", SOCK, "Proprietary", NO_MAP, {
		BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 0x000a6968),        /* "hi\n\0" */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -4),
		BPF_MOV64_IMM(BPF_REG_2, 4),
		BPF_EMIT_CALL(BPF_FUNC_trace_printk),                 /* <- GPL only */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "cannot call GPL-restricted function from non-GPL compatible program" },
	"GPL-restricted", 0,
}, {
	"gpl_only_helper_fixed", SOCK, "Dual BSD/GPL", NO_MAP, {
		BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 0x000a6968),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -4),
		BPF_MOV64_IMM(BPF_REG_2, 4),
		BPF_EMIT_CALL(BPF_FUNC_trace_printk),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0,
}, {
	/* a socket filter may not override a kernel function's return value */
	"helper_not_for_this_type", SOCK, NULL, NO_MAP, {
		BPF_EMIT_CALL(BPF_FUNC_override_return),              /* <- kprobes only */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "unknown func bpf_override_return#58|cannot use helper bpf_override_return#58" },
	"unknown func|cannot use helper", 0,
}, {
	"helper_unknown", SOCK, NULL, NO_MAP, {
		BPF_EMIT_CALL(9999),                                  /* <- no such helper */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid func unknown#9999" }, "invalid func unknown#", 0,
}, {
	/* reserve ring buffer space and never submit it */
	"ringbuf_not_submitted", SOCK, NULL, MAP_RINGBUF, {
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve),
		BPF_MOV64_IMM(BPF_REG_0, 0),                          /* <- reservation lost */
		BPF_EXIT_INSN(),
	}, REJECT, { "Unreleased reference|would lead to reference leak" },
	"Unreleased reference|reference leak", 0,
}, {
	"ringbuf_not_submitted_fixed", SOCK, NULL, MAP_RINGBUF, {
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 4),
		BPF_ST_MEM(BPF_DW, BPF_REG_0, 0, 1),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_0),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_submit),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0,
}, {
	/* void *p = bpf_ringbuf_reserve(&rb, 8, 0); *(u64 *)p = 1;  -- p may be NULL */
	"ringbuf_null_check_missing", SOCK, NULL, MAP_RINGBUF, {
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve),
		BPF_ST_MEM(BPF_DW, BPF_REG_0, 0, 1),                  /* <- *p */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_0),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_submit),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R0 invalid mem access 'ringbuf_mem_or_null'|R0 invalid mem access 'alloc_mem_or_null'" },
	"_or_null'", 0,
}, {
	/* return *(u64 *)(fp - 8) -- never written */
	"stack_read_uninit", SOCK, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -8),       /* <- fp-8 unset */
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid read from stack" }, "invalid read from stack", VC_BPF_ONLY,
}, {
	/* bpf_map_lookup_elem(&arr, &key) with key never written */
	"stack_key_uninit", SOCK, NULL, MAP_HASH, {
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4),                /* <- fp-4 unset */
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid indirect read from stack R2|invalid read from stack R2" },
	"invalid indirect read from stack|invalid read from stack", VC_BPF_ONLY,
}, {
	/* for (i = 0; i < 100000; i++) if (bpf_get_prandom_u32() > 1000) x = 1;
	 * -- each round leaves one branch queued for later: the queue overflows */
	"too_many_branches", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_7, 0),
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_JMP_IMM(BPF_JGT, BPF_REG_0, 1000, 1),             /* <- queued each round */
		BPF_MOV64_IMM(BPF_REG_8, 1),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_7, 1),
		BPF_JMP_IMM(BPF_JLT, BPF_REG_7, 100000, -5),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "jumps is too complex" }, "is too complex", VC_QUIET_LOG,
},
};

/* Slots in a row: up to the last non-zero one. */
static inline int vcase_len(const struct vcase *c)
{
	int n = sizeof(c->insns) / sizeof(c->insns[0]);

	while (n > 0 && !c->insns[n - 1].code && !c->insns[n - 1].imm)
		n--;
	return n;
}

/* Create the row's map (if any), put its fd in every map load, load the program
 * with a level-1 log.  Returns the program fd or -errno; *log as rbpf_load_insns. */
static inline int vcase_load_here(const struct vcase *c, char **log)
{
	struct bpf_insn insns[sizeof(c->insns) / sizeof(c->insns[0])];
	struct rbpf_map_create_args m = {
		.type = c->map == MAP_RINGBUF ? BPF_MAP_TYPE_RINGBUF :
			c->map == MAP_HASH ? BPF_MAP_TYPE_HASH : BPF_MAP_TYPE_ARRAY,
		.name = "vcase", .key_size = c->map == MAP_RINGBUF ? 0 : 4,
		.value_size = c->map == MAP_RINGBUF ? 0 : 16,
		.max_entries = c->map == MAP_RINGBUF ? 4096 : 1,
	};
	struct rbpf_prog_load_args a = {
		.type = c->type, .name = c->name, .insns = insns, .insn_cnt = vcase_len(c),
		.license = c->license ? c->license : "GPL",
		.log_level = c->flags & VC_QUIET_LOG ? 4 : 1,
	};
	int i, fd, map_fd = -1;

	*log = NULL;
	memcpy(insns, c->insns, sizeof(insns));
	if (c->map != NO_MAP) {
		map_fd = rbpf_map_create(&m);
		if (map_fd < 0)
			return rbpf_error(map_fd, "vcase %s: cannot create its map", c->name);
	}
	for (i = 0; i < (int)a.insn_cnt; i++)
		if (insns[i].code == (BPF_LD | BPF_DW | BPF_IMM) &&
		    insns[i].src_reg == BPF_PSEUDO_MAP_FD)
			insns[i].imm = map_fd;
	fd = rbpf_load_insns(&a, log);
	if (map_fd >= 0)
		close(map_fd);          /* the program keeps its own reference */
	return fd;
}

/* Keep CAP_BPF, drop CAP_PERFMON and CAP_SYS_ADMIN (the effective set only). */
static inline int vcase_drop_perfmon(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	d[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
	d[CAP_PERFMON / 32].effective &= ~(1u << (CAP_PERFMON % 32));
	d[CAP_BPF / 32].effective |= 1u << (CAP_BPF % 32);
	return syscall(SYS_capset, &h, d);
}

/* vcase_load_here, or for a VC_BPF_ONLY row the same in a child process with fewer
 * capabilities (the log comes back through shared memory; the fd stays there, so
 * an accepted VC_BPF_ONLY row returns 0). */
static inline int vcase_load(const struct vcase *c, char **log)
{
	enum { LOG_MAX = 1 << 20 };
	char *shared, *child_log;
	int status, *ret;
	pid_t pid;

	if (!(c->flags & VC_BPF_ONLY))
		return vcase_load_here(c, log);
	*log = NULL;
	shared = mmap(NULL, LOG_MAX + 8, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return rbpf_error(errno, "vcase %s: mmap", c->name);
	ret = (int *)shared;
	*ret = -ECHILD;
	pid = fork();
	if (pid == 0) {
		int fd = vcase_drop_perfmon() < 0 ? -EPERM : vcase_load_here(c, &child_log);

		*ret = fd < 0 ? fd : 0;
		if (fd < 0 && child_log)
			snprintf(shared + 8, LOG_MAX, "%s", child_log);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (*ret < 0 && shared[8])
		*log = strdup(shared + 8);
	status = *ret;
	munmap(shared, LOG_MAX + 8);
	if (status < 0 && *log)
		rbpf_error(status, "load prog %s (CAP_BPF only): rejected", c->name);
	return status;
}

/* Where one expected message occurs in p: "A|B" accepts either wording (the kernel's
 * wording changed between versions).  Sets *len to the matched length. */
static inline const char *vcase_find(const char *p, const char *pattern, size_t *len)
{
	const char *best = NULL;
	char alt[160];

	while (*pattern) {
		size_t n = strcspn(pattern, "|");
		const char *q;

		snprintf(alt, sizeof(alt), "%.*s", (int)n, pattern);
		q = strstr(p, alt);
		if (q && (!best || q < best)) {
			best = q;
			*len = n;
		}
		pattern += n + (pattern[n] == '|');
	}
	return best;
}

/* Does the log contain the row's substrings, in order?  NULL if so, else the first
 * one missing. */
static inline const char *vcase_missing(const struct vcase *c, const char *log)
{
	const char *p = log ? log : "";
	size_t len = 0;
	int i;

	for (i = 0; i < 3 && c->msgs[i]; i++) {
		const char *q = vcase_find(p, c->msgs[i], &len);

		if (!q)
			return c->msgs[i];
		p = q + len;
	}
	return NULL;
}

/* Is the hint that came out one the row allows ("A|B": either)? */
static inline int vcase_hint_ok(const struct vcase *c, const struct rbpf_hint *h)
{
	size_t len;

	return h && vcase_find(c->hint, h->match, &len) != NULL;
}

#endif
