/* A CO-RE field access (preserve_access_index) to a type no kernel has, on a path
 * that is always taken: the load fails and names the access (tests/core.c). */
#include "bpf_prog.h"

struct task_like {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

SEC("raw_tp/sys_enter")
int core(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_like *t = (void *)bpf_get_current_task();
	int tgid = 0;

	(void)ctx;
	bpf_probe_read_kernel(&tgid, sizeof(tgid), &t->tgid);
	return tgid;
}

char LICENSE[] SEC("license") = "GPL";
