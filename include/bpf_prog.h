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

/* A CO-RE program includes vmlinux.h (from `rawbpf btf --c`) first: it holds every
 * kernel type, the uapi ones included, and the uapi headers would define them twice. */
#ifndef __VMLINUX_H__
#include <linux/types.h>
#include <linux/bpf.h>
#endif

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

/* ----------------------------------------------------------------------- CO-RE */
/*
 * Compile once, run everywhere.  A program that reads kernel structs does not know
 * where their fields are on the kernel it will run on: task_struct differs between
 * versions and configurations.  clang can record each such access instead of only
 * compiling it.  Inside __builtin_preserve_access_index(EXPR) (or on any type marked
 * __attribute__((preserve_access_index)), as every struct of vmlinux.h is), an access
 * like &t->real_parent->tgid still compiles to the offset clang knows, but clang also
 * writes a record to .BTF.ext: "instruction 12 holds the byte offset of
 * task_struct, access 0:57 (field 57 of the struct t points to)".  The loader finds
 * task_struct in the running kernel's BTF, looks up field 57's name there, and
 * patches instruction 12 with the offset this kernel uses.
 *
 * Four builtins record four kinds of question; the second argument says which
 * value the instruction should hold once relocated (the numbers are the compiler's):
 *
 *   __builtin_preserve_field_info(FIELD, K)   a field's offset, size, existence,
 *                                             signedness, or bitfield shifts
 *   __builtin_btf_type_id(TYPE, K)            a type's BTF id, ours or the kernel's
 *   __builtin_preserve_type_info(TYPE, K)     whether a type exists, its size
 *   __builtin_preserve_enum_value(*(T *)E, K) whether enumerator E exists, its value
 *
 * The macros below give those questions names (the same names as libbpf's
 * bpf_core_read.h, so a program written for libbpf compiles here unchanged, with
 * the same relocation records).
 */
enum bpf_field_info_kind {
	BPF_FIELD_BYTE_OFFSET = 0,       /* where the field starts, in bytes */
	BPF_FIELD_BYTE_SIZE = 1,         /* its size (a bitfield's: the load that covers it) */
	BPF_FIELD_EXISTS = 2,            /* 1 if the kernel has it, else 0 */
	BPF_FIELD_SIGNED = 3,            /* 1 if it is a signed integer */
	BPF_FIELD_LSHIFT_U64 = 4,        /* bitfields: shift the loaded u64 left by this, */
	BPF_FIELD_RSHIFT_U64 = 5,        /* then right by this, to get the value */
};
enum bpf_type_id_kind {
	BPF_TYPE_ID_LOCAL = 0,           /* the type's id in the program's own BTF */
	BPF_TYPE_ID_TARGET = 1,          /* the same type's id in the kernel's BTF */
};
enum bpf_type_info_kind {
	BPF_TYPE_EXISTS = 0,             /* 1 if the kernel has a compatible type */
	BPF_TYPE_SIZE = 1,               /* its size in the kernel */
	BPF_TYPE_MATCHES = 2,            /* 1 if it matches exactly (clang 15 and later) */
};
enum bpf_enum_value_kind {
	BPF_ENUMVAL_EXISTS = 0,          /* 1 if the kernel's enum has this enumerator */
	BPF_ENUMVAL_VALUE = 1,           /* its value in the kernel */
};

/* Counting macro arguments (1 to 9), so that one name can take several forms:
 * __rb_nargs(a, b, c) is 3; __rb_pick(__rb_x, a, b) is __rb_x2(a, b). */
#define __rb_nth(_1, _2, _3, _4, _5, _6, _7, _8, _9, N, ...) N
#define __rb_nargs(...) __rb_nth(__VA_ARGS__, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define __rb_glue(a, b) a##b
#define __rb_glue2(a, b) __rb_glue(a, b)
#define __rb_pick(name, ...) __rb_glue2(name, __rb_nargs(__VA_ARGS__))(__VA_ARGS__)

/* A field is named as an expression, p->f (or p->a.b[2]), or as a type and a
 * field, (struct task_struct, pid): the expression is then built on a null pointer,
 * which is never read, only measured. */
#define __rb_field1(expr) (expr)
#define __rb_field2(type, f) (((typeof(type) *)0)->f)
#define __rb_field(...) __rb_pick(__rb_field, __VA_ARGS__)

/* bpf_core_field_exists(t->state) is 0 on a kernel whose task_struct has no
 * `state`: the branch it guards is then dead, and the verifier never sees the read. */
