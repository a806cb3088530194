/*
 * attach.c -- hooking a loaded program into the kernel.
 *
 * A program fd does nothing until something in the kernel calls it.  Which something
 * depends on the program type, and each has its own door:
 *
 *   tracepoint      tracefs tells the event's id (events/CAT/NAME/id); a perf event
 *                   of PERF_TYPE_TRACEPOINT with config = id is opened, and the program
 *                   is put on that perf event.
 *   kprobe          the same with the "kprobe" PMU, whose type number sysfs tells
 *                   (/sys/bus/event_source/devices/kprobe/type), the function's name in
 *                   config1; or, on kernels without that PMU, a probe written into
 *                   tracefs kprobe_events, after which it is a tracepoint like any other.
 *   raw tracepoint  one bpf() command, BPF_RAW_TRACEPOINT_OPEN, returns an fd that is
 *                   the attachment.  fentry/fexit use the same command without a name:
 *                   their target (a BTF id) was fixed when the program was loaded.
 *   socket filter   setsockopt(SO_ATTACH_BPF) on the socket; SO_DETACH_BPF undoes it.
 *   XDP, tc         BPF_LINK_CREATE with the interface's index (XDP 5.9+, tcx 6.6+).
 *
 * "Putting a program on a perf event" is itself two doors: BPF_LINK_CREATE with attach
 * type BPF_PERF_EVENT (5.15+), which gives a link fd, or the older
 * ioctl(PERF_EVENT_IOC_SET_BPF).  We try the link first and fall back to the ioctl.
 *
 * Whatever the kind, the caller gets one struct rbpf_link that owns every fd (and
 * any kprobe_events entry) and one rbpf_link_destroy() that undoes it all.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/btf.h>

#include "rawbpf.h"

/* What a struct rbpf_link holds, by kind; rbpf_link_destroy undoes each. */
enum link_kind {
	LINK_FD,           /* fd alone is the attachment: raw tracepoint, BPF link */
	LINK_PERF,         /* a perf event (perf_fd), with a BPF link (fd) or the ioctl */
	LINK_KPROBE_EVENT, /* LINK_PERF on a probe we wrote to kprobe_events (probe) */
	LINK_SOCKET,       /* SO_ATTACH_BPF on sock_fd (not ours: we only detach) */
};

struct rbpf_link {
	enum link_kind kind;
	int fd;              /* link fd, raw tracepoint fd, or -1 (ioctl attachment) */
	int perf_fd;         /* the perf event, or -1 */
	int sock_fd;         /* LINK_SOCKET: the caller's socket */
	char probe[96];      /* "rawbpf/rbpf_PID_N_FUNC" in kprobe_events, or "" */
};

static void link_free(struct rbpf_link *l);
static int kprobe_event_remove(const char *probe);

/* ------------------------------------------------------------------ small file reads */

/* Read a small text file into buf (NUL-terminated).  Returns bytes or -errno. */
static int read_small(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = read(fd, buf, n - 1);
	if (r < 0)
		r = -errno;
	else
		buf[r] = '\0';
	close(fd);
	return (int)r;
}

/* Read a file holding one decimal number ("1234\n").  Returns it (>= 0) or -errno. */
static long read_number(const char *path)
{
	char buf[64], *end;
	long v;
	int r = read_small(path, buf, sizeof(buf));

	if (r < 0)
		return r;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (end == buf || errno || v < 0)
		return -EINVAL;
	return v;
}

/* ------------------------------------------------------------------------- tracefs */

static int has_file(const char *dir, const char *name)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

static int has_events(const char *dir)
{
	return has_file(dir, "events");
}

const char *rbpf_tracefs(void)
{
	static const char *found;
	static const char tracing[] = "/sys/kernel/tracing";
	static const char debug[] = "/sys/kernel/debug/tracing";

	int err;

	if (found)
		return found;
	if (has_events(tracing))
		return found = tracing;
	/* Since 4.1 tracefs is its own filesystem; systemd mounts it, containers often not. */
	if (mount("tracefs", tracing, "tracefs", 0, NULL) == 0 && has_events(tracing))
		return found = tracing;
	err = errno;
	if (has_events(debug))
		return found = debug;
	/* Old kernels: tracing appears inside debugfs (automounting tracefs there). */
	if (mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) == 0 && has_events(debug))
		return found = debug;
	rbpf_error(err, "tracefs: not at %s nor %s, and mounting it failed: %s (%s); "
		   "needs root, or a kernel with CONFIG_TRACING", tracing, debug,
		   rbpf_errno_name(err), strerror(err));
	return NULL;
}

