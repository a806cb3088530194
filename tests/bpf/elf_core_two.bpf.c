/* CO-RE relocations in two sections, 1 in the first and 3 in the second: the
 * refusal must count each section's own, not the object's total against one. */
#include "bpf_prog.h"

struct task_like {
	int pid;
	int tgid;
	int uid;
	int gid;
} __attribute__((preserve_access_index));

SEC("raw_tp/sys_enter")
int one(void *ctx)
{
	struct task_like *t = (void *)bpf_get_current_task();
	int v = 0;

	(void)ctx;
	bpf_probe_read_kernel(&v, sizeof(v), &t->tgid);
	return v;
}

SEC("raw_tp/sys_exit")
int three(void *ctx)
{
	struct task_like *t = (void *)bpf_get_current_task();
	int a = 0, b = 0, c = 0;

	(void)ctx;
	bpf_probe_read_kernel(&a, sizeof(a), &t->pid);
	bpf_probe_read_kernel(&b, sizeof(b), &t->uid);
	bpf_probe_read_kernel(&c, sizeof(c), &t->gid);
	return a + b + c;
}

char LICENSE[] SEC("license") = "GPL";
