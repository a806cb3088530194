/*
 * vcases_null.h -- rows of the rejection catalogue (asm/verifier_cases.h), family
 * pointers: NULL checks, numbers used as pointers, registers never written.
 * Included inside the vcases[] table: rows only.
 */
#define FAMILY "null"
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
	}, REJECT, { "invalid mem access 'map_value_or_null'" }, "null_lookup", 0, NULL, NULL, FAMILY,
}, {
	"null_check_missing_fixed", SOCK, NULL, MAP_HASH, {
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 1),                /* if (!v) return 0 */
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* return *(u64 *)0 */
	"deref_scalar", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_1, 0),
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 0),         /* <- *(u64 *)r1 */
		BPF_EXIT_INSN(),
	}, REJECT, { "R1 invalid mem access 'scalar'" }, "scalar_deref", 0, NULL, NULL, FAMILY,
}, {
	/* r0 = r2 -- r2 was never written */
	"uninit_register", SOCK, NULL, NO_MAP, {
		BPF_MOV64_REG(BPF_REG_0, BPF_REG_2),                  /* <- reads r2 */
		BPF_EXIT_INSN(),
	}, REJECT, { "R2 !read_ok" }, "uninit_register", 0, NULL, NULL, FAMILY,
}, {
	"uninit_register_fixed", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_MOV64_REG(BPF_REG_0, BPF_REG_2),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* exit without a return value */
	"no_return_value", SOCK, NULL, NO_MAP, {
		BPF_EXIT_INSN(),                                      /* <- r0 unset */
	}, REJECT, { "R0 !read_ok" }, "no_return_value", 0, NULL, NULL, FAMILY,
}, {
	"no_return_value_fixed", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
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
	"null_ringbuf", 0, "R0 invalid mem access 'alloc_mem_or_null'",
	"R0 invalid mem access 'ringbuf_mem_or_null'", FAMILY,
}, {
	/* raw tracepoint sys_enter: struct pt_regs *regs = ctx->args[0]; return regs->di;
	 * -- a pointer read from the context is a number to the verifier */
	"ctx_field_pointer", BPF_PROG_TYPE_RAW_TRACEPOINT, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_1, 0),
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_2, 112),       /* <- regs->di */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R2 invalid mem access 'scalar'" }, "ctx_field_pointer", 0, NULL, NULL, FAMILY,
}, {
	/* bpf_probe_read_kernel(&di, 8, &regs->di) */
	"ctx_field_pointer_fixed", BPF_PROG_TYPE_RAW_TRACEPOINT, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_1, 0),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_3, 112),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -8),
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_EMIT_CALL(BPF_FUNC_probe_read_kernel),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* u32 *v = lookup(...) + 1; if (v) ...  -- the offset added before the test */
	"arith_on_null", SOCK, NULL, MAP_HASH, {
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_0, 4),                 /* <- v + 1 */
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 1),
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R0 pointer arithmetic on map_value_or_null prohibited, null-check it first" },
	"arith_on_null", 0, NULL, NULL, FAMILY,
}, {
	"arith_on_null_fixed", SOCK, NULL, MAP_HASH, {
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 2),                /* test first */
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_0, 4),
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	"ringbuf_null_check_missing_fixed", SOCK, NULL, MAP_RINGBUF, {
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 4),                /* if (!p) return 0 */
		BPF_ST_MEM(BPF_DW, BPF_REG_0, 0, 1),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_0),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_submit),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* a ring buffer record as a dynptr; p = bpf_dynptr_data(&d, 0, 8); *p = 1;  -- p may be
	 * NULL (the record may be shorter) */
	"dynptr_data_null", SOCK, NULL, MAP_RINGBUF, {
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_MOV64_REG(BPF_REG_4, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_4, -16),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve_dynptr),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -16),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_MOV64_IMM(BPF_REG_3, 8),
		BPF_EMIT_CALL(BPF_FUNC_dynptr_data),
		BPF_ST_MEM(BPF_DW, BPF_REG_0, 0, 1),                  /* <- *p */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -16),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_discard_dynptr),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R0 invalid mem access 'mem_or_null'|R0 invalid mem access 'rdwr_mem_or_null'" },
	"null_other", 0, NULL, NULL, FAMILY,
}, {
	"dynptr_data_null_fixed", SOCK, NULL, MAP_RINGBUF, {
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_MOV64_REG(BPF_REG_4, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_4, -16),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve_dynptr),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -16),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_MOV64_IMM(BPF_REG_3, 8),
		BPF_EMIT_CALL(BPF_FUNC_dynptr_data),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 1),                /* if (p) */
		BPF_ST_MEM(BPF_DW, BPF_REG_0, 0, 1),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -16),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_discard_dynptr),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
},
#undef FAMILY