int rbpf_tracepoint_id(const char *cat, const char *name)
{
	const char *tfs = rbpf_tracefs();
	char path[512];
	long id;

	if (!tfs)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/events/%s/%s/id", tfs, cat, name);
	id = read_number(path);
	if (id == -ENOENT)
		return rbpf_error(ENOENT, "attach: no tracepoint %s/%s (%s does not exist; "
				  "see %s/available_events)", cat, name, path, tfs);
	if (id <= 0)
		return rbpf_error(id ? -id : EINVAL, "attach: tracepoint %s/%s: cannot read %s: %s",
				  cat, name, path, rbpf_errno_name(id));
	return (int)id;
}

/* ---------------------------------------------------------------- syscall functions */

int rbpf_syscall_fnname(const char *syscall, char *buf, size_t n)
{
	/* The prefix of this architecture first, then the plain name of kernels < 4.17. */
	static const char *const prefixes[] = {
#if defined(__x86_64__)
		"__x64_sys_",
#elif defined(__aarch64__)
		"__arm64_sys_",
#endif
		"sys_",
	};
	enum { NPREFIX = sizeof(prefixes) / sizeof(prefixes[0]) };
	char line[512], want[NPREFIX][128];
	int best = NPREFIX, i;
	FILE *f = fopen("/proc/kallsyms", "re");

	if (!f)
		return rbpf_error(errno, "attach: cannot open /proc/kallsyms to find syscall "
				  "%s: %s", syscall, strerror(errno));
	for (i = 0; i < NPREFIX; i++)
		snprintf(want[i], sizeof(want[i]), "%s%s", prefixes[i], syscall);
	/* Lines look like "ffffffff81234560 T __x64_sys_execve" (address 0 under lockdown). */
	while (best > 0 && fgets(line, sizeof(line), f)) {
		char sym[256];

		if (sscanf(line, "%*s %*s %255s", sym) != 1)
			continue;
		for (i = 0; i < best; i++)
			if (strcmp(sym, want[i]) == 0)
				best = i;
	}
	fclose(f);
	if (best == NPREFIX)
		return rbpf_error(ENOENT, "attach: no kernel function for syscall %s in "
				  "/proc/kallsyms (tried %s and %s)", syscall, want[0],
				  want[NPREFIX - 1]);
	if ((size_t)snprintf(buf, n, "%s", want[best]) >= n)
		return rbpf_error(ENAMETOOLONG, "attach: %s does not fit in %zu bytes",
				  want[best], n);
	return 0;
}

/* Is func a symbol in /proc/kallsyms?  Used only to explain a failed attach. */
static int kallsyms_has(const char *func)
{
	char line[512], sym[256];
	int found = 0;
	FILE *f = fopen("/proc/kallsyms", "re");

	if (!f)
		return 1;     /* cannot tell: do not claim it is missing */
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %255s", sym) == 1 && strcmp(sym, func) == 0;
	fclose(f);
	return found;
}

/* ------------------------------------------------------------------------- links */

static struct rbpf_link *link_new(enum link_kind kind)
{
	struct rbpf_link *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->kind = kind;
	l->fd = -1;
	l->perf_fd = -1;
	l->sock_fd = -1;
	return l;
}

/* Make fd -- a BPF link or raw tracepoint fd that is the whole attachment -- the link
 * in *out.  On failure fd is closed; `what` names the attachment in the message. */
static int link_own_fd(int fd, const char *what, struct rbpf_link **out)
{
	struct rbpf_link *l = link_new(LINK_FD);

	if (!l) {
		close(fd);
		return rbpf_error(ENOMEM, "attach: %s: out of memory", what);
	}
	l->fd = fd;
	*out = l;
	return 0;
}

int rbpf_perf_ioctl_only;

/*
 * Put prog_fd on perf event pfd and enable it.  Prefer a BPF link (the kernel then
 * detaches when the link fd is closed, and the link shows in `bpftool link`);
 * kernels before 5.15 do not know BPF_PERF_EVENT links and say EINVAL, so fall back
 * to the ioctl, which ties the program to the perf event fd itself.
 */
