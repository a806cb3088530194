/*
 * bpf_prog.h -- what a BPF program written in C includes (the kernel side of a lesson).
 *
 *     #include "bpf_prog.h"
 *
 *     struct {
 *             __uint(type, BPF_MAP_TYPE_HASH);
 *             __type(key, u32);
 *             __type(value, u64);
 *             __uint(max_entries, 1024);
 *     } counts SEC(".maps");
 *
 *     SEC("tracepoint/syscalls/sys_enter_execve")
 *     int hello(void *ctx)
 *     {
 *             bpf_printk("Hello World %d", 42);
 *             return 0;
 *     }
 *
 *     char LICENSE[] SEC("license") = "GPL";
 *
 * Compile with clang -O2 -g -target bpf.  SEC() puts a function or variable in an ELF
 * section; the loader reads the program type and attach point from the section name
 * (kprobe/FN, kretprobe/FN, ksyscall/NAME, tracepoint/CAT/NAME or tp/CAT/NAME,
 * raw_tracepoint/NAME or raw_tp/NAME, fentry/FN, fexit/FN, socket, xdp, tc,
 * perf_event).
 *
 * Maps in .maps are described by the types of their fields, which clang records in
 * the object's BTF: __uint(name, N) declares `int (*name)[N]` (N is the array's
 * length: a number carried by a type), __type(name, T) declares `T *name` (the loader
 * takes sizeof(T)), __array(name, T) an array of T pointers (a prog array's initial
 * programs).  These are the same conventions as libbpf's bpf_helpers.h, so programs
 * carry over either way.
 *
 * A helper is called through a function pointer whose value is its number: the
 * compiler emits `call N` and the kernel maps N to the helper.  The numbers are the
 * BPF_FUNC_* of uapi linux/bpf.h; the prototypes follow its documentation comments.
 */
#ifndef BPF_PROG_H
#define BPF_PROG_H

#include <linux/types.h>
#include <linux/bpf.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define __noinline __attribute__((noinline))

/* Pinning by name: __uint(pinning, LIBBPF_PIN_BY_NAME) pins at /sys/fs/bpf/NAME. */
#define LIBBPF_PIN_NONE 0
#define LIBBPF_PIN_BY_NAME 1

/* ------------------------------------------------------------------ helpers */
#define BPF_HELPER(ret, name, ...) \
	static ret (*bpf_##name)(__VA_ARGS__) = (void *)BPF_FUNC_##name

/* maps: lookup returns a pointer into the map's value, or NULL */
BPF_HELPER(void *, map_lookup_elem, void *map, const void *key);
BPF_HELPER(long, map_update_elem, void *map, const void *key, const void *value, u64 flags);
BPF_HELPER(long, map_delete_elem, void *map, const void *key);
/* queue and stack maps; there is no lookup-and-delete helper: pop is that */
BPF_HELPER(long, map_push_elem, void *map, const void *value, u64 flags);
BPF_HELPER(long, map_pop_elem, void *map, void *value);
BPF_HELPER(long, map_peek_elem, void *map, void *value);

/* time and identity */
BPF_HELPER(u64, ktime_get_ns, void);
BPF_HELPER(u64, ktime_get_boot_ns, void);
BPF_HELPER(u32, get_prandom_u32, void);
BPF_HELPER(u32, get_smp_processor_id, void);
BPF_HELPER(u64, get_current_pid_tgid, void);     /* tgid << 32 | pid */
BPF_HELPER(u64, get_current_uid_gid, void);      /* gid << 32 | uid */
BPF_HELPER(long, get_current_comm, void *buf, u32 size);
BPF_HELPER(u64, get_current_task, void);
BPF_HELPER(u64, get_current_cgroup_id, void);

/* output: trace_pipe, perf event arrays, ring buffers */
BPF_HELPER(long, trace_printk, const char *fmt, u32 fmt_size, ...);
BPF_HELPER(long, perf_event_output, void *ctx, void *map, u64 flags, void *data, u64 size);
BPF_HELPER(long, ringbuf_output, void *ringbuf, void *data, u64 size, u64 flags);
BPF_HELPER(void *, ringbuf_reserve, void *ringbuf, u64 size, u64 flags);
BPF_HELPER(void, ringbuf_submit, void *data, u64 flags);
BPF_HELPER(void, ringbuf_discard, void *data, u64 flags);

/* reading memory the verifier cannot check */
BPF_HELPER(long, probe_read, void *dst, u32 size, const void *unsafe_ptr);
BPF_HELPER(long, probe_read_str, void *dst, u32 size, const void *unsafe_ptr);
BPF_HELPER(long, probe_read_user, void *dst, u32 size, const void *unsafe_ptr);
BPF_HELPER(long, probe_read_kernel, void *dst, u32 size, const void *unsafe_ptr);
BPF_HELPER(long, probe_read_user_str, void *dst, u32 size, const void *unsafe_ptr);
BPF_HELPER(long, probe_read_kernel_str, void *dst, u32 size, const void *unsafe_ptr);

/* control flow and the rest */
BPF_HELPER(long, tail_call, void *ctx, void *prog_array_map, u32 index);   /* no return on success */
BPF_HELPER(long, get_stackid, void *ctx, void *map, u64 flags);
BPF_HELPER(long, loop, u32 nr_loops, void *callback_fn, void *ctx, u64 flags);
BPF_HELPER(long, send_signal, u32 sig);
BPF_HELPER(long, skb_load_bytes, const void *skb, u32 offset, void *to, u32 len);
BPF_HELPER(long, xdp_adjust_head, struct xdp_md *xdp_md, int delta);
/* a lock inside a map value (struct bpf_spin_lock is its first field, say) */
BPF_HELPER(long, spin_lock, struct bpf_spin_lock *lock);
BPF_HELPER(long, spin_unlock, struct bpf_spin_lock *lock);

/* bpf_printk("fmt", args...): fmt must be a string literal (it is passed with its
 * size and lands in .rodata.str1.1); at most three arguments; the text appears in
 * /sys/kernel/tracing/trace_pipe. */
#define bpf_printk(fmt, ...) bpf_trace_printk(fmt, sizeof(fmt), ##__VA_ARGS__)

/* ---------------------------------------------------------- program contexts */
/*
 * tracepoint/CAT/NAME: ctx points at the event's record, laid out as
 * /sys/kernel/tracing/events/CAT/NAME/format says: 8 bytes of common fields, then
 * the event's own.  For every syscalls/sys_enter_* event that is the syscall number
 * at offset 8 and its arguments as 8-byte slots from offset 16:
 */
struct syscall_enter_ctx {
	u16 common_type;
	u8 common_flags;
	u8 common_preempt_count;
	s32 common_pid;
	s32 syscall_nr;          /* offset 8 */
	u32 pad;
	u64 args[6];             /* offset 16: filename, argv, envp for execve */
};
/* ... and for syscalls/sys_exit_*: the number, then the return value at offset 16. */
struct syscall_exit_ctx {
	u16 common_type;
	u8 common_flags;
	u8 common_preempt_count;
	s32 common_pid;
	s32 syscall_nr;
	u32 pad;
	s64 ret;
};
/* raw_tracepoint/NAME: struct bpf_raw_tracepoint_args (uapi): u64 args[] are the
 * tracepoint's own C arguments (for sys_enter: struct pt_regs *, long id). */

#endif
