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
/* Wait up to 3 s (programs are freed after an RCU grace period) for each id to be
 * gone.  Returns the first still there, or 0.  get_fd: rbpf_prog_get_fd_by_id, ... */
uint32_t test_still_there(const struct test_ids *ids, int (*get_fd)(uint32_t));
/* Everything h names is gone, or the test fails naming what `who` left after `what`. */
void test_all_gone(const struct test_held *h, const char *who, const char *what);

/* Start `rawbpf ARGS...` (args: NULL-terminated, after the command's own name) with
 * its stdout and stderr going to file out, and return its pid once out shows
 * "running:", or after 5 s -- the caller's checks then say what it printed. */
pid_t test_start_rawbpf(const char *out, const char *const args[]);

#endif
