/*
 * features.c -- what this kernel can do, asked of the kernel itself.
 *
 * The course runs on the kernels learners have: Debian 11's 5.10, Debian 12's 6.1,
 * Debian 13's 6.12, this machine's 6.18.  BPF grew a lot between them, and where a
 * feature is missing the loader, the lessons and the tests each take a fallback.  They
 * must not decide by the version number: distributions backport features and configure
 * kernels differently.  So each feature here has a probe -- the smallest bpf() call
 * that works on a kernel that has it and fails in a recognisable way on one that does
 * not -- and a table row that says which upstream version brought it and what the
 * course does without it.  `rawbpf doctor` prints the table; the tests use the same
 * probes to SKIP with the feature's name and version; the README's kernel table is
 * checked against a run of both on each kernel.
 *
 * A probe answers 1 (the kernel has it), 0 (it does not) or -errno (could not tell,
 * e.g. without privilege).  The answer is kept: a process asks each question once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "bpf_insn.h"
#include "rawbpf.h"

/* A trivial program of TYPE (r0 = 0; exit), or -errno. */
static int load_trivial(enum bpf_prog_type type, char *log, uint32_t log_size,
			uint32_t *true_size)
{
	struct bpf_insn insns[] = { BPF_MOV64_IMM(BPF_REG_0, 0), BPF_EXIT_INSN() };
	struct rbpf_prog_load_args a = {
		.type = type, .name = "rbpf_probe", .insns = insns, .insn_cnt = 2,
		.license = "GPL", .log_buf = log, .log_size = log_size,
		.log_level = log ? 1 : 0,
	};
	int fd = rbpf_prog_load(&a);

	if (true_size)
		*true_size = a.log_true_size;
	return fd;
}

static int probe_ringbuf(void)
{
	struct rbpf_map_create_args a = { .type = BPF_MAP_TYPE_RINGBUF, .max_entries = 4096 };
	int fd = rbpf_map_create(&a);

	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 1 : fd == -EINVAL ? 0 : fd;
}

/* With RLIMIT_MEMLOCK's soft limit at 0 for a moment, does a one-entry array need
 * memlock.c to raise it?  Then the kernel charges RLIMIT_MEMLOCK (before 5.11). */
static int probe_memcg(void)
{
	struct rbpf_map_create_args a = {
		.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1,
	};
	struct rlimit old, zero;
	int before = rbpf_memlock_was_raised(), fd;

	if (getrlimit(RLIMIT_MEMLOCK, &old) != 0)
		return -errno;
	zero = old;
	zero.rlim_cur = 0;
	if (setrlimit(RLIMIT_MEMLOCK, &zero) != 0)
		return -errno;
	fd = rbpf_map_create(&a);
	setrlimit(RLIMIT_MEMLOCK, &old);
	if (fd < 0)
		return fd;
	close(fd);
	return rbpf_memlock_was_raised() == before;
}

/* BPF_ATOMIC with BPF_FETCH (5.12): 5.10 knows only the plain add (XADD). */
static int probe_atomics(void)
{
	struct bpf_insn insns[] = {
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -8, 0),
		BPF_MOV64_IMM(BPF_REG_1, 1),
		BPF_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, BPF_REG_10, BPF_REG_1, -8),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_SOCKET_FILTER, .name = "rbpf_probe", .insns = insns,
		.insn_cnt = 5, .license = "GPL",
	};
	int fd = rbpf_prog_load(&a);

	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 1 : fd == -EINVAL ? 0 : fd;
}

/* BPF_MAP_LOOKUP_AND_DELETE_ELEM on a hash map (5.14): before, queues and stacks only. */
static int probe_hash_lookup_delete(void)
{
	struct rbpf_map_create_args a = {
		.type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 4, .max_entries = 1,
	};
	int fd = rbpf_map_create(&a), r;
	uint32_t k = 0, v;

	if (fd < 0)
		return fd;
	r = rbpf_map_lookup_and_delete_elem(fd, &k, &v);
	close(fd);
	return r == -ENOENT ? 1 : (r == -ENOTSUP || r == -524 || r == -EINVAL) ? 0 : r;
}

/* BPF_LINK_CREATE with BPF_PERF_EVENT (5.15): with no perf event (fd -1) a kernel that
 * knows the attach type says EBADF; an older one does not know it: EINVAL. */
static int probe_perf_link(void)
{
	int prog = load_trivial(BPF_PROG_TYPE_TRACEPOINT, NULL, 0, NULL), r;

	if (prog < 0)
		return prog;
	r = rbpf_link_create(prog, -1, BPF_PERF_EVENT, 0);
	if (r >= 0)
		close(r);
	close(prog);
	return r == -EBADF ? 1 : r == -EINVAL ? 0 : r;
}

/* Does the verifier know helper ID?  An old one names it an unknown function; a new
 * one complains about the arguments instead (all zero here). */
