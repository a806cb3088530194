/*
 * object_fuzz.c -- libFuzzer target: any bytes, opened as an object from memory.
 *
 * rbpf_object_open_mem runs every parser the loader has short of the bpf() system
 * call: the ELF header, section and symbol tables (elf.c), .BTF and .BTF.ext
 * (btf.c), legacy and BTF map definitions, global data, code sections, relocations,
 * program sections and the linker that appends subprograms (object.c).  When the
 * bytes open, the target then walks what a learner's tools would read: every
 * program's linked instructions through the disassembler (disasm.c), every
 * instruction's source line, every map's attributes.  It never loads anything.
 *
 * The contract checked is the loader's: bytes in, 0 or -errno out, never a crash,
 * a hang, an out-of-bounds read or a leak (ASan/UBSan/LSan watch those), and a
 * message whenever it fails.
 *
 *   make fuzz FUZZ_SECONDS=600     (see the Makefile's hardening block)
 *
 * Built with clang -fsanitize=fuzzer,address,undefined; tests/hardening.c replays
 * tests/fuzz/regress/ through the same walk in `make check`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "rawbpf.h"
#include "fuzz_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rbpf_object *obj;
	int r = rbpf_object_open_mem(data, size, "fuzz", &obj);

	if (r < 0) {
		if (!rbpf_errmsg()[0])
			abort();        /* a failure must say why */
		return 0;
	}
	fuzz_walk(obj);
	rbpf_object_close(obj);
	return 0;
}