#define bpf_core_field_exists(...) \
	__builtin_preserve_field_info(__rb_field(__VA_ARGS__), BPF_FIELD_EXISTS)
#define bpf_core_field_size(...) \
	__builtin_preserve_field_info(__rb_field(__VA_ARGS__), BPF_FIELD_BYTE_SIZE)
#define bpf_core_field_offset(...) \
	__builtin_preserve_field_info(__rb_field(__VA_ARGS__), BPF_FIELD_BYTE_OFFSET)

/* A type is named as a type: bpf_core_type_exists(struct bpf_iter_num). */
#define bpf_core_type_exists(type) \
	__builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_EXISTS)
#define bpf_core_type_size(type) \
	__builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_SIZE)
#define bpf_core_type_matches(type) \
	__builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_MATCHES)
#define bpf_core_type_id_local(type) \
	__builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_LOCAL)
#define bpf_core_type_id_kernel(type) \
	__builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_TARGET)

/* An enumerator is named with its enum: bpf_core_enum_value(enum bpf_func_id,
 * BPF_FUNC_loop).  The cast dereference is the form clang wants: never evaluated. */
#define bpf_core_enum_value_exists(enum_type, name) \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)name, BPF_ENUMVAL_EXISTS)
#define bpf_core_enum_value(enum_type, name) \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)name, BPF_ENUMVAL_VALUE)

/* bpf_core_read(dst, size, &p->f): one probe read whose address is relocated.
 * The address is computed inside __builtin_preserve_access_index, so the offset
 * of f is recorded even when p's type is not marked preserve_access_index. */
