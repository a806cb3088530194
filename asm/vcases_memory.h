/*
 * vcases_memory.h -- rows of the rejection catalogue (asm/verifier_cases.h), family
 * memory: map values, the stack, the context, packets.
 * Included inside the vcases[] table: rows only.
 */
#define FAMILY "memory"
{
	/* a store below the 512-byte frame */
	"stack_out_of_frame", SOCK, NULL, NO_MAP, {
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -520, 0),              /* <- fp-520 */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "stack R10 off=-520 size=8" }, "stack_frame", 0, NULL, NULL, FAMILY,
}, {
	"stack_out_of_frame_fixed", SOCK, NULL, NO_MAP, {
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -512, 0),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
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
	"index_negative", 0, NULL, NULL, FAMILY,
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
	}, REJECT, { "R0 unbounded memory access" }, "index_unbounded", 0, NULL, NULL, FAMILY,
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
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* XDP: return *(u8 *)ctx->data -- no comparison with data_end */
	"packet_unchecked", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 0),          /* r2 = ctx->data */
		BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_2, 0),          /* <- *(u8 *)data */
		BPF_MOV64_IMM(BPF_REG_0, 2),                          /* XDP_PASS */
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid access to packet|R2 offset is outside of the packet" },
	"packet_unchecked", 0, "invalid access to packet, off=0 size=1",
	"R2 offset is outside of the packet", FAMILY,
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
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* return *(u64 *)(fp - 8) -- never written */
	"stack_read_uninit", SOCK, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -8),       /* <- fp-8 unset */
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid read from stack" }, "stack_uninit", VC_BPF_ONLY, NULL, NULL, FAMILY,
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
	"stack_uninit_arg|stack_uninit", VC_BPF_ONLY, "invalid indirect read from stack R2 off -4+0 size 4",
	"invalid read from stack R2 off=-4 size=4", FAMILY,
}, {
	/* u32 *v = lookup(&arr, &key); if (v) return v[4];  -- v[0..3] only (16 bytes) */
	"value_off_by_one", SOCK, NULL, MAP_ARRAY, {
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 1),
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_0, 16),         /* <- one past the end */
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid access to map value, value_size=16 off=16 size=4",
		     "R0 min value is outside of the allowed memory range" },
	"value_const_off", 0, NULL, NULL, FAMILY,
}, {
	"value_off_by_one_fixed", SOCK, NULL, MAP_ARRAY, {
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 1),
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_0, 12),         /* v[3], the last */
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* u64 c[2] in the value; c[i & 15] += ...  -- the mask allows 16 elements, not 2 */
	"value_mask_too_wide", SOCK, NULL, MAP_ARRAY, {
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_0),
		BPF_ALU64_IMM(BPF_AND, BPF_REG_6, 15),                /* <- 0..15 */
		BPF_ALU64_IMM(BPF_LSH, BPF_REG_6, 3),                 /* bytes: 0..120 */
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 3),
		BPF_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6),
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid access to map value, value_size=16 off=120 size=8",
		     "R0 max value is outside of the allowed memory range" },
	"value_past_end", 0, NULL, NULL, FAMILY,
}, {
	"value_mask_too_wide_fixed", SOCK, NULL, MAP_ARRAY, {
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_0),
		BPF_ALU64_IMM(BPF_AND, BPF_REG_6, 1),                 /* 0..1: two elements */
		BPF_ALU64_IMM(BPF_LSH, BPF_REG_6, 3),
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 3),
		BPF_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6),
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* i = (rand & 7) - 8: -8..-1, bounded but negative; v[i] is before the value */
	"value_negative_index", SOCK, NULL, MAP_ARRAY, {
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_0),
		BPF_ALU64_IMM(BPF_AND, BPF_REG_6, 7),
		BPF_ALU64_IMM(BPF_SUB, BPF_REG_6, 8),                 /* <- -8..-1 */
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 3),
		BPF_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6),
		BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R0 min value is negative, either use unsigned index or do a if (index >=0) check" },
	"value_negative", 0, NULL, NULL, FAMILY,
}, {
	"value_negative_index_fixed", SOCK, NULL, MAP_ARRAY, {
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_0),
		BPF_ALU64_IMM(BPF_AND, BPF_REG_6, 7),                 /* 0..7 */
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 3),
		BPF_ALU64_REG(BPF_ADD, BPF_REG_0, BPF_REG_6),
		BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* int len = rand(); if (len > 16) return 0; bpf_skb_load_bytes(skb, 0, buf, len);
	 * -- len is signed: bounded above only, it may be negative */
	"size_negative", SOCK, NULL, NO_MAP, {
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_ALU64_IMM(BPF_LSH, BPF_REG_0, 32),
		BPF_ALU64_IMM(BPF_ARSH, BPF_REG_0, 32),               /* (int) */
		BPF_JMP_IMM(BPF_JSGT, BPF_REG_0, 16, 6),              /* <- signed test */
		BPF_MOV64_REG(BPF_REG_4, BPF_REG_0),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_MOV64_REG(BPF_REG_3, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_3, -16),
		BPF_EMIT_CALL(BPF_FUNC_skb_load_bytes),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R4 min value is negative, either use unsigned or 'var &= const'" },
	"size_negative", 0, NULL, NULL, FAMILY,
}, {
	/* the same with an unsigned test, and 0 refused too (the helper wants >= 1) */
	"size_negative_fixed", SOCK, NULL, NO_MAP, {
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_ALU64_IMM(BPF_LSH, BPF_REG_0, 32),
		BPF_ALU64_IMM(BPF_ARSH, BPF_REG_0, 32),
		BPF_JMP_IMM(BPF_JGT, BPF_REG_0, 16, 7),               /* unsigned: < 0 is huge */
		BPF_JMP_IMM(BPF_JLT, BPF_REG_0, 1, 6),                /* and not 0 */
		BPF_MOV64_REG(BPF_REG_4, BPF_REG_0),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_MOV64_REG(BPF_REG_3, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_3, -16),
		BPF_EMIT_CALL(BPF_FUNC_skb_load_bytes),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* bpf_skb_load_bytes(skb, 0, buf, (u32)rand() | 1) -- no upper bound on the size */
	"size_unbounded", SOCK, NULL, NO_MAP, {
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_MOV32_REG(BPF_REG_4, BPF_REG_0),
		BPF_ALU64_IMM(BPF_OR, BPF_REG_4, 1),                  /* <- 1..2^32-1 */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_MOV64_REG(BPF_REG_3, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_3, -16),
		BPF_EMIT_CALL(BPF_FUNC_skb_load_bytes),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R4 unbounded memory access, use 'var &= const' or 'if (var < const)'" },
	"size_unbounded", 0, NULL, NULL, FAMILY,
}, {
	/* char buf[16]; u32 i = rand(); buf[i] = 0;  -- the index has no upper bound */
	"stack_var_offset_write", SOCK, NULL, NO_MAP, {
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_MOV32_REG(BPF_REG_0, BPF_REG_0),                  /* (u32) */
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -16),
		BPF_ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_0),
		BPF_ST_MEM(BPF_B, BPF_REG_2, 0, 0),                   /* <- buf[i] = 0 */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid unbounded variable-offset write to stack R2" },
	"stack_var_offset", 0, NULL, NULL, FAMILY,
}, {
	"stack_var_offset_write_fixed", SOCK, NULL, NO_MAP, {
		BPF_EMIT_CALL(BPF_FUNC_get_prandom_u32),
		BPF_MOV32_REG(BPF_REG_0, BPF_REG_0),
		BPF_ALU64_IMM(BPF_AND, BPF_REG_0, 15),                /* i & 15: 0..15 */
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -16),
		BPF_ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_0),
		BPF_ST_MEM(BPF_B, BPF_REG_2, 0, 0),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	"stack_read_uninit_fixed", SOCK, NULL, NO_MAP, {
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -8, 0),                /* written first */
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_10, -8),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, VC_BPF_ONLY, NULL, NULL, FAMILY,
}, {
	"stack_key_uninit_fixed", SOCK, NULL, MAP_HASH, {
		KEY_ON_STACK,
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, VC_BPF_ONLY, NULL, NULL, FAMILY,
},
#undef FAMILY
