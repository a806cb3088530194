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
 * EPERM and the soft limit is finite, raise it (to unlimited when we may, else to
 * the hard limit) and ask once more.  sys.c calls rbpf_memlock_raise() for that, only
 * after the kernel refused, so on 5.11+ it never runs; once the limit is as high as
 * it goes there is nothing to raise and the EPERM stands.  A caller without the privilege to raise it gets the first
 * EPERM back unchanged.
 *
 * Which way a kernel counts is features.c's "memcg" question: with the soft limit at
 * 0 for a moment, does creating a one-entry array need a raise?
 */
#include <errno.h>
#include <sys/resource.h>

#include "rawbpf.h"

static int raised;     /* how many times this process raised the limit */

int rbpf_memlock_raise(void)
{
	struct rlimit r, all = { RLIM_INFINITY, RLIM_INFINITY };

	if (getrlimit(RLIMIT_MEMLOCK, &r) != 0 || r.rlim_cur == RLIM_INFINITY)
		return -EPERM;
	if (setrlimit(RLIMIT_MEMLOCK, &all) != 0) {
		if (r.rlim_max == r.rlim_cur)
			return -EPERM;
		r.rlim_cur = r.rlim_max;   /* an unprivileged caller may go up to the hard limit */
		if (setrlimit(RLIMIT_MEMLOCK, &r) != 0)
			return -errno;
	}
	raised++;
	return 0;
}

int rbpf_memlock_was_raised(void)
{
	return raised;
}
