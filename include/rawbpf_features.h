/*
 * rawbpf_features.h -- what the running kernel can do (features.c) and the one
 * fallback the system call layer takes by itself (memlock.c).  Included by rawbpf.h.
 */
#ifndef RAWBPF_FEATURES_H
#define RAWBPF_FEATURES_H

/* Kernels before 5.11 charge maps and programs to RLIMIT_MEMLOCK (memlock.c).
 * rbpf_memlock_raise: raise the soft limit (sys.c does it after an EPERM), 0 if it
 * went up.  rbpf_memlock_was_raised: how many times this process raised it. */
int rbpf_memlock_raise(void);
int rbpf_memlock_was_raised(void);

/* What this kernel can do, probed (features.c).  rbpf_feature: 1 yes, 0 no, -errno
 * could not tell.  The info names the feature, the upstream version that brought it,
 * and what the course does without it. */
enum rbpf_feature {
	RBPF_FEAT_RINGBUF, RBPF_FEAT_MEMCG, RBPF_FEAT_ATOMICS, RBPF_FEAT_HASH_LOOKUP_DELETE,
	RBPF_FEAT_PERF_LINK, RBPF_FEAT_TRACE_VPRINTK, RBPF_FEAT_BPF_LOOP, RBPF_FEAT_LOG_TRUE_SIZE, RBPF_FEAT_TCX,
	RBPF_FEAT_BTF_MMAP, RBPF_FEAT_COUNT
};
struct rbpf_feature_info {
	const char *name;        /* short, for doctor and SKIP lines */
	const char *since;       /* upstream version, e.g. "5.15" */
	int (*probe)(void);
	const char *what;        /* what it is */
	const char *without;     /* what the course does on a kernel without it */
};
int rbpf_feature(enum rbpf_feature f);
const struct rbpf_feature_info *rbpf_feature_info(enum rbpf_feature f);

#endif
