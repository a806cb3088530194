/*
 * text_fuzz.c -- libFuzzer target for the loader's other readers of untrusted
 * bytes, chosen by the first byte of the input:
 *
 *   0  a verifier log: rbpf_vlog_parse, every row read, rbpf_verifier_hint
 *   1  a trace_pipe line: rbpf_trace_parse, every field read
 *   2  instructions: rbpf_disasm_insn and rbpf_disasm_macro over the bytes as an
 *      array of struct bpf_insn (any opcode, any register, a cut ld_imm64)
 *
 * Logs and lines come from the kernel, instructions from a learner's file: none is
 * trusted.  The contract is the same as object_fuzz.c's: no crash, no hang, no
 * out-of-bounds read, no leak.  `make fuzz FUZZ_TARGET=text`; its findings are kept
 * in tests/fuzz/text-regress/ and replayed by `make check`.
 */
#include "text_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	text_walk(data, size);
	return 0;
}
