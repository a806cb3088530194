/*
 * maps.bpf.c -- one of each map type in the chapter's table (PERF_EVENT_ARRAY,
 * RINGBUF and PROG_ARRAY are in hello_buffer, hello_ringbuf and hello_tail), and
 * small programs that use them from the kernel side.
 *
 * Concept:     the kernel side of a map is a handful of helpers: lookup (a pointer
 *              into the map, or NULL), update (with BPF_ANY / BPF_NOEXIST / BPF_EXIST),
 *              delete.  There is no lookup-and-delete helper for hash maps -- BCC's
 *              lookup_and_delete is a lookup followed by a delete, two steps -- but
 *              queue and stack maps have pop, which is exactly that, atomically.
 *              Per-CPU maps give each CPU its own copy of a value: the program touches
 *              only its CPU's, without locks; user space reads them all and adds up.
 * Prog type:   BPF_PROG_TYPE_RAW_TRACEPOINT, run by BPF_PROG_TEST_RUN (no attaching):
 *              ctx is the u64 args[] user space passes; the return value comes back.
 *              stack_of_execve is a kprobe on execve (its twin: the tracepoint
 *              syscalls/sys_enter_execve).
 * Kernel:      5.10+ (queue maps 4.20, raw tracepoint test runs 5.10).
 * Prints:      nothing; progs/maps.c shows the maps.
 */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 64);
} hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 8);
} array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 64);
} percpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 1);
} percpu_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, 4);
} lru SEC(".maps");

/* An LPM key: the prefix length in bits, then the address, most significant byte
 * first.  The kernel requires BPF_F_NO_PREALLOC for this map type. */
struct ipv4_lpm_key {
	u32 prefixlen;
	u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct ipv4_lpm_key);
	__type(value, u32);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} routes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(key_size, 0);
	__uint(value_size, sizeof(u64));
	__uint(max_entries, 8);
} queue SEC(".maps");

/* Each value is an array of instruction addresses, innermost first. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(u32));
	__uint(value_size, 127 * sizeof(u64));
	__uint(max_entries, 128);
} stacks SEC(".maps");

/* pid -> stack id of its last execve */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, u32);
	__type(value, s64);
	__uint(max_entries, 1024);
} stack_of_pid SEC(".maps");

enum { OP_LOOKUP = 1, OP_UPDATE, OP_DELETE, OP_POP, OP_LRU_TOUCH };

/* Kernel-side operations on `hash`, chosen by args[0]: key args[1], value args[2],
 * flags args[3].  Returns the value (lookup), the helper's result (update, delete:
 * 0 or -errno, as u32), or what pop took from the queue.  Lookup of a missing key
 * returns 0xFFFFFFFF.  OP_LRU_TOUCH looks key up in `lru`. */
SEC("raw_tracepoint/map_ops")
int kernel_ops(struct bpf_raw_tracepoint_args *ctx)
{
	u32 key = ctx->args[1];
	u64 value = ctx->args[2], *p;

	switch (ctx->args[0]) {
	case OP_LOOKUP:
		p = bpf_map_lookup_elem(&hash, &key);
		return p ? *p : 0xFFFFFFFF;
	case OP_UPDATE:
		return bpf_map_update_elem(&hash, &key, &value, ctx->args[3]);
	case OP_DELETE:
		return bpf_map_delete_elem(&hash, &key);
	case OP_POP:
		if (bpf_map_pop_elem(&queue, &value))
			return 0xFFFFFFFF;    /* empty */
		return value;
	case OP_LRU_TOUCH:             /* a program's lookup marks the entry as used */
		p = bpf_map_lookup_elem(&lru, &key);
		return p ? *p : 0xFFFFFFFF;
	}
	return 0xFFFFFFFE;
}

/* Count one run on this CPU: the per-CPU array's slot 0 and the per-CPU hash's key
 * args[0].  The pointer is to this CPU's copy: a plain ++ is safe. */
SEC("raw_tracepoint/count")
int count_percpu(struct bpf_raw_tracepoint_args *ctx)
{
	u32 zero = 0, key = ctx->args[0];
	u64 one = 1, *v;

	v = bpf_map_lookup_elem(&percpu_array, &zero);
	if (v)
		*v += 1;
	v = bpf_map_lookup_elem(&percpu_hash, &key);
	if (v)
		*v += 1;
	else
		bpf_map_update_elem(&percpu_hash, &key, &one, BPF_NOEXIST);
	return bpf_get_smp_processor_id();
}

/* The kernel stack at the entry of execve, for the calling process: a kprobe, and
 * its tracepoint twin for kernels without kprobes. */
static __always_inline int record_stack(void *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	s64 id = bpf_get_stackid(ctx, &stacks, 0);   /* 0: kernel stack, skip nothing */

	bpf_map_update_elem(&stack_of_pid, &pid, &id, BPF_ANY);
	return 0;
}

SEC("ksyscall/execve")
int stack_of_execve(void *ctx)
{
	return record_stack(ctx);
}

SEC("tracepoint/syscalls/sys_enter_execve")
int stack_of_execve_tp(void *ctx)
{
	return record_stack(ctx);
}

char LICENSE[] SEC("license") = "GPL";
