/*
 * verifier_cases.h -- a catalogue of programs the verifier rejects, as table rows.
 *
 * Each row is one small program built with bpf_insn.h, the program type it is loaded
 * as, and what must happen: REJECT with the kernel's message containing the given
 * substrings in that order, and the hint (loader/vhint.c, by id) that explains it;
 * or ACCEPT, for the twin of a rejected row in which the mistake is fixed -- read the
 * pair side by side to see what the verifier wanted.
 *
 * Messages are matched on substrings; where the wording changed between kernels a
 * message is given as "old|new" (either counts on a kernel we have not seen), and
 * on61 / on618 say which words 6.1 and 6.18 print: on those two kernels the row
 * passes only with its own kernel's wording (NULL: msgs say it all).
 * A row that needs a map says which (MAP_ARRAY / MAP_HASH: 4-byte key, 16-byte value,
 * 1 entry; MAP_RINGBUF: 4096 bytes; MAP_PROG_ARRAY: 1 slot); every BPF_LD_MAP_FD(reg,
 * 0) in it gets its fd.  The rows live in one file per family (vcases_*.h):
 * pointers, memory, references, control flow, helpers.
 *
 * Used by asm/reject.c (the learner's runner: `build/asm/reject [NAME]`) and
 * tests/verify_cases.c (the same rows under `make check`).  Adding a case adds a row.
 */
#ifndef VERIFIER_CASES_H
#define VERIFIER_CASES_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/btf.h>
#include <linux/capability.h>

#include "bpf_insn.h"
#include "rawbpf.h"

enum vcase_map { NO_MAP, MAP_ARRAY, MAP_HASH, MAP_RINGBUF, MAP_PROG_ARRAY };
enum vcase_result { REJECT, ACCEPT };
/* Row flags.  VC_SLEEPABLE: load with BPF_F_SLEEPABLE (syscall programs).  VC_BPF_ONLY: load with CAP_BPF but without CAP_PERFMON and
 * CAP_SYS_ADMIN (root may read uninitialised stack).  VC_QUIET_LOG: log level 4 (the
 * message and statistics, no instructions): a million-instruction walk logged at
 * level 1 outgrows the largest log buffer, and before 6.4 the kernel keeps the head
 * of the log, not the message at its end. */
enum { VC_BPF_ONLY = 1, VC_QUIET_LOG = 2, VC_SLEEPABLE = 4 };

/* A call to a kernel function (kfunc), by name: KFUNC(i) calls vcase_kfuncs[i], whose
 * BTF id in /sys/kernel/btf/vmlinux is put in at load time.  A kernel without it
 * refuses the row before verifying: the row is skipped, with the reason. */
static const char *const vcase_kfuncs[] = { "bpf_cpumask_create", "bpf_cpumask_release" };
#define KF_CPUMASK_CREATE 0
#define KF_CPUMASK_RELEASE 1
#define KFUNC(I) BPF_RAW_INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, I)

struct vcase {
	const char *name;
	enum bpf_prog_type type;
	const char *license;          /* NULL: "GPL" */
	enum vcase_map map;
	struct bpf_insn insns[24];    /* ends at the last non-zero slot */
	enum vcase_result result;
	const char *msgs[3];          /* REJECT: substrings of the log, in order */
	const char *hint;             /* REJECT: the .match of the hint that must come out
				       * ("A|B": either, when the wording changed) */
	int flags;                    /* VC_BPF_ONLY, VC_QUIET_LOG, or 0 */
	const char *on61, *on618;     /* REJECT: the message as 6.1 / 6.18 word it, when
				       * it differs (NULL: msgs hold for both) */
	const char *family;           /* the vcases_*.h it is in */
};

#define SOCK BPF_PROG_TYPE_SOCKET_FILTER

/* r2 = &key (a u32 0 at fp-4) -- the usual start of a map lookup */
#define KEY_ON_STACK \
	BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 0), \
	BPF_MOV64_REG(BPF_REG_2, BPF_REG_10), \
	BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4)

