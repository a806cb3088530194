/*
 * cmd/sym.c -- `rawbpf sym BINARY FUNCTION`: where a uprobe on FUNCTION goes.
 *
 * The uprobe PMU is given a file and an offset in it.  This prints how the offset
 * comes out of the ELF file: the symbol's address (readelf -s shows it), the
 * loadable segment that holds that address (readelf -lW: its VirtAddr and Offset),
 * and address - VirtAddr + Offset.  BINARY may be a library name (libc.so.6),
 * found as a uprobe would find it.
 */
#include <stdio.h>

#include "rawbpf.h"
#include "cmd.h"

int cmd_sym(int argc, char **argv)
{
	struct rbpf_func_place pl;
	char path[4096];

	if (argc != 3) {
		fprintf(stderr, "usage: rawbpf sym BINARY FUNCTION\n");
		return 2;
	}
	if (rbpf_resolve_binary(argv[1], path, sizeof(path)) < 0 ||
	    rbpf_elf_func_place(path, argv[2], &pl) < 0)
		return cmd_fail(1);
	printf("file      %s\n", path);
	printf("symbol    %s at address 0x%llx (from %s)\n", argv[2],
	       (unsigned long long)pl.addr, pl.table);
	printf("segment   LOAD at VirtAddr 0x%llx from file Offset 0x%llx\n",
	       (unsigned long long)pl.seg_vaddr, (unsigned long long)pl.seg_offset);
	printf("offset    0x%llx - 0x%llx + 0x%llx = 0x%llx (what the uprobe PMU is given)\n",
	       (unsigned long long)pl.addr, (unsigned long long)pl.seg_vaddr,
	       (unsigned long long)pl.seg_offset, (unsigned long long)pl.offset);
	return 0;
}
