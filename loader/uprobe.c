/*
 * uprobe.c -- a program on a function of a program or shared library.
 *
 * The kernel is given a file and a byte offset in it (elf_func.c finds both from a
 * name) and puts a breakpoint there, in the page cache: every process that maps the
 * file, now or later, stops there, and the program runs with that process's
 * registers (struct pt_regs: the same BPF_PROG_TYPE_KPROBE as kprobes).  A return
 * probe (uretprobe) replaces the return address when the function is entered and
 * runs when it returns.
 *
 * Two ways in, as for kprobes (attach.c), tried in this order:
 *
 * 1. The uprobe PMU (4.17+): perf_event_open with attr.type from
 *    /sys/bus/event_source/devices/uprobe/type, config1 = a pointer to the path,
 *    config2 = the offset, and for a return probe the config bit named by
 *    .../uprobe/format/retprobe ("config:0").  The probe dies with the fd.
 * 2. tracefs uprobe_events: "p:GROUP/NAME PATH:0xOFFSET" ("r:" to return), then the
 *    new event is opened like a tracepoint.  It outlives us: removed with
 *    "-:GROUP/NAME" on detach, and the probes of rawbpf processes that died without
 *    detaching (SIGKILL) are removed by the next attach.  Never O_TRUNC that file:
 *    it would remove every uprobe on the system.
 *
 * A pid restricts the probe to one process: the perf event is opened for that task
 * (pid, any CPU) and the kernel plants the breakpoint for it alone; -1 means every
 * process (pid -1, CPU 0: a BPF program runs before perf's per-CPU filtering).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawbpf.h"
#include "attach.h"
#include "kernel.h"

#define UPROBE_PMU "/sys/bus/event_source/devices/uprobe"
#define PROBE_GROUP "rawbpf"
#define PROBE_PREFIX "rbpf_u"
#define BPF_TRACE_UPROBE_MULTI_ 48       /* 6.6; newer than the uapi headers here */

int rbpf_uprobe_legacy_only;

/* The bit of "config:N" in format/retprobe, or -errno. */
static int retprobe_bit(void)
{
	char buf[64] = "";
	int fd = open(UPROBE_PMU "/format/retprobe", O_RDONLY | O_CLOEXEC), bit;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	if (sscanf(buf, "config:%d", &bit) != 1 || bit < 0 || bit > 63)
		return -EINVAL;
	return bit;
}

static int uprobe_error(int err, const char *what, const char *how)
{
	return rbpf_error(err, "attach: %s: %s: %s (%s); %s", what, how, rbpf_errno_name(err),
			  strerror(-err), err == -ESRCH ? "no process with that pid" :
			  err == -EINVAL ? "is the offset inside the function's code? "
			  "(a uprobe must sit on an instruction's first byte)" :
			  err == -ENOENT ? "the file does not exist (a path relative to the "
			  "current directory?)" : rbpf_errno_hint(err));
}

/* ------------------------------------------------------------------------ the PMU */

