/*
 * hello_func.bpf.c -- the chapter's BPF-to-BPF call: a function the compiler must not
 * inline, called from the program, so the loaded program contains a real call.
 *
 * Concept:     a BPF program may call its own functions (4.16+).  `noinline` keeps
 *              get_opcode a separate function; clang emits `call` with src_reg 1
 *              (BPF_PSEUDO_CALL) and a relative offset; the verifier checks the
 *              callee as its own frame, with its own part of the 512-byte stack.
 * Prog type:   BPF_PROG_TYPE_RAW_TRACEPOINT on sys_enter: ctx is
 *              struct bpf_raw_tracepoint_args, args[1] the system call's number.
 * Kernel:      4.17+ (raw tracepoints); the course's floor is 5.10.
 * Prints:      to trace_pipe, per system call:  ... Syscall: 59
 */
#include "bpf_prog.h"

static __noinline int get_opcode(struct bpf_raw_tracepoint_args *ctx)
{
	return ctx->args[1];
}

SEC("raw_tracepoint/sys_enter")
int hello(struct bpf_raw_tracepoint_args *ctx)
{
	int opcode = get_opcode(ctx);

	bpf_printk("Syscall: %d", opcode);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
