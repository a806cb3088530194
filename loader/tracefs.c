/*
 * tracefs.c -- the tracing filesystem: where it is, a tracepoint's id, and the
 * kprobe_events file.
 *
 * tracefs is where the kernel lists its trace events (events/CAT/NAME/, each with
 * an `id` that perf_event_open takes), hands out trace_pipe (tracepipe.c), and lets
 * root add kprobes by writing a line into kprobe_events.  It lives at
 * /sys/kernel/tracing since 4.1, and inside debugfs before that; when neither is
 * mounted we mount it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kernel.h"
#include "rawbpf.h"

int tracefs_has(const char *dir, const char *name)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

static int has_events(const char *dir)
{
	return tracefs_has(dir, "events");
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
	id = kfile_number(path);
	if (id == -ENOENT)
		return rbpf_error(ENOENT, "attach: no tracepoint %s/%s (%s does not exist; "
				  "see %s/available_events)", cat, name, path, tfs);
	if (id <= 0)
		return rbpf_error(id ? -id : EINVAL, "attach: tracepoint %s/%s: cannot read %s: %s",
				  cat, name, path, rbpf_errno_name(id));
	return (int)id;
}

int tracefs_kprobe_write(const char *cmd)
{
	char path[256];
	ssize_t n;
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/kprobe_events", rbpf_tracefs());
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);     /* never O_TRUNC: see kernel.h */
	if (fd < 0)
		return -errno;
	n = write(fd, cmd, strlen(cmd));
	if (n < 0)
		r = -errno;
	close(fd);
	return r;
}

int tracefs_kprobe_remove(const char *probe)
{
	char cmd[128];
	int r;

	snprintf(cmd, sizeof(cmd), "-:%s", probe);
	r = tracefs_kprobe_write(cmd);
	if (r < 0)
		return rbpf_error(r, "attach: removing kprobe event %s from kprobe_events: %s (%s)",
				  probe, rbpf_errno_name(r), strerror(-r));
	return 0;
}

/* The same two for uprobe_events (uprobe.c's fallback). */
int tracefs_uprobe_write(const char *cmd)
{
	char path[256];
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/uprobe_events", rbpf_tracefs());
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);     /* never O_TRUNC: see kernel.h */
	if (fd < 0)
		return -errno;
	if (write(fd, cmd, strlen(cmd)) < 0)
		r = -errno;
	close(fd);
	return r;
}

int tracefs_uprobe_remove(const char *probe)
{
	char cmd[128];
	int r;

	snprintf(cmd, sizeof(cmd), "-:%s", probe);
	if ((r = tracefs_uprobe_write(cmd)) < 0)
		return rbpf_error(r, "attach: removing uprobe event %s from uprobe_events: %s "
				  "(%s)", probe, rbpf_errno_name(r), strerror(-r));
	return 0;
}
