/* __ksym variables, typed (a per-CPU variable: ld_imm64 of its BTF id) and typeless
 * (an address from /proc/kallsyms), with libbpf's headers (test only).  Both need the
 * kernel to know data symbols' addresses (CONFIG_KALLSYMS_ALL): Debian's kernels do
 * (the lab VM), this machine's does not, and there the load must fail saying so. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct rq {
	int nr_running;
} __attribute__((preserve_access_index));

extern const struct rq runqueues __ksym;     /* typed: per-CPU, in the kernel's BTF */
extern const void init_task __ksym;          /* typeless: kallsyms */
extern const void rawbpf_nope __ksym __weak; /* typeless, missing: 0 */

long out[4];

SEC("raw_tp/sys_enter")
int ksym(void *ctx)
{
	struct rq *rq = bpf_this_cpu_ptr(&runqueues);

	out[0] = rq != 0;
	out[1] = (long)&init_task;
	out[2] = (long)&rawbpf_nope;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
