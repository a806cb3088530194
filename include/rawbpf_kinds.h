/*
 * rawbpf_kinds.h -- program kinds: what a section name says (enum rbpf_attach_kind,
 * rbpf_section_info), and the attach functions of the kinds beyond the first
 * lessons' (issue 16): uprobes, sampling perf events, cgroup / network namespace /
 * sockmap programs, iterators.  Part of rawbpf.h, which includes it first (one API,
 * kept in two files under the 600-line limit); include rawbpf.h.
 * rbpf_prog_attach reaches each attach function from a program's section.
 */
#ifndef RAWBPF_KINDS_H
#define RAWBPF_KINDS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

struct rbpf_link;

/* BPF_LINK_CREATE's fields beyond prog, target and type (rbpf_link_create); zero
 * what you do not use. */
struct rbpf_link_opts {
	uint32_t flags;          /* xdp: XDP_FLAGS_*; uprobe.multi: 1 = return probes */
	uint64_t bpf_cookie;     /* perf event links: what bpf_get_attach_cookie() says */
	int iter_map_fd;         /* map iterators (iter/bpf_map_elem, ...): the map, > 0 */
	const char *path;        /* uprobe.multi (BPF_TRACE_UPROBE_MULTI, 6.6+): the file, */
	const uint64_t *offsets; /* cnt file offsets in it, */
	uint32_t cnt;
	uint32_t pid;            /* and the process (0: every one) */
};

/* Where a program attaches, as its section name says. */
enum rbpf_attach_kind {
	RBPF_ATTACH_NONE,        /* no attach point implied */
	RBPF_ATTACH_KPROBE,      /* kprobe/FN          target "FN" */
	RBPF_ATTACH_KRETPROBE,   /* kretprobe/FN       target "FN" */
	RBPF_ATTACH_KSYSCALL,    /* ksyscall/NAME      target "NAME" (rbpf_prog_attach finds the function) */
	RBPF_ATTACH_KRETSYSCALL, /* kretsyscall/NAME   target as ksyscall */
	RBPF_ATTACH_TRACEPOINT,  /* tracepoint/C/N, tp/C/N   target "C/N" */
	RBPF_ATTACH_RAW_TP,      /* raw_tracepoint/N, raw_tp/N   target "N" */
	RBPF_ATTACH_FENTRY,      /* fentry/FN          target "FN" */
	RBPF_ATTACH_FEXIT,       /* fexit/FN           target "FN" */
	RBPF_ATTACH_SOCKET,      /* socket             target "" or what follows "socket/" */
	RBPF_ATTACH_XDP,         /* xdp                (idem) */
	RBPF_ATTACH_TC,          /* tc, classifier     (idem) */
	RBPF_ATTACH_PERF_EVENT,  /* perf_event         (idem) */
	RBPF_ATTACH_UPROBE,      /* uprobe/BIN:FN[+OFF]  target "BIN:FN[+OFF]", or "" (bare) */
	RBPF_ATTACH_URETPROBE,   /* uretprobe/...      (idem) */
	RBPF_ATTACH_ITER,        /* iter/NAME          target "task", "bpf_map", ... */
	RBPF_ATTACH_TP_BTF,      /* tp_btf/NAME        target the tracepoint */
	RBPF_ATTACH_FMOD_RET,    /* fmod_ret/FN        target "FN" */
	RBPF_ATTACH_LSM,         /* lsm/HOOK           target "HOOK" */
	RBPF_ATTACH_FREPLACE,    /* freplace/FN        (needs the program it replaces) */
	RBPF_ATTACH_CGROUP,      /* cgroup_skb/..., cgroup/..., sockops: a cgroup v2
				  * directory, attach type = the expected attach type */
	RBPF_ATTACH_SOCKMAP,     /* sk_msg, sk_skb/...: a SOCKMAP or SOCKHASH map */
	RBPF_ATTACH_NETNS,       /* sk_lookup, flow_dissector: a network namespace */
	RBPF_ATTACH_TEST_RUN,    /* syscall: run with BPF_PROG_TEST_RUN, not attached */
	RBPF_ATTACH_KPROBE_MULTI,/* kprobe.multi/PATTERN */
	RBPF_ATTACH_UPROBE_MULTI,/* uprobe.multi/BIN:PATTERN */
	RBPF_ATTACH_MANUAL,      /* loads; attaching needs what the name does not say
				  * (sk_reuseport, lwt_*, xdp/devmap, cgroup/skb, ...) */
};
/* What a section name means (loader/object_sec.c, one row per name libbpf 1.x knows). */
struct rbpf_section_info {
	enum bpf_prog_type type;
	enum bpf_attach_type expected;
	uint32_t prog_flags;             /* BPF_F_SLEEPABLE for ".s" names, ... */
	enum rbpf_attach_kind kind;
	const char *target;              /* what follows "name/" in sec ("" if nothing) */
	const char *refused;             /* known but unsupported by rawbpf: why; else NULL */
};
/* 0 and *out, or -EINVAL when no row matches (the message lists every known name). */
int rbpf_section_info(const char *sec, struct rbpf_section_info *out);

/* ---- uprobes (loader/elf_func.c, uprobe.c): functions of programs and libraries */

/* The file a uprobe on `name` goes into: a name with a '/' as it is; a library
 * ("libc.so.6") from LD_LIBRARY_PATH, then /lib/MULTIARCH, /usr/lib/MULTIARCH, /lib64,
 * /usr/lib64, /lib, /usr/lib, /usr/local/lib (not /etc/ld.so.cache); a program from
 * PATH.  0 and buf, or -ENOENT saying where it looked. */
