/* Subprogram calls: a static function (call through the .text section symbol), a
 * global function (through its own symbol, verified on its own: needs BTF), a chain
 * .text -> .text with no relocation at all, and a callback passed to bpf_loop
 * (ld_imm64 of a function: BPF_PSEUDO_FUNC).  Two entry programs share them; each
 * gets its own copy. */
#include "bpf_prog.h"

static __noinline int twice(int x)
{
	return 2 * x;
}

static __noinline int twice_plus_one(int x)
{
	return twice(x) + 1;                  /* .text -> .text: no relocation */
}

__noinline int global_add(int a, int b)
{
	return a + b;
}

static int add_index(u32 i, void *ctx)
{
	*(u32 *)ctx += i;
	return 0;
}

SEC("xdp")
int sub_first(struct xdp_md *ctx)
{
	(void)ctx;
	return twice_plus_one(3);             /* 7 */
}

SEC("xdp")
int sub_second(struct xdp_md *ctx)
{
	u32 sum = 0;

	(void)ctx;
	bpf_loop(5, add_index, &sum, 0);      /* 0+1+2+3+4 = 10 */
	return global_add(twice(sum), 1);     /* 21 */
}

char LICENSE[] SEC("license") = "GPL";