static int attach_to_perf_event(int prog_fd, int pfd, struct rbpf_link *l, const char *what)
{
	int lfd = -EINVAL;

	if (!rbpf_perf_ioctl_only)
		lfd = rbpf_link_create(prog_fd, pfd, BPF_PERF_EVENT, 0);

	if (lfd >= 0) {
		l->fd = lfd;
	} else if (lfd == -EINVAL || lfd == -EOPNOTSUPP || lfd == -ENOTSUP) {
		if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0)
			return rbpf_error(errno, "attach: %s: PERF_EVENT_IOC_SET_BPF with prog "
					  "fd=%d: %s (%s); is the program of the right type?",
					  what, prog_fd, rbpf_errno_name(errno), strerror(errno));
	} else {
		return rbpf_error(lfd, "attach: %s: BPF_LINK_CREATE(BPF_PERF_EVENT) prog "
				  "fd=%d: %s (%s); %s", what, prog_fd, rbpf_errno_name(lfd),
				  strerror(-lfd),
				  lfd == -EINVAL ? "is the program of the right type?"
						 : rbpf_errno_hint(lfd));
	}
	l->perf_fd = pfd;
	if (ioctl(pfd, PERF_EVENT_IOC_ENABLE, 0) < 0)
		return rbpf_error(errno, "attach: %s: PERF_EVENT_IOC_ENABLE: %s", what,
				  strerror(errno));
	return 0;
}

/* Open a perf event for tracepoint id (also a legacy kprobe's), one per system:
 * pid -1 with cpu 0 sees every CPU for a BPF program, which runs before the perf
 * event's own per-CPU filtering. */
