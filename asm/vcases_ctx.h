/*
 * vcases_ctx.h -- rows of the rejection catalogue (asm/verifier_cases.h), family
 * context and packet: the program's argument, read and written per program type,
 * and packet bytes before and after the packet moves.
 * Included inside the vcases[] table: rows only.
 */
#define FAMILY "ctx"
{
	/* XDP: ctx->(field at 24) -- struct xdp_md ends at 24 */
	"xdp_ctx_past_end", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 24),         /* <- past the end */
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid bpf_context access off=24 size=4" }, "ctx_read", 0, NULL, NULL, FAMILY,
}, {
	"xdp_ctx_past_end_fixed", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 16),         /* rx_queue_index */
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* XDP: ctx->data += 14 -- the context is read-only */
	"xdp_ctx_write", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 0),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, 14),
		BPF_STX_MEM(BPF_W, BPF_REG_1, BPF_REG_2, 0),          /* <- ctx->data = */
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid bpf_context access off=0 size=4" }, "ctx_write", 0, NULL, NULL, FAMILY,
}, {
	/* what ctx->data += 14 meant: bpf_xdp_adjust_head(ctx, 14) */
	"xdp_ctx_write_fixed", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_2, 14),
		BPF_EMIT_CALL(BPF_FUNC_xdp_adjust_head),
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* XDP: ctx += 16; return *(u32 *)ctx -- fields only at constant offsets from ctx */
	"ctx_modified", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, 16),
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 0),          /* <- through ctx + 16 */
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, REJECT, { "dereference of modified ctx ptr R1 off=16 disallowed" }, "ctx_modified", 0,
	NULL, NULL, FAMILY,
}, {
	/* socket filter: skb->data -- not readable from this program type */
	"sock_ctx_data", SOCK, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 76),         /* <- __sk_buff.data */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid bpf_context access off=76 size=4" }, "ctx_read", 0, NULL, NULL, FAMILY,
}, {
	/* the socket filter's way: bpf_skb_load_bytes(skb, 0, buf, 4) */
	"sock_ctx_data_fixed", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_MOV64_REG(BPF_REG_3, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_3, -4),
		BPF_MOV64_IMM(BPF_REG_4, 4),
		BPF_EMIT_CALL(BPF_FUNC_skb_load_bytes),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* socket filter: skb->len = 0 */
	"sock_ctx_write", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_STX_MEM(BPF_W, BPF_REG_1, BPF_REG_2, 0),          /* <- __sk_buff.len */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid bpf_context access off=0 size=4" }, "ctx_write", 0, NULL, NULL, FAMILY,
}, {
	/* skb->cb[0] is the scratch space a socket filter may write */
	"sock_ctx_write_fixed", SOCK, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_STX_MEM(BPF_W, BPF_REG_1, BPF_REG_2, 48),         /* __sk_buff.cb[0] */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* tracepoint: the record is read-only */
	"tp_ctx_write", BPF_PROG_TYPE_TRACEPOINT, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_2, 16),        /* <- args[0] = 0 */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid bpf_context access off=16 size=8" }, "ctx_write", 0, NULL, NULL, FAMILY,
}, {
	"tp_ctx_write_fixed", BPF_PROG_TYPE_TRACEPOINT, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_1, 16),        /* read it instead */
		BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_2, -8),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* raw tracepoint: ctx is u64 args[12]; args[12] is past it */
	"raw_tp_ctx_past_end", BPF_PROG_TYPE_RAW_TRACEPOINT, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 96),        /* <- args[12] */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid bpf_context access off=96 size=8" }, "ctx_read", 0, NULL, NULL, FAMILY,
}, {
	"raw_tp_ctx_past_end_fixed", BPF_PROG_TYPE_RAW_TRACEPOINT, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 8),         /* args[1] */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* kprobe: ctx is struct pt_regs (168 bytes on x86-64) */
	"kprobe_ctx_past_end", BPF_PROG_TYPE_KPROBE, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 168),       /* <- past pt_regs */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid bpf_context access off=168 size=8" }, "ctx_read", 0, NULL, NULL, FAMILY,
}, {
	"kprobe_ctx_past_end_fixed", BPF_PROG_TYPE_KPROBE, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 112),       /* regs->di */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* tracepoint: a record is at most PERF_MAX_TRACE_SIZE (8192) bytes */
	"tp_ctx_past_end", BPF_PROG_TYPE_TRACEPOINT, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 8192),      /* <- past any record */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid bpf_context access off=8192 size=8" }, "ctx_read", 0, NULL, NULL, FAMILY,
}, {
	/* raw tracepoint: args[] are the event's arguments, read-only */
	"raw_tp_ctx_write", BPF_PROG_TYPE_RAW_TRACEPOINT, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_2, 8),         /* <- args[1] = 0 */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid bpf_context access off=8 size=8" }, "ctx_write", 0, NULL, NULL, FAMILY,
}, {
	/* kprobe: the registers can be read, not changed (bpf_override_return() is the
	 * one way to change what a function returns) */
	"kprobe_ctx_write", BPF_PROG_TYPE_KPROBE, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_2, 112),       /* <- regs->di = 0 */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid bpf_context access off=112 size=8" }, "ctx_write", 0, NULL, NULL, FAMILY,
}, {
	/* cgroup skb: return 2 -- only 0 (drop) and 1 (allow) mean anything */
	"cgroup_skb_return", BPF_PROG_TYPE_CGROUP_SKB, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),                                      /* <- 2 */
	}, REJECT, { "At program exit the register R0 has" }, "return_range", 0,
	"should have been in (0x0; 0x1)", "should have been in [0, 1]", FAMILY,
}, {
	"cgroup_skb_return_fixed", BPF_PROG_TYPE_CGROUP_SKB, NULL, NO_MAP, {
		BPF_MOV64_IMM(BPF_REG_0, 1),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* XDP: if (data + 14 > end) return; return data[14];  -- bytes 0..13 proven only */
	"packet_past_check", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 0),
		BPF_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1, 4),
		BPF_MOV64_REG(BPF_REG_4, BPF_REG_2),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_4, 14),
		BPF_JMP_REG(BPF_JGT, BPF_REG_4, BPF_REG_3, 1),
		BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_2, 14),         /* <- byte 14 */
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, REJECT, { "invalid access to packet|R2 offset is outside of the packet" }, "packet_short_check", 0,
	"invalid access to packet, off=14 size=1",
	"R2 offset is outside of the packet", FAMILY,
}, {
	"packet_past_check_fixed", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, 0),
		BPF_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1, 4),
		BPF_MOV64_REG(BPF_REG_4, BPF_REG_2),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_4, 14),
		BPF_JMP_REG(BPF_JGT, BPF_REG_4, BPF_REG_3, 1),
		BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_2, 13),         /* byte 13, the last */
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
}, {
	/* XDP: data checked, bpf_xdp_adjust_head(ctx, 14), then *data -- stale pointer */
	"packet_after_adjust_head", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
		BPF_LDX_MEM(BPF_W, BPF_REG_7, BPF_REG_6, 0),
		BPF_LDX_MEM(BPF_W, BPF_REG_8, BPF_REG_6, 4),
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_7),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, 14),
		BPF_JMP_REG(BPF_JGT, BPF_REG_2, BPF_REG_8, 6),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
		BPF_MOV64_IMM(BPF_REG_2, 14),
		BPF_EMIT_CALL(BPF_FUNC_xdp_adjust_head),              /* the packet moves */
		BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_7, 0),          /* <- old data */
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, REJECT, { "R7 invalid mem access 'scalar'|R7 !read_ok" }, "packet_moved", 0,
	NULL, NULL, FAMILY,
}, {
	"packet_after_adjust_head_fixed", BPF_PROG_TYPE_XDP, NULL, NO_MAP, {
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
		BPF_MOV64_IMM(BPF_REG_2, 14),
		BPF_EMIT_CALL(BPF_FUNC_xdp_adjust_head),
		BPF_LDX_MEM(BPF_W, BPF_REG_7, BPF_REG_6, 0),          /* data and end again */
		BPF_LDX_MEM(BPF_W, BPF_REG_8, BPF_REG_6, 4),
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_7),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, 1),
		BPF_JMP_REG(BPF_JGT, BPF_REG_2, BPF_REG_8, 1),        /* and the test again */
		BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_7, 0),
		BPF_MOV64_IMM(BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	}, ACCEPT, { 0 }, 0, 0, NULL, NULL, FAMILY,
},
#undef FAMILY
