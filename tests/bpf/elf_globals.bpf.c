/* Global data: .data, .rodata, .bss and a string literal in .rodata.str1.1, each
 * referenced by ld_imm64 -> BPF_PSEUDO_MAP_VALUE with the offset in the second slot.
 * Static variables go through the section symbol (offset in imm), globals through
 * their own symbol. */
#include "bpf_prog.h"

const volatile u32 factor = 3;            /* .rodata: user space may set it before load */
u64 total = 100;                          /* .data */
u64 runs;                                 /* .bss (no bytes in the file) */
static u32 pad_before = 5;                /* .data, static: section symbol + offset */
static volatile u32 seen;                 /* .bss, static */

SEC("xdp")
int globals(struct xdp_md *ctx)
{
	(void)ctx;
	runs++;
	total += factor;
	seen = pad_before + 1;
	bpf_printk("globals: runs=%llu total=%llu", runs, total);
	return factor + seen;                 /* 3 + 6 = 9 unless factor was changed */
}

char LICENSE[] SEC("license") = "GPL";
