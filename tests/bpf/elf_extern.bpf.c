/* An extern variable (libbpf's __kconfig) the loader fills: the program returns it. */
#include "bpf_prog.h"

extern u32 LINUX_KERNEL_VERSION __attribute__((section(".kconfig")));

SEC("socket")
int ext(struct __sk_buff *skb)
{
	(void)skb;
	return LINUX_KERNEL_VERSION;
}

char LICENSE[] SEC("license") = "GPL";