static const struct vcase vcases[] = {
#include "vcases_null.h"
#include "vcases_memory.h"
#include "vcases_ctx.h"
#include "vcases_refs.h"
#include "vcases_flow.h"
#include "vcases_helpers.h"
};

/* Slots in a row: up to the last non-zero one. */
static inline int vcase_len(const struct vcase *c)
{
	int n = sizeof(c->insns) / sizeof(c->insns[0]);

	while (n > 0 && !c->insns[n - 1].code && !c->insns[n - 1].imm)
		n--;
	return n;
}

/* Create the row's map (if any), put its fd in every map load, load the program
 * with a level-1 log.  Returns the program fd or -errno; *log as rbpf_load_insns. */
static inline int vcase_load_here(const struct vcase *c, char **log)
{
	struct bpf_insn insns[sizeof(c->insns) / sizeof(c->insns[0])];
	struct rbpf_map_create_args m = {
		.type = c->map == MAP_RINGBUF ? BPF_MAP_TYPE_RINGBUF :
			c->map == MAP_HASH ? BPF_MAP_TYPE_HASH :
			c->map == MAP_PROG_ARRAY ? BPF_MAP_TYPE_PROG_ARRAY : BPF_MAP_TYPE_ARRAY,
		.name = "vcase", .key_size = c->map == MAP_RINGBUF ? 0 : 4,
		.value_size = c->map == MAP_RINGBUF ? 0 : c->map == MAP_PROG_ARRAY ? 4 : 16,
		.max_entries = c->map == MAP_RINGBUF ? 4096 : 1,
	};
	struct rbpf_prog_load_args a = {
		.type = c->type, .name = c->name, .insns = insns, .insn_cnt = vcase_len(c),
		.license = c->license ? c->license : "GPL",
		.log_level = c->flags & VC_QUIET_LOG ? 4 : 1,
		.prog_flags = c->flags & VC_SLEEPABLE ? BPF_F_SLEEPABLE : 0,
	};
	int i, fd, map_fd = -1;

	*log = NULL;
	memcpy(insns, c->insns, sizeof(insns));
	for (i = 0; i < (int)a.insn_cnt; i++)
		if (insns[i].code == (BPF_JMP | BPF_CALL) && insns[i].src_reg == BPF_PSEUDO_KFUNC_CALL) {
			const char *kf = vcase_kfuncs[insns[i].imm];
			int id = rbpf_vmlinux_btf_id(kf, BTF_KIND_FUNC);

			if (id < 0)
				return rbpf_error(id, "vcase %s: this kernel has no kfunc %s", c->name, kf);
			insns[i].imm = id;
		}
	if (c->map != NO_MAP) {
		map_fd = rbpf_map_create(&m);
		if (map_fd < 0)
			return rbpf_error(map_fd, "vcase %s: cannot create its map", c->name);
	}
	for (i = 0; i < (int)a.insn_cnt; i++)
		if (insns[i].code == (BPF_LD | BPF_DW | BPF_IMM) &&
		    insns[i].src_reg == BPF_PSEUDO_MAP_FD)
			insns[i].imm = map_fd;
	fd = rbpf_load_insns(&a, log);
	if (map_fd >= 0)
		close(map_fd);          /* the program keeps its own reference */
	return fd;
}

