/* A strong __kconfig extern no kernel sets: the load fails naming it (tests/core.c). */
#include "bpf_prog.h"

extern int CONFIG_RAWBPF_NOPE __attribute__((section(".kconfig")));

SEC("socket")
int kconfig(void *skb)
{
	(void)skb;
	return CONFIG_RAWBPF_NOPE;
}

char LICENSE[] SEC("license") = "GPL";
