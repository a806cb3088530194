/*
 * ptypes_more.c -- the rest of libbpf's section names (tests/bpf/ptypes_more.bpf.c,
 * one minimal program per name): each loads with rawbpf, as the program type the
 * name says, with the same translated code as libbpf's (bpftool prog loadall).
 */
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "xlated.h"

#define OBJ "tests/bpf/ptypes_more.bpf.o"

/* The sections whose program a kernel may not have yet: each is tried on its own
 * where the whole object is refused, and named with the version that brought it. */
static const struct { const char *prog, *what; } newer[] = {
	{ "m_migrate", "sk_reuseport/migrate (BPF_SK_REUSEPORT_SELECT_OR_MIGRATE) came in "
		       "Linux 5.14" },
	{ "m_frags", "xdp.frags (BPF_F_XDP_HAS_FRAGS) came in Linux 5.18" },
	{ "m_sleepable", "sleepable uprobes (uprobe.s) came in Linux 6.0" },
};
#define NNEWER (sizeof(newer) / sizeof(newer[0]))

/* The object opened with the newer programs' autoload off, except `keep` (-1: none). */
static struct rbpf_object *open_without_newer(int keep)
{
	struct rbpf_object *o;
	size_t i;

	ASSERT_OK(rbpf_object_open(test_path(OBJ), &o));
	for (i = 0; i < NNEWER; i++)
		if ((int)i != keep)
			rbpf_prog_set_autoload(rbpf_object_find_prog(o, newer[i].prog), 0);
	return o;
}

/* A kernel that refuses the whole object: the rest loads without the newer ones,
 * and each newer one that does not load alone is named. */
static void skip_naming_the_newer(void)
{
	char missing[512] = "";
	struct rbpf_object *o = open_without_newer(-1);
	size_t i;

	ASSERT_OK(rbpf_object_load(o, 0));
	ASSERT(BPF_PROG_TYPE_CGROUP_DEVICE, rbpf_prog_type(rbpf_object_find_prog(o, "m_dev")));
	rbpf_object_close(o);
	for (i = 0; i < NNEWER; i++) {
		o = open_without_newer((int)i);
		if (rbpf_object_load(o, 0) < 0)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
				 "%s%s", *missing ? "; " : "", newer[i].what);
		rbpf_object_close(o);
	}
	ASSERT_TRUE(*missing, "the whole object was refused, each newer program alone loads");
	SKIP("the older sections load; %s; this is %s", missing, test_kernel_release());
}

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
	if (rbpf_object_load(o, 0) < 0) {
		rbpf_object_close(o);
		skip_naming_the_newer();
	}
	for (i = 0; i < sizeof(some) / sizeof(some[0]); i++)
		ASSERT(some[i].type, rbpf_prog_type(rbpf_object_find_prog(o, some[i].prog)));
	ASSERT(BPF_XDP_DEVMAP, rbpf_prog_expected_attach_type(rbpf_object_find_prog(o,
											"m_devmap")));
	ASSERT(28, test_same_xlated_as_libbpf(test_path(OBJ), o, ""));
	rbpf_object_close(o);
}
