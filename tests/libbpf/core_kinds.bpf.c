/* CO-RE, every relocation kind clang 14 emits, written the way libbpf's guides write
 * it (libbpf's bpf_core_read.h, test only).  The kernel types are declared here, not
 * taken from a vmlinux.h: only the members used, at offsets that are wrong on
 * purpose -- CO-RE must move them.  tests/core.c loads it with rawbpf and with
 * `bpftool prog loadall` and compares the kernel's translated instructions.
 *
 *   field byte offset   BPF_CORE_READ(t, real_parent, tgid), direct loads in tp_btf
 *   field byte size     bpf_core_field_size(t->comm)
 *   field exists        bpf_core_field_exists(old->state): absent here, and guarded
 *   field signed        __builtin_preserve_field_info(t->pid, BPF_FIELD_SIGNED)
 *   lshift/rshift u64   BPF_CORE_READ_BITFIELD_PROBED: an unsigned 1-bit field of
 *                       task_struct, a signed 30-bit one in an anonymous union
 *   type id local/kern  bpf_core_type_id_local/_kernel(struct task_struct)
 *   type exists/size    bpf_core_type_exists/_size
 *   enum value (exists) bpf_core_enum_value(_exists)(enum pid_type, ...)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

struct task_struct {
	char pad[3];                      /* nothing here is where the kernel has it */
	unsigned int sched_reset_on_fork:1;
	int tgid;
	int pid;
	char comm[16];
	struct task_struct *real_parent;
	unsigned int __state;
} __attribute__((preserve_access_index));

/* How the type looked before 5.14: `state` was a long.  A flavour: same kernel
 * type, another local view of it. */
struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

struct bpf_reg_state {                /* kernel/bpf's verifier state, 6.x */
	union {
		struct {
			int pad;
			int depth:30;     /* a signed bitfield inside an anonymous union */
		} iter;
	};
} __attribute__((preserve_access_index));

struct rawbpf_no_such_type {
	int x;
} __attribute__((preserve_access_index));

enum pid_type { PIDTYPE_PID, PIDTYPE_TGID, PIDTYPE_PGID, PIDTYPE_NOPE = 77 };

long out[20];

SEC("raw_tp/sys_enter")
int kinds(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct task_struct___old *old = (void *)t;
	struct bpf_reg_state *reg = (void *)t;

	out[0] = BPF_CORE_READ(t, real_parent, tgid);
	out[1] = bpf_core_field_size(t->comm);
	if (bpf_core_field_exists(old->state))
		out[2] = BPF_CORE_READ(old, state);      /* dead here: poisoned, not reached */
	else
		out[2] = BPF_CORE_READ(t, __state);
	out[3] = __builtin_preserve_field_info(t->pid, BPF_FIELD_SIGNED);   /* no macro in libbpf 1.1 */
	out[4] = BPF_CORE_READ_BITFIELD_PROBED(t, sched_reset_on_fork);
	if (bpf_core_field_exists(reg->iter))     /* 6.4+: guarded, absent in the lab VM */
		out[5] = BPF_CORE_READ_BITFIELD_PROBED(reg, iter.depth);
	out[6] = bpf_core_type_id_local(struct task_struct);
	out[7] = bpf_core_type_id_kernel(struct task_struct);
	out[8] = bpf_core_type_exists(struct task_struct___old);
	out[9] = bpf_core_type_exists(struct rawbpf_no_such_type);
	out[10] = bpf_core_type_size(struct task_struct);
	out[11] = bpf_core_enum_value_exists(enum pid_type, PIDTYPE_NOPE);
	out[12] = bpf_core_enum_value(enum pid_type, PIDTYPE_PGID);
	out[13] = bpf_core_field_offset(t->real_parent);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, _Bool preempt, struct task_struct *prev, struct task_struct *next)
{
	out[14] = prev->pid;                  /* BTF pointers: plain loads, relocated */
	out[15] = next->tgid;
	out[16] = next->real_parent->pid;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
