/*
 * cmd/ref.c -- `ID` or `pinned PATH`: the two ways the rawbpf command names a
 * program or map the kernel holds, as bpftool does.
 *
 * An id is global and is turned into an fd with BPF_PROG_GET_FD_BY_ID or
 * BPF_MAP_GET_FD_BY_ID (CAP_SYS_ADMIN).  A pin is a file in a BPF file system
 * (bpffs); BPF_OBJ_GET on its path gives a new fd for whatever object it holds.
 * Either way the verb then has an fd and goes down one code path.
 *
 * BPF_OBJ_GET does not say what kind of object it found, and the info struct that
 * BPF_OBJ_GET_INFO_BY_FD fills depends on the kind, so a map pinned where a program
 * was expected must be caught before: the fd's link in /proc/self/fd names its
 * anonymous inode, "anon_inode:bpf-prog", "anon_inode:bpf-map", "anon_inode:bpf_link"
 * (fs/anon_inodes.c names; bpf_link with an underscore).
 *
 * When BPF_OBJ_GET fails the kernel's answer is short -- EACCES for a path that is
 * not a pin, be it a bpffs directory or a file elsewhere -- so the path is looked at
 * afterwards (stat, statfs) to say which, in words.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "rawbpf.h"
#include "cmd.h"
#include "ref.h"

int ref_parse(int argc, char **argv, struct obj_ref *ref)
{
	unsigned long id;
	char *end;

	memset(ref, 0, sizeof(*ref));
	if (argc >= 2 && !strcmp(argv[0], "pinned")) {
		if (!*argv[1])
			return 0;
		ref->path = argv[1];
		return 2;
	}
	if (argc < 1 || !*argv[0] || *argv[0] == '-')
		return 0;
	errno = 0;
	id = strtoul(argv[0], &end, 10);
	if (*end || errno || id > UINT32_MAX)
		return 0;
	ref->id = id;
	return 1;
}

const char *ref_name(const struct obj_ref *ref)
{
	static char buf[4200];

	if (ref->path)
		snprintf(buf, sizeof(buf), "%s", ref->path);
	else
		snprintf(buf, sizeof(buf), "id %u", ref->id);
	return buf;
}

/* Why BPF_OBJ_GET refused `path` with `err`, in words. */
static int explain_get(const char *what, const char *path, int err)
{
	struct statfs fs;
	struct stat st;

	if (err == -ENOENT)
		return rbpf_error(err, "%s: pinned %s: BPF_OBJ_GET: ENOENT: no such file (nothing is "
				  "pinned there; `ls` the directory)", what, path);
	if (err == -EACCES && statfs(path, &fs) == 0 && fs.f_type != BPF_FS_MAGIC)
		return rbpf_error(err, "%s: pinned %s: BPF_OBJ_GET: EACCES: not in a BPF file system "
				  "(statfs type 0x%lx); pins live only in a bpffs, such as "
				  "/sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf)", what,
				  path, (unsigned long)fs.f_type);
	if (err == -EACCES && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return rbpf_error(err, "%s: pinned %s: BPF_OBJ_GET: EACCES: a directory of the bpffs, "
				  "not a pin; name a file in it", what, path);
	return rbpf_error(err, "%s: pinned %s: BPF_OBJ_GET: %s%s%s", what, path,
			  rbpf_errno_name(err), *rbpf_errno_hint(err) ? ": " : "", rbpf_errno_hint(err));
}

/* "bpf-prog", "bpf-map", "bpf_link"... for an fd; "" if /proc cannot tell. */
static const char *fd_kind(int fd, char *buf, size_t n)
{
	char link[64];
	ssize_t len;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, buf, n - 1);
	if (len < 0)
		return "";
	buf[len] = 0;
	return strncmp(buf, "anon_inode:", 11) ? buf : buf + 11;
}

static int open_pinned(const char *path, enum ref_kind kind)
{
	const char *what = kind == REF_PROG ? "prog" : "map", *got;
	char buf[256], want[16];
	int fd = rbpf_obj_get(path);

	if (fd < 0)
		return explain_get(what, path, fd);
	snprintf(want, sizeof(want), "bpf-%s", what);
	got = fd_kind(fd, buf, sizeof(buf));
	if (*got && strcmp(got, want)) {
		close(fd);
		return rbpf_error(EINVAL, "%s: pinned %s holds a %s, not a %s%s", what, path, got,
				  want, !strcmp(got, "bpf-map") ? " (see `rawbpf map`)" :
				  !strcmp(got, "bpf-prog") ? " (see `rawbpf prog`)" : "");
	}
	return fd;
}

int ref_open(const struct obj_ref *ref, enum ref_kind kind)
{
	const char *what = kind == REF_PROG ? "prog" : "map";
	int fd;

	if (ref->path)
		return open_pinned(ref->path, kind);
	fd = kind == REF_PROG ? rbpf_prog_get_fd_by_id(ref->id) : rbpf_map_get_fd_by_id(ref->id);
	if (fd < 0)
		return rbpf_error(fd, "%s: no fd for id %u: %s%s%s", what, ref->id,
				  rbpf_errno_name(fd), *rbpf_errno_hint(fd) ? ": " : "",
				  rbpf_errno_hint(fd));
	return fd;
}

int ref_fail(const struct obj_ref *ref, int (*usage)(void))
{
	cmd_fail(1);
	return ref->path ? usage() : 1;
}

/* ------------------------------------------------------------- type names
 * The names bpftool prints, indexed by enum bpf_prog_type / bpf_map_type; a type
 * newer than these tables prints as "typeN". */
static const char *const prog_types[] = {
	"unspec", "socket_filter", "kprobe", "sched_cls", "sched_act", "tracepoint",
	"xdp", "perf_event", "cgroup_skb", "cgroup_sock", "lwt_in", "lwt_out",
	"lwt_xmit", "sock_ops", "sk_skb", "cgroup_device", "sk_msg", "raw_tracepoint",
	"cgroup_sock_addr", "lwt_seg6local", "lirc_mode2", "sk_reuseport",
	"flow_dissector", "cgroup_sysctl", "raw_tracepoint_writable", "cgroup_sockopt",
	"tracing", "struct_ops", "ext", "lsm", "sk_lookup", "syscall", "netfilter",
};

const char *prog_type_name(uint32_t t, char *buf, size_t n)
{
	if (t < sizeof(prog_types) / sizeof(prog_types[0]))
		return prog_types[t];
	snprintf(buf, n, "type%u", t);
	return buf;
}

static const char *const map_types[] = {
	"unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash",
	"percpu_array", "stack_trace", "cgroup_array", "lru_hash", "lru_percpu_hash",
	"lpm_trie", "array_of_maps", "hash_of_maps", "devmap", "sockmap", "cpumap",
	"xskmap", "sockhash", "cgroup_storage", "reuseport_sockarray",
	"percpu_cgroup_storage", "queue", "stack", "sk_storage", "devmap_hash",
	"struct_ops", "ringbuf", "inode_storage", "task_storage", "bloom_filter",
	"user_ringbuf", "cgrp_storage", "arena",
};

const char *map_type_name(uint32_t t, char *buf, size_t n)
{
	if (t < sizeof(map_types) / sizeof(map_types[0]))
		return map_types[t];
	snprintf(buf, n, "type%u", t);
	return buf;
}