static int open_tracepoint_event(int id, const char *what)
{
	struct perf_event_attr attr;
	int pfd;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = id;
	attr.sample_period = 1;
	attr.disabled = 1;
	pfd = rbpf_perf_event_open(&attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return rbpf_error(pfd, "attach: %s: perf_event_open(PERF_TYPE_TRACEPOINT, "
				  "config=%d): %s (%s); %s", what, id, rbpf_errno_name(pfd),
				  strerror(-pfd), rbpf_errno_hint(pfd));
	return pfd;
}

int rbpf_attach_tracepoint(int prog_fd, const char *cat, const char *name,
			   struct rbpf_link **out)
{
	char what[256];
	struct rbpf_link *l;
	int id, pfd, r;

	*out = NULL;
	id = rbpf_tracepoint_id(cat, name);
	if (id < 0)
		return id;
	snprintf(what, sizeof(what), "tracepoint %s/%s", cat, name);
	pfd = open_tracepoint_event(id, what);
	if (pfd < 0)
		return pfd;
	l = link_new(LINK_PERF);
	if (!l) {
		close(pfd);
		return rbpf_error(ENOMEM, "attach: %s: out of memory", what);
	}
	r = attach_to_perf_event(prog_fd, pfd, l, what);
	if (r < 0) {
		if (l->perf_fd < 0)
			close(pfd);
		link_free(l);
		return r;
	}
	*out = l;
	return 0;
}

int rbpf_attach_raw_tracepoint(int prog_fd, const char *name, struct rbpf_link **out)
{
	char what[160];
	int fd;

	*out = NULL;
	if (!name || !*name)        /* SEC("raw_tp/") loads, but names no tracepoint */
		return rbpf_error(EINVAL, "attach: raw tracepoint: no tracepoint name (the "
				  "section is \"raw_tp/\" with nothing after it): give one, "
				  "as in SEC(\"raw_tp/sys_enter\"), or attach it by hand");
	fd = rbpf_raw_tracepoint_open(name, prog_fd);
	if (fd < 0)
		return rbpf_error(fd, "attach: raw tracepoint %s: BPF_RAW_TRACEPOINT_OPEN prog "
				  "fd=%d: %s (%s); %s", name, prog_fd, rbpf_errno_name(fd),
				  strerror(-fd), fd == -ENOENT ? "no raw tracepoint of that name "
				  "(the names are those of events/*/NAME in tracefs)"
				  : rbpf_errno_hint(fd));
	snprintf(what, sizeof(what), "raw tracepoint %s", name);
	return link_own_fd(fd, what, out);
}

int rbpf_link_fd(const struct rbpf_link *l)
{
	return l->kind == LINK_SOCKET ? -1 : l->fd;
}

/* SO_DETACH_BPF takes no value, but setsockopt wants an int's worth of one. */
static int detach_socket(int sock_fd)
{
	int unused = 0;

	return setsockopt(sock_fd, SOL_SOCKET, SO_DETACH_BPF, &unused, sizeof(unused));
}

/* Free without reporting: the error paths' destroy.  Tolerates half-built links. */
static void link_free(struct rbpf_link *l)
{
	int keep = errno;
	char msg[4096];

	/* rbpf_link_destroy may overwrite the message the caller is about to return. */
	snprintf(msg, sizeof(msg), "%s", rbpf_errmsg());
	rbpf_link_destroy(l);
	rbpf_error(0, "%s", msg);
	errno = keep;
}

/*
 * Closing the fds is the detach.  What it costs, measured on this machine (6.18,
 * 2 CPUs, tracepoint sched/sched_process_exec, means of 10):
 *
 *   perf event + BPF link:  close(link) 22 ms, then close(perf event) 45 ms: 68 ms
 *   perf event + ioctl:     close(perf event) 65 ms
 *   raw tracepoint:         close(fd) 0.07 ms
 *   PERF_EVENT_IOC_DISABLE: 0.01 ms
 *
 * The tens of milliseconds are not CPU work (getrusage shows ~0 system time): close()
 * sleeps while the kernel waits out RCU grace periods, once to be sure no CPU still
 * runs the program before dropping it from the event's program array, and once more,
 * for the last perf user of a tracepoint, before unregistering from the tracepoint.
 * The order of the two closes, or link versus ioctl, changes nothing measurable.  A
 * raw tracepoint defers its freeing to an RCU callback instead, hence 0.07 ms.
 *
 * The cheapest correct path is therefore: PERF_EVENT_IOC_DISABLE first, which stops
 * the program at once (no event fires after it returns), then the closes, whose wait
 * is unavoidable -- the same wait happens at exit if we leave the fds open.  For a
 * short lesson that is most of its run time; raw tracepoints avoid it.
 */
int rbpf_link_destroy(struct rbpf_link *l)
{
	int err = 0;

	if (!l)
		return 0;
	if (l->perf_fd >= 0)
		ioctl(l->perf_fd, PERF_EVENT_IOC_DISABLE, 0);
	if (l->fd >= 0 && close(l->fd) < 0)
		err = rbpf_error(errno, "attach: closing link fd=%d: %s", l->fd, strerror(errno));
	if (l->perf_fd >= 0 && close(l->perf_fd) < 0 && !err)
		err = rbpf_error(errno, "attach: closing perf event fd=%d: %s", l->perf_fd,
				 strerror(errno));
	if (l->kind == LINK_SOCKET && l->sock_fd >= 0 && detach_socket(l->sock_fd) < 0 && !err)
		err = rbpf_error(errno, "attach: SO_DETACH_BPF on socket fd=%d: %s", l->sock_fd,
				 strerror(errno));
	if (l->kind == LINK_KPROBE_EVENT && l->probe[0]) {
		int r = kprobe_event_remove(l->probe);
		if (r < 0 && !err)
			err = r;
	}
	free(l);
	return err;
}

/* ------------------------------------------------------------------------ kprobes */
/*
 * Two ways in, tried in this order:
 *
 * 1. The kprobe PMU (4.17+).  sysfs publishes it as a perf event source; the probe is
 *    created by perf_event_open itself and dies with the fd, so nothing can be left
 *    behind.  attr.config1 carries a pointer to the function's name, config2 the
 *    offset in it, and the retprobe flag is the config bit that
 *    .../kprobe/format/retprobe names ("config:0").
 * 2. tracefs kprobe_events.  Appending "p:GROUP/NAME FUNC" ("r:" for a return probe)
 *    creates a trace event GROUP/NAME, which is then opened like a tracepoint.  That
 *    event outlives us: it is removed with "-:GROUP/NAME" on detach, and a process that
 *    was killed first leaves it behind, so each process sweeps away the rawbpf probes
 *    whose owner pid is gone before it adds its own.  The file is only ever appended
 *    to: opening it with O_TRUNC deletes every probe on the system, not just ours.
 */
#define KPROBE_PMU "/sys/bus/event_source/devices/kprobe"
#define PROBE_GROUP "rawbpf"

/* The bit number in "config:N" of format/retprobe, or -errno. */
static int kprobe_retprobe_bit(void)
{
	char buf[64];
	int bit, r = read_small(KPROBE_PMU "/format/retprobe", buf, sizeof(buf));

	if (r < 0)
		return r;
	if (sscanf(buf, "config:%d", &bit) != 1 || bit < 0 || bit > 63)
		return -EINVAL;
	return bit;
}

/* An attach error about func that the kernel answered with err: name the cause. */
static int kprobe_error(int err, const char *func, const char *how)
{
	if ((err == -ENOENT || err == -EINVAL) && !kallsyms_has(func))
		return rbpf_error(ENOENT, "attach: kprobe %s: no such kernel function (not in "
				  "/proc/kallsyms); %s said %s", func, how, rbpf_errno_name(err));
	return rbpf_error(err, "attach: kprobe %s: %s: %s (%s); %s", func, how,
			  rbpf_errno_name(err), strerror(-err),
			  err == -EINVAL ? "the function may be inlined, static or on the "
			  "blacklist (see kprobes/blacklist in debugfs)" : rbpf_errno_hint(err));
}

/* perf_event_open on the kprobe PMU.  Returns the perf fd or -errno (with message). */
static int kprobe_pmu_open(int type, const char *func, int retprobe)
{
	struct perf_event_attr attr;
	int bit, pfd;

	memset(&attr, 0, sizeof(attr));
	attr.type = type;
	attr.size = sizeof(attr);
	attr.config1 = (uint64_t)(uintptr_t)func;   /* kprobe_func: the name, by pointer */
	attr.config2 = 0;                           /* probe_offset into the function */
	attr.sample_period = 1;
	attr.disabled = 1;
	if (retprobe) {
		bit = kprobe_retprobe_bit();
		if (bit < 0)
			return rbpf_error(bit, "attach: kretprobe %s: cannot read "
					  "%s/format/retprobe", func, KPROBE_PMU);
		attr.config |= 1ULL << bit;
	}
	pfd = rbpf_perf_event_open(&attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return kprobe_error(pfd, func, "perf_event_open(kprobe PMU)");
	return pfd;
}

/* Write one command line to tracefs kprobe_events, appending.  0 or -errno. */
static int kprobe_events_write(const char *cmd)
{
	char path[256];
	ssize_t n;
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/kprobe_events", rbpf_tracefs());
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);     /* never O_TRUNC: see above */
	if (fd < 0)
		return -errno;
	n = write(fd, cmd, strlen(cmd));
	if (n < 0)
		r = -errno;
	close(fd);
	return r;
}

static int kprobe_event_remove(const char *probe)
{
	char cmd[128];
	int r;

	snprintf(cmd, sizeof(cmd), "-:%s", probe);
	r = kprobe_events_write(cmd);
	if (r < 0)
		return rbpf_error(r, "attach: removing kprobe event %s from kprobe_events: %s (%s)",
				  probe, rbpf_errno_name(r), strerror(-r));
	return 0;
}

/* Remove the rawbpf probes whose creating process no longer exists.  Lines read
 * "p:rawbpf/rbpf_1234_0_do_sys_open do_sys_open" ("r:" or "r16:" for retprobes).
 * The names are collected first and removed after the file is closed, so the list
 * is not edited under the reader.  (Up to 64 per start; the next start takes more.) */
static void kprobe_events_sweep(void)
{
	char path[256], line[512], stale[64][96];
	int pid, n = 0, i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/kprobe_events", rbpf_tracefs());
	f = fopen(path, "re");
	if (!f)
		return;
	while (n < 64 && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (!p || sscanf(p + 1, "%95s", stale[n]) != 1)
			continue;
		if (sscanf(stale[n], PROBE_GROUP "/rbpf_%d_", &pid) != 1)
			continue;
		if (kill(pid, 0) < 0 && errno == ESRCH)
			n++;
	}
	fclose(f);
	for (i = 0; i < n; i++)
		kprobe_event_remove(stale[i]);
}

/* A name no other probe has: group/rbpf_PID_SEQ_FUNC, FUNC's dots made underscores
 * (event names take letters, digits and '_'), FUNC cut to 39 characters so the event
 * name stays under the kernel's limit of 64. */
static void kprobe_event_name(char *buf, size_t n, const char *func)
{
	static int seq;
	char *p;
	int head = snprintf(buf, n, PROBE_GROUP "/rbpf_%d_%d_", getpid(),
			    __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED));

	snprintf(buf + head, n - head > 40 ? 40 : n - head, "%s", func);
	for (p = buf + head; *p; p++)
		if (!isalnum((unsigned char)*p))
			*p = '_';
}

