/*
 * common.h -- helpers that several test files share, on top of test.h.
 *
 * test.h is the harness and knows nothing of rawbpf; these helpers do the few steps
 * that the attach, ring buffer, perf buffer and trace_pipe tests all take before they
 * check anything: make a map, load a hand-written program, run it with
 * BPF_PROG_TEST_RUN, read a tracefs instance of the test's own, start `rawbpf run` in
 * the background.  Each one fails the test
 * (ASSERT) when the step fails, so a caller only states what it wants.
 */
#ifndef TEST_COMMON_H
#define TEST_COMMON_H

#include <stdint.h>
#include <sys/types.h>

#include "rawbpf.h"
#include "test.h"

/* A new map of that shape (no flags), or the test fails.  Returns its fd. */
int test_map_create(enum bpf_map_type type, const char *name, uint32_t key_size,
		    uint32_t value_size, uint32_t max_entries);

/* Load insns as a GPL program of that type (the verifier log is dropped), or the test
 * fails.  Returns the program's fd.  TEST_LOAD counts the instructions of an array. */
int test_load_insns(enum bpf_prog_type type, const char *name,
		    const struct bpf_insn *insns, uint32_t insn_cnt);
#define TEST_LOAD(TYPE, NAME, INSNS) \
	test_load_insns(TYPE, NAME, INSNS, sizeof(INSNS) / sizeof((INSNS)[0]))

/* The object at path (relative to the project's root) opened and loaded, or the test
 * fails (and SKIPs without root). */
struct rbpf_object *test_open_load(const char *path);
/* The fd of the object's program named name, which must be loaded, or the test fails. */
int test_prog_fd(struct rbpf_object *obj, const char *name);

/* A socket filter that looks u32 key `key` up in map `map_fd` and returns 0: a
 * program whose info lists that map among its map ids.  Returns its fd. */
int test_load_map_user(const char *name, int map_fd, int key);

/* Run an XDP program repeat times with BPF_PROG_TEST_RUN on a zeroed 64-byte packet;
 * the test fails unless the run succeeds and the program returned XDP_PASS. */
void test_run_xdp_pass(int prog, uint32_t repeat);

/* Make the tracefs instance instances/NAME_PID, this test's own (what is written to
 * its trace_marker goes only to its trace_pipe, which has no other reader), and open
 * its trace_pipe in *tp.  dir (n bytes) gets the instance's path, for the caller to
 * rmdir() when done; when trace_pipe does not open, the instance is removed here. */
void test_tracefs_instance(const char *name, char *dir, size_t n, struct rbpf_tracepipe **tp);

/* The first MiB of a file as a string (a static buffer: the next call reuses it);
 * "" when it cannot be read. */
const char *test_slurp(const char *path);
/* What a process holds, from /proc/PID/fdinfo (prog_id, link_id, map_id): the ids
 * of its own objects, so programs other tests or other users load meanwhile are
 * never mistaken for its own or for its leftovers (never count by name). */
#define TEST_MAX_IDS 256
struct test_ids {
	uint32_t id[TEST_MAX_IDS];
	int n;
};
struct test_held {
	struct test_ids progs, links, maps;
};
/* Fill h with what pid holds now (all empty when pid is gone). */
void test_held_by(pid_t pid, struct test_held *h);
/* Wait up to TEST_GONE_S seconds for each id to be released; the first still there
 * after that, or 0.  The kernel frees a program after an RCU grace period and a prog
 * array's entries from a work queue, so "gone" comes a little after the owner's exit
 * -- usually in milliseconds, but seconds on a loaded two-core machine with sanitized
 * binaries (3 s was once too short there): the bound is generous, a pass is as quick
 * as the kernel.  get_fd: rbpf_prog_get_fd_by_id, rbpf_map_get_fd_by_id, ... */
#define TEST_GONE_S 30
uint32_t test_still_there(const struct test_ids *ids, int (*get_fd)(uint32_t));
/* Everything h names is gone, or the test fails naming what `who` left after `what`. */
void test_all_gone(const struct test_held *h, const char *who, const char *what);

/* Start `rawbpf ARGS...` (args: NULL-terminated, after the command's own name) with
 * its stdout and stderr going to file out, and return its pid once out shows
 * "running:", or after 5 s -- the caller's checks then say what it printed. */
pid_t test_start_rawbpf(const char *out, const char *const args[]);

/* DST = (*(u64 *)PTR)++, in four instructions: an atomic fetch-and-add where the
 * kernel has one (ATOMIC: test_has(RBPF_FEAT_ATOMICS), 5.12+), else load, add one,
 * store (TMP is clobbered) -- the same count for the single producer at a time that
 * BPF_PROG_TEST_RUN makes.  The same length either way keeps jump offsets valid. */
#define TEST_SEQ_NEXT(ATOMIC, DST, PTR, TMP)                                          \
	(ATOMIC) ? BPF_MOV64_IMM(DST, 1) : BPF_LDX_MEM(BPF_DW, DST, PTR, 0),          \
	(ATOMIC) ? BPF_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, PTR, DST, 0)            \
		 : BPF_MOV64_REG(TMP, DST),                                            \
	(ATOMIC) ? BPF_MOV64_REG(TMP, TMP) : BPF_ALU64_IMM(BPF_ADD, TMP, 1),          \
	(ATOMIC) ? BPF_MOV64_REG(TMP, TMP) : BPF_STX_MEM(BPF_DW, PTR, TMP, 0)

/* The kernel has feature f (features.c), or the test SKIPs naming it and the version
 * that brought it: "SKIP (no perf_link: BPF links on perf events came in Linux 5.15;
 * this is 5.10.0-46-amd64)".  test_has() only asks, for tests that check the
 * fallback instead. */
void NEED_FEATURE(enum rbpf_feature f);
int test_has(enum rbpf_feature f);
/* Before 5.11 (no memcg feature) a user's maps count against RLIMIT_MEMLOCK, which
 * only root may raise: do what root does for such a user (ulimit -l unlimited), for
 * this test and the commands it starts.  No-op on 5.11+. */
void test_memlock_for_users(void);
/* The running kernel's release (uname -r), for messages. */
const char *test_kernel_release(void);

#endif
