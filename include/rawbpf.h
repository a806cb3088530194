/*
 * rawbpf.h -- the loader's whole API, one header, one prefix: rbpf_.
 *
 * The layers, in the order data flows through them:
 *
 *   errors     every function returns >= 0 (an fd, a count, 0) or a negative errno,
 *              and keeps a message saying what was tried, what the kernel answered
 *              and the likely cause: rbpf_errmsg().  The library never prints or exits.
 *   sys        one thin wrapper per bpf() command, plus perf_event_open (loader/sys.c)
 *   kernel     CPUs, tracefs, kallsyms (loader/sysfs.c, tracefs.c, kallsyms.c)
 *   btf        a BTF reader (loader/btf.c)
 *   load       one program from an instruction array, with the verifier log grown
 *              until it fits (loader/load.c)
 *   object     an ELF object: programs, maps, relocations (loader/elf.c, btf.c, object*.c)
 *   attach     a program attached as its section says; kprobes, tracepoints, ...
 *              (loader/link.c, attach*.c)
 *   events     trace_pipe, perf buffer, ring buffer (loader/tracepipe.c, perfbuf.c, ringbuf.c)
 *   reading    beside the flow: disassembler, verifier-log rows and hints (disasm.c, vlog.c)
 *
 * Only libc and the kernel's uapi headers are used, here and in every loader file.
 */
#ifndef RAWBPF_H
#define RAWBPF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

#include "rawbpf_kinds.h"         /* program kinds by section; their attach functions */

/* ======================================================================== errors */

/* The message of the last failure in this thread ("" if none). */
const char *rbpf_errmsg(void);
/* Set the message from a printf format and return -err (err may be given as
 * positive or negative).  Use: return rbpf_error(errno, "ringbuf: mmap of map fd=%d", fd); */
