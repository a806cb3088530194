/*
 * cmd/doctor.c -- `rawbpf doctor`: what this machine offers the course.
 *
 * One line per thing the lessons need: [ok], [--] (missing, with what that means for
 * the lessons), [!!] (missing and the course cannot run) or [??] (could not be
 * checked, e.g. without privilege).  Each check asks the kernel
 * directly -- a file in /proc or /sys, or a tiny bpf() call -- rather than guessing
 * from the version number, because distributions backport and configure differently.
 * Exit status 1 when bpf() itself is unusable, else 0.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <linux/btf.h>

#include "bpf_insn.h"
#include "rawbpf.h"
#include "cmd.h"

static int core_broken;     /* set when bpf() cannot be used at all */

static void line(const char *mark, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void line(const char *mark, const char *what, const char *fmt, ...)
{
	va_list ap;

	printf("[%s] %-14s ", mark, what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* The first line of a small file, without its newline; "" if unreadable. */
static const char *read_line(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return buf;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

/* Effective capability set, from /proc/self/status. */
static unsigned long long cap_eff(void)
{
	char l[256];
	unsigned long long caps = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 0;
	while (fgets(l, sizeof(l), f))
		if (sscanf(l, "CapEff: %llx", &caps) == 1)
			break;
	fclose(f);
	return caps;
}

static void check_privilege(void)
{
	unsigned long long caps = cap_eff();
	int bpf = !!(caps & (1ULL << 39)), perfmon = !!(caps & (1ULL << 38));
	int admin = !!(caps & (1ULL << 21));

	if (geteuid() == 0 && admin)
		line("ok", "privilege", "running as root");
	else if (bpf && perfmon)
		line("ok", "privilege", "CAP_BPF and CAP_PERFMON (enough for maps, tracing and buffers; "
		     "trace_pipe still needs root)");
	else
		line("!!", "privilege", "not root and no CAP_BPF+CAP_PERFMON: loading programs will "
		     "fail with EPERM. Run as root (sudo).");
}

static void check_kernel(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &major, &minor);
	if (major > 5 || (major == 5 && minor >= 15))
		line("ok", "kernel", "%s %s (the course supports 5.15 and later)", u.sysname, u.release);
	else
		line("--", "kernel", "%s is older than 5.15: some lessons will fail "
		     "(ring buffers need 5.8, BPF links 5.7); `make vm` has 6.1", u.release);
}

/* bpf() itself: create a one-entry array map. */
static void check_bpf(void)
{
	struct rbpf_map_create_args a = {
		.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1,
	};
	int fd = rbpf_map_create(&a);

	if (fd >= 0) {
		line("ok", "bpf()", "the bpf() system call works (created an array map)");
		close(fd);
		return;
	}
	core_broken = 1;
	line("!!", "bpf()", "BPF_MAP_CREATE failed: %s (%s). %s", rbpf_errno_name(fd),
	     strerror(-fd), rbpf_errno_hint(fd));
}

static void check_jit(void)
{
	const char *v = read_line("/proc/sys/net/core/bpf_jit_enable");

	if (!*v)
		line("--", "JIT", "cannot read /proc/sys/net/core/bpf_jit_enable: programs may be "
		     "interpreted (slower, same behaviour)");
	else if (atoi(v) >= 1)
		line("ok", "JIT", "enabled (bpf_jit_enable=%s): programs become machine code", v);
	else
		line("--", "JIT", "disabled (bpf_jit_enable=0): programs run in the interpreter; "
		     "`rawbpf prog dump ID --jited` shows nothing");
}

static void check_btf(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		line("ok", "BTF", "/sys/kernel/btf/vmlinux: the kernel describes its own types "
		     "(fentry/fexit attach by BTF id)");
	else
		line("--", "BTF", "no /sys/kernel/btf/vmlinux: fentry/fexit cannot be attached; "
		     "everything else works");
}

/* tracefs: where tracepoint ids, kprobe_events and trace_pipe live. */
static const char *tracefs(void)
{
	if (access("/sys/kernel/tracing/events", F_OK) == 0)
		return "/sys/kernel/tracing";
	if (geteuid() == 0 && mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0)
		return "/sys/kernel/tracing";
	if (access("/sys/kernel/debug/tracing/events", F_OK) == 0)
		return "/sys/kernel/debug/tracing";
	return NULL;
}

static void check_tracing(void)
{
	const char *t = tracefs();
	char path[256];
	int pmu, legacy;

	if (t) {
		line("ok", "tracefs", "at %s (trace_pipe, tracepoint ids)", t);
	} else if (geteuid() != 0) {
		line("??", "tracefs", "cannot look inside /sys/kernel/tracing as this user "
		     "(it is root's): run doctor as root for the tracing checks");
		return;
	} else {
		line("--", "tracefs", "not mounted and cannot be mounted: no trace_pipe, "
		     "no tracepoints; the hello lessons cannot print");
	}
	snprintf(path, sizeof(path), "%s/events/syscalls/sys_enter_execve/id", t ? t : "");
	if (t && access(path, R_OK) == 0)
		line("ok", "tracepoint", "syscalls/sys_enter_execve exists (id %s): the kprobe "
		     "lessons' fallback", read_line(path));
	else
		line("--", "tracepoint", "no syscalls/sys_enter_execve (kernel without "
		     "CONFIG_FTRACE_SYSCALLS?): the hello lessons need kprobes instead");
	pmu = access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0;
	snprintf(path, sizeof(path), "%s/kprobe_events", t ? t : "");
	legacy = t && access(path, F_OK) == 0;
	if (pmu)
		line("ok", "kprobes", "kprobe PMU (perf_event_open type %s)%s",
		     read_line("/sys/bus/event_source/devices/kprobe/type"),
		     legacy ? " and kprobe_events" : "");
	else if (legacy)
		line("ok", "kprobes", "no kprobe PMU, but %s: kprobes via tracefs", path);
	else
		line("--", "kprobes", "this kernel has no kprobes (CONFIG_KPROBES off): hello, "
		     "hello_map, hello_buffer and hello_ringbuf attach to the tracepoint "
		     "syscalls/sys_enter_execve instead; `make vm` boots a kernel with kprobes");
}

/* Raw tracepoints: load `return 0` as a raw tracepoint program and open sys_enter. */
static void check_raw_tracepoint(void)
{
	if (core_broken) {
		line("??", "raw_tp", "not checked: bpf() is not usable");
		return;
	}
	struct bpf_insn insns[] = { BPF_MOV64_IMM(BPF_REG_0, 0), BPF_EXIT_INSN() };
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_RAW_TRACEPOINT, .name = "doctor_rawtp",
		.insns = insns, .insn_cnt = 2, .license = "GPL",
	};
	int fd = rbpf_prog_load(&a), tp;

	if (fd < 0) {
		line("--", "raw_tp", "cannot load a raw tracepoint program: %s; hello_func and "
		     "hello_tail will not run", rbpf_errno_name(fd));
		return;
	}
	tp = rbpf_raw_tracepoint_open("sys_enter", fd);
	if (tp >= 0) {
		line("ok", "raw_tp", "raw tracepoint sys_enter attaches (hello_func, hello_tail)");
		close(tp);
	} else {
		line("--", "raw_tp", "BPF_RAW_TRACEPOINT_OPEN sys_enter: %s; hello_func and "
		     "hello_tail will not run", rbpf_errno_name(tp));
	}
	close(fd);
}

/* fentry: a BPF trampoline on vfs_read.  The kernel checks the program against the
 * function's BTF at load time, so loading is the test; attaching is not needed. */
static void check_fentry(void)
{
	struct bpf_insn insns[] = { BPF_MOV64_IMM(BPF_REG_0, 0), BPF_EXIT_INSN() };
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_TRACING, .expected_attach_type = BPF_TRACE_FENTRY,
		.name = "doctor_fentry", .insns = insns, .insn_cnt = 2, .license = "GPL",
	};
	int id, fd;

	if (core_broken) {
		line("??", "fentry", "not checked: bpf() is not usable");
		return;
	}
	id = rbpf_vmlinux_btf_id("vfs_read", BTF_KIND_FUNC);
	if (id < 0) {
		line("--", "fentry", "no BTF id for vfs_read (%s): fentry/fexit cannot attach; "
		     "kprobes do the same job", rbpf_errmsg());
		return;
	}
	a.attach_btf_id = id;
	fd = rbpf_prog_load(&a);
	if (fd >= 0) {
		line("ok", "fentry", "BPF trampolines work (loaded fentry/vfs_read, BTF id %d)", id);
		close(fd);
	} else if (fd == -EPERM) {
		line("--", "fentry", "the kernel refuses fentry/fexit programs with EPERM even to "
		     "root (a lockdown or security policy, or no trampoline support): kprobes "
		     "and tracepoints do the same job; the lab VM (`make vm`) allows them");
	} else {
		line("--", "fentry", "loading fentry/vfs_read failed: %s (%s): kprobes and "
		     "tracepoints do the same job", rbpf_errno_name(fd), strerror(-fd));
	}
}

static void check_ringbuf(void)
{
	struct rbpf_map_create_args a = {
		.type = BPF_MAP_TYPE_RINGBUF, .max_entries = 4096,
	};
	int fd;

	if (core_broken) {
		line("??", "ringbuf", "not checked: bpf() is not usable");
		return;
	}
	fd = rbpf_map_create(&a);

	if (fd >= 0) {
		line("ok", "ringbuf", "BPF ring buffers (5.8+) work");
		close(fd);
	} else {
		line("--", "ringbuf", "no BPF ring buffer (%s; needs 5.8): hello_ringbuf will not "
		     "run, hello_buffer's perf buffer does the same job", rbpf_errno_name(fd));
	}
}

static void check_sysctls(void)
{
	const char *v = read_line("/proc/sys/kernel/unprivileged_bpf_disabled");
	const char *l;

	if (*v)
		line("ok", "unpriv_bpf", "kernel.unprivileged_bpf_disabled=%s (%s)", v,
		     atoi(v) ? "only privileged users may use bpf(): the course runs as root"
			     : "unprivileged users may load socket filters");
	if (access("/sys/kernel/security/lockdown", R_OK) != 0 && geteuid() == 0)
		mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL);
	l = read_line("/sys/kernel/security/lockdown");
	if (!*l)
		line("ok", "lockdown", "no lockdown file (securityfs not available): assuming none");
	else if (strstr(l, "[none]"))
		line("ok", "lockdown", "%s", l);
	else
		line("--", "lockdown", "%s: root is refused some things too: integrity blocks "
		     "bpf_probe_write_user, confidentiality also reading kernel memory", l);
}

int cmd_doctor(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: rawbpf doctor\n");
		return 2;
	}
	check_privilege();
	check_kernel();
	check_bpf();
	check_jit();
	check_btf();
	check_tracing();
	check_raw_tracepoint();
	check_fentry();
	check_ringbuf();
	check_sysctls();
	if (core_broken)
		printf("\nbpf() is not usable here: the course cannot run. See the [!!] lines.\n");
	return core_broken ? 1 : 0;
}
