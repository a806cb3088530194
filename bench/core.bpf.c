/*
 * core.bpf.c -- the CO-RE bench's object, in the shape of a libbpf-tools tool:
 * four tp_btf programs, a ring buffer and a hash map, 88 CO-RE relocations on the
 * kernel's task_struct and the structures it points to (core_types.h declares them),
 * read by direct loads through the trusted pointers tp_btf gives.  core_probe.bpf.c
 * reads the same fields the other way, with probe reads.  bench/rawbpf/coreload.c
 * and bench/libbpf/coreload.c load it; nothing is attached.
 */
#include "core_types.h"

static __always_inline u32 task_state(struct task_struct *t)
{
	struct task_struct___pre514 *old = (void *)t;

	if (__builtin_preserve_field_info(old->state, 2))
		return old->state;
	return t->__state;
}

static __always_inline void fill(struct event *e, struct task_struct *t)
{
	e->pid = t->pid;
	e->tgid = t->tgid;
	e->ppid = t->real_parent->tgid;
	e->uid = t->cred->uid.val;
	e->euid = t->cred->euid.val;
	e->level = t->nsproxy->pid_ns_for_children->level;
	e->max_fds = t->files->fdt->max_fds;
	e->threads = t->signal->nr_threads;
	e->state = task_state(t);
	e->flags = t->flags;
	e->prio = t->prio;
	e->static_prio = t->static_prio;
	e->vruntime = t->se.vruntime;
	e->runtime = t->se.sum_exec_runtime;
	bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), t->comm);
}

SEC("tp_btf/sched_switch")
int on_switch(u64 *ctx)
{
	struct task_struct *prev = (void *)ctx[1];
	u32 pid = prev->pid;
	u64 now = bpf_ktime_get_ns();

	bpf_map_update_elem(&starts, &pid, &now, 0);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int on_exec(u64 *ctx)
{
	struct task_struct *t = (void *)ctx[0];
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	fill(e, t);
	e->total_vm = t->mm->total_vm;
	e->map_count = t->mm->map_count;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int on_exit(u64 *ctx)
{
	struct task_struct *t = (void *)ctx[0];
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	u32 pid = t->pid;
	u64 *start = bpf_map_lookup_elem(&starts, &pid);

	if (!e)
		return 0;
	fill(e, t);
	e->exit_code = t->exit_code;
	e->utime = t->utime;
	e->stime = t->stime;
	e->start = t->start_time;
	if (start)
		e->start -= *start;
	e->csw = t->nvcsw + t->nivcsw;
	bpf_ringbuf_submit(e, 0);
	bpf_map_delete_elem(&starts, &pid);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int on_fork(u64 *ctx)
{
	struct task_struct *parent = (void *)ctx[0], *child = (void *)ctx[1];
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	fill(e, child);
	e->ppid = parent->tgid;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
