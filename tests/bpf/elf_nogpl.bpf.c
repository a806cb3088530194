/* A GPL-only helper (bpf_trace_printk) under a non-GPL license: rejected, and the
 * loader says why. */
#include "bpf_prog.h"

SEC("tp/syscalls/sys_enter_getpid")
int nogpl(void *ctx)
{
	(void)ctx;
	bpf_printk("hi");
	return 0;
}

char LICENSE[] SEC("license") = "Proprietary";