/* Keep CAP_BPF, drop CAP_PERFMON and CAP_SYS_ADMIN (the effective set only). */
static inline int vcase_drop_perfmon(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	d[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
	d[CAP_PERFMON / 32].effective &= ~(1u << (CAP_PERFMON % 32));
	d[CAP_BPF / 32].effective |= 1u << (CAP_BPF % 32);
	return syscall(SYS_capset, &h, d);
}

/* vcase_load_here, or for a VC_BPF_ONLY row the same in a child process with fewer
 * capabilities (the log comes back through shared memory; the fd stays there, so
 * an accepted VC_BPF_ONLY row returns 0). */
static inline int vcase_load(const struct vcase *c, char **log)
{
	enum { LOG_MAX = 1 << 20 };
	char *shared, *child_log;
	int status, *ret;
	pid_t pid;

	if (!(c->flags & VC_BPF_ONLY))
		return vcase_load_here(c, log);
	*log = NULL;
	shared = mmap(NULL, LOG_MAX + 8, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return rbpf_error(errno, "vcase %s: mmap", c->name);
	ret = (int *)shared;
	*ret = -ECHILD;
	pid = fork();
	if (pid == 0) {
		int fd = vcase_drop_perfmon() < 0 ? -EPERM : vcase_load_here(c, &child_log);

		*ret = fd < 0 ? fd : 0;
		if (fd < 0 && child_log)
			snprintf(shared + 8, LOG_MAX, "%s", child_log);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (*ret < 0 && shared[8])
		*log = strdup(shared + 8);
	status = *ret;
	munmap(shared, LOG_MAX + 8);
	if (status < 0 && *log)
		rbpf_error(status, "load prog %s (CAP_BPF only): rejected", c->name);
	return status;
}

/* This kernel's major*100+minor (618 for 6.18), 0 if unknown. */
static inline int vcase_kernel(void)
{
	static int v = -1;
	char buf[128] = "";
	FILE *f;
	int a = 0, b = 0;

	if (v >= 0)
		return v;
	f = fopen("/proc/sys/kernel/osrelease", "r");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	v = sscanf(buf, "%d.%d", &a, &b) == 2 ? a * 100 + b : 0;
	return v;
}

/* The wording this kernel must print for the row, or NULL when msgs say it all. */
static inline const char *vcase_wording(const struct vcase *c)
{
	int k = vcase_kernel();

	return k == 601 ? c->on61 : k == 618 ? c->on618 : NULL;
}

/* Where one expected message occurs in p: "A|B" accepts either wording (the kernel's
 * wording changed between versions).  Sets *len to the matched length. */
static inline const char *vcase_find(const char *p, const char *pattern, size_t *len)
{
	const char *best = NULL;
	char alt[160];

	while (*pattern) {
		size_t n = strcspn(pattern, "|");
		const char *q;

		snprintf(alt, sizeof(alt), "%.*s", (int)n, pattern);
		q = strstr(p, alt);
		if (q && (!best || q < best)) {
			best = q;
			*len = n;
		}
		pattern += n + (pattern[n] == '|');
	}
	return best;
}

/* Does the log contain the row's substrings, in order?  NULL if so, else the first
 * one missing. */
static inline const char *vcase_missing(const struct vcase *c, const char *log)
{
	const char *p = log ? log : "";
	size_t len = 0;
	int i;

	for (i = 0; i < 3 && c->msgs[i]; i++) {
		const char *q = vcase_find(p, c->msgs[i], &len);

		if (!q)
			return c->msgs[i];
		p = q + len;
	}
	if (vcase_wording(c) && !strstr(log ? log : "", vcase_wording(c)))
		return vcase_wording(c);
	return NULL;
}

/* Is word one of the '|'-separated alternatives of list? */
static inline int vcase_alt_is(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (list && *list) {
		size_t k = strcspn(list, "|");

		if (k == n && !strncmp(list, word, n))
			return 1;
		list += k + (list[k] == '|');
	}
	return 0;
}

/* Is the hint that came out one the row allows ("A|B": either)? */
static inline int vcase_hint_ok(const struct vcase *c, const struct rbpf_hint *h)
{
	return h && vcase_alt_is(c->hint, h->id);
}

/* A row's program type this kernel refuses before verifying (no log): why, or NULL. */
static inline const char *vcase_refused(int fd, const char *log)
{
	if (fd >= 0 || (log && *log))
		return NULL;
	if (fd == -EPERM || fd == -EINVAL || fd == -EOPNOTSUPP || fd == -ENOENT)
		return rbpf_errmsg();
	return NULL;
}

#endif
