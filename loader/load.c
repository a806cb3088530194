/*
 * load.c -- load one program and keep everything the verifier said.
 *
 * The verifier writes its log into a buffer we hand it.  If the buffer is too small
 * the load fails with ENOSPC -- even for a program the verifier accepted -- and since
 * 6.4 the kernel also says how big the log really was (log_true_size).  So: start with
 * a buffer, and on ENOSPC grow it (to log_true_size when known, else four times) and
 * load again.  The kernel caps a log at 16 MiB - 1 (UINT_MAX >> 8).
 *
 * A program loaded without a log (level 0) and rejected is loaded once more at level 1,
 * so a rejection always comes with its explanation.  The message names the verifier's
 * reason -- by one rule, rbpf_log_reason, which the hints (vlog.c) and a refused BTF's
 * note (object_load.c) use too.  It carries no hint: the hint table sits beside the
 * flow in vlog.c, and whoever prints the message (the rawbpf command, a lesson) adds
 * rbpf_verifier_hint(log) if it wants one.  Nothing here calls up into vlog.
 *
 * Three functions load, from the bottom up:
 *   rbpf_prog_load (sys.c)          one BPF_PROG_LOAD, nothing more;
 *   rbpf_load_insns (here)          an instruction array, the log grown until it fits;
 *   rbpf_object_load_prog           one program of an object (object_load.c), which
 *                                   ends in rbpf_load_insns.
 * rbpf_load_fentry (below) is rbpf_load_insns for a tracing program, whose target
 * kernel function is fixed at load time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>

#include "rawbpf.h"

#define LOG_MAX ((UINT32_MAX >> 8) - 1)     /* the kernel's limit on log_size */

uint32_t rbpf_log_start_size = 64 * 1024;

/* What the verifier prints after its reason: statistics, and the two states it
 * compared when it found an infinite loop. */
static int after_reason(const char *line)
{
	static const char *const trailers[] = { "processed ", "verification time",
		"stack depth", "cur state:", "old state:" };
	size_t i;

	for (i = 0; i < sizeof(trailers) / sizeof(trailers[0]); i++)
		if (!strncmp(line, trailers[i], strlen(trailers[i])))
			return 1;
	return 0;
}

size_t rbpf_log_reason(const char *log, char *out, size_t n)
{
	const char *end, *line, *p, *best = NULL, *best_end = NULL;

	for (p = line = log ? log : "", end = line + strlen(line); p <= end; p++) {
		if (p != end && *p != '\n')
			continue;
		if (p > line && !after_reason(line)) {
			best = line;
			best_end = p;
		}
		line = p + 1;
	}
	snprintf(out, n, "%.*s", best ? (int)(best_end - best) : 0, best ? best : "");
	return best ? (size_t)(best_end - best) : 0;
}

/* One BPF_PROG_LOAD with the log in *buf (grown as needed). */
static int load_with_log(struct rbpf_prog_load_args *a, char **buf)
{
	uint32_t size = rbpf_log_start_size < 128 ? 128 : rbpf_log_start_size;
	char *b;
	int fd;

	for (;;) {
		b = realloc(*buf, size);
		if (!b)
			return -ENOMEM;
		*buf = b;
		/* All of it defined, not just b[0]: valgrind marks what the kernel wrote
		 * only after a bpf() that succeeded, and a rejection's log is read. */
		memset(b, 0, size);
		a->log_buf = b;
		a->log_size = size;
		fd = rbpf_prog_load(a);
		if (fd != -ENOSPC || size >= LOG_MAX)
			return fd;
		/* Too small: grow to what the kernel said it needs, or 4x. */
		if (a->log_true_size > size)
			size = a->log_true_size;
		else
			size = size > LOG_MAX / 4 ? LOG_MAX : size * 4;
	}
}

