/*
 * ptypes_btf.c -- lsm/ and freplace/ programs (tests/bpf/ptypes_btf.bpf.c).  An LSM
 * program loads with the BTF id of bpf_lsm_HOOK and, where the kernel allows it
 * (this development kernel refuses it with EPERM, as it refuses fentry: SKIP with
 * that reason; the lab VM runs it when its boot list has "bpf"), attaches and sees
 * this process open a file.  freplace is refused with what it would need.
 */
#include <fcntl.h>
#include <unistd.h>

#include "common.h"

#define OBJ "tests/bpf/ptypes_btf.bpf.o"

TEST(ptypes_lsm_counts_opens)
{
	struct rbpf_object *o;
	struct rbpf_link *l;
	struct rbpf_prog *p;
	uint32_t zero = 0;
	uint64_t n = 0;
	size_t size;
	int r, fd;

	NEED_ROOT();
	if (!strstr(test_slurp("/sys/kernel/security/lsm"), "bpf"))
		SKIP("the BPF LSM is not active here (no \"bpf\" in /sys/kernel/security/lsm: "
		     "the kernel's lsm= list)");
	ASSERT_OK(rbpf_object_open(test_path(OBJ), &o));
	rbpf_prog_set_autoload(rbpf_object_find_prog(o, "replacement"), 0);
	*(uint32_t *)rbpf_map_initial_value(rbpf_object_find_map(o, ".bss"), &size) = getpid();
	p = rbpf_object_find_prog(o, "count_open");
	ASSERT(BPF_PROG_TYPE_LSM, rbpf_prog_type(p));
	ASSERT(BPF_LSM_MAC, rbpf_prog_expected_attach_type(p));
	r = rbpf_object_load(o, 0);
	if (r == -EPERM) {
		rbpf_object_close(o);
		SKIP("this kernel refuses lsm programs with EPERM, as it refuses fentry "
		     "(explained in the message); the lab VM runs them");
	}
	ASSERT_OK(r);
	ASSERT_OK(rbpf_prog_attach(p, NULL, &l));
	fd = open("/proc/self/stat", O_RDONLY);
	ASSERT_TRUE(fd >= 0, "open: %s", strerror(errno));
	close(fd);
	ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(o, "opens")), &zero,
				       &n, 0));
	rbpf_link_destroy(l);
	rbpf_object_close(o);
	ASSERT_TRUE(n >= 1, "the LSM hook saw %llu opens of ours", (unsigned long long)n);
}

TEST(ptypes_freplace_refused_with_reason)
{
	struct rbpf_object *o;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path(OBJ), &o));
	rbpf_prog_set_autoload(rbpf_object_find_prog(o, "count_open"), 0);
	ASSERT(-ENOTSUP, rbpf_object_load(o, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), "freplace programs are loaded against the program "
			"whose function they replace");
	rbpf_object_close(o);
}
