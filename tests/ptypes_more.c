/*
 * ptypes_more.c -- the rest of libbpf's section names (tests/bpf/ptypes_more.bpf.c,
 * one minimal program per name): each loads with rawbpf, as the program type the
 * name says, with the same translated code as libbpf's (bpftool prog loadall).
 */
#include "common.h"
#include "xlated.h"

#define OBJ "tests/bpf/ptypes_more.bpf.o"

TEST(ptypes_more_names_load_like_libbpf)
{
	static const struct { const char *prog; enum bpf_prog_type type; } some[] = {
		{ "m_dev", BPF_PROG_TYPE_CGROUP_DEVICE },
		{ "m_migrate", BPF_PROG_TYPE_SK_REUSEPORT },
		{ "m_frags", BPF_PROG_TYPE_XDP },
		{ "m_lwt_xmit", BPF_PROG_TYPE_LWT_XMIT },
		{ "m_action", BPF_PROG_TYPE_SCHED_ACT },
		{ "m_sleepable", BPF_PROG_TYPE_KPROBE },
	};
	struct rbpf_object *o;
	size_t i;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path(OBJ), &o));
	ASSERT_OK(rbpf_object_load(o, 0));
	for (i = 0; i < sizeof(some) / sizeof(some[0]); i++)
		ASSERT(some[i].type, rbpf_prog_type(rbpf_object_find_prog(o, some[i].prog)));
	ASSERT(BPF_XDP_DEVMAP, rbpf_prog_expected_attach_type(rbpf_object_find_prog(o,
											"m_devmap")));
	ASSERT(28, test_same_xlated_as_libbpf(test_path(OBJ), o, ""));
	rbpf_object_close(o);
}
