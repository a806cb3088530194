/*
 * core_types.h -- what the two CO-RE bench objects (core.bpf.c, core_probe.bpf.c) share:
 * the kernel structures they read, declared with only the fields used, at made-up
 * offsets (every access is relocated against the kernel's BTF), their event record
 * and their two maps.
 */
#ifndef BENCH_CORE_TYPES_H
#define BENCH_CORE_TYPES_H
#include "bpf_prog.h"

struct sched_entity { u64 sum_exec_runtime; u64 vruntime; } __attribute__((preserve_access_index));
struct kuid { u32 val; };
struct cred { struct kuid uid; struct kuid euid; } __attribute__((preserve_access_index));
struct fdtable { unsigned int max_fds; } __attribute__((preserve_access_index));
struct files_struct { struct fdtable *fdt; } __attribute__((preserve_access_index));
struct pid_namespace { unsigned int level; } __attribute__((preserve_access_index));
struct nsproxy { struct pid_namespace *pid_ns_for_children; } __attribute__((preserve_access_index));
struct signal_struct { int nr_threads; } __attribute__((preserve_access_index));
struct mm_struct { unsigned long total_vm; int map_count; } __attribute__((preserve_access_index));

struct task_struct {
	int pid, tgid, prio, static_prio, exit_code;
	unsigned int flags, __state;
	char comm[16];
	u64 utime, stime, start_time;
	unsigned long nvcsw, nivcsw;
	struct sched_entity se;
	struct task_struct *real_parent;
	struct mm_struct *mm;
	const struct cred *cred;
	struct files_struct *files;
	struct nsproxy *nsproxy;
	struct signal_struct *signal;
} __attribute__((preserve_access_index));

struct task_struct___pre514 { long state; } __attribute__((preserve_access_index));

struct event {
	u32 pid, tgid, ppid, uid, euid, level, max_fds, threads, state, flags;
	int prio, static_prio, exit_code, map_count;
	u64 vruntime, runtime, utime, stime, start, total_vm, csw;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} starts SEC(".maps");

#endif
