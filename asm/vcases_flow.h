/*
 * vcases_flow.h -- rows of the rejection catalogue (asm/verifier_cases.h), family
 * control flow: loops, unreachable code, calls and their stacks.
 * Included inside the vcases[] table: rows only.
 */
#define FAMILY "flow"
{
	/* for (;;) ; */
	"infinite_loop", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_JMP_A(-1),                                        /* <- jumps to itself */
	}, REJECT, { "infinite loop detected at insn 1" }, "infinite_loop", 0, NULL, NULL, FAMILY,
}, {
	/* for (i = 0; i < 0x7fffffff; i++) ; -- bounded, but far too long to walk */
	"loop_too_long", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_1, 0),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, 1),
		BPF_JMP_IMM(BPF_JLT, BPF_REG_1, 0x7fffffff, -2),      /* <- 2^31 rounds */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "BPF program is too large" }, "too_large", VC_QUIET_LOG, NULL, NULL, FAMILY,
}, {
	"loop_too_long_fixed", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_1, 0),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, 1),
		BPF_JMP_IMM(BPF_JLT, BPF_REG_1, 100, -2),             /* 100 rounds */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* code after the last exit that nothing jumps to */
	"unreachable_code", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 1),                          /* <- dead */
		BPF_EXIT_INSN(),
	}, REJECT, { "unreachable insn 2" }, "unreachable", 0, NULL, NULL, FAMILY,
}, {
	"jump_out_of_range", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_JMP_A(5),                                         /* <- past the end */
		BPF_EXIT_INSN(),
	}, REJECT, { "jump out of range from insn 1 to 7" }, "jump_range", 0, NULL, NULL, FAMILY,
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
	}, REJECT, { "combined stack size of 2 calls" }, "stack_chain", 0, NULL, NULL, FAMILY,
}, {
	"combined_stack_too_big_fixed", SOCK, NULL, NO_MAP, {
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -304, 0),
		BPF_CALL_REL(2),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -96, 0),               /* 96 fits */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
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
	}, REJECT, { "jumps is too complex" }, "too_complex", VC_QUIET_LOG, NULL, NULL, FAMILY,
}, {
	/* main calls f(), which reads r2: main never set it */
	"callee_arg_unset", SOCK, NULL, NO_MAP, {
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_MOV64_REG(BPF_REG_0, BPF_REG_2),                  /* <- f reads r2 */
		BPF_EXIT_INSN(),
	}, REJECT, { "R2 !read_ok" }, "callee_arg", 0, NULL, NULL, FAMILY,
}, {
	"callee_arg_unset_fixed", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_2, 0),                          /* f(ctx, 0) */
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_MOV64_REG(BPF_REG_0, BPF_REG_2),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* main -> f1 -> f2 -> ... -> f8: nine frames, the limit is eight */
	"calls_too_deep", SOCK, NULL, NO_MAP, {
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_CALL_REL(1),                                     /* <- the 9th frame */
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "the call stack of 9 frames is too deep" }, "calls_too_deep", 0, NULL, NULL, FAMILY,
}, {
	"calls_too_deep_fixed", SOCK, NULL, NO_MAP, {
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_CALL_REL(1),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	"infinite_loop_fixed", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_0, 1),                 /* r0 changes */
		BPF_JMP_IMM(BPF_JLT, BPF_REG_0, 4, -2),               /* and ends the loop */
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
},
#undef FAMILY