static int probe_helper(int id)
{
	struct bpf_insn insns[] = {
		BPF_MOV64_IMM(BPF_REG_1, 1),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_MOV64_IMM(BPF_REG_4, 0),
		BPF_EMIT_CALL(id),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	char log[4096] = "", unknown[32];
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_SOCKET_FILTER, .name = "rbpf_probe", .insns = insns,
		.insn_cnt = 7, .license = "GPL", .log_buf = log, .log_size = sizeof(log),
		.log_level = 1,
	};
	int fd = rbpf_prog_load(&a);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	if (fd != -EINVAL && fd != -EACCES)
		return fd;
	snprintf(unknown, sizeof(unknown), "unknown#%d", id);
	return strstr(log, unknown) || strstr(log, "invalid func") ? 0 : 1;
}

static int probe_bpf_loop(void) { return probe_helper(181); }          /* BPF_FUNC_loop */
static int probe_trace_vprintk(void) { return probe_helper(177); }     /* BPF_FUNC_trace_vprintk */

/* The verifier log's size (6.4): the kernel fills log_true_size on every load. */
static int probe_log_true_size(void)
{
	char log[4096];
	uint32_t n = 0;
	int fd = load_trivial(BPF_PROG_TYPE_SOCKET_FILTER, log, sizeof(log), &n);

	if (fd < 0)
		return fd;
	close(fd);
	return n > 0;
}

/* tcx links (6.6): BPF_TCX_INGRESS (46) on interface 0 -- ENODEV where tcx exists,
 * EINVAL (unknown attach type) before. */
static int probe_tcx(void)
{
	int prog = load_trivial(BPF_PROG_TYPE_SCHED_CLS, NULL, 0, NULL), r;

	if (prog < 0)
		return prog;
	r = rbpf_link_create(prog, 0, (enum bpf_attach_type)46, 0);
	if (r >= 0)
		close(r);
	close(prog);
	return r == -ENODEV ? 1 : r == -EINVAL ? 0 : r;
}

/* /sys/kernel/btf/vmlinux may be mmapped read-only (6.16). */
static int probe_btf_mmap(void)
{
	int fd = open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *p;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || st.st_size == 0) {
		close(fd);
		return -EINVAL;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return 0;
	munmap(p, (size_t)st.st_size);
	return 1;
}

static const struct rbpf_feature_info table[RBPF_FEAT_COUNT] = {
	[RBPF_FEAT_RINGBUF] = { "ringbuf", "5.8", probe_ringbuf,
		"BPF ring buffers",
		"hello_ringbuf cannot run; hello_buffer's perf buffer does the same job" },
	[RBPF_FEAT_MEMCG] = { "memcg", "5.11", probe_memcg,
		"BPF memory charged to the memory cgroup, not RLIMIT_MEMLOCK",
		"the loader raises RLIMIT_MEMLOCK once when the kernel refuses a map or "
		"program with EPERM" },
	[RBPF_FEAT_ATOMICS] = { "atomics", "5.12", probe_atomics,
		"atomic fetch-and-add, xchg, cmpxchg (BPF_ATOMIC with BPF_FETCH)",
		"only the plain atomic add (lock xadd) is accepted" },
	[RBPF_FEAT_HASH_LOOKUP_DELETE] = { "lookup_delete", "5.14", probe_hash_lookup_delete,
		"BPF_MAP_LOOKUP_AND_DELETE_ELEM on hash maps",
		"queues and stacks only (ENOTSUPP): look up, then delete, in two calls" },
	[RBPF_FEAT_PERF_LINK] = { "perf_link", "5.15", probe_perf_link,
		"BPF links on perf events (kprobes, tracepoints)",
		"programs go on the perf event with ioctl(PERF_EVENT_IOC_SET_BPF): no link, "
		"the perf event's fd holds the attachment" },
	[RBPF_FEAT_TRACE_VPRINTK] = { "vprintk", "5.16", probe_trace_vprintk,
		"bpf_trace_vprintk (libbpf's bpf_printk with more than three arguments)",
		"bpf_printk takes at most three arguments" },
	[RBPF_FEAT_BPF_LOOP] = { "bpf_loop", "5.17", probe_bpf_loop,
		"the bpf_loop helper",
		"loops are bounded for loops the verifier walks through" },
	[RBPF_FEAT_LOG_TRUE_SIZE] = { "log_true_size", "6.4", probe_log_true_size,
		"the verifier says how big its whole log is (log_true_size)",
		"the loader doubles the log buffer until the log fits" },
	[RBPF_FEAT_TCX] = { "tcx", "6.6", probe_tcx,
		"tcx links (BPF programs on tc ingress/egress without a qdisc)",
		"tc programs attach through a clsact qdisc and cls_bpf (tc filter)" },
	[RBPF_FEAT_BTF_MMAP] = { "btf_mmap", "6.16", probe_btf_mmap,
		"/sys/kernel/btf/vmlinux can be mmapped",
		"rawbpf reads the file; nothing changes" },
};

const struct rbpf_feature_info *rbpf_feature_info(enum rbpf_feature f)
{
	return (unsigned)f < RBPF_FEAT_COUNT ? &table[f] : NULL;
}

int rbpf_feature(enum rbpf_feature f)
{
	static int known[RBPF_FEAT_COUNT], answer[RBPF_FEAT_COUNT];

	if ((unsigned)f >= RBPF_FEAT_COUNT)
		return -EINVAL;
	if (!known[f]) {
		answer[f] = table[f].probe();
		known[f] = answer[f] >= 0;      /* "could not tell" is asked again next time */
	}
	return answer[f];
}