/* Add a probe to kprobe_events and open it as a tracepoint.  Fills l->probe. */
static int kprobe_legacy_open(const char *func, int retprobe, struct rbpf_link *l)
{
	static int swept;
	char cmd[256], path[256], what[160];
	int r, id;

	if (!swept++)
		kprobe_events_sweep();
	kprobe_event_name(l->probe, sizeof(l->probe), func);
	snprintf(cmd, sizeof(cmd), "%c:%s %s", retprobe ? 'r' : 'p', l->probe, func);
	r = kprobe_events_write(cmd);
	if (r < 0) {
		l->probe[0] = '\0';
		return kprobe_error(r, func, "writing kprobe_events");
	}
	snprintf(path, sizeof(path), "%s/events/%s/id", rbpf_tracefs(), l->probe);
	id = (int)read_number(path);
	if (id < 0)
		return rbpf_error(id, "attach: kprobe %s: created %s but cannot read %s: %s",
				  func, l->probe, path, rbpf_errno_name(id));
	snprintf(what, sizeof(what), "kprobe %s (kprobe_events %s)", func, l->probe);
	return open_tracepoint_event(id, what);
}

int rbpf_kprobe_legacy_only;

int rbpf_attach_kprobe(int prog_fd, const char *func, int retprobe, struct rbpf_link **out)
{
	char what[160];
	struct rbpf_link *l;
	const char *tfs;
	long type = rbpf_kprobe_legacy_only ? -ENOENT : read_number(KPROBE_PMU "/type");
	int pfd, r;

	*out = NULL;
	l = link_new(type >= 0 ? LINK_PERF : LINK_KPROBE_EVENT);
	if (!l)
		return rbpf_error(ENOMEM, "attach: kprobe %s: out of memory", func);
	if (type >= 0) {
		pfd = kprobe_pmu_open((int)type, func, retprobe);
	} else if ((tfs = rbpf_tracefs()) && has_file(tfs, "kprobe_events")) {
		pfd = kprobe_legacy_open(func, retprobe, l);
	} else {
		free(l);
		return rbpf_error(EOPNOTSUPP, "attach: kprobe %s: this kernel has no kprobes (no "
				  "%s, no kprobe_events in tracefs: built without "
				  "CONFIG_KPROBE_EVENTS); attach a tracepoint instead", func,
				  KPROBE_PMU);
	}
	snprintf(what, sizeof(what), "%s %s", retprobe ? "kretprobe" : "kprobe", func);
	r = pfd < 0 ? pfd : attach_to_perf_event(prog_fd, pfd, l, what);
	if (r < 0) {
		if (pfd >= 0 && l->perf_fd < 0)
			close(pfd);
		link_free(l);
		return r;
	}
	*out = l;
	return 0;
}

