/*
 * memlock.c -- what kernels before 5.11 charge BPF memory to: RLIMIT_MEMLOCK.
 *
 * Until 5.11 every map and every program was charged against the locked-memory
 * limit of the user who created it (RLIMIT_MEMLOCK, "ulimit -l").  That limit is
 * small by default -- 64 KiB on a 5.10 kernel booted without systemd's help, and on
 * Debian 11 -- so a single hash map of a few thousand entries fails with EPERM,
 * the same errno as a missing privilege.  From 5.11 on, BPF memory is charged to the
 * memory cgroup instead and the rlimit plays no part.
 *
 * The fallback, on the older kernels only: when BPF_MAP_CREATE or BPF_PROG_LOAD says
 * EPERM and the soft limit is finite, raise it (to the hard limit, or to unlimited
 * when we may) and ask once more.  sys.c calls rbpf_memlock_raise() for that; it
 * changes the limit at most once per process, and only after the kernel refused, so
 * on 5.11+ it never runs.  A caller without the privilege to raise it gets the first
 * EPERM back unchanged.
 *
 * rbpf_memlock_charged() is the question `rawbpf doctor` asks: with the soft limit
 * set to 0 for a moment, can we still create a one-entry array?  Yes: the kernel
 * charges the memory cgroup (5.11+).  EPERM: it charges RLIMIT_MEMLOCK.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#include "rawbpf.h"

static int raised;     /* the limit was raised once already: no second attempt */

int rbpf_memlock_raise(void)
{
	struct rlimit r;

	if (raised || getrlimit(RLIMIT_MEMLOCK, &r) != 0 || r.rlim_cur == RLIM_INFINITY)
		return -EPERM;
	raised = 1;
	{
		struct rlimit all = { RLIM_INFINITY, RLIM_INFINITY };

		if (setrlimit(RLIMIT_MEMLOCK, &all) == 0)
			return 0;
	}
	if (r.rlim_max == r.rlim_cur)
		return -EPERM;
	r.rlim_cur = r.rlim_max;        /* an unprivileged caller may go up to the hard limit */
	return setrlimit(RLIMIT_MEMLOCK, &r) == 0 ? 0 : -errno;
}

int rbpf_memlock_was_raised(void)
{
	return raised;
}

int rbpf_memlock_charged(void)
{
	union bpf_attr attr;
	struct rlimit old, zero;
	long fd;
	int err;

	if (getrlimit(RLIMIT_MEMLOCK, &old) != 0)
		return -errno;
	zero = old;
	zero.rlim_cur = 0;
	if (setrlimit(RLIMIT_MEMLOCK, &zero) != 0)
		return -errno;
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	fd = syscall(__NR_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	err = fd < 0 ? errno : 0;
	setrlimit(RLIMIT_MEMLOCK, &old);
	if (fd >= 0) {
		close((int)fd);
		return 0;
	}
	return err == EPERM ? 1 : -err;
}
