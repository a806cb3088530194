/*
 * cgroup.c -- programs attached to a cgroup, and to the other holders of sockets:
 * network namespaces and sockmaps.
 *
 * cgroup programs (cgroup_skb/ingress, cgroup/connect4, sockops, cgroup/sysctl, ...)
 * run for the processes of a cgroup v2 directory and of every cgroup below it:
 * a packet sent by a socket of such a process, a connect(), a sysctl read.  The
 * attach point is the directory itself, opened as a file: BPF_LINK_CREATE with
 * target_fd = that fd and attach type = the program's expected attach type (5.7+);
 * the link lives as long as its fd.
 *
 * Where is cgroup v2?  Usually /sys/fs/cgroup, but a "hybrid" system (v1
 * controllers beside it) mounts it at /sys/fs/cgroup/unified: the mount table
 * (/proc/self/mountinfo) says, so it is read there, never assumed.  A cgroup given
 * without a leading '/' is taken under that mount.
 *
 * sk_lookup and flow_dissector programs attach to a network namespace (its
 * /proc/PID/ns/net file, opened) by link too.  sk_msg and sk_skb programs attach to
 * a SOCKMAP or SOCKHASH map -- every socket stored in it then runs them -- which
 * has no BPF link before 6.10, so BPF_PROG_ATTACH / BPF_PROG_DETACH are used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawbpf.h"
#include "attach.h"

/* Undo mountinfo's octal escapes (\040 for a blank) in place. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++, o++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o = *s;
		}
	}
	*o = 0;
}

int rbpf_cgroup2_mount(char *buf, size_t n)
{
	char line[4096], mnt[4096], *sep;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = 0;

	if (!f)
		return rbpf_error(errno, "cgroup: cannot read /proc/self/mountinfo: %s",
				  strerror(errno));
	/* "36 25 0:31 / /sys/fs/cgroup/unified rw,... shared:9 - cgroup2 cgroup2 rw,..." */
	while (!found && fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - ");
		found = sep && !strncmp(sep + 3, "cgroup2 ", 8) &&
			sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1;
	}
	fclose(f);
	if (!found)
		return rbpf_error(ENOENT, "cgroup: no cgroup2 file system in /proc/self/mountinfo "
				  "(mount one: mount -t cgroup2 none /sys/fs/cgroup)");
	unescape(mnt);
	if ((size_t)snprintf(buf, n, "%s", mnt) >= n)
		return rbpf_error(ENAMETOOLONG, "cgroup: mount point %s is too long", mnt);
	return 0;
}

/* Open cgroup (absolute, or relative to the cgroup2 mount) as a directory. */
static int open_cgroup(const char *cgroup, char *path, size_t n)
{
	char root[4096];
	int fd, r;

	if (cgroup[0] == '/') {
		snprintf(path, n, "%s", cgroup);
	} else {
		if ((r = rbpf_cgroup2_mount(root, sizeof(root))) < 0)
			return r;
		snprintf(path, n, "%s/%s", root, cgroup);
	}
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return rbpf_error(errno, "cgroup: cannot open %s: %s", path, strerror(errno));
	return fd;
}

int rbpf_attach_cgroup(int prog_fd, const char *cgroup, enum bpf_attach_type type,
		       struct rbpf_link **out)
{
	char path[4200], what[4300];
	int cg, fd;

	*out = NULL;
	if ((cg = open_cgroup(cgroup, path, sizeof(path))) < 0)
		return cg;
	fd = rbpf_link_create(prog_fd, cg, type, NULL);
	close(cg);
	if (fd < 0)
		return rbpf_error(fd, "attach: cgroup %s (attach type %u): BPF_LINK_CREATE: %s "
				  "(%s); %s", path, type, rbpf_errno_name(fd), strerror(-fd),
				  fd == -EBADF || fd == -EINVAL ? "is it a cgroup v2 directory, "
				  "and the program loaded for this attach type?" :
				  rbpf_errno_hint(fd));
	snprintf(what, sizeof(what), "cgroup %s", path);
	return link_own_fd(fd, what, out);
}

int rbpf_attach_netns(int prog_fd, const char *netns, enum bpf_attach_type type,
		      struct rbpf_link **out)
{
	const char *path = netns ? netns : "/proc/self/ns/net";
	int ns = open(path, O_RDONLY | O_CLOEXEC), fd;

	*out = NULL;
	if (ns < 0)
		return rbpf_error(errno, "attach: network namespace %s: %s", path, strerror(errno));
	fd = rbpf_link_create(prog_fd, ns, type, NULL);
	close(ns);
	if (fd < 0)
		return rbpf_error(fd, "attach: network namespace %s (attach type %u): "
				  "BPF_LINK_CREATE: %s (%s); %s", path, type, rbpf_errno_name(fd),
				  strerror(-fd), fd == -EEXIST ? "a program of this kind is "
				  "already attached there (one flow dissector per namespace)" :
				  rbpf_errno_hint(fd));
	return link_own_fd(fd, "network namespace", out);
}

int rbpf_attach_sockmap(int prog_fd, int map_fd, enum bpf_attach_type type,
			struct rbpf_link **out)
{
	char what[64];

	snprintf(what, sizeof(what), "sockmap fd=%d", map_fd);
	return link_prog_attach(prog_fd, map_fd, type, what, out);
}