/* A kprobe on the kernel function behind a system call ("execve" -> __x64_sys_execve
 * here), found when attaching -- the name depends on the architecture and the kernel
 * version, so it is read from this kernel's /proc/kallsyms, not guessed at build time. */
int rbpf_attach_ksyscall(int prog_fd, const char *syscall, int retprobe,
			 struct rbpf_link **out)
{
	char fn[128];
	int r = rbpf_syscall_fnname(syscall, fn, sizeof(fn));

	*out = NULL;
	return r < 0 ? r : rbpf_attach_kprobe(prog_fd, fn, retprobe, out);
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
	fd = rbpf_load_prog(&a, log);
	if (fd == -EPERM && geteuid() == 0)
		return rbpf_error(EPERM, "attach: %s %s: BPF_PROG_LOAD said EPERM (Operation not "
				  "permitted): %s", a.name, func, rbpf_tracing_eperm_hint());
	if (fd < 0)
		return rbpf_error_prefix(fd, "attach: %s %s (BTF id %d): ", a.name, func, id);
	return fd;
}

int rbpf_attach_fentry(int prog_fd, struct rbpf_link **out)
{
	int fd;

	*out = NULL;
	fd = rbpf_raw_tracepoint_open(NULL, prog_fd);
	if (fd < 0)
		return rbpf_error(fd, "attach: fentry/fexit prog fd=%d: BPF_RAW_TRACEPOINT_OPEN: "
				  "%s (%s); %s", prog_fd, rbpf_errno_name(fd), strerror(-fd),
				  fd == -EPERM && geteuid() == 0 ? rbpf_tracing_eperm_hint()
				  : rbpf_errno_hint(fd));
	return link_own_fd(fd, "fentry/fexit", out);
}

