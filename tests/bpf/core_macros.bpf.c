/*
 * core_macros.bpf.c -- every CO-RE macro of include/bpf_prog.h, once each.
 *
 * Built twice: as is, with rawbpf's bpf_prog.h, and as tests/libbpf/lb_core_macros.bpf.c
 * with libbpf's bpf_helpers.h and bpf_core_read.h (RB_WITH_LIBBPF).  The two objects
 * must carry the same CO-RE relocation records (tests/core_macros.c compares them):
 * the macros are ours, the questions they ask clang are the same.
 *
 * The types are the kernel's, declared here with a ___rb flavour (the loader ignores
 * what follows "___" when it looks a type up), so that once rawbpf relocates CO-RE the
 * object loads on this kernel.  The last program asks about things the kernel does not
 * have, behind bpf_core_*_exists guards.
 */
#ifdef RB_WITH_LIBBPF
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#else
#include "bpf_prog.h"
#endif

struct mm_struct___rb {
	unsigned long start_stack;
} __attribute__((preserve_access_index));

struct task_struct___rb {
	unsigned int __state;
	unsigned int flags;
	int prio;
	struct mm_struct___rb *mm;
	unsigned int sched_reset_on_fork: 1;
	unsigned int in_execve: 1;
	int pid;
	int tgid;
	struct task_struct___rb *real_parent;
	char comm[16];
} __attribute__((preserve_access_index));

/* What the kernel does not have: a field, a type, an enumerator, a signed bitfield. */
struct task_struct___old {
	long state;
	int made_up: 3;
} __attribute__((preserve_access_index));
struct rb_not_in_kernel { int x; };
enum pid_type___rb { PIDTYPE_PID___rb = 0, PIDTYPE_TGID___rb = 1, PIDTYPE_NONE___rb = 99 };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 16);
} out SEC(".maps");

static __always_inline void put(__u32 k, __u64 v)
{
	bpf_map_update_elem(&out, &k, &v, 0);
}

SEC("raw_tp/sys_enter")
int chains(void *ctx)
{
	struct task_struct___rb *t = (void *)bpf_get_current_task();
	char comm[16];
	int ppid = 0;

	put(0, BPF_CORE_READ(t, real_parent, tgid));
	put(1, BPF_CORE_READ(t, real_parent, real_parent, real_parent, pid));
	put(2, BPF_CORE_READ(t, real_parent, mm, start_stack));
	BPF_CORE_READ_INTO(&ppid, t, real_parent, pid);
	put(3, ppid);
	BPF_CORE_READ_STR_INTO(&comm, t, real_parent, comm);
	put(4, comm[0]);
	bpf_core_read(&ppid, sizeof(ppid), &t->tgid);
	put(5, ppid + BPF_PROBE_READ(t, pid));
	put(6, BPF_CORE_READ(t, real_parent, real_parent, real_parent, real_parent, real_parent,
			     real_parent, real_parent, real_parent, pid));
	put(7, BPF_CORE_READ_USER(t, pid) + BPF_PROBE_READ_USER(t, real_parent, tgid));
	BPF_PROBE_READ_STR_INTO(&comm, t, real_parent, comm);
	BPF_CORE_READ_USER_STR_INTO(&comm, t, comm);
	put(8, comm[1]);
	return 0;
}

SEC("raw_tp/sys_enter")
int infos(void *ctx)
{
	struct task_struct___rb *t = (void *)bpf_get_current_task();

	put(0, bpf_core_field_exists(t->prio));
	put(1, bpf_core_field_exists(struct task_struct___rb, flags));
	put(2, bpf_core_field_size(t->comm));
	put(3, bpf_core_field_offset(struct task_struct___rb, tgid));
	put(4, bpf_core_type_exists(struct mm_struct___rb));
	put(5, bpf_core_type_size(struct task_struct___rb));
	put(6, bpf_core_type_id_local(struct task_struct___rb));
	put(7, bpf_core_type_id_kernel(struct task_struct___rb));
	put(8, bpf_core_enum_value_exists(enum pid_type___rb, PIDTYPE_TGID___rb));
	put(9, bpf_core_enum_value(enum pid_type___rb, PIDTYPE_TGID___rb));
	put(10, BPF_CORE_READ_BITFIELD_PROBED(t, sched_reset_on_fork));
	put(11, BPF_CORE_READ_BITFIELD_PROBED(t, in_execve));
	return 0;
}

SEC("raw_tp/sys_enter")
int absent(void *ctx)
{
	struct task_struct___old *o = (void *)bpf_get_current_task();

	if (bpf_core_field_exists(o->state))
		put(0, BPF_CORE_READ(o, state));
	if (bpf_core_field_exists(o->made_up))
		put(1, BPF_CORE_READ_BITFIELD_PROBED(o, made_up));
	put(2, bpf_core_type_exists(struct rb_not_in_kernel));
	if (bpf_core_enum_value_exists(enum pid_type___rb, PIDTYPE_NONE___rb))
		put(3, bpf_core_enum_value(enum pid_type___rb, PIDTYPE_NONE___rb));
	return 0;
}

/* A tp_btf program's arguments are pointers the verifier knows the type of, so a
 * bitfield is loaded directly (BPF_CORE_READ_BITFIELD, no probe read).
 * sched_switch's arguments: bool preempt, struct task_struct *prev, *next, ... */
SEC("tp_btf/sched_switch")
int direct(unsigned long long *ctx)
{
	struct task_struct___rb *next = (void *)ctx[2];

	put(0, BPF_CORE_READ_BITFIELD(next, sched_reset_on_fork) +
	       BPF_CORE_READ_BITFIELD(next, in_execve));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