int rbpf_error(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix the kept message with more context ("object hello.bpf.o: " + old message)
 * and return err unchanged. */
int rbpf_error_prefix(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "EPERM" for 1 (sign ignored), "E?" for numbers it does not know. */
const char *rbpf_errno_name(int err);
/* One line on the usual cause of err from the bpf() syscall, or "" if none:
 * EPERM -> "needs root, or CAP_BPF (+ CAP_PERFMON to trace)". */
const char *rbpf_errno_hint(int err);

/* ==================================================================== sys (bpf()) */
/*
 * One function per bpf() command, named after it (BPF_MAP_LOOKUP_ELEM ->
 * rbpf_map_lookup_elem).  Each zeroes a union bpf_attr, fills the fields, makes one
 * system call and returns the result or -errno.  They keep no message (the caller
 * knows what it was doing) and allocate nothing.
 */

/* What BPF_PROG_LOAD takes.  Zero what you do not use. */
struct rbpf_prog_load_args {
	enum bpf_prog_type type;
	enum bpf_attach_type expected_attach_type;
	const char *name;                /* shown by the kernel; first 15 chars kept */
	const struct bpf_insn *insns;
	uint32_t insn_cnt;
	const char *license;             /* "GPL" unlocks GPL-only helpers */
	uint32_t kern_version;           /* kprobes before 5.0 wanted LINUX_VERSION_CODE */
	uint32_t prog_flags;
	uint32_t attach_btf_id;          /* fentry/fexit: the kernel function's BTF id */
	int prog_btf_fd;                 /* the object's BTF, or 0 */
	const void *func_info;           /* struct bpf_func_info[], from .BTF.ext */
	uint32_t func_info_cnt, func_info_rec_size;
	const void *line_info;           /* struct bpf_line_info[], from .BTF.ext */
	uint32_t line_info_cnt, line_info_rec_size;
	uint32_t log_level;              /* 0 none, 1, 2 (every insn), | 4 stats */
	char *log_buf;
	uint32_t log_size;
	uint32_t log_true_size;          /* out (6.4+): bytes the whole log needs, or 0 */
};
int rbpf_prog_load(struct rbpf_prog_load_args *a);

/* What BPF_MAP_CREATE takes. */
struct rbpf_map_create_args {
	enum bpf_map_type type;
	const char *name;
	uint32_t key_size, value_size, max_entries;
	uint32_t map_flags;
	int inner_map_fd;                /* maps of maps: a template of the inner map */
	int btf_fd;                      /* 0, or BTF with the key/value types below */
	uint32_t btf_key_type_id, btf_value_type_id;
	uint64_t map_extra;              /* bloom filter hashes; 0 otherwise */
};
int rbpf_map_create(const struct rbpf_map_create_args *a);


int rbpf_map_lookup_elem(int map_fd, const void *key, void *value, uint64_t flags);
int rbpf_map_update_elem(int map_fd, const void *key, const void *value, uint64_t flags);
int rbpf_map_delete_elem(int map_fd, const void *key);
/* key NULL asks for the first key. -ENOENT after the last one. */
int rbpf_map_get_next_key(int map_fd, const void *key, void *next_key);
int rbpf_map_lookup_and_delete_elem(int map_fd, const void *key, void *value);
/* One batch: in_batch NULL starts; *count is in: room, out: how many came.
 * Returns 0, or -ENOENT with the last entries when the walk is complete. */
int rbpf_map_lookup_batch(int map_fd, void *in_batch, void *out_batch,
			  void *keys, void *values, uint32_t *count, uint64_t flags);
int rbpf_map_freeze(int map_fd);
int rbpf_obj_pin(int fd, const char *path);
int rbpf_obj_get(const char *path);

/* What BPF_PROG_TEST_RUN takes and gives back. */
struct rbpf_test_run_args {
	const void *data_in;  uint32_t data_size_in;
	void *data_out;       uint32_t data_size_out;   /* in: room; out: bytes */
	const void *ctx_in;   uint32_t ctx_size_in;
	void *ctx_out;        uint32_t ctx_size_out;
	uint32_t repeat;
	uint32_t flags;       /* BPF_F_TEST_RUN_ON_CPU: run on `cpu` (raw tracepoints) */
	uint32_t cpu;
	uint32_t retval;      /* out: the program's return value */
	uint32_t duration;    /* out: mean ns per run */
};
int rbpf_prog_test_run(int prog_fd, struct rbpf_test_run_args *a);

int rbpf_raw_tracepoint_open(const char *name, int prog_fd);
/* BPF_LINK_CREATE: target is a perf event fd, an ifindex, a cgroup fd... */
int rbpf_link_create(int prog_fd, int target, enum bpf_attach_type type,
		     const struct rbpf_link_opts *opts);      /* NULL: none (rawbpf_kinds.h) */
/* BPF_ITER_CREATE: an fd to read() an iterator link's output from (text, to EOF). */
int rbpf_iter_create(int link_fd);
/* BPF_PROG_ATTACH / BPF_PROG_DETACH: the older attach, by target fd (a cgroup, a
 * sockmap, a netns) and attach type, for what has no link on this kernel.  (The
 * bpf_ in the name: rbpf_prog_attach is the attach-by-section, below.) */
int rbpf_bpf_prog_attach(int prog_fd, int target_fd, enum bpf_attach_type type,
			 uint32_t flags);
int rbpf_bpf_prog_detach(int prog_fd, int target_fd, enum bpf_attach_type type);
/* BPF_BTF_LOAD; the log as for programs (log_true_size filled on 6.4+). */
int rbpf_btf_load(const void *btf, uint32_t size, char *log_buf, uint32_t log_size,
		  uint32_t log_level, uint32_t *log_true_size);
/* BPF_OBJ_GET_INFO_BY_FD: info is a struct bpf_prog_info / bpf_map_info / ...;
 * *len is in: its size; out: how much the kernel filled. */
int rbpf_obj_get_info_by_fd(int fd, void *info, uint32_t *len);
int rbpf_prog_get_next_id(uint32_t start_id, uint32_t *next_id);
int rbpf_map_get_next_id(uint32_t start_id, uint32_t *next_id);
int rbpf_link_get_next_id(uint32_t start_id, uint32_t *next_id);
int rbpf_prog_get_fd_by_id(uint32_t id);
int rbpf_map_get_fd_by_id(uint32_t id);
int rbpf_link_get_fd_by_id(uint32_t id);
int rbpf_btf_get_fd_by_id(uint32_t id);

/* perf_event_open(2), which libc does not wrap. */
int rbpf_perf_event_open(struct perf_event_attr *attr, int pid, int cpu, int group_fd,
			 unsigned long flags);

/* ================================================================= kernel files */
/* (loader/sysfs.c, tracefs.c, kallsyms.c)  What the kernel says outside bpf(). */

/* Number of possible CPUs (/sys/devices/system/cpu/possible), >= 1, or -errno. */
int rbpf_num_possible_cpus(void);
/* The tracefs directory: "/sys/kernel/tracing" (mounted there if it was not), or
 * "/sys/kernel/debug/tracing".  NULL with a message when neither can be had. */
const char *rbpf_tracefs(void);
/* The id of tracepoint CAT/NAME (tracefs events/CAT/NAME/id): > 0, or -ENOENT with a
 * message naming CAT/NAME. */
int rbpf_tracepoint_id(const char *cat, const char *name);
/* A line of /proc/kallsyms ("ffffffff81234560 T __x64_sys_execve"; addr 0 when
 * hidden); name valid during the call only. */
struct rbpf_ksym { unsigned long long addr; char type; const char *name; };
typedef int (*rbpf_ksym_fn)(void *ctx, const struct rbpf_ksym *s);
/* Call fn for each symbol until it returns non-zero.  Returns that value, 0 after
 * the last symbol, or -errno (with a message) when the file cannot be read. */
int rbpf_kallsyms_each(rbpf_ksym_fn fn, void *ctx);
/* The kernel's function for a system call, from /proc/kallsyms: "execve" ->
 * "__x64_sys_execve" (x86-64 since 4.17), "__arm64_sys_execve", or plain "sys_execve"
 * on old kernels.  0, or -ENOENT with a message. */
int rbpf_syscall_fnname(const char *syscall, char *buf, size_t n);

/* ========================================================================== btf */
/* (loader/btf.c)  Raw BTF (from BPF_OBJ_GET_INFO_BY_FD on a BTF fd), checked once. */
struct rbpf_btf;
/* Parse size bytes of raw BTF (copied; name is for messages).  0, or -errno. */
int rbpf_btf_open_mem(const void *data, size_t size, const char *name,
		      struct rbpf_btf **out);
void rbpf_btf_free(struct rbpf_btf *b);
/* A string of the string section, or NULL when off is outside it. */
const char *rbpf_btf_str(const struct rbpf_btf *b, uint32_t off);
/* The name of type id ("" for anonymous types), or NULL when there is no such id. */
const char *rbpf_btf_type_name(const struct rbpf_btf *b, uint32_t id);
/* The BTF id of a kernel type by name and kind (BTF_KIND_FUNC for fentry/fexit),
 * from /sys/kernel/btf/vmlinux.  Returns the id (> 0) or -errno (-ENOENT: no such
 * name; the message says whether the file exists). */
int rbpf_vmlinux_btf_id(const char *name, int kind);

/* ================================================================== load (one prog) */
/* Load an instruction array (rbpf_prog_load is the bare wrapper; an object's
 * program: rbpf_object_load_prog), the log grown until it fits; *log gets it (caller
 * frees; NULL when level 0 and accepted).  The fd, or -errno with a message that
 * names the verifier's reason (rbpf_log_reason) -- the hint is the caller's to add. */
int rbpf_load_insns(struct rbpf_prog_load_args *a, char **log);
/* Start size of that buffer; tests lower it to force the grow-and-retry path. */
extern uint32_t rbpf_log_start_size;
/* The verifier's reason in a log: its last line that is not one it prints after
 * the reason (statistics: "processed N insns", ...; the states of an infinite
 * loop).  Copied to out; returns its length, 0 when the log has none. */
size_t rbpf_log_reason(const char *log, char *out, size_t n);
/* fentry/fexit: the BTF id of kernel function func, to load a BPF_PROG_TYPE_TRACING
 * program with (attach_btf_id).  -ENOENT naming func, and saying why when func is a
 * syscall wrapper (__x64_sys_*: generated by macros, they have no BTF entry). */
int rbpf_fentry_btf_id(const char *func);
/* Load raw instructions as an fentry (fexit 0) or fexit (1) program on func; the
 * verifier's log in *log (caller frees).  Program fd, or -errno; an EPERM is
 * explained (see rbpf_tracing_eperm_hint). */
int rbpf_load_fentry(const char *func, int fexit, const struct bpf_insn *insns,
		     uint32_t insn_cnt, const char *license, char **log);
/* Why a kernel may refuse tracing programs with EPERM even to root, in one line. */
const char *rbpf_tracing_eperm_hint(void);

/* ========================================================================= object */
/*
 * An object is what clang -target bpf wrote: programs (one per function in an
 * executable section), maps (legacy `maps` section, BTF-defined `.maps`, and one
 * single-entry array per global-data section), relocations, BTF.  (loader/elf.c
 * reads the ELF, btf.c the BTF, object*.c build and load the model.)
 *
 *   struct rbpf_object *obj;
 *   if (rbpf_object_open("build/progs/hello.bpf.o", &obj) < 0 ||
 *       rbpf_object_load(obj, 0) < 0)
 *           die(rbpf_errmsg());
 *   int fd = rbpf_prog_fd(rbpf_object_find_prog(obj, "hello"));
 *   ...
 *   rbpf_object_close(obj);      (every fd and every byte released)
 *
 * Open parses and links: after it the programs' instructions are final except for
 * map references, which are BPF_PSEUDO_MAP_IDX / BPF_PSEUDO_MAP_IDX_VALUE with imm =
 * the map's index (rbpf_object_map_at); load creates the maps and rewrites those to
 * BPF_PSEUDO_MAP_FD / BPF_PSEUDO_MAP_VALUE with the fds.  Pointers returned by the
 * accessors live as long as the object.
 */
struct rbpf_object;
struct rbpf_prog;
struct rbpf_map;

/* enum rbpf_attach_kind and rbpf_section_info(): rawbpf_kinds.h. */
/* "kprobe", "tracepoint", ... for messages. */
const char *rbpf_attach_kind_name(enum rbpf_attach_kind k);

/* Open from a file, or from bytes in memory (copied; name is used in messages).
 * Returns 0 and *obj, or -errno with the file, section, symbol and offset named. */
int rbpf_object_open(const char *path, struct rbpf_object **obj);
int rbpf_object_open_mem(const void *buf, size_t size, const char *name,
			 struct rbpf_object **obj);
/* Create the maps, then load every program whose autoload is on, at this verifier
 * log level (0, 1, 2, | 4 stats).  Every program is tried even after one fails, so
 * each has its log; returns 0 or the first error (its message names the program and
 * the verifier's reason).  Then prog arrays declared with initial values
 * (__array(values, ...) = { [i] = prog }) get those programs.  A second call loads
 * what is not loaded yet. */
int rbpf_object_load(struct rbpf_object *obj, uint32_t log_level);
/* Close every fd and free everything; NULL is fine. */
void rbpf_object_close(struct rbpf_object *obj);

const char *rbpf_object_name(const struct rbpf_object *obj);     /* file name */
const char *rbpf_object_license(const struct rbpf_object *obj);  /* "" if none */
uint32_t rbpf_object_kversion(const struct rbpf_object *obj);    /* `version` section or 0 */
/* The object's BTF fd after load (-1 when it has none or the kernel refused it). */
int rbpf_object_btf_fd(const struct rbpf_object *obj);
/* What load had to give up on without failing ("the kernel refused the BTF:
 * ...; programs loaded without it"), or "". */
const char *rbpf_object_notes(const struct rbpf_object *obj);
/* Pin every loaded map at DIR/maps/NAME and program at DIR/progs/NAME (bpffs;
 * dots, which bpffs refuses, go: .rodata.str1.1 is DIR/maps/rodata_str1_1).  All or
 * nothing: when one pin fails, the ones this call made are removed again. */
int rbpf_object_pin(struct rbpf_object *obj, const char *dir);
/* Directory for maps declared with __uint(pinning, 1) (by name); default
 * "/sys/fs/bpf".  Such a map is reused when DIR/NAME exists, else created and pinned
 * there; a load that fails removes the pins it made.  dir NULL: no by-name pinning
 * at all (such maps are created private, nothing is reused): for verify, disasm. */
int rbpf_object_set_pin_root(struct rbpf_object *obj, const char *dir);

/* Programs: in file order.  next(obj, NULL) is the first; NULL after the last. */
struct rbpf_prog *rbpf_object_next_prog(const struct rbpf_object *obj, const struct rbpf_prog *prev);
struct rbpf_prog *rbpf_object_find_prog(const struct rbpf_object *obj, const char *name);
const char *rbpf_prog_name(const struct rbpf_prog *p);       /* the function's name */
const char *rbpf_prog_section(const struct rbpf_prog *p);    /* "tracepoint/syscalls/..." */
enum bpf_prog_type rbpf_prog_type(const struct rbpf_prog *p);
enum bpf_attach_type rbpf_prog_expected_attach_type(const struct rbpf_prog *p);
enum rbpf_attach_kind rbpf_prog_attach_kind(const struct rbpf_prog *p);
const char *rbpf_prog_attach_target(const struct rbpf_prog *p);   /* see the enum */
/* Before load: change what the program is loaded as (e.g. socket -> test run). */
int rbpf_prog_set_type(struct rbpf_prog *p, enum bpf_prog_type type,
		       enum bpf_attach_type expected);
/* Off: rbpf_object_load skips this program.  On by default. */
void rbpf_prog_set_autoload(struct rbpf_prog *p, int on);
int rbpf_prog_autoload(const struct rbpf_prog *p);
/* The linked instructions: the function, then each .text subprogram it reaches. */
const struct bpf_insn *rbpf_prog_insns(const struct rbpf_prog *p, uint32_t *cnt);
/* Load this one program (creating the object's maps first if needed).  Returns the
 * fd (also kept: rbpf_prog_fd) or -errno; the log is kept either way. */
int rbpf_object_load_prog(struct rbpf_prog *p, uint32_t log_level);
int rbpf_prog_fd(const struct rbpf_prog *p);                  /* -1 until loaded */
/* The verifier's log of the last load ("" if none; always there after a rejection). */
const char *rbpf_prog_log(const struct rbpf_prog *p);
/* Instructions the verifier processed (bpf_prog_info.verified_insns, or the log's
 * "processed N insns"); 0 if unknown or not loaded.  Asked of the kernel here. */
uint32_t rbpf_prog_verified_insns(struct rbpf_prog *p);

/* Source position of one instruction, from .BTF.ext line_info and .BTF strings. */
struct rbpf_line {
	const char *file;        /* as clang recorded it */
	const char *text;        /* the source line itself ("" if not recorded) */
	uint32_t line, col;
};
/* The line_info record covering instruction insn of the linked program (the nearest
 * at or before it).  Returns 1 if insn starts that record, 0 if it only continues
 * it, -ENOENT if the object has no line info there. */
int rbpf_prog_line(const struct rbpf_prog *p, uint32_t insn, struct rbpf_line *out);
/* The function starting at insn (from func_info: the program or a subprogram), or NULL. */
const char *rbpf_prog_func_at(const struct rbpf_prog *p, uint32_t insn);

/* Maps: declared ones in file order, then global data (.data, .rodata*, .bss). */
struct rbpf_map *rbpf_object_next_map(const struct rbpf_object *obj, const struct rbpf_map *prev);
struct rbpf_map *rbpf_object_find_map(const struct rbpf_object *obj, const char *name);
/* The map at index i (the imm of BPF_PSEUDO_MAP_IDX before load), or NULL. */
struct rbpf_map *rbpf_object_map_at(const struct rbpf_object *obj, uint32_t i);
const char *rbpf_map_name(const struct rbpf_map *m);  /* symbol, or ".rodata" etc. */
enum bpf_map_type rbpf_map_type(const struct rbpf_map *m);
uint32_t rbpf_map_key_size(const struct rbpf_map *m);
uint32_t rbpf_map_value_size(const struct rbpf_map *m);
uint32_t rbpf_map_max_entries(const struct rbpf_map *m);
uint32_t rbpf_map_flags(const struct rbpf_map *m);
int rbpf_map_fd(const struct rbpf_map *m);                    /* -1 until created */
/* Global data: the section's bytes (writable before load, e.g. a .rodata
 * constant the program reads); NULL for other maps. */
void *rbpf_map_initial_value(struct rbpf_map *m, size_t *size);

/* ========================================================================= attach */
/*
 * (loader/attach*.c, link.c)  Where a loaded program is hooked into the kernel.  Every
 * kind of attachment comes back as one struct rbpf_link, and rbpf_link_destroy()
 * undoes any of them.  Names that do not exist (a tracepoint, a function, an
 * interface) give an error that names them.
 */
struct rbpf_link;

/* What some attach kinds need from the caller.  Zero what you do not use. */
struct rbpf_attach_opts {
	const char *ifname;      /* xdp, tc: the interface */
	uint32_t xdp_flags;      /* xdp: 0 = the driver's mode, else generic (SKB) */
	int sock_fd;             /* socket: the socket to filter (> 0; stays yours) */
	int no_twin;             /* 1: no tracepoint twin when there are no kprobes */
	int pid;                 /* uprobes, perf_event: only this process (> 0); 0: all */
	const char *cgroup;      /* cgroup programs: cgroup v2 dir (or under its mount) */
	const char *netns;       /* sk_lookup, flow_dissector: a netns file; NULL: ours */
	int cpu; uint64_t freq;  /* perf_event: the CPU sampled (pid 0); Hz (0: 49) */
	int map_fd;              /* iter/bpf_map_elem, ...: the map walked (> 0) */
};
/* Attach a loaded program the way its section says (loader/attach.c has the kinds
 * and fallbacks).  Without kprobes, a ksyscall/NAME program falls back to its twin
 * in the same object, the loaded program of tracepoint/syscalls/sys_enter_NAME, and
 * rbpf_link_note says so.  opts may be NULL.  0 and *out, or -errno: -EDESTADDRREQ
 * when opts lack what the kind needs, -EOPNOTSUPP when the section names no attach
 * point (and no kprobes, with no twin). */
int rbpf_prog_attach(const struct rbpf_prog *p, const struct rbpf_attach_opts *opts,
		     struct rbpf_link **out);
/* From rbpf_prog_attach ("", NULL from the functions below): what it attached, the
 * fallback it took in one line or "", the program that runs (p, or its twin). */
const char *rbpf_link_what(const struct rbpf_link *l);
const char *rbpf_link_note(const struct rbpf_link *l);
const struct rbpf_prog *rbpf_link_prog(const struct rbpf_link *l);

/* The steps rbpf_prog_attach takes, one kind each, for a program fd. */
/* kprobe (retprobe 0) or kretprobe (1) on kernel function func, through the kprobe
 * PMU, else a uniquely named "rawbpf/..." probe in kprobe_events (removed on destroy;
 * ones left by killed processes are removed by the next attach).  -EOPNOTSUPP with a
 * one-line message when the kernel has no kprobes at all; -ENOENT when func does not
 * exist. */
int rbpf_attach_kprobe(int prog_fd, const char *func, int retprobe, struct rbpf_link **out);
/* Tests set these to take the fallbacks on kernels that have both ways: kprobes by
 * kprobe_events, not the PMU; PERF_EVENT_IOC_SET_BPF, not a BPF link (< 5.15). */
extern int rbpf_kprobe_legacy_only;
extern int rbpf_perf_ioctl_only;
/* BPF_PROG_TYPE_TRACEPOINT program on tracepoint CAT/NAME (e.g. "syscalls",
 * "sys_enter_execve"). */
int rbpf_attach_tracepoint(int prog_fd, const char *cat, const char *name,
			   struct rbpf_link **out);
/* BPF_PROG_TYPE_RAW_TRACEPOINT program on raw tracepoint name ("sched_switch"). */
int rbpf_attach_raw_tracepoint(int prog_fd, const char *name, struct rbpf_link **out);
/* Attach a loaded fentry/fexit or tp_btf program (BPF_RAW_TRACEPOINT_OPEN without a
 * name: the target came with the load, as its attach_btf_id). */
int rbpf_attach_fentry(int prog_fd, struct rbpf_link **out);
/* A BPF_PROG_TYPE_SOCKET_FILTER program on socket sock_fd (SO_ATTACH_BPF); destroy
 * detaches it (SO_DETACH_BPF).  The socket stays the caller's. */
int rbpf_attach_socket(int prog_fd, int sock_fd, struct rbpf_link **out);
/* An XDP program on interface ifname, as a BPF link (5.9+).  flags: 0 (the driver's
 * mode when it has one, else generic), XDP_FLAGS_SKB_MODE or XDP_FLAGS_DRV_MODE
 * (linux/if_link.h).  -ENODEV naming ifname when there is no such interface. */
int rbpf_attach_xdp(int prog_fd, const char *ifname, uint32_t flags, struct rbpf_link **out);
/* A BPF_PROG_TYPE_SCHED_CLS program on ifname's ingress (egress 0) or egress (1), as a
 * tcx link (6.6+; older kernels say EINVAL, explained: use tc(8) there). */
int rbpf_attach_tc(int prog_fd, const char *ifname, int egress, struct rbpf_link **out);

/* uprobes, iterators, cgroup/netns/sockmap programs, samplers: rawbpf_kinds.h. */
/* The BPF link fd behind l (for BPF_OBJ_GET_INFO_BY_FD, pinning), or -1 when the
 * attachment has none (PERF_EVENT_IOC_SET_BPF on old kernels, socket filters). */
int rbpf_link_fd(const struct rbpf_link *l);
/* Detach and free.  NULL is fine.  Returns 0, or the first -errno met on the way
 * (everything is released regardless). */
int rbpf_link_destroy(struct rbpf_link *l);

/* ========================================================================= events */
/*
 * (loader/tracepipe.c, perfbuf.c, ringbuf.c)  What programs say back: bpf_trace_printk
 * lines in trace_pipe, perf buffer records, ring buffer records.
 */

/* One line of trace_pipe, e.g.
 *   "  true-4242  [001] d..31  1234.567890: bpf_trace_printk: Hello World!" */
struct rbpf_trace_line {
	char task[64];        /* "true" (the comm; "<...>" when the kernel lost it) */
	int pid;              /* 4242, or -1 when the line has another shape */
	int cpu;              /* 1, or -1 */
	double ts;            /* 1234.567890 seconds */
	const char *msg;      /* "Hello World!": the text after the timestamp, with a
			       * leading "bpf_trace_printk: " dropped; the whole line
			       * when it did not parse.  Points into the line: valid
			       * during the callback only. */
};
struct rbpf_tracepipe;

/* Open tracefs trace_pipe with O_NONBLOCK.  Reading it consumes: one reader gets
 * each line. */
int rbpf_tracepipe_open(struct rbpf_tracepipe **out);
/* Open another trace_pipe by path (a tracefs instance: .../instances/X/trace_pipe). */
int rbpf_tracepipe_open_path(const char *path, struct rbpf_tracepipe **out);
/* Its fd, for poll/epoll (readable when lines are waiting). */
int rbpf_tracepipe_fd(const struct rbpf_tracepipe *tp);
/* Returns non-zero to stop reading. */
typedef int (*rbpf_trace_fn)(void *ctx, const struct rbpf_trace_line *line);
/* Read what is there now (at most 16 read()s, so a reader whose own output makes
 * more lines still returns), call fn once per complete line (an incomplete one waits
 * for the next call).  Returns the number of lines handled (0: nothing waiting), or
 * -errno.  This kernel (6.18) lets one process at a time open trace_pipe: EBUSY
 * names the one that has it. */
int rbpf_tracepipe_read(struct rbpf_tracepipe *tp, rbpf_trace_fn fn, void *ctx);
/* Non-zero when complete lines wait in our buffer (a callback stopped early): they
 * are handed out by the next rbpf_tracepipe_read even if the fd is not readable. */
int rbpf_tracepipe_pending(const struct rbpf_tracepipe *tp);
/* Read and drop the lines waiting now: written before the caller attached, by some
 * earlier program (unread lines stay for the next reader).  Call it between open and
 * attach.  Returns how many were dropped, or -errno. */
int rbpf_tracepipe_discard(struct rbpf_tracepipe *tp);
void rbpf_tracepipe_close(struct rbpf_tracepipe *tp);
/* Split one line.  0, or -EINVAL when it has not the "TASK-PID [CPU] FLAGS TS: MSG"
 * shape; then pid = cpu = -1 and msg = the whole line.  msg points into line (which
 * is not modified, so a trailing newline stays in msg; rbpf_tracepipe_read hands
 * lines without one). */
int rbpf_trace_parse(const char *line, struct rbpf_trace_line *out);

/* A record from a ring buffer or perf buffer: data is valid during the call only.
 * Return non-zero to stop (the record counts as consumed).  A perf buffer's size
 * includes the kernel's padding (the raw data + its u32 size are rounded up to 8:
 * 16 bytes sent arrive as 20). */
typedef int (*rbpf_sample_fn)(void *ctx, int cpu, const void *data, size_t size);
/* Records a perf buffer lost on cpu (the kernel's count in a PERF_RECORD_LOST). */
typedef void (*rbpf_lost_fn)(void *ctx, int cpu, uint64_t lost);

/* ---- BPF ring buffer (BPF_MAP_TYPE_RINGBUF, 5.8+): one ring shared by all CPUs */
struct rbpf_ringbuf;
/* mmap the ring of map_fd; fn gets each record with cpu = -1. */
int rbpf_ringbuf_open(int map_fd, rbpf_sample_fn fn, void *ctx, struct rbpf_ringbuf **out);
/* Hand out every committed record now in the ring, without a system call; the
 * consumer position is published once per batch (see ringbuf.c).  Returns the
 * number of records handed out, or -errno (a corrupt header). */
long rbpf_ringbuf_consume(struct rbpf_ringbuf *rb);
/* Wait up to timeout_ms (-1 forever) for data, then consume.  Records, or -errno
 * (-EINTR on a signal). */
long rbpf_ringbuf_poll(struct rbpf_ringbuf *rb, int timeout_ms);
/* An fd for poll/epoll: readable when records wait (the map fd). */
int rbpf_ringbuf_fd(const struct rbpf_ringbuf *rb);
void rbpf_ringbuf_close(struct rbpf_ringbuf *rb);

/* ---- perf buffer (BPF_MAP_TYPE_PERF_EVENT_ARRAY): one ring per CPU */
struct rbpf_perfbuf_opts {
	unsigned pages;         /* data pages per CPU, a power of two; 0: 16 */
	unsigned wakeup_bytes;  /* wake the reader when this much is waiting; 0: a quarter
				 * of a ring.  Records below it are still found by every
				 * poll, which drains all rings after waiting. */
	int wakeup_each;        /* 1: wake on every record (costs the traced code an
				 * interrupt per record: ~5.4 us against ~0.2 us; avoid) */
};
struct rbpf_perfbuf;
/* One perf event and mmapped ring per possible CPU, stored in map_fd at key = cpu.
 * opts may be NULL.  lost may be NULL. */
int rbpf_perfbuf_open(int map_fd, const struct rbpf_perfbuf_opts *opts, rbpf_sample_fn fn,
		      rbpf_lost_fn lost, void *ctx, struct rbpf_perfbuf **out);
/* Hand out every record in every ring (samples to fn, losses to lost).  Returns the
 * number of samples, or -errno. */
long rbpf_perfbuf_consume(struct rbpf_perfbuf *pb);
/* Wait up to timeout_ms for a wake-up, then consume every ring. */
long rbpf_perfbuf_poll(struct rbpf_perfbuf *pb, int timeout_ms);
/* An epoll fd, readable when a ring has reached its wake-up mark. */
int rbpf_perfbuf_fd(const struct rbpf_perfbuf *pb);
void rbpf_perfbuf_close(struct rbpf_perfbuf *pb);

/* ---- one loop over several sources (loader/poll.c) */
struct rbpf_poll;
int rbpf_poll_new(struct rbpf_poll **out);
/* Sources are not owned: close them after rbpf_poll_free. */
int rbpf_poll_add_ringbuf(struct rbpf_poll *p, struct rbpf_ringbuf *rb);
int rbpf_poll_add_perfbuf(struct rbpf_poll *p, struct rbpf_perfbuf *pb);
int rbpf_poll_add_tracepipe(struct rbpf_poll *p, struct rbpf_tracepipe *tp,
			    rbpf_trace_fn fn, void *ctx);
/* Serve every source until max_events events (0: no limit; checked after each
 * batch, so a few more may come), timeout_ms elapses (-1: none), rbpf_poll_stop() is
 * called (from a callback, say), or SIGINT/SIGTERM arrives (caught only during the
 * call; the old handlers are restored).  A callback's non-zero return ends its
 * source's batch only.  Returns the events handled, or -errno.  Perf buffers wake
 * the loop by watermark, so it also drains every buffer at least every 100 ms. */
long rbpf_poll_run(struct rbpf_poll *p, long max_events, int timeout_ms);
void rbpf_poll_stop(struct rbpf_poll *p);
enum rbpf_poll_why { RBPF_POLL_COUNT, RBPF_POLL_TIMEOUT, RBPF_POLL_SIGNAL,
		     RBPF_POLL_STOPPED, RBPF_POLL_ERROR };
/* Why the last rbpf_poll_run returned. */
enum rbpf_poll_why rbpf_poll_stopped_by(const struct rbpf_poll *p);
void rbpf_poll_free(struct rbpf_poll *p);

/* ======================================================================== reading */
/* (loader/disasm.c, vlog.c) */

/* Optional naming callbacks; each writes into buf, or leaves it "" for the default.
 * map_name: the map of a pseudo map load (src_reg 1, 2, 5, 6; default "map[id:5]").
 * call_name: the callee of a helper call (default: the helper's name by number,
 * which is right before the verifier's fixups; the kernel's translated dump has
 * addresses relative to __bpf_call_base there instead). */
struct rbpf_disasm_opts {
	void (*map_name)(void *priv, const struct bpf_insn *insn, char *buf, size_t size);
	void (*call_name)(void *priv, const struct bpf_insn *insn, char *buf, size_t size);
	void *priv;
};
/* One instruction as the verifier prints it ("r1 = *(u32 *)(r6 +0)"), without the
 * "N: (xx) " prefix.  left: slots readable from insn.  opts may be NULL.
 * Returns the slots used (1, or 2 for ld_imm64), or -EINVAL (ld_imm64 cut short). */
int rbpf_disasm_insn(const struct bpf_insn *insn, size_t left, char *buf, size_t size,
		     const struct rbpf_disasm_opts *opts);
/* The same instruction as the bpf_insn.h macro that builds it
 * ("BPF_LDX_MEM(BPF_W, BPF_REG_1, BPF_REG_6, 0)"; BPF_RAW_INSN(...) if none fits).
 * Returns the slots used, or -EINVAL. */
int rbpf_disasm_macro(const struct bpf_insn *insn, size_t left, char *buf, size_t size);
/* "bpf_map_lookup_elem" for 1; NULL for numbers this uapi header does not name. */
const char *rbpf_helper_name(int id);
/* A map_name callback for the programs of an object (priv: the struct rbpf_object):
 * "map[events]", "map[.rodata][0]+8", by index before load and by fd after. */
void rbpf_disasm_object_map_name(void *priv, const struct bpf_insn *insn, char *buf,
				 size_t size);

/* The verifier log, parsed and explained: rawbpf_vlog.h (loader/vlog.c, vstate.c,
 * vhint.c, vfold.c, vstack.c). */
#include "rawbpf_vlog.h"

#include "rawbpf_features.h"      /* kernel features, the RLIMIT_MEMLOCK fallback */
#include "rawbpf_core.h"      /* CO-RE relocations of a program */
#endif