#define bpf_core_read(dst, sz, src) \
	bpf_probe_read_kernel(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user(dst, sz, src) \
	bpf_probe_read_user(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_str(dst, sz, src) \
	bpf_probe_read_kernel_str(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user_str(dst, sz, src) \
	bpf_probe_read_user_str(dst, sz, (const void *)__builtin_preserve_access_index(src))

/*
 * BPF_CORE_READ(t, real_parent, tgid) is t->real_parent->tgid for a program that may
 * not dereference t itself (a kprobe, a tracepoint: t is kernel memory the verifier
 * cannot check).  It is a chain of probe reads, each relocated: read the pointer
 * t->real_parent into a temporary __p, then read ((typeof(t->real_parent))__p)->tgid
 * into the result.  One row per length of chain, 1 to 9 fields; FN is the reader
 * (bpf_core_read, bpf_core_read_user, or a plain probe read for BPF_PROBE_READ).
 * Each row's last read is the value of the statement: 0, or the helper's -errno.
 */
#define __rb_first(FN, s, a)       FN(&__p, sizeof(__p), &(s)->a);
#define __rb_step(FN, T, f)        FN(&__p, sizeof(__p), &((T)__p)->f);
#define __rb_last(FN, d, T, f)     FN(d, sizeof(*(d)), &((T)__p)->f)
#define __rb_chain1(FN, d, s, a) \
	FN(d, sizeof(*(d)), &(s)->a)
#define __rb_chain2(FN, d, s, a, b) \
	__rb_first(FN, s, a) __rb_last(FN, d, typeof((s)->a), b)
#define __rb_chain3(FN, d, s, a, b, c) \
	__rb_first(FN, s, a) __rb_step(FN, typeof((s)->a), b) \
	__rb_last(FN, d, typeof((s)->a->b), c)
#define __rb_chain4(FN, d, s, a, b, c, e) \
	__rb_chain3(FN, &__p, s, a, b, c); __rb_last(FN, d, typeof((s)->a->b->c), e)
#define __rb_chain5(FN, d, s, a, b, c, e, f) \
	__rb_chain4(FN, &__p, s, a, b, c, e); __rb_last(FN, d, typeof((s)->a->b->c->e), f)
#define __rb_chain6(FN, d, s, a, b, c, e, f, g) \
	__rb_chain5(FN, &__p, s, a, b, c, e, f); \
	__rb_last(FN, d, typeof((s)->a->b->c->e->f), g)
#define __rb_chain7(FN, d, s, a, b, c, e, f, g, h) \
	__rb_chain6(FN, &__p, s, a, b, c, e, f, g); \
	__rb_last(FN, d, typeof((s)->a->b->c->e->f->g), h)
#define __rb_chain8(FN, d, s, a, b, c, e, f, g, h, i) \
	__rb_chain7(FN, &__p, s, a, b, c, e, f, g, h); \
	__rb_last(FN, d, typeof((s)->a->b->c->e->f->g->h), i)
#define __rb_chain9(FN, d, s, a, b, c, e, f, g, h, i, j) \
	__rb_chain8(FN, &__p, s, a, b, c, e, f, g, h, i); \
	__rb_last(FN, d, typeof((s)->a->b->c->e->f->g->h->i), j)
/* __p holds each pointer along the way (unused by a chain of one field). */
#define __rb_chain(FN, d, s, ...) ({ \
	const void *__p __attribute__((unused)); \
	__rb_glue2(__rb_chain, __rb_nargs(__VA_ARGS__))(FN, d, s, __VA_ARGS__); \
})
/* The type at the end of the chain: typeof(s->a->b->...). */
#define __rb_arrow1(s, a) (s)->a
#define __rb_arrow2(s, a, b) (s)->a->b
#define __rb_arrow3(s, a, b, c) (s)->a->b->c
#define __rb_arrow4(s, a, b, c, e) (s)->a->b->c->e
#define __rb_arrow5(s, a, b, c, e, f) (s)->a->b->c->e->f
#define __rb_arrow6(s, a, b, c, e, f, g) (s)->a->b->c->e->f->g
#define __rb_arrow7(s, a, b, c, e, f, g, h) (s)->a->b->c->e->f->g->h
#define __rb_arrow8(s, a, b, c, e, f, g, h, i) (s)->a->b->c->e->f->g->h->i
#define __rb_arrow9(s, a, b, c, e, f, g, h, i, j) (s)->a->b->c->e->f->g->h->i->j
#define __rb_typeof_chain(s, ...) \
	typeof(__rb_glue2(__rb_arrow, __rb_nargs(__VA_ARGS__))(s, __VA_ARGS__))

/* Read into *dst; the value is 0 or the last read's -errno. */
#define BPF_CORE_READ_INTO(dst, src, ...)      __rb_chain(bpf_core_read, dst, src, __VA_ARGS__)
#define BPF_CORE_READ_USER_INTO(dst, src, ...) __rb_chain(bpf_core_read_user, dst, src, __VA_ARGS__)
#define BPF_PROBE_READ_INTO(dst, src, ...)     __rb_chain(bpf_probe_read_kernel, dst, src, __VA_ARGS__)
#define BPF_PROBE_READ_USER_INTO(dst, src, ...) __rb_chain(bpf_probe_read_user, dst, src, __VA_ARGS__)
/* Strings: the pointers along the way are read as pointers, the last field as a
 * NUL-terminated string of at most sizeof(*dst) bytes. */
#define __rb_str_chain(FN_PTR, FN_STR, d, s, ...) ({ \
	const void *__p __attribute__((unused)); \
	__rb_glue2(__rb_str, __rb_nargs(__VA_ARGS__))(FN_PTR, FN_STR, d, s, __VA_ARGS__); \
})
#define __rb_str1(P, S, d, s, a)          __rb_chain1(S, d, s, a)
#define __rb_str2(P, S, d, s, a, b)       __rb_chain1(P, &__p, s, a); \
	__rb_last(S, d, typeof((s)->a), b)
#define __rb_str3(P, S, d, s, a, b, c)    __rb_chain2(P, &__p, s, a, b); \
	__rb_last(S, d, typeof((s)->a->b), c)
#define __rb_str4(P, S, d, s, a, b, c, e) __rb_chain3(P, &__p, s, a, b, c); \
	__rb_last(S, d, typeof((s)->a->b->c), e)
#define BPF_CORE_READ_STR_INTO(dst, src, ...) \
	__rb_str_chain(bpf_core_read, bpf_core_read_str, dst, src, __VA_ARGS__)
#define BPF_CORE_READ_USER_STR_INTO(dst, src, ...) \
	__rb_str_chain(bpf_core_read_user, bpf_core_read_user_str, dst, src, __VA_ARGS__)
#define BPF_PROBE_READ_STR_INTO(dst, src, ...) \
	__rb_str_chain(bpf_probe_read_kernel, bpf_probe_read_kernel_str, dst, src, __VA_ARGS__)
#define BPF_PROBE_READ_USER_STR_INTO(dst, src, ...) \
	__rb_str_chain(bpf_probe_read_user, bpf_probe_read_user_str, dst, src, __VA_ARGS__)

/* The value itself: x = BPF_CORE_READ(t, real_parent, tgid).  A failed probe read
 * zeroes its destination, so __r is 0 then. */
