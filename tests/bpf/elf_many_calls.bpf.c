/* One program that calls ten subprograms: more pieces than the linker keeps in its
 * small array before it moves them to the heap (object_link.c), each with its
 * func_info and line_info records to carry along.  Returns the packet's length
 * plus 1 + 2 + ... + 10 = 55 (a length the compiler cannot fold the calls into). */
#include "bpf_prog.h"

#define F(n) static __noinline int f##n(int x) { return x + n; }
F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9) F(10)

SEC("xdp")
int many_calls(struct xdp_md *ctx)
{
	int x = ctx->data_end - ctx->data;

	x = f1(x), x = f2(x), x = f3(x), x = f4(x), x = f5(x);
	x = f6(x), x = f7(x), x = f8(x), x = f9(x), x = f10(x);
	return x;
}

char LICENSE[] SEC("license") = "GPL";
