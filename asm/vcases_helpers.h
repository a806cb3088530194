/*
 * vcases_helpers.h -- rows of the rejection catalogue (asm/verifier_cases.h), family
 * helpers: argument types, licenses, which program type may call what.
 * Included inside the vcases[] table: rows only.
 */
#define FAMILY "helpers"
{
	/* bpf_map_lookup_elem(&arr, ctx) -- the key must be memory the helper can read */
	"ctx_as_key", SOCK, NULL, MAP_ARRAY, {
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_1),                  /* <- key = ctx */
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R2 type=ctx expected=fp" }, "ctx_as_arg", 0, NULL, NULL, FAMILY,
}, {
	/* bpf_map_lookup_elem(0, &key) -- r1 must be a map */
	"scalar_as_map", SOCK, NULL, NO_MAP, {
		KEY_ON_STACK,
		BPF_MOV64_IMM(BPF_REG_1, 0),                          /* <- map = 0 */
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R1 type=scalar expected=map_ptr" }, "arg_type", 0, NULL, NULL, FAMILY,
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
	"gpl_only", 0, NULL, NULL, FAMILY,
}, {
	"gpl_only_helper_fixed", SOCK, "Dual BSD/GPL", NO_MAP, {
		BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 0x000a6968),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -4),
		BPF_MOV64_IMM(BPF_REG_2, 4),
		BPF_EMIT_CALL(BPF_FUNC_trace_printk),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* a socket filter may not override a kernel function's return value */
	"helper_not_for_this_type", SOCK, NULL, NO_MAP, {
		BPF_EMIT_CALL(BPF_FUNC_override_return),              /* <- kprobes only */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "unknown func bpf_override_return#58|cannot use helper bpf_override_return#58" },
	"helper_not_allowed", 0, "unknown func bpf_override_return#58",
	"program of this type cannot use helper bpf_override_return#58", FAMILY,
}, {
	"helper_unknown", SOCK, NULL, NO_MAP, {
		BPF_EMIT_CALL(9999),                                  /* <- no such helper */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid func unknown#9999" }, "helper_unknown", 0, NULL, NULL, FAMILY,
}, {
	/* bpf_ringbuf_reserve(&an_array, 8, 0) -- the helper wants a ring buffer map */
	"wrong_map_type", SOCK, NULL, MAP_ARRAY, {
		BPF_LD_MAP_FD(BPF_REG_1, 0),                          /* <- an array */
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "cannot pass map_type 2 into func bpf_ringbuf_reserve#131" }, "map_type", 0,
	NULL, NULL, FAMILY,
}, {
	"wrong_map_type_fixed", SOCK, NULL, MAP_RINGBUF, {
		BPF_LD_MAP_FD(BPF_REG_1, 0),                          /* a ring buffer */
		BPF_MOV64_IMM(BPF_REG_2, 8),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 3),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_0),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_discard),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* XDP code copied from tc: bpf_skb_load_bytes() is for socket buffers */
	"xdp_skb_helper", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_MOV64_REG(BPF_REG_3, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_3, -4),
		BPF_MOV64_IMM(BPF_REG_4, 4),
		BPF_EMIT_CALL(BPF_FUNC_skb_load_bytes),               /* <- not for XDP */
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, REJECT, { "unknown func bpf_skb_load_bytes#26|cannot use helper bpf_skb_load_bytes#26" },
	"helper_not_allowed", 0, "unknown func bpf_skb_load_bytes#26",
	"program of this type cannot use helper bpf_skb_load_bytes#26", FAMILY,
}, {
	/* XDP's own: bpf_xdp_load_bytes() (5.18+) */
	"xdp_skb_helper_fixed", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_MOV64_REG(BPF_REG_3, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_3, -4),
		BPF_MOV64_IMM(BPF_REG_4, 4),
		BPF_EMIT_CALL(BPF_FUNC_xdp_load_bytes),
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* bpf_map_lookup_elem(&arr, 4) -- the key must be a pointer, not the number */
	"scalar_as_key", SOCK, NULL, MAP_ARRAY, {
		BPF_MOV64_IMM(BPF_REG_2, 4),                          /* <- key = 4 */
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "R2 type=scalar expected=" }, "arg_type", 0, NULL, NULL, FAMILY,
}, {
	"scalar_as_key_fixed", SOCK, NULL, MAP_ARRAY, {
		KEY_ON_STACK,                                         /* &key, key on the stack */
		BPF_LD_MAP_FD(BPF_REG_1, 0),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
},
#undef FAMILY
