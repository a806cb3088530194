/*
 * bpf_insn.h -- build BPF instructions in C, one macro per instruction form.
 *
 * An instruction is 8 bytes (struct bpf_insn in linux/bpf.h):
 *
 *     opcode:8  dst_reg:4  src_reg:4  off:16 (signed)  imm:32 (signed)
 *
 * The opcode's low 3 bits are the class (BPF_ALU64, BPF_JMP, BPF_LDX, ...); the rest
 * say which operation and where the operand comes from (BPF_K: the imm field,
 * BPF_X: the src register).  Registers: r0 return value, r1-r5 arguments (lost at a
 * call), r6-r9 kept across calls, r10 the read-only frame pointer.
 *
 * Each macro yields a compound literal, so a program is an array initialiser:
 *
 *     struct bpf_insn prog[] = { BPF_MOV64_IMM(BPF_REG_0, 0), BPF_EXIT_INSN() };
 *
 * The comment above each macro is its meaning in C.  Unit tests (tests/insn.c) check
 * every macro against the bytes llvm-mc assembles for the same instruction.
 * Reference: Documentation/bpf/standardization/instruction-set.rst.
 */
#ifndef BPF_INSN_H
#define BPF_INSN_H

#include <linux/bpf.h>

/* Any instruction, field by field. */
#define BPF_RAW_INSN(CODE, DST, SRC, OFF, IMM) \
	((struct bpf_insn){ .code = (CODE), .dst_reg = (DST), .src_reg = (SRC), \
			    .off = (OFF), .imm = (IMM) })

/* ----------------------------------------------------------------- arithmetic (ALU)
 * OP is one of BPF_ADD BPF_SUB BPF_MUL BPF_DIV BPF_OR BPF_AND BPF_LSH BPF_RSH BPF_MOD
 * BPF_XOR BPF_MOV BPF_ARSH.  ALU64 works on the whole 64-bit register; ALU32 (class
 * BPF_ALU, written wN by the verifier) works on the low 32 bits and zeroes the top.
 * Division and modulo are unsigned; a division by zero gives 0, a modulo by zero
 * leaves dst as it was.  BPF_ARSH is the arithmetic (sign-keeping) right shift. */

/* dst = dst OP src            (64-bit) */
#define BPF_ALU64_REG(OP, DST, SRC) BPF_RAW_INSN(BPF_ALU64 | BPF_OP(OP) | BPF_X, DST, SRC, 0, 0)
/* dst = dst OP imm            (64-bit; imm sign-extended to 64 bits) */
#define BPF_ALU64_IMM(OP, DST, IMM) BPF_RAW_INSN(BPF_ALU64 | BPF_OP(OP) | BPF_K, DST, 0, 0, IMM)
/* (u32)dst = (u32)dst OP (u32)src, upper 32 bits of dst zeroed */
#define BPF_ALU32_REG(OP, DST, SRC) BPF_RAW_INSN(BPF_ALU | BPF_OP(OP) | BPF_X, DST, SRC, 0, 0)
/* (u32)dst = (u32)dst OP (u32)imm, upper 32 bits of dst zeroed */
#define BPF_ALU32_IMM(OP, DST, IMM) BPF_RAW_INSN(BPF_ALU | BPF_OP(OP) | BPF_K, DST, 0, 0, IMM)

/* dst = src */
#define BPF_MOV64_REG(DST, SRC)  BPF_ALU64_REG(BPF_MOV, DST, SRC)
/* dst = imm                   (sign-extended: -1 gives 0xffffffffffffffff) */
#define BPF_MOV64_IMM(DST, IMM)  BPF_ALU64_IMM(BPF_MOV, DST, IMM)
/* dst = (u32)src */
#define BPF_MOV32_REG(DST, SRC)  BPF_ALU32_REG(BPF_MOV, DST, SRC)
/* dst = (u32)imm */
#define BPF_MOV32_IMM(DST, IMM)  BPF_ALU32_IMM(BPF_MOV, DST, IMM)
/* dst = -dst */
#define BPF_NEG64(DST)           BPF_RAW_INSN(BPF_ALU64 | BPF_NEG | BPF_K, DST, 0, 0, 0)
/* dst = (u32)-dst */
#define BPF_NEG32(DST)           BPF_RAW_INSN(BPF_ALU | BPF_NEG | BPF_K, DST, 0, 0, 0)