static int pmu_open(int type, const char *path, uint64_t off, int pid, int ret,
		    const char *what)
{
	struct perf_event_attr attr;
	int bit, pfd;

	memset(&attr, 0, sizeof(attr));
	attr.type = type;
	attr.size = sizeof(attr);
	attr.config1 = (uint64_t)(uintptr_t)path;     /* uprobe_path, by pointer */
	attr.config2 = off;                           /* probe_offset in the file */
	attr.sample_period = 1;
	attr.disabled = 1;
	if (ret) {
		if ((bit = retprobe_bit()) < 0)
			return rbpf_error(bit, "attach: %s: cannot read %s/format/retprobe",
					  what, UPROBE_PMU);
		attr.config |= 1ULL << bit;
	}
	pfd = rbpf_perf_event_open(&attr, pid, pid < 0 ? 0 : -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return uprobe_error(pfd, what, "perf_event_open(uprobe PMU)");
	return pfd;
}

/* ------------------------------------------------------------------ uprobe_events */

/* Remove the rawbpf uprobes whose process is gone ("p:rawbpf/rbpf_u1234_0_f /bin/x:0x..."),
 * collected first, removed after the file is closed; up to 64 per sweep. */
static void events_sweep(void)
{
	char path[256], line[1024], stale[64][96];
	const char *tfs = rbpf_tracefs();
	int pid, n = 0, i;
	FILE *f;

	if (!tfs)
		return;
	snprintf(path, sizeof(path), "%s/uprobe_events", tfs);
	if (!(f = fopen(path, "re")))
		return;
	while (n < 64 && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (!p || sscanf(p + 1, "%95s", stale[n]) != 1 ||
		    sscanf(stale[n], PROBE_GROUP "/" PROBE_PREFIX "%d_", &pid) != 1)
			continue;
		if (kill(pid, 0) < 0 && errno == ESRCH)
			n++;
	}
	fclose(f);
	for (i = 0; i < n; i++)
		tracefs_uprobe_remove(stale[i]);
}

/* rawbpf/rbpf_uPID_SEQ_FUNC, FUNC made of letters, digits and '_', cut to fit. */
static void event_name(char *buf, size_t n, const char *func)
{
	static int seq;
	int head = snprintf(buf, n, PROBE_GROUP "/" PROBE_PREFIX "%d_%d_", getpid(),
			    __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED));
	char *p;

	snprintf(buf + head, n - head > 32 ? 32 : n - head, "%s", func ? func : "off");
	for (p = buf + head; *p; p++)
		if (!isalnum((unsigned char)*p))
			*p = '_';
}

/* Write the probe and open its event; *probe gets its name (for removal). */
static int legacy_open(const char *path, uint64_t off, const char *func, int pid, int ret,
		       char *probe, size_t n, const char *what)
{
	static int swept;
	char cmd[4352], idpath[256];
	long id;
	int r;

	if (strpbrk(path, " \t\n"))
		return rbpf_error(EINVAL, "attach: %s: uprobe_events cannot take a path with "
				  "blanks (%s)", what, path);
	if (!swept++)
		events_sweep();
	event_name(probe, n, func);
	snprintf(cmd, sizeof(cmd), "%c:%s %s:0x%llx", ret ? 'r' : 'p', probe, path,
		 (unsigned long long)off);
	if ((r = tracefs_uprobe_write(cmd)) < 0) {
		probe[0] = 0;
		return uprobe_error(r, what, "writing uprobe_events");
	}
	snprintf(idpath, sizeof(idpath), "%s/events/%s/id", rbpf_tracefs(), probe);
	if ((id = kfile_number(idpath)) < 0)
		return rbpf_error(id, "attach: %s: created %s but cannot read %s: %s", what,
				  probe, idpath, rbpf_errno_name(id));
	return attach_tracepoint_event_pid((int)id, pid, what);
}

/* ----------------------------------------------------------------------- attaching */

int rbpf_attach_uprobe(int prog_fd, const char *binary, const char *func, uint64_t offset,
		       int pid, int retprobe, struct rbpf_link **out)
{
	char path[4096], what[512], probe[96] = "";
	long type = rbpf_uprobe_legacy_only ? -ENOENT : kfile_number(UPROBE_PMU "/type");
	uint64_t off = 0;
	const char *tfs;
	int pfd, r;

	*out = NULL;
	if ((r = rbpf_resolve_binary(binary, path, sizeof(path))) < 0)
		return r;
	if (func && (r = rbpf_elf_func_offset(path, func, &off)) < 0)
		return r;
	off += offset;
	snprintf(what, sizeof(what), "%s %.300s:%.120s+0x%llx (file offset 0x%llx)",
		 retprobe ? "uretprobe" : "uprobe", path, func ? func : "",
		 (unsigned long long)offset, (unsigned long long)off);
	if (type >= 0)
		pfd = pmu_open((int)type, path, off, pid, retprobe, what);
	else if ((tfs = rbpf_tracefs()) && access(tfs, F_OK) == 0)
		pfd = legacy_open(path, off, func, pid, retprobe, probe, sizeof(probe), what);
	else
		return rbpf_error(EOPNOTSUPP, "attach: %s: this kernel has no uprobes (no %s, "
				  "no tracefs uprobe_events: CONFIG_UPROBE_EVENTS is off)",
				  what, UPROBE_PMU);
	if (pfd < 0) {
		if (probe[0])
			tracefs_uprobe_remove(probe);
		return pfd;
	}
	return link_perf_own(prog_fd, pfd, what, probe[0] ? probe : NULL, out);
}

