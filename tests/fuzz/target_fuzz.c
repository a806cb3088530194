/*
 * target_fuzz.c -- libFuzzer target: any bytes, read as the program or library a
 * uprobe goes into (loader/elf_func.c over elf.c's elf_parse_target): the section
 * table, .symtab and .dynsym, the program headers, and the sum that turns a
 * symbol's address into a file offset.  The contract: 0 or -errno with a message,
 * never a crash, an out-of-bounds read or a leak.
 *
 *   make fuzz FUZZ_TARGET=target FUZZ_SECONDS=600
 *
 * tests/uprobe_elf.c replays tests/fuzz/target-regress/ in `make check`.
 */
#include <stdint.h>
#include <stdlib.h>

#include "rawbpf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const funcs[] = { "rbpf_lib_fn", "main", "malloc", "" };
	struct rbpf_func_place pl;
	size_t i;

	for (i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++)
		if (rbpf_elf_func_place_mem(data, size, "fuzz", funcs[i], &pl) < 0 &&
		    !rbpf_errmsg()[0])
			abort();                /* a failure must say why */
	return 0;
}
