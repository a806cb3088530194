/*
 * xlated.c -- same translated code as libbpf (see xlated.h).
 *
 * The translated code (BPF_OBJ_GET_INFO_BY_FD's xlated_prog_insns) is what the
 * verifier made of the program: helper calls resolved, map references turned into
 * map ids (src_reg 1) or map value addresses (src_reg 2, offset in the second
 * half).  Two loaders that gave the kernel the same program get the same
 * translated code but for those ids, which are masked before comparing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common.h"
#include "xlated.h"

/* The translated instructions of prog fd (malloc'd), *n of them. */
static struct bpf_insn *xlated(int fd, uint32_t *n)
{
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info);
	struct bpf_insn *x;

	ASSERT(0, rbpf_obj_get_info_by_fd(fd, &info, &len));
	*n = info.xlated_prog_len / sizeof(*x);
	x = calloc(*n + 1, sizeof(*x));
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = *n * sizeof(*x);
	info.xlated_prog_insns = (uint64_t)(unsigned long)x;
	len = sizeof(info);
	ASSERT(0, rbpf_obj_get_info_by_fd(fd, &info, &len));
	return x;
}

static void mask_maps(struct bpf_insn *x, uint32_t n)
{
	uint32_t i;

	for (i = 0; i + 1 < n; i++)
		if (x[i].code == (BPF_LD | BPF_IMM | BPF_DW)) {
			if (x[i].src_reg == BPF_PSEUDO_MAP_FD || x[i].src_reg == BPF_PSEUDO_MAP_VALUE)
				x[i].imm = 0;
			if (x[i].src_reg == BPF_PSEUDO_MAP_FD)
				x[i + 1].imm = 0;
			i++;
		}
}

/* The first index where a and b differ, or -1. */
static long first_difference(const struct bpf_insn *a, uint32_t na, const struct bpf_insn *b,
			     uint32_t nb)
{
	uint32_t i;

	for (i = 0; i < na && i < nb; i++)
		if (memcmp(&a[i], &b[i], sizeof(*a)))
			return i;
	return na == nb ? -1 : (long)i;
}

int test_same_xlated_as_libbpf(const char *path, const struct rbpf_object *ours,
			       const char *extra)
{
	const struct rbpf_prog *p = NULL;
	struct bpf_insn *a, *b;
	uint32_t na, nb;
	char dir[128], pin[256], *out;
	int st, n = 0, fd;
	long d;

	if (system("bpftool version >/dev/null 2>&1") != 0)
		SKIP("no bpftool (tests/deps.sh test installs it)");
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/rbpf_xlated_%d", getpid());
	out = test_run_cmd(&st, "bpftool prog loadall %s %s %s 2>&1", path, dir, extra);
	if (st != 0) {
		free(test_run_cmd(&st, "rm -rf %s", dir));
		FAIL("bpftool prog loadall %s (libbpf) failed:\n%s", path, test_excerpt(out));
	}
	free(out);
	while ((p = rbpf_object_next_prog(ours, p))) {
		if (rbpf_prog_fd(p) < 0)
			continue;
		snprintf(pin, sizeof(pin), "%s/%s", dir, rbpf_prog_name(p));
		fd = rbpf_obj_get(pin);
		ASSERT_TRUE(fd >= 0, "libbpf has no program %s (%s)", rbpf_prog_name(p), pin);
		a = xlated(rbpf_prog_fd(p), &na);
		b = xlated(fd, &nb);
		close(fd);
		mask_maps(a, na);
		mask_maps(b, nb);
		d = first_difference(a, na, b, nb);
		free(a), free(b);
		if (d >= 0)
			free(test_run_cmd(&st, "rm -rf %s", dir));
		ASSERT_TRUE(d < 0, "%s: program %s: translated code differs from libbpf's at "
			    "instruction %ld (rawbpf %u insns, libbpf %u)", path,
			    rbpf_prog_name(p), d, na, nb);
		n++;
	}
	free(test_run_cmd(&st, "rm -rf %s", dir));
	return n;
}