int rbpf_uprobe_parse_target(const char *target, char *binary, size_t n, char *func,
			     size_t fn, uint64_t *offset)
{
	const char *colon = target ? strchr(target, ':') : NULL, *plus;
	char *end;

	*offset = 0;
	if (!colon || colon == target || !colon[1])
		return rbpf_error(EINVAL, "uprobe: target \"%s\" is not BINARY:FUNCTION[+OFFSET] "
				  "(e.g. uprobe/libc.so.6:malloc)", target ? target : "");
	if ((size_t)(colon - target) >= n || strlen(colon + 1) >= fn)
		return rbpf_error(ENAMETOOLONG, "uprobe: target \"%s\" is too long", target);
	snprintf(binary, n, "%.*s", (int)(colon - target), target);
	snprintf(func, fn, "%s", colon + 1);
	if ((plus = strchr(func, '+'))) {
		errno = 0;
		*offset = strtoull(plus + 1, &end, 0);
		if (end == plus + 1 || *end || errno)
			return rbpf_error(EINVAL, "uprobe: target \"%s\": \"%s\" is not an "
					  "offset", target, plus + 1);
		func[plus - func] = 0;
	}
	if (!func[0])
		return rbpf_error(EINVAL, "uprobe: target \"%s\" names no function", target);
	return 0;
}

int rbpf_attach_uprobe_target(int prog_fd, const char *target, int pid, int retprobe,
			      struct rbpf_link **out)
{
	char binary[4096], func[512];
	uint64_t off;
	int r;

	*out = NULL;
	if ((r = rbpf_uprobe_parse_target(target, binary, sizeof(binary), func, sizeof(func),
					  &off)) < 0)
		return r;
	return rbpf_attach_uprobe(prog_fd, binary, func, off, pid, retprobe, out);
}

/* ---------------------------------------------------------------- uprobe.multi */
/*
 * One BPF link for many uprobes (6.6+): BPF_LINK_CREATE with attach type
 * BPF_TRACE_UPROBE_MULTI carries the path and an array of file offsets (here: every
 * function whose name matches a pattern), and the program must have been loaded
 * with that expected attach type (the uprobe.multi sections).
 */
int rbpf_attach_uprobe_multi(int prog_fd, const char *binary, const char *pattern,
			     int pid, int retprobe, struct rbpf_link **out)
{
	struct rbpf_link_opts o = { .flags = retprobe ? 1 : 0, .pid = pid > 0 ? pid : 0 };
	char path[4096];
	uint64_t *offs;
	uint32_t n;
	int fd, r;

	*out = NULL;
	if ((r = rbpf_resolve_binary(binary, path, sizeof(path))) < 0 ||
	    (r = rbpf_elf_funcs_matching(path, pattern, &offs, &n)) < 0)
		return r;
	o.path = path, o.offsets = offs, o.cnt = n;
	fd = rbpf_link_create(prog_fd, 0, BPF_TRACE_UPROBE_MULTI_, &o);
	free(offs);
	if (fd < 0)
		return rbpf_error(fd, "attach: uprobe.multi %s:%s (%u functions): "
				  "BPF_LINK_CREATE: %s (%s); %s", path, pattern, n,
				  rbpf_errno_name(fd), strerror(-fd), fd == -EINVAL ?
				  "uprobe.multi links need Linux 6.6+, and a program loaded "
				  "from an uprobe.multi section" : rbpf_errno_hint(fd));
	return link_own_fd(fd, "uprobe.multi", out);
}
