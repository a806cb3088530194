/*
 * xlated.h -- the oracle for new program types (tests/xlated.c): the same object
 * loaded by libbpf (bpftool prog loadall) and by rawbpf must give the kernel the
 * same translated code, map ids aside.
 */
#ifndef TEST_XLATED_H
#define TEST_XLATED_H

#include "rawbpf.h"

/* Load the object at path (already loaded by rawbpf as `ours`) with bpftool prog
 * loadall into a bpffs directory of the test's own, and compare the translated
 * instructions of each of our loaded programs with libbpf's program of the same
 * name, map ids masked.  Fails the test on a difference; SKIPs without bpftool.
 * extra: more bpftool arguments (e.g. "type xdp"), or "".  Returns the number of
 * programs compared. */
int test_same_xlated_as_libbpf(const char *path, const struct rbpf_object *ours,
			       const char *extra);

#endif