int rbpf_load_insns(struct rbpf_prog_load_args *a, char **log)
{
	const char *name = a->name ? a->name : "(unnamed)";
	char reason[512];
	int fd, fd2;

	*log = NULL;
	if (a->log_level) {
		fd = load_with_log(a, log);
	} else {
		a->log_buf = NULL;
		a->log_size = 0;
		fd = rbpf_prog_load(a);
		if (fd < 0 && fd != -EPERM && fd != -ENOSYS && fd != -ENOMEM &&
		    fd != -EMFILE && fd != -ENFILE) {
			a->log_level = 1;       /* rejected: load again to hear why */
			fd2 = load_with_log(a, log);
			a->log_level = 0;
			if (fd2 >= 0)           /* accepted the second time: keep that */
				return fd2;
			fd = fd2;
		}
	}
	if (fd >= 0)
		return fd;
	/* A log with text means the verifier ran and said why (EACCES mostly; EINVAL,
	 * E2BIG for a call chain too deep or a program too large).  EMFILE/ENFILE come
	 * after a verifier that accepted: no fd was left for the program. */
	if (*log && **log && fd != -ENOSPC && fd != -EMFILE && fd != -ENFILE) {
		if (!rbpf_log_reason(*log, reason, sizeof(reason)))
			snprintf(reason, sizeof(reason), "(empty log)");
		return rbpf_error(fd, "load prog %s: the verifier rejected it (%s): %s", name,
				  rbpf_errno_name(fd), reason);
	}
	return rbpf_error(fd, "load prog %s: BPF_PROG_LOAD failed: %s (%s)%s%s", name,
			  rbpf_errno_name(fd), strerror(-fd),
			  *rbpf_errno_hint(fd) ? ": " : "", rbpf_errno_hint(fd));
}

/* ------------------------------------------------------------------ fentry / fexit */
/*
 * A tracing program is tied to its function at load time: attach_btf_id names the
 * function in the kernel's BTF (/sys/kernel/btf/vmlinux, read by btf.c).  The kernel
 * then builds a trampoline that calls the program on entry (fentry) or exit (fexit)
 * with the function's real arguments -- no pt_regs, no probe.  Attaching is
 * BPF_RAW_TRACEPOINT_OPEN with no name.
 */
const char *rbpf_tracing_eperm_hint(void)
{
	return "this kernel refuses tracing programs (fentry/fexit) to every caller, root "
	       "included: the EPERM comes before the program is looked at (a bogus BTF id "
	       "gets the same answer), so it is the kernel's policy (no BPF trampolines, or "
	       "a security module), not the program; use a kprobe or a tracepoint";
}

/* "__x64_sys_getpid", "__arm64_sys_read", "__ia32_sys_..", "__se_sys_..", "sys_..". */
static int is_syscall_wrapper(const char *func)
{
	static const char *const prefixes[] = { "__x64_sys_", "__arm64_sys_", "__ia32_sys_",
						"__se_sys_", "sys_" };
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(func, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

int rbpf_fentry_btf_id(const char *func)
{
	int id = rbpf_vmlinux_btf_id(func, BTF_KIND_FUNC);

	if (id == -ENOENT && is_syscall_wrapper(func))
		return rbpf_error_prefix(id, "attach: fentry %s: syscall wrappers such as "
					 "__x64_sys_* are made by macros and have no BTF entry; "
					 "trace the function they call (e.g. vfs_read for read) "
					 "or the tracepoint syscalls/sys_enter_*: ", func);
	if (id < 0)
		return rbpf_error_prefix(id, "attach: fentry %s: ", func);
	return id;
}

int rbpf_load_fentry(const char *func, int fexit, const struct bpf_insn *insns,
		     uint32_t insn_cnt, const char *license, char **log)
{
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_TRACING,
		.expected_attach_type = fexit ? BPF_TRACE_FEXIT : BPF_TRACE_FENTRY,
		.name = fexit ? "fexit" : "fentry",
		.insns = insns, .insn_cnt = insn_cnt, .license = license,
	};
	int id, fd;

	*log = NULL;
	id = rbpf_fentry_btf_id(func);
	if (id < 0)
		return id;
	a.attach_btf_id = (uint32_t)id;
	fd = rbpf_load_insns(&a, log);
	if (fd == -EPERM && geteuid() == 0)
		return rbpf_error(EPERM, "attach: %s %s: BPF_PROG_LOAD said EPERM (Operation not "
				  "permitted): %s", a.name, func, rbpf_tracing_eperm_hint());
	if (fd < 0)
		return rbpf_error_prefix(fd, "attach: %s %s (BTF id %d): ", a.name, func, id);
	return fd;
}

