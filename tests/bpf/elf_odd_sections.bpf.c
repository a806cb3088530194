/* Sections the loader does not handle must be said, never dropped in silence: a
 * .struct_ops.link map (what a sched_ext scheduler declares) makes load refuse the
 * object by the section's name; an unknown data section is a note. */
#include "bpf_prog.h"

struct rbpf_fake_ops {
	int flags;
	char name[16];
};

SEC(".struct_ops.link")
struct rbpf_fake_ops fake_ops = { .flags = 1, .name = "fake" };

SEC(".mystery") int mystery = 7;

SEC("xdp")
int pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
