/*
 * vcases_refs.h -- rows of the rejection catalogue (asm/verifier_cases.h), family
 * references: what is acquired must be released, and is dead after.
 * Included inside the vcases[] table: rows only.
 */
#define FAMILY "refs"
{
	/* reserve ring buffer space and never submit it */
	"ringbuf_not_submitted", SOCK, NULL, MAP_RINGBUF, {
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve),
		BPF_MOV64_IMM(BPF_REG_0, 0),                          /* <- reservation lost */
		BPF_EXIT_INSN(),
	}, REJECT, { "Unreleased reference|would lead to reference leak" },
	"unreleased", 0, "Unreleased reference", "would lead to reference leak", FAMILY,
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
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* e = reserve(); if (!e) return; submit(e); *e = 1;  -- e died at the submit */
	"use_after_submit", SOCK, NULL, MAP_RINGBUF, {
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve),
		BPF_MOV64_REG(BPF_REG_7, BPF_REG_0),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_7, 0, 6),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_7),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_submit),
		BPF_ST_MEM(BPF_DW, BPF_REG_7, 0, 1),                  /* <- after submit */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R7 invalid mem access 'scalar'|R7 !read_ok" }, "use_after_release", 0,
	NULL, NULL, FAMILY,
}, {
	"use_after_submit_fixed", SOCK, NULL, MAP_RINGBUF, {
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve),
		BPF_MOV64_REG(BPF_REG_7, BPF_REG_0),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_7, 0, 6),
		BPF_ST_MEM(BPF_DW, BPF_REG_7, 0, 1),                  /* write, then submit */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_7),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_submit),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* e = reserve(); if (!e) return; if (rand() > 100) return;  -- kept on one path */
	"ringbuf_leak_on_branch", SOCK, NULL, MAP_RINGBUF, {
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve),
		BPF_MOV64_REG(BPF_REG_7, BPF_REG_0),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_7, 0, 6),
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_JMP_IMM(BPF_JGT, BPF_REG_0, 100, 4),              /* <- exits holding e */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_7),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_submit),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "Unreleased reference|would lead to reference leak" }, "unreleased", 0,
	"Unreleased reference", "would lead to reference leak", FAMILY,
}, {
	"ringbuf_leak_on_branch_fixed", SOCK, NULL, MAP_RINGBUF, {
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve),
		BPF_MOV64_REG(BPF_REG_7, BPF_REG_0),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_7, 0, 7),
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_7),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_JMP_IMM(BPF_JGT, BPF_REG_0, 100, 2),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_submit),
		BPF_JMP_A(1),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_discard),              /* that path gives it back */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* XDP: sk = bpf_sk_lookup_tcp(...); return XDP_PASS;  -- sk never released */
	"socket_not_released", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -16, 0),               /* an IPv4 tuple, 0s */
		BPF_ST_MEM(BPF_W, BPF_REG_10, -8, 0),
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -16),
		BPF_MOV64_IMM(BPF_REG_3, 12),
		BPF_MOV64_IMM(BPF_REG_4, -1),                         /* this netns */
		BPF_MOV64_IMM(BPF_REG_5, 0),
		BPF_EMIT_CALL(BPF_FUNC_sk_lookup_tcp),
		BPF_MOV64_IMM(BPF_REG_0, 2),                          /* <- sk lost */
		BPF_EXIT_INSN(),
	}, REJECT, { "Unreleased reference|would lead to reference leak" }, "unreleased", 0,
	"Unreleased reference", "would lead to reference leak", FAMILY,
}, {
	/* sk = lookup; return sk->family;  -- sk may be NULL */
	"socket_null_check_missing", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -16, 0),               /* an IPv4 tuple, 0s */
		BPF_ST_MEM(BPF_W, BPF_REG_10, -8, 0),
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -16),
		BPF_MOV64_IMM(BPF_REG_3, 12),
		BPF_MOV64_IMM(BPF_REG_4, -1),                         /* this netns */
		BPF_MOV64_IMM(BPF_REG_5, 0),
		BPF_EMIT_CALL(BPF_FUNC_sk_lookup_tcp),
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_0, 4),          /* <- sk->family */
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, REJECT, { "R0 invalid mem access 'sock_or_null'" }, "null_socket", 0, NULL, NULL, FAMILY,
}, {
	/* sk = lookup; if (sk) { bpf_sk_release(sk); f = sk->family; }  -- sk is gone */
	"socket_use_after_release", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -16, 0),               /* an IPv4 tuple, 0s */
		BPF_ST_MEM(BPF_W, BPF_REG_10, -8, 0),
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -16),
		BPF_MOV64_IMM(BPF_REG_3, 12),
		BPF_MOV64_IMM(BPF_REG_4, -1),                         /* this netns */
		BPF_MOV64_IMM(BPF_REG_5, 0),
		BPF_EMIT_CALL(BPF_FUNC_sk_lookup_tcp),
		BPF_MOV64_REG(BPF_REG_7, BPF_REG_0),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_7, 0, 3),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_7),
		BPF_EMIT_CALL(BPF_FUNC_sk_release),
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_7, 4),          /* <- after release */
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, REJECT, { "R7 invalid mem access 'scalar'|R7 !read_ok" }, "use_after_release", 0,
	NULL, NULL, FAMILY,
}, {
	"socket_fixed", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -16, 0),               /* an IPv4 tuple, 0s */
		BPF_ST_MEM(BPF_W, BPF_REG_10, -8, 0),
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -16),
		BPF_MOV64_IMM(BPF_REG_3, 12),
		BPF_MOV64_IMM(BPF_REG_4, -1),                         /* this netns */
		BPF_MOV64_IMM(BPF_REG_5, 0),
		BPF_EMIT_CALL(BPF_FUNC_sk_lookup_tcp),
		BPF_MOV64_REG(BPF_REG_7, BPF_REG_0),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_7, 0, 3),                /* tested */
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_7, 4),          /* used */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_7),
		BPF_EMIT_CALL(BPF_FUNC_sk_release),                   /* then released */
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* a syscall program: m = bpf_cpumask_create(); if (m) return 0;  -- a kfunc's
	 * object kept on one path (kfuncs acquire references as helpers do) */
	"kfunc_not_released", BPF_PROG_TYPE_SYSCALL, NULL, NO_MAP, {
		KFUNC(KF_CPUMASK_CREATE),
		BPF_MOV64_REG(BPF_REG_7, BPF_REG_0),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_7, 0, 1),
		BPF_MOV64_IMM(BPF_REG_0, 0),                          /* <- m still held */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "Unreleased reference|would lead to reference leak" }, "unreleased",
	VC_SLEEPABLE, "Unreleased reference", "would lead to reference leak", FAMILY,
}, {
	/* m = bpf_cpumask_create(); if (m) { bpf_cpumask_release(m); read *m; } */
	"kfunc_use_after_release", BPF_PROG_TYPE_SYSCALL, NULL, NO_MAP, {
		KFUNC(KF_CPUMASK_CREATE),
		BPF_MOV64_REG(BPF_REG_7, BPF_REG_0),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_7, 0, 3),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_7),
		KFUNC(KF_CPUMASK_RELEASE),
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_7, 0),         /* <- after release */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R7 invalid mem access 'scalar'|R7 !read_ok" }, "use_after_release",
	VC_SLEEPABLE, NULL, NULL, FAMILY,
}, {
	"kfunc_fixed", BPF_PROG_TYPE_SYSCALL, NULL, NO_MAP, {
		KFUNC(KF_CPUMASK_CREATE),
		BPF_MOV64_REG(BPF_REG_7, BPF_REG_0),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_7, 0, 3),
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_7, 0),         /* used */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_7),
		KFUNC(KF_CPUMASK_RELEASE),                            /* then released */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, VC_SLEEPABLE, NULL, NULL, FAMILY,
},
#undef FAMILY