/* Byte swaps.  dst = htole16/32/64(dst) or htobe16/32/64(dst): BITS is 16, 32 or 64;
 * the value is truncated to BITS (on x86, to_le only truncates). */
/* dst = htole<BITS>(dst) */
#define BPF_ENDIAN_LE(DST, BITS) BPF_RAW_INSN(BPF_ALU | BPF_END | BPF_TO_LE, DST, 0, 0, BITS)
/* dst = htobe<BITS>(dst) */
#define BPF_ENDIAN_BE(DST, BITS) BPF_RAW_INSN(BPF_ALU | BPF_END | BPF_TO_BE, DST, 0, 0, BITS)

/* ---------------------------------------------------------------- 64-bit constants
 * The only 16-byte instruction: BPF_LD | BPF_DW | BPF_IMM with the low 32 bits in the
 * first slot's imm and the high 32 bits in the second slot's imm.  src_reg says what
 * the constant is: 0 a number, BPF_PSEUDO_MAP_FD (1) a map given by fd (the verifier
 * turns it into the map's address), BPF_PSEUDO_MAP_VALUE (2) an address inside an
 * array map's value (fd in the first imm, offset in the second) -- global data. */

/* dst = (u64)IMM64 -- expands to two array elements */
#define BPF_LD_IMM64_RAW(DST, SRC, IMM64) \
	BPF_RAW_INSN(BPF_LD | BPF_DW | BPF_IMM, DST, SRC, 0, (__u32)(__u64)(IMM64)), \
	BPF_RAW_INSN(0, 0, 0, 0, (__u32)((__u64)(IMM64) >> 32))
/* dst = IMM64 */
#define BPF_LD_IMM64(DST, IMM64)       BPF_LD_IMM64_RAW(DST, 0, IMM64)
/* dst = &map (the map whose fd is FD) */
#define BPF_LD_MAP_FD(DST, FD)         BPF_LD_IMM64_RAW(DST, BPF_PSEUDO_MAP_FD, FD)
/* dst = (char *)&map_value + OFF  (array map FD, element 0) */
#define BPF_LD_MAP_VALUE(DST, FD, OFF) \
	BPF_RAW_INSN(BPF_LD | BPF_DW | BPF_IMM, DST, BPF_PSEUDO_MAP_VALUE, 0, FD), \
	BPF_RAW_INSN(0, 0, 0, 0, OFF)

/* --------------------------------------------------------------- memory load/store
 * SIZE is BPF_B (u8), BPF_H (u16), BPF_W (u32) or BPF_DW (u64). Loads zero-extend. */

/* dst = *(SIZE *)(src + off) */
#define BPF_LDX_MEM(SIZE, DST, SRC, OFF) \
	BPF_RAW_INSN(BPF_LDX | BPF_SIZE(SIZE) | BPF_MEM, DST, SRC, OFF, 0)
/* *(SIZE *)(dst + off) = src */
#define BPF_STX_MEM(SIZE, DST, SRC, OFF) \
	BPF_RAW_INSN(BPF_STX | BPF_SIZE(SIZE) | BPF_MEM, DST, SRC, OFF, 0)
/* *(SIZE *)(dst + off) = imm */
#define BPF_ST_MEM(SIZE, DST, OFF, IMM) \
	BPF_RAW_INSN(BPF_ST | BPF_SIZE(SIZE) | BPF_MEM, DST, 0, OFF, IMM)

/* Legacy packet loads for socket filters (r6 must hold the skb; result in r0):
 * r0 = ntoh(*(SIZE *)(skb->data + imm)) */
#define BPF_LD_ABS(SIZE, IMM) BPF_RAW_INSN(BPF_LD | BPF_SIZE(SIZE) | BPF_ABS, 0, 0, 0, IMM)
/* r0 = ntoh(*(SIZE *)(skb->data + src + imm)) */
#define BPF_LD_IND(SIZE, SRC, IMM) BPF_RAW_INSN(BPF_LD | BPF_SIZE(SIZE) | BPF_IND, 0, SRC, 0, IMM)