int rbpf_resolve_binary(const char *name, char *buf, size_t n);
/* The FILE offset of function func in the ELF program or library at path: its
 * .symtab symbol (else .dynsym), st_value - p_vaddr + p_offset of the loadable
 * segment that holds it.  0 and *off, or -ENOENT / -EINVAL (two different
 * functions of that name) with a message. */
int rbpf_elf_func_offset(const char *path, const char *func, uint64_t *off);
/* How that offset was found, for showing it: the symbol's address, the loadable
 * segment holding it (its p_vaddr and p_offset) and the sum. */
struct rbpf_func_place {
	uint64_t addr;           /* st_value */
	uint64_t seg_vaddr;      /* p_vaddr of the PT_LOAD segment holding it */
	uint64_t seg_offset;     /* p_offset of that segment */
	uint64_t offset;         /* addr - seg_vaddr + seg_offset: the file offset */
	const char *table;       /* ".symtab" or ".dynsym" (static string) */
};
int rbpf_elf_func_place(const char *path, const char *func, struct rbpf_func_place *pl);
int rbpf_elf_func_place_mem(const void *buf, size_t size, const char *name,
			    const char *func, struct rbpf_func_place *pl);
/* The same on a file already in memory (name for messages). */
int rbpf_elf_func_offset_mem(const void *buf, size_t size, const char *name,
			     const char *func, uint64_t *off);
/* A BPF_PROG_TYPE_KPROBE program on the function func (NULL: none) of binary, plus
 * offset bytes, in process pid (-1: every process), on entry or (retprobe 1) on
 * return; through the uprobe PMU, else a uniquely named "rawbpf/rbpf_uPID_..."
 * probe in tracefs uprobe_events (removed on destroy; those of dead processes are
 * removed by the next attach). */
int rbpf_attach_uprobe(int prog_fd, const char *binary, const char *func, uint64_t offset,
		       int pid, int retprobe, struct rbpf_link **out);
/* Split a section's target "BINARY:FUNCTION[+OFFSET]" (uprobe/libc.so.6:malloc+4). */
int rbpf_uprobe_parse_target(const char *target, char *binary, size_t n, char *func,
			     size_t fn, uint64_t *offset);
/* rbpf_attach_uprobe on such a target. */
int rbpf_attach_uprobe_target(int prog_fd, const char *target, int pid, int retprobe,
			      struct rbpf_link **out);
/* Every defined function of the file at path whose name matches pattern (fnmatch:
 * "*", "?"), from .symtab, else .dynsym: their file offsets, one per function, in
 * *offsets (caller frees), *n of them.  -ENOENT when none matches. */
int rbpf_elf_funcs_matching(const char *path, const char *pattern, uint64_t **offsets,
			    uint32_t *n);
/* One uprobe.multi link (6.6+) on all of those functions of binary, in process pid
 * (<= 0: every one), on entry or (retprobe 1) return. */
int rbpf_attach_uprobe_multi(int prog_fd, const char *binary, const char *pattern,
			     int pid, int retprobe, struct rbpf_link **out);
/* Non-zero: skip the uprobe PMU and use uprobe_events (tests). */
extern int rbpf_uprobe_legacy_only;

/* ---- sampling (loader/perf_sample.c): perf_event programs */

/* A BPF_PROG_TYPE_PERF_EVENT program on a CPU-clock sampling event of freq Hz
 * (0: 49) on one CPU (pid -1) or one process (pid >= 0, cpu ignored).  A profiler
 * of the whole system takes one per CPU. */
int rbpf_attach_perf_sample(int prog_fd, uint64_t freq, int pid, int cpu,
			    struct rbpf_link **out);

/* ---- cgroups, network namespaces, sockmaps (loader/cgroup.c) */

/* Where cgroup v2 is mounted, from /proc/self/mountinfo ("/sys/fs/cgroup", or
 * "/sys/fs/cgroup/unified" on hybrid systems).  0, or -ENOENT. */
int rbpf_cgroup2_mount(char *buf, size_t n);
/* A cgroup program on cgroup v2 directory cgroup (absolute, or relative to the
 * cgroup2 mount) as attach type type (its expected attach type), by BPF link. */
int rbpf_attach_cgroup(int prog_fd, const char *cgroup, enum bpf_attach_type type,
		       struct rbpf_link **out);
/* sk_lookup / flow_dissector on a network namespace: netns is a path such as
 * /proc/PID/ns/net or /run/netns/NAME; NULL: the caller's own. */
int rbpf_attach_netns(int prog_fd, const char *netns, enum bpf_attach_type type,
		      struct rbpf_link **out);
/* sk_msg / sk_skb on a SOCKMAP or SOCKHASH map (BPF_PROG_ATTACH; destroy detaches). */
int rbpf_attach_sockmap(int prog_fd, int map_fd, enum bpf_attach_type type,
			struct rbpf_link **out);

/* ---- iterators (loader/iter.c): iter/NAME programs */

/* Link an iter/NAME program (BPF_LINK_CREATE, BPF_TRACE_ITER); map_fd: the map a
 * map iterator walks (iter/bpf_map_elem, iter/sockmap), else 0. */
int rbpf_attach_iter(int prog_fd, int map_fd, struct rbpf_link **out);
/* One walk: BPF_ITER_CREATE on the link, read() to the end.  0 and *text (NUL
 * terminated, caller frees) of *len bytes, or -errno. */
int rbpf_iter_read(const struct rbpf_link *l, char **text, size_t *len);

#endif
