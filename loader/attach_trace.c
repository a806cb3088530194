/*
 * attach_trace.c -- tracepoints, raw tracepoints and fentry/fexit: the trace events
 * the kernel already has, and the perf event door that kprobes share.
 *
 *   tracepoint      tracefs tells the event's id (events/CAT/NAME/id); a perf event
 *                   of PERF_TYPE_TRACEPOINT with config = id is opened, and the program
 *                   is put on that perf event.
 *   raw tracepoint  one bpf() command, BPF_RAW_TRACEPOINT_OPEN, returns an fd that is
 *                   the attachment.  fentry/fexit use the same command without a name:
 *                   their target (a BTF id) was fixed when the program was loaded
 *                   (rbpf_load_fentry, load.c; or the object's own load).
 *
 * "Putting a program on a perf event" is itself two doors: BPF_LINK_CREATE with attach
 * type BPF_PERF_EVENT (5.15+), which gives a link fd, or the older
 * ioctl(PERF_EVENT_IOC_SET_BPF).  We try the link first and fall back to the ioctl.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "attach.h"
#include "kernel.h"

int rbpf_perf_ioctl_only;

/*
 * Put prog_fd on perf event pfd and enable it.  Prefer a BPF link (the kernel then
 * detaches when the link fd is closed, and the link shows in `bpftool link`);
 * kernels before 5.15 do not know BPF_PERF_EVENT links and say EINVAL, so fall back
 * to the ioctl, which ties the program to the perf event fd itself.
 */
int attach_perf_event(int prog_fd, int pfd, struct rbpf_link *l, const char *what)
{
	int lfd = -EINVAL;

	if (!rbpf_perf_ioctl_only)
		lfd = rbpf_link_create(prog_fd, pfd, BPF_PERF_EVENT, NULL);

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
int attach_tracepoint_event(int id, const char *what)
{
	return attach_tracepoint_event_pid(id, -1, what);
}

/* Every process: pid -1 with cpu 0 sees every CPU for a BPF program, which runs
 * before the perf event's own per-CPU filtering.  One process: pid, any CPU. */
int attach_tracepoint_event_pid(int id, int pid, const char *what)
{
	struct perf_event_attr attr;
	int pfd;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = id;
	attr.sample_period = 1;
	attr.disabled = 1;
	pfd = rbpf_perf_event_open(&attr, pid, pid < 0 ? 0 : -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return rbpf_error(pfd, "attach: %s: perf_event_open(PERF_TYPE_TRACEPOINT, "
				  "config=%d, pid %d): %s (%s); %s", what, id, pid,
				  rbpf_errno_name(pfd), strerror(-pfd), pfd == -ESRCH ?
				  "no such process" : rbpf_errno_hint(pfd));
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
	pfd = attach_tracepoint_event(id, what);
	if (pfd < 0)
		return pfd;
	l = link_new(LINK_PERF);
	if (!l) {
		close(pfd);
		return rbpf_error(ENOMEM, "attach: %s: out of memory", what);
	}
	r = attach_perf_event(prog_fd, pfd, l, what);
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

/* uprobes and samplers: a perf event of theirs, made into a link (attach.h). */
int link_perf_own(int prog_fd, int pfd, const char *what, const char *uprobe_event,
		  struct rbpf_link **out)
{
	struct rbpf_link *l = link_new(uprobe_event ? LINK_UPROBE_EVENT : LINK_PERF);
	int r;

	*out = NULL;
	if (!l) {
		close(pfd);
		if (uprobe_event)
			tracefs_uprobe_remove(uprobe_event);
		return rbpf_error(ENOMEM, "attach: %s: out of memory", what);
	}
	if (uprobe_event)
		snprintf(l->probe, sizeof(l->probe), "%s", uprobe_event);
	if ((r = attach_perf_event(prog_fd, pfd, l, what)) < 0) {
		if (l->perf_fd < 0)
			close(pfd);
		link_free(l);
		return r;
	}
	*out = l;
	return 0;
}