/* ------------------------------------------------------------------------ atomics
 * BPF_STX | BPF_ATOMIC with the operation in imm; SIZE is BPF_W or BPF_DW.
 * OP: BPF_ADD, BPF_OR, BPF_AND, BPF_XOR, each optionally | BPF_FETCH (src gets the old
 * value), BPF_XCHG, BPF_CMPXCHG.  Kernel 5.12+ for all but plain add. */

/* lock *(SIZE *)(dst + off) OP= src        (with BPF_FETCH: src = old value) */
#define BPF_ATOMIC_OP(SIZE, OP, DST, SRC, OFF) \
	BPF_RAW_INSN(BPF_STX | BPF_SIZE(SIZE) | BPF_ATOMIC, DST, SRC, OFF, OP)
/* lock *(SIZE *)(dst + off) += src */
#define BPF_ATOMIC_ADD(SIZE, DST, SRC, OFF)  BPF_ATOMIC_OP(SIZE, BPF_ADD, DST, SRC, OFF)
/* src = xchg((SIZE *)(dst + off), src) */
#define BPF_ATOMIC_XCHG(SIZE, DST, SRC, OFF) BPF_ATOMIC_OP(SIZE, BPF_XCHG, DST, SRC, OFF)
/* r0 = cmpxchg((SIZE *)(dst + off), r0, src): store src if *p == r0; r0 = old *p */
#define BPF_ATOMIC_CMPXCHG(SIZE, DST, SRC, OFF) BPF_ATOMIC_OP(SIZE, BPF_CMPXCHG, DST, SRC, OFF)

/* -------------------------------------------------------------------------- jumps
 * OP: BPF_JEQ ==, BPF_JNE !=, BPF_JGT > , BPF_JGE >=, BPF_JLT <, BPF_JLE <= (unsigned),
 * BPF_JSGT, BPF_JSGE, BPF_JSLT, BPF_JSLE (signed), BPF_JSET (dst & src).  OFF counts
 * instructions from the next one: off 0 falls through, off -1 loops on itself. */

/* if (dst OP src) goto pc + 1 + off */
#define BPF_JMP_REG(OP, DST, SRC, OFF) BPF_RAW_INSN(BPF_JMP | BPF_OP(OP) | BPF_X, DST, SRC, OFF, 0)
/* if (dst OP imm) goto pc + 1 + off */
#define BPF_JMP_IMM(OP, DST, IMM, OFF) BPF_RAW_INSN(BPF_JMP | BPF_OP(OP) | BPF_K, DST, 0, OFF, IMM)
/* if ((u32)dst OP (u32)src) goto pc + 1 + off      (JMP32, kernel 5.1+) */
#define BPF_JMP32_REG(OP, DST, SRC, OFF) BPF_RAW_INSN(BPF_JMP32 | BPF_OP(OP) | BPF_X, DST, SRC, OFF, 0)
/* if ((u32)dst OP (u32)imm) goto pc + 1 + off */
#define BPF_JMP32_IMM(OP, DST, IMM, OFF) BPF_RAW_INSN(BPF_JMP32 | BPF_OP(OP) | BPF_K, DST, 0, OFF, IMM)
/* goto pc + 1 + off */
#define BPF_JMP_A(OFF) BPF_RAW_INSN(BPF_JMP | BPF_JA, 0, 0, OFF, 0)

/* --------------------------------------------------------------- calls and exit */

/* r0 = helper FUNC(r1, r2, r3, r4, r5)   e.g. BPF_EMIT_CALL(BPF_FUNC_trace_printk) */
#define BPF_EMIT_CALL(FUNC) BPF_RAW_INSN(BPF_JMP | BPF_CALL, 0, 0, 0, FUNC)
/* r0 = subprog at pc + 1 + imm (r1-r5) -- a BPF-to-BPF call, new stack frame */
#define BPF_CALL_REL(IMM) BPF_RAW_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, IMM)
/* return r0 */
#define BPF_EXIT_INSN() BPF_RAW_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#endif
