/*
 * rawbpf.h -- the loader's whole API, one header, one prefix: rbpf_.
 *
 * The layers, in the order data flows through them:
 *
 *   errors     every function returns >= 0 (an fd, a count, 0) or a negative errno,
 *              and keeps a message saying what was tried, what the kernel answered
 *              and the likely cause: rbpf_errmsg().  The library never prints or exits.
 *   sys        one thin wrapper per bpf() command, plus perf_event_open (loader/sys.c)
 *   load       one program from an instruction array, with the verifier log grown
 *              until it fits (loader/load.c)
 *   object     an ELF object: programs, maps, relocations (loader/elf.c, btf.c, object.c)
 *   attach     kprobes, tracepoints, raw tracepoints, ... (loader/attach.c)
 *   events     trace_pipe, perf buffer, ring buffer (loader/tracepipe.c, perfbuf.c, ringbuf.c)
 *   reading    disassembler and verifier-log renderer (loader/disasm.c, vlog.c)
 *
 * Only libc and the kernel's uapi headers are used, here and in every loader file.
 */
#ifndef RAWBPF_H
#define RAWBPF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

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
	uint32_t flags;
	uint32_t retval;      /* out: the program's return value */
	uint32_t duration;    /* out: mean ns per run */
};
int rbpf_prog_test_run(int prog_fd, struct rbpf_test_run_args *a);

int rbpf_raw_tracepoint_open(const char *name, int prog_fd);
/* BPF_LINK_CREATE: target is a perf event fd, an ifindex, a cgroup fd... */
int rbpf_link_create(int prog_fd, int target, enum bpf_attach_type type, uint32_t flags);
int rbpf_link_detach(int link_fd);
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

/* ================================================================== load (one prog) */
/*
 * Load one program and keep the verifier's log.  a->log_level chooses the detail;
 * the log buffer is allocated here and grown (ENOSPC, or log_true_size on 6.4+)
 * until the whole log fits, so a rejection always comes with the complete log.
 * On return *log holds the log (caller frees, may be NULL when level 0 and accepted).
 * Returns the program fd, or -errno with rbpf_errmsg() naming the program, the
 * kernel's answer and, on a rejection, the verifier's last line.
 */
int rbpf_load_prog(struct rbpf_prog_load_args *a, char **log);
/* Start size of that buffer; tests lower it to force the grow-and-retry path. */
extern uint32_t rbpf_log_start_size;

/* Number of possible CPUs (/sys/devices/system/cpu/possible), >= 1, or -errno. */
int rbpf_num_possible_cpus(void);

/* ========================================================================= object */
/* (loader/elf.c, btf.c, object.c: the ELF loader issue fills this section) */

/* ========================================================================= attach */
/* (loader/attach.c) */

/* ========================================================================= events */
/* (loader/tracepipe.c, perfbuf.c, ringbuf.c) */

/* ======================================================================== reading */
/* (loader/disasm.c, vlog.c) */

#endif
