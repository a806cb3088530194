/*
 * task_core.bpf.c -- lesson 9: one object, every kernel.  The program reads kernel
 * structures whose layout it does not know when it is compiled; the loader moves
 * each access to where the running kernel has it (CO-RE: compile once, run
 * everywhere).
 *
 * Concept:     a struct marked preserve_access_index makes clang record, for every
 *              access, *which field* it meant (in .BTF.ext) beside the offset it
 *              guessed; the loader finds the same field by name in the kernel's BTF
 *              (/sys/kernel/btf/vmlinux) and patches the instruction.  The structs
 *              below declare only the fields used, at made-up offsets.
 *              A field renamed between kernels (task_struct's `state` became
 *              `__state` in 5.14) is read through a *flavour*, task_struct___pre514:
 *              the loader drops the `___suffix` when it looks for the kernel's type,
 *              and bpf_core_field_exists -- the builtin below -- says which one this
 *              kernel has.  The test is a constant after loading, so the verifier
 *              drops the other branch, and with it the access that could not be
 *              relocated.
 *              Two __kconfig externs: values the loader fills in from the kernel.
 * Prog type:   tp_btf/sched_switch (BTF-typed tracepoint: its arguments are typed
 *              kernel pointers, read directly).
 * Kernel:      5.5+ (tp_btf), with BTF (CONFIG_DEBUG_INFO_BTF); 5.8+ (ring buffer).
 * Prints:      nothing itself; user space prints
 *              pid 4242 (task_core) parent 4200 state 1 -- kernel 6.18.44 HZ 250
 */
#include "bpf_prog.h"

struct task_struct {
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *real_parent;
	unsigned int __state;                /* 5.14+ */
} __attribute__((preserve_access_index));

/* The same kernel type as older kernels had it: a flavour of task_struct. */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

extern unsigned int LINUX_KERNEL_VERSION __attribute__((section(".kconfig")));
extern int CONFIG_HZ __attribute__((section(".kconfig")));

struct event {
	u32 pid, parent, state, kernel, hz;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 14);
} events SEC(".maps");

const volatile u32 target_tgid = 0;      /* set by user space before load */

#define FIELD_EXISTS 2                   /* enum bpf_field_info_kind */

static __always_inline u32 task_state(struct task_struct *t)
{
	struct task_struct___pre514 *old = (void *)t;

	if (__builtin_preserve_field_info(old->state, FIELD_EXISTS))
		return old->state;               /* kernels before 5.14 */
	return t->__state;
}

SEC("tp_btf/sched_switch")
int switched(u64 *ctx)
{
	struct task_struct *prev = (void *)ctx[1];   /* (preempt, prev, next, ...) */
	struct event *e;

	if (prev->tgid != target_tgid)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = prev->pid;
	e->parent = prev->real_parent->tgid;
	e->state = task_state(prev);
	e->kernel = LINUX_KERNEL_VERSION;
	e->hz = CONFIG_HZ;
	bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), prev->comm);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
