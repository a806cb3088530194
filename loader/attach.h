/*
 * attach.h -- what an attachment is made of, shared by the attach files.  Internal
 * to the loader; the API sees an opaque struct rbpf_link.
 *
 *   link.c           the link: what it owns, and undoing it (rbpf_link_destroy)
 *   attach_trace.c   perf events for tracepoints; tracepoints, raw tracepoints, fentry
 *   attach_kprobe.c  kprobes: the kprobe PMU, else tracefs kprobe_events
 *   attach_net.c     socket filters, XDP, tc
 *   uprobe.c         uprobes: the uprobe PMU, else tracefs uprobe_events
 *   cgroup.c         cgroups, network namespaces, sockmaps
 *   iter.c           iterators;  perf_sample.c  sampling perf events
 *   attach.c         rbpf_prog_attach: a loaded program, attached as its section says
 */
#ifndef RBPF_ATTACH_H
#define RBPF_ATTACH_H

#include "rawbpf.h"

/* What a struct rbpf_link holds, by kind; rbpf_link_destroy undoes each. */
enum link_kind {
	LINK_FD,           /* fd alone is the attachment: raw tracepoint, BPF link */
	LINK_PERF,         /* a perf event (perf_fd), with a BPF link (fd) or the ioctl */
	LINK_KPROBE_EVENT, /* LINK_PERF on a probe we wrote to kprobe_events (probe) */
	LINK_SOCKET,       /* SO_ATTACH_BPF on sock_fd (not ours: we only detach) */
	LINK_UPROBE_EVENT, /* LINK_PERF on a probe we wrote to uprobe_events (probe) */
	LINK_PROG_ATTACH,  /* BPF_PROG_ATTACH of prog fd (a dup) to sock_fd (a dup of the
			    * target: a sockmap) as attach_type; BPF_PROG_DETACH undoes it */
};

struct rbpf_link {
	enum link_kind kind;
	int fd;              /* link fd, raw tracepoint fd, or -1 (ioctl attachment) */
	int perf_fd;         /* the perf event, or -1 */
	int sock_fd;         /* LINK_SOCKET: the caller's socket */
	char probe[96];      /* "rawbpf/rbpf_PID_N_FUNC" in kprobe_events, or "" */
	uint32_t attach_type;    /* LINK_PROG_ATTACH */
	const struct rbpf_prog *prog;   /* rbpf_prog_attach: the program that runs */
	char what[160];      /* rbpf_prog_attach: "kprobe on __x64_sys_execve" */
	char note[224];      /* rbpf_prog_attach: the fallback it took, or "" */
};

/* link.c */
struct rbpf_link *link_new(enum link_kind kind);
/* Make fd -- a BPF link or raw tracepoint fd that is the whole attachment -- the link
 * in *out.  On failure fd is closed; `what` names the attachment in the message. */
int link_own_fd(int fd, const char *what, struct rbpf_link **out);
/* Free without reporting: the error paths' destroy (keeps errno and the message). */
void link_free(struct rbpf_link *l);
/* SO_DETACH_BPF on a socket; 0 or -1 with errno. */
int link_detach_socket(int sock_fd);
/* BPF_PROG_ATTACH prog_fd to target_fd (both dup'ed, kept) as type; destroying the
 * link is BPF_PROG_DETACH.  For targets with no BPF link here (sockmaps). */
int link_prog_attach(int prog_fd, int target_fd, uint32_t type, const char *what,
		     struct rbpf_link **out);

/* attach_trace.c: put prog_fd on perf event pfd and enable it (a BPF link, else the
 * ioctl); l->perf_fd = pfd once it is on. */
int attach_perf_event(int prog_fd, int pfd, struct rbpf_link *l, const char *what);
/* A perf event for tracepoint (or kprobe_events probe) id; fd or -errno. */
int attach_tracepoint_event(int id, const char *what);
/* The same for one process (pid >= 0, any CPU), or every one (pid -1). */
int attach_tracepoint_event_pid(int id, int pid, const char *what);
/* Put prog_fd on perf event pfd (taken over: closed on failure) and make the link.
 * uprobe_event: the "GROUP/NAME" written to uprobe_events for it (removed on
 * destroy, and on failure here), or NULL. */
int link_perf_own(int prog_fd, int pfd, const char *what, const char *uprobe_event,
		  struct rbpf_link **out);

#endif