/* ------------------------------------------------------------ sockets and interfaces */

int rbpf_attach_socket(int prog_fd, int sock_fd, struct rbpf_link **out)
{
	struct rbpf_link *l;

	*out = NULL;
	if (setsockopt(sock_fd, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof(prog_fd)) < 0)
		return rbpf_error(errno, "attach: SO_ATTACH_BPF prog fd=%d on socket fd=%d: %s "
				  "(%s)%s", prog_fd, sock_fd, rbpf_errno_name(errno),
				  strerror(errno), errno == EINVAL ? "; is it a SOCKET_FILTER "
				  "program?" : "");
	l = link_new(LINK_SOCKET);
	if (!l) {
		detach_socket(sock_fd);
		return rbpf_error(ENOMEM, "attach: out of memory");
	}
	l->sock_fd = sock_fd;
	*out = l;
	return 0;
}

static const char *xdp_hint(int err)
{
	switch (-err) {
	case EINVAL:     return "kernels before 5.9 have no XDP links; or wrong program type";
	case EBUSY:      return "an XDP program is already attached (by another link or by "
				"netlink: `ip link set dev IF xdp off`)";
	case EOPNOTSUPP: return "the driver has no native XDP: try XDP_FLAGS_SKB_MODE";
	default:         return rbpf_errno_hint(err);
	}
}

int rbpf_attach_xdp(int prog_fd, const char *ifname, uint32_t flags, struct rbpf_link **out)
{
	unsigned ifindex = if_nametoindex(ifname);
	int fd;

	*out = NULL;
	if (!ifindex)
		return rbpf_error(ENODEV, "attach: xdp: no interface %s (%s)", ifname,
				  strerror(errno));
	fd = rbpf_link_create(prog_fd, (int)ifindex, BPF_XDP, flags);
	if (fd < 0)
		return rbpf_error(fd, "attach: xdp on %s (ifindex %u): BPF_LINK_CREATE: %s "
				  "(%s); %s", ifname, ifindex, rbpf_errno_name(fd),
				  strerror(-fd), xdp_hint(fd));
	return link_own_fd(fd, "xdp", out);
}

/* tcx attach types (6.6); the uapi headers of older distributions lack them. */
#define RBPF_TCX_INGRESS 46
#define RBPF_TCX_EGRESS  47

int rbpf_attach_tc(int prog_fd, const char *ifname, int egress, struct rbpf_link **out)
{
	unsigned ifindex = if_nametoindex(ifname);
	const char *dir = egress ? "egress" : "ingress";
	int fd;

	*out = NULL;
	if (!ifindex)
		return rbpf_error(ENODEV, "attach: tc: no interface %s (%s)", ifname,
				  strerror(errno));
	fd = rbpf_link_create(prog_fd, (int)ifindex,
			      egress ? RBPF_TCX_EGRESS : RBPF_TCX_INGRESS, 0);
	if (fd < 0)
		return rbpf_error(fd, "attach: tc %s on %s (ifindex %u): BPF_LINK_CREATE(tcx): "
				  "%s (%s); %s", dir, ifname, ifindex, rbpf_errno_name(fd),
				  strerror(-fd), fd == -EINVAL ? "tcx links need Linux 6.6+ and "
				  "a SCHED_CLS program; on older kernels attach with tc(8)"
				  : rbpf_errno_hint(fd));
	return link_own_fd(fd, "tc", out);
}
