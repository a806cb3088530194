/*
 * core_probe.bpf.c -- the CO-RE bench's second object, in the other shape libbpf-tools'
 * tools take (execsnoop, exitsnoop, runqlat's tracepoint variant): plain tracepoints
 * that find the current task with bpf_get_current_task() and read it with
 * BPF_CORE_READ, a chain of relocated probe reads.  The same fields as core.bpf.c
 * (whose tp_btf programs dereference the task directly), so the two rows differ only
 * in how the kernel checks the reads: a probe read is one helper call to the
 * verifier, a direct load through a trusted pointer is a walk of the kernel's types
 * (bench/README.md).  Loaded, never attached.
 */
#include "core_types.h"

static __always_inline u32 task_state(struct task_struct *t)
{
	struct task_struct___pre514 *old = (void *)t;

	if (bpf_core_field_exists(old->state))
		return BPF_CORE_READ(old, state);
	return BPF_CORE_READ(t, __state);
}

static __always_inline struct task_struct *current_task(void)
{
	return (struct task_struct *)bpf_get_current_task();
}

static __always_inline void fill(struct event *e, struct task_struct *t)
{
	struct cred *c = (void *)BPF_CORE_READ(t, cred);   /* the field is const */

	e->pid = BPF_CORE_READ(t, pid);
	e->tgid = BPF_CORE_READ(t, tgid);
	e->ppid = BPF_CORE_READ(t, real_parent, tgid);
	e->uid = BPF_CORE_READ(c, uid.val);
	e->euid = BPF_CORE_READ(c, euid.val);
	e->level = BPF_CORE_READ(t, nsproxy, pid_ns_for_children, level);
	e->max_fds = BPF_CORE_READ(t, files, fdt, max_fds);
	e->threads = BPF_CORE_READ(t, signal, nr_threads);
	e->state = task_state(t);
	e->flags = BPF_CORE_READ(t, flags);
	e->prio = BPF_CORE_READ(t, prio);
	e->static_prio = BPF_CORE_READ(t, static_prio);
	e->vruntime = BPF_CORE_READ(t, se.vruntime);
	e->runtime = BPF_CORE_READ(t, se.sum_exec_runtime);
	BPF_CORE_READ_STR_INTO(&e->comm, t, comm);
}

SEC("tp/sched/sched_switch")
int on_switch(void *ctx)
{
	u32 pid = BPF_CORE_READ(current_task(), pid);
	u64 now = bpf_ktime_get_ns();

	bpf_map_update_elem(&starts, &pid, &now, 0);
	return 0;
}

SEC("tp/sched/sched_process_exec")
int on_exec(void *ctx)
{
	struct task_struct *t = current_task();
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	fill(e, t);
	e->total_vm = BPF_CORE_READ(t, mm, total_vm);
	e->map_count = BPF_CORE_READ(t, mm, map_count);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp/sched/sched_process_exit")
int on_exit(void *ctx)
{
	struct task_struct *t = current_task();
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	u32 pid = BPF_CORE_READ(t, pid);
	u64 *start = bpf_map_lookup_elem(&starts, &pid);

	if (!e)
		return 0;
	fill(e, t);
	e->exit_code = BPF_CORE_READ(t, exit_code);
	e->utime = BPF_CORE_READ(t, utime);
	e->stime = BPF_CORE_READ(t, stime);
	e->start = BPF_CORE_READ(t, start_time);
	if (start)
		e->start -= *start;
	e->csw = BPF_CORE_READ(t, nvcsw) + BPF_CORE_READ(t, nivcsw);
	bpf_ringbuf_submit(e, 0);
	bpf_map_delete_elem(&starts, &pid);
	return 0;
}

SEC("tp/sched/sched_process_fork")
int on_fork(void *ctx)
{
	struct task_struct *t = current_task();
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	fill(e, t);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
