/*
 * uprobe_multi.c -- uprobe.multi (6.6+): one link on every function of a file whose
 * name matches a pattern (tests/bpf/uprobe_multi.bpf.c, on this runner's own
 * rbpf_umulti_a and rbpf_umulti_b), attached as its section says, for this process.
 * Kernels before 6.6 (the lab VM's 6.1) have no such link: SKIP.
 */
#include <stdlib.h>
#include <unistd.h>

#include "common.h"

__attribute__((noinline, used)) int rbpf_umulti_a(int x)
{
	__asm__ volatile("" ::: "memory");
	return x + 1;
}

__attribute__((noinline, used)) int rbpf_umulti_b(int x)
{
	__asm__ volatile("" ::: "memory");
	return x + 2;
}

TEST(uprobe_multi_matches_functions)
{
	const char *self = test_self();
	uint64_t *offs;
	uint32_t n;

	ASSERT(0, rbpf_elf_funcs_matching(self, "rbpf_umulti_*", &offs, &n));
	ASSERT(2, n);
	ASSERT_TRUE(offs[0] != offs[1], "one offset twice");
	free(offs);
	ASSERT(-ENOENT, rbpf_elf_funcs_matching(self, "rbpf_no_such_*", &offs, &n));
	ASSERT_CONTAINS(rbpf_errmsg(), "no function matches rbpf_no_such_*");
}

TEST(uprobe_multi_counts_calls)
{
	struct rbpf_attach_opts o = { .pid = getpid() };
	struct rbpf_object *obj;
	struct rbpf_link *l;
	struct rbpf_prog *p;
	volatile int s = 0;
	uint32_t key = getpid();
	uint64_t v = 0;
	int r, i;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path("tests/bpf/uprobe_multi.bpf.o"), &obj));
	ASSERT_OK(rbpf_object_load(obj, 0));
	p = rbpf_object_find_prog(obj, "on_any");
	ASSERT(RBPF_ATTACH_UPROBE_MULTI, rbpf_prog_attach_kind(p));
	r = rbpf_prog_attach(p, &o, &l);
	if (r == -EINVAL && strstr(rbpf_errmsg(), "6.6+")) {
		rbpf_object_close(obj);
		SKIP("no uprobe.multi links on this kernel (6.6+)");
	}
	ASSERT_OK(r);
	for (i = 0; i < 2; i++)
		s += rbpf_umulti_a(i);
	for (i = 0; i < 3; i++)
		s += rbpf_umulti_b(i);
	ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(obj, "hits")), &key,
				       &v, 0));
	ASSERT(5, v);
	ASSERT(0, rbpf_link_destroy(l));
	rbpf_object_close(obj);
	(void)s;
}
