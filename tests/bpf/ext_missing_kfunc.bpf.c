/* A strong kfunc extern no kernel has: the load fails naming it (tests/core.c). */
#include "bpf_prog.h"

extern void bpf_rawbpf_nope(void) __attribute__((section(".ksyms")));

SEC("tp_btf/sched_switch")
int kfunc(u64 *ctx)
{
	(void)ctx;
	bpf_rawbpf_nope();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
