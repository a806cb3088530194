/*
 * ptypes_hooks.h -- the few entry points the program types of issue 16 (uprobes,
 * iterators, cgroups, ...) need from attach.c, whose struct rbpf_link is private to
 * it.  Internal to the loader.  (Temporary seam: once the architecture split gives
 * links a file of their own, these move there.)
 */
#ifndef RBPF_PTYPES_HOOKS_H
#define RBPF_PTYPES_HOOKS_H

#include "rawbpf.h"

/* Put prog_fd on perf event pfd (taken over: closed on failure) and make the link.
 * uprobe_event: the "GROUP/NAME" we wrote to uprobe_events for it (removed on
 * destroy, and on failure here), or NULL. */
int rbpf__link_perf(int prog_fd, int pfd, const char *what, const char *uprobe_event,
		    struct rbpf_link **out);
/* A link that is fd alone (a BPF link); fd is closed on failure. */
int rbpf__link_own_fd(int fd, const char *what, struct rbpf_link **out);
/* perf_event_open of tracepoint id: every process (pid -1) or one. */
int rbpf__tracepoint_event(int id, int pid, const char *what);
/* BPF_PROG_ATTACH prog_fd to target_fd (both dup'ed, kept) as type; the link's
 * destroy is BPF_PROG_DETACH.  For targets that have no BPF link here (sockmaps). */
int rbpf__link_prog_attach(int prog_fd, int target_fd, uint32_t type, const char *what,
			   struct rbpf_link **out);
/* uprobe.c: write "-:GROUP/NAME" to uprobe_events. */
int rbpf__uprobe_event_remove(const char *probe);

#endif
