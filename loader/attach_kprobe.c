/*
 * attach_kprobe.c -- kprobes: a program on (almost) any kernel function.
 *
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
 *
 * A kernel built without kprobes (CONFIG_KPROBES off, like the course's development
 * machines) has neither: the attach says so with -EOPNOTSUPP, and rbpf_prog_attach
 * (attach.c) takes the tracepoint twin when the object has one.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "kernel.h"

#define KPROBE_PMU "/sys/bus/event_source/devices/kprobe"
#define PROBE_GROUP "rawbpf"

/* The bit number in "config:N" of format/retprobe, or -errno. */
static int kprobe_retprobe_bit(void)
{
	char buf[64];
	int bit, r = kfile_read(KPROBE_PMU "/format/retprobe", buf, sizeof(buf));

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
		tracefs_kprobe_remove(stale[i]);
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
	r = tracefs_kprobe_write(cmd);
	if (r < 0) {
		l->probe[0] = '\0';
		return kprobe_error(r, func, "writing kprobe_events");
	}
	snprintf(path, sizeof(path), "%s/events/%s/id", rbpf_tracefs(), l->probe);
	id = (int)kfile_number(path);
	if (id < 0)
		return rbpf_error(id, "attach: kprobe %s: created %s but cannot read %s: %s",
				  func, l->probe, path, rbpf_errno_name(id));
	snprintf(what, sizeof(what), "kprobe %s (kprobe_events %s)", func, l->probe);
	return attach_tracepoint_event(id, what);
}

int rbpf_kprobe_legacy_only;

int rbpf_attach_kprobe(int prog_fd, const char *func, int retprobe, struct rbpf_link **out)
{
	char what[160];
	struct rbpf_link *l;
	const char *tfs;
	long type = rbpf_kprobe_legacy_only ? -ENOENT : kfile_number(KPROBE_PMU "/type");
	int pfd, r;

	*out = NULL;
	l = link_new(type >= 0 ? LINK_PERF : LINK_KPROBE_EVENT);
	if (!l)
		return rbpf_error(ENOMEM, "attach: kprobe %s: out of memory", func);
	if (type >= 0) {
		pfd = kprobe_pmu_open((int)type, func, retprobe);
	} else if ((tfs = rbpf_tracefs()) && tracefs_has(tfs, "kprobe_events")) {
		pfd = kprobe_legacy_open(func, retprobe, l);
	} else {
		free(l);
		return rbpf_error(EOPNOTSUPP, "attach: kprobe %s: this kernel has no kprobes (no "
				  "%s, no kprobe_events in tracefs: built without "
				  "CONFIG_KPROBE_EVENTS); attach a tracepoint instead", func,
				  KPROBE_PMU);
	}
	snprintf(what, sizeof(what), "%s %s", retprobe ? "kretprobe" : "kprobe", func);
	r = pfd < 0 ? pfd : attach_perf_event(prog_fd, pfd, l, what);
	if (r < 0) {
		if (pfd >= 0 && l->perf_fd < 0)
			close(pfd);
		link_free(l);
		return r;
	}
	*out = l;
	return 0;
}
