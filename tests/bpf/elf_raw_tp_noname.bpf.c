/* SEC("raw_tp/") with no tracepoint after it: libbpf loads it (to be attached by
 * hand), so rawbpf does too; attaching it as its section says asks for a name. */
#include "bpf_prog.h"

SEC("raw_tp/")
int noname(void *ctx)
{
	(void)ctx;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
