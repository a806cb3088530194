/*
 * link.c -- one attachment, whatever its kind, and how it is undone.
 *
 * Each way into the kernel leaves something different to hold: a BPF link fd, a
 * raw tracepoint fd, a perf event (with a link or with the program set on it by
 * ioctl), a probe written into kprobe_events or uprobe_events, a socket with a
 * filter on it, a program attached to a sockmap by BPF_PROG_ATTACH.  A
 * struct rbpf_link (attach.h) holds whichever it is, and rbpf_link_destroy undoes
 * any of them in the right order.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "attach.h"
#include "kernel.h"

struct rbpf_link *link_new(enum link_kind kind)
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

int link_own_fd(int fd, const char *what, struct rbpf_link **out)
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

int rbpf_link_fd(const struct rbpf_link *l)
{
	return l->kind == LINK_SOCKET || l->kind == LINK_PROG_ATTACH ? -1 : l->fd;
}

/* SO_DETACH_BPF takes no value, but setsockopt wants an int's worth of one. */
int link_detach_socket(int sock_fd)
{
	int unused = 0;

	return setsockopt(sock_fd, SOL_SOCKET, SO_DETACH_BPF, &unused, sizeof(unused));
}

/* Tolerates half-built links. */
void link_free(struct rbpf_link *l)
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
	if (l->kind == LINK_PROG_ATTACH && l->fd >= 0 && l->sock_fd >= 0 &&
	    (err = rbpf_bpf_prog_detach(l->fd, l->sock_fd, l->attach_type)) < 0)
		err = rbpf_error(err, "attach: BPF_PROG_DETACH of prog fd=%d from fd=%d: %s",
				 l->fd, l->sock_fd, strerror(-err));
	if (l->kind == LINK_PROG_ATTACH && l->sock_fd >= 0)
		close(l->sock_fd);
	if (l->fd >= 0 && close(l->fd) < 0)
		err = rbpf_error(errno, "attach: closing link fd=%d: %s", l->fd, strerror(errno));
	if (l->perf_fd >= 0 && close(l->perf_fd) < 0 && !err)
		err = rbpf_error(errno, "attach: closing perf event fd=%d: %s", l->perf_fd,
				 strerror(errno));
	if (l->kind == LINK_SOCKET && l->sock_fd >= 0 && link_detach_socket(l->sock_fd) < 0 && !err)
		err = rbpf_error(errno, "attach: SO_DETACH_BPF on socket fd=%d: %s", l->sock_fd,
				 strerror(errno));
	if ((l->kind == LINK_KPROBE_EVENT || l->kind == LINK_UPROBE_EVENT) && l->probe[0]) {
		int r = l->kind == LINK_KPROBE_EVENT ? tracefs_kprobe_remove(l->probe) :
			tracefs_uprobe_remove(l->probe);
		if (r < 0 && !err)
			err = r;
	}
	free(l);
	return err;
}

const struct rbpf_prog *rbpf_link_prog(const struct rbpf_link *l) { return l->prog; }
const char *rbpf_link_what(const struct rbpf_link *l) { return l->what; }
const char *rbpf_link_note(const struct rbpf_link *l) { return l->note; }

int link_prog_attach(int prog_fd, int target_fd, uint32_t type, const char *what,
		     struct rbpf_link **out)
{
	struct rbpf_link *l = link_new(LINK_PROG_ATTACH);
	int r;

	*out = NULL;
	if (!l)
		return rbpf_error(ENOMEM, "attach: %s: out of memory", what);
	l->attach_type = type;
	l->fd = fcntl(prog_fd, F_DUPFD_CLOEXEC, 0);
	l->sock_fd = fcntl(target_fd, F_DUPFD_CLOEXEC, 0);
	if (l->fd < 0 || l->sock_fd < 0) {
		r = rbpf_error(errno, "attach: %s: dup: %s", what, strerror(errno));
		link_free(l);
		return r;
	}
	if ((r = rbpf_bpf_prog_attach(l->fd, l->sock_fd, type, 0)) < 0) {
		r = rbpf_error(r, "attach: %s: BPF_PROG_ATTACH (attach type %u): %s (%s); %s",
			       what, type, rbpf_errno_name(r), strerror(-r), r == -EINVAL ?
			       "is the program of the type this target takes?" :
			       rbpf_errno_hint(r));
		close(l->sock_fd), l->sock_fd = -1;   /* nothing to detach */
		link_free(l);
		return r;
	}
	*out = l;
	return 0;
}
