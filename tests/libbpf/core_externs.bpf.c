/* Externs of every kind rawbpf fills in, written with libbpf's headers (test only).
 * tests/core.c loads it with rawbpf and with libbpf and compares the translated code.
 *
 *   __kconfig   LINUX_KERNEL_VERSION, LINUX_HAS_SYSCALL_WRAPPER, CONFIG_* as bool,
 *               tristate, int, char and string; a __weak one this kernel lacks (0)
 *   (__ksym variables: core_ksym.bpf.c -- this kernel cannot load them)
 *   kfuncs      bpf_rcu_read_lock/unlock (6.2+: __weak, called only on 6.2+, so
 *               the lab VM's 6.1 loads it too), and a __weak kfunc no kernel has,
 *               called only on a path the verifier can prove dead
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern _Bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig;
extern int CONFIG_HZ __kconfig;
extern char CONFIG_BPF_EVENTS __kconfig;
extern char CONFIG_DEFAULT_HOSTNAME[8] __kconfig;
extern unsigned long long CONFIG_RAWBPF_NOPE __kconfig __weak;

extern void bpf_rcu_read_lock(void) __ksym __weak;
extern void bpf_rcu_read_unlock(void) __ksym __weak;
extern void bpf_rawbpf_nope(void) __ksym __weak;

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

long out[12];

SEC("raw_tp/sys_enter")
int kconfig(void *ctx)
{
	out[0] = LINUX_KERNEL_VERSION;
	out[1] = LINUX_HAS_SYSCALL_WRAPPER;  /* no branch on it: libbpf probes it with a
					      * kprobe, which this kernel lacks */
	out[2] = CONFIG_BPF_SYSCALL;
	out[3] = CONFIG_BPF_JIT;
	out[4] = CONFIG_HZ;
	out[5] = CONFIG_BPF_EVENTS;
	out[6] = CONFIG_DEFAULT_HOSTNAME[1];
	out[7] = CONFIG_RAWBPF_NOPE;
	if (CONFIG_HZ == 1234567)             /* a known constant: the verifier drops it */
		out[9] = 1;
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(kfuncs, _Bool preempt, struct task_struct *prev, struct task_struct *next)
{
	if (LINUX_KERNEL_VERSION >= KERNEL_VERSION(6, 2, 0)) {
		bpf_rcu_read_lock();
		out[10] = next->pid;
		bpf_rcu_read_unlock();
	}
	if (LINUX_KERNEL_VERSION > KERNEL_VERSION(99, 0, 0))
		bpf_rawbpf_nope();                /* dead: the weak kfunc is missing (id 0) */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