#define __rb_value(INTO, src, ...) ({ \
	__rb_typeof_chain(src, __VA_ARGS__) __r; \
	INTO(&__r, src, __VA_ARGS__); \
	__r; \
})
#define BPF_CORE_READ(src, ...)       __rb_value(BPF_CORE_READ_INTO, src, __VA_ARGS__)
#define BPF_CORE_READ_USER(src, ...)  __rb_value(BPF_CORE_READ_USER_INTO, src, __VA_ARGS__)
#define BPF_PROBE_READ(src, ...)      __rb_value(BPF_PROBE_READ_INTO, src, __VA_ARGS__)
#define BPF_PROBE_READ_USER(src, ...) __rb_value(BPF_PROBE_READ_USER_INTO, src, __VA_ARGS__)

/*
 * Bitfields.  A bitfield has no address, so it is read as the smallest load that
 * covers it (BYTE_OFFSET, BYTE_SIZE) into a u64, shifted left until its top bit is
 * the u64's (LSHIFT_U64), then right until its low bit is bit 0 (RSHIFT_U64), the
 * right shift arithmetic when the field is signed.  All four numbers are relocated,
 * so the read is right on a kernel that moved or resized the field.
 * BPF_CORE_READ_BITFIELD_PROBED(s, f) reads with a probe read (s is kernel memory);
 * BPF_CORE_READ_BITFIELD(s, f) loads directly (s is a pointer the verifier trusts:
 * a tp_btf argument).
 */
#define __rb_field_info(s, f, kind) __builtin_preserve_field_info((s)->f, kind)
#define __rb_bitfield_value(s, f, raw) ({ \
	unsigned long long __v = (raw) << __rb_field_info(s, f, BPF_FIELD_LSHIFT_U64); \
	__rb_field_info(s, f, BPF_FIELD_SIGNED) ? \
		(unsigned long long)((long long)__v >> __rb_field_info(s, f, BPF_FIELD_RSHIFT_U64)) : \
		__v >> __rb_field_info(s, f, BPF_FIELD_RSHIFT_U64); \
})
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
/* the field's bytes go to the low end of the u64, which is its last bytes here */
#define __rb_bitfield_dst(v, size) ((char *)&(v) + 8 - (size))
#else
#define __rb_bitfield_dst(v, size) ((char *)&(v))
#endif
#define BPF_CORE_READ_BITFIELD_PROBED(s, f) ({ \
	unsigned long long __raw = 0; \
	unsigned int __sz = __rb_field_info(s, f, BPF_FIELD_BYTE_SIZE); \
	bpf_probe_read_kernel(__rb_bitfield_dst(__raw, __sz), __sz, \
		(const char *)(s) + __rb_field_info(s, f, BPF_FIELD_BYTE_OFFSET)); \
	__rb_bitfield_value(s, f, __raw); \
})
#define BPF_CORE_READ_BITFIELD(s, f) ({ \
	const void *__a = (const char *)(s) + __rb_field_info(s, f, BPF_FIELD_BYTE_OFFSET); \
	unsigned long long __raw; /* BYTE_SIZE is 1, 2, 4 or 8: one case sets it */ \
	/* empty asm: __a is computed (and relocated) once, not once per case */ \
	asm volatile("" : "=r"(__a) : "0"(__a)); \
	switch (__rb_field_info(s, f, BPF_FIELD_BYTE_SIZE)) { \
	case 1: __raw = *(const unsigned char *)__a; break; \
	case 2: __raw = *(const unsigned short *)__a; break; \
	case 4: __raw = *(const unsigned int *)__a; break; \
	case 8: __raw = *(const unsigned long long *)__a; break; \
	} \
	__rb_bitfield_value(s, f, __raw); \
})

/* ------------------------------------------------------------------ externs */
/*
 * extern int LINUX_KERNEL_VERSION __kconfig;   the loader fills it in (.kconfig)
 * extern const struct rq runqueues __ksym;     a kernel variable's address (.ksyms)
 * extern void bpf_rcu_read_lock(void) __ksym;  a kfunc: a kernel function by BTF id
 * Marked __weak, an extern the kernel lacks becomes 0 instead of a load error:
 * test it with bpf_ksym_exists(sym) before use.
 */
#define __kconfig __attribute__((section(".kconfig")))
#define __ksym __attribute__((section(".ksyms")))
#ifndef __weak
#define __weak __attribute__((weak))
#endif
#define bpf_ksym_exists(sym) ({ \
	_Static_assert(!__builtin_constant_p(!!(sym)), #sym " must be declared __weak"); \
	!!(sym); \
})

#endif
