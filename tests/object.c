/*
 * object.c -- the ELF loader against the running kernel: each map style and
 * relocation kind from a small object in tests/bpf/, loaded and run with
 * BPF_PROG_TEST_RUN so the relocated program proves it reaches the right map,
 * byte and subprogram.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rawbpf.h"
#include "test.h"

static struct rbpf_object *open_obj(const char *name)
{
	struct rbpf_object *obj;
	char rel[128];

	snprintf(rel, sizeof(rel), "tests/bpf/%s.bpf.o", name);
	ASSERT_OK(rbpf_object_open(test_path(rel), &obj));
	return obj;
}

/* Run a loaded program once on a 64-byte packet; its return value. */
static uint32_t run_prog(struct rbpf_object *obj, const char *prog)
{
	struct rbpf_prog *p = rbpf_object_find_prog(obj, prog);
	unsigned char pkt[64] = { 0 };
	struct rbpf_test_run_args a = { .data_in = pkt, .data_size_in = sizeof(pkt),
					.repeat = 1 };

	ASSERT_TRUE(p != NULL, "no program %s", prog);
	ASSERT_OK(rbpf_prog_test_run(rbpf_prog_fd(p), &a));
	return a.retval;
}

static uint64_t lookup_u64(struct rbpf_object *obj, const char *map, uint32_t key)
{
	struct rbpf_map *m = rbpf_object_find_map(obj, map);
	uint64_t v = 0;

	ASSERT_TRUE(m != NULL, "no map %s", map);
	ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(m), &key, &v, 0));
	return v;
}

TEST(obj_btf_maps)
{
	struct rbpf_object *obj;
	struct rbpf_map *m;

	NEED_ROOT();
	obj = open_obj("elf_btfmap");
	m = rbpf_object_find_map(obj, "counts");
	ASSERT_TRUE(m != NULL, "map counts");
	ASSERT(BPF_MAP_TYPE_HASH, rbpf_map_type(m));
	ASSERT(4, rbpf_map_key_size(m));
	ASSERT(8, rbpf_map_value_size(m));
	ASSERT(16, rbpf_map_max_entries(m));
	m = rbpf_object_find_map(obj, "last");       /* key_size/value_size as numbers */
	ASSERT(BPF_MAP_TYPE_ARRAY, rbpf_map_type(m));
	ASSERT(8, rbpf_map_value_size(m));
	ASSERT(4, rbpf_map_max_entries(m));
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(XDP_PASS, run_prog(obj, "count_runs"));
	run_prog(obj, "count_runs");
	run_prog(obj, "count_runs");
	ASSERT(3, lookup_u64(obj, "counts", 0));
	ASSERT(3, lookup_u64(obj, "last", 0));
	rbpf_object_close(obj);
}

TEST(obj_legacy_maps)
{
	struct rbpf_object *obj;
	struct rbpf_map *m;
	uint32_t k = 1, v32 = 0;

	NEED_ROOT();
	obj = open_obj("elf_legacy");
	m = rbpf_object_find_map(obj, "second");
	ASSERT_TRUE(m != NULL, "map second");
	ASSERT(BPF_MAP_TYPE_HASH, rbpf_map_type(m));
	ASSERT(8, rbpf_map_max_entries(m));
	ASSERT(0, rbpf_object_load(obj, 0));
	run_prog(obj, "legacy");
	ASSERT(9, lookup_u64(obj, "second", 1));
	m = rbpf_object_find_map(obj, "first");
	ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(m), &k, &v32, 0));
	ASSERT(7, v32);
	rbpf_object_close(obj);
}

TEST(obj_global_data)
{
	struct rbpf_object *obj;
	struct rbpf_map *ro;
	uint32_t zero = 0, *factor;
	uint64_t buf[8] = { 0 };
	size_t size;

	NEED_ROOT();
	obj = open_obj("elf_globals");
	ro = rbpf_object_find_map(obj, ".rodata");
	ASSERT_TRUE(ro != NULL, "map .rodata");
	ASSERT(BPF_F_RDONLY_PROG, rbpf_map_flags(ro));
	factor = rbpf_map_initial_value(ro, &size);
	ASSERT(4, size);
	ASSERT(3, *factor);
	*factor = 5;                                 /* a constant set before load */
	ASSERT_TRUE(rbpf_object_find_map(obj, ".rodata.str1.1") != NULL, "string literals map");
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(5 + 6, run_prog(obj, "globals"));
	ASSERT(105, lookup_u64(obj, ".data", 0));    /* total = 100 + factor */
	ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(obj, ".bss")),
				       &zero, buf, 0));
	ASSERT_TRUE(buf[0] == 1 || buf[1] == 1, ".bss runs counter is 1");
	/* frozen: user space can no longer write .rodata */
	ASSERT(-EPERM, rbpf_map_update_elem(rbpf_map_fd(ro), &zero, &zero, 0));
	rbpf_object_close(obj);
}

TEST(obj_subprograms)
{
	struct rbpf_object *obj;
	const struct bpf_insn *in;
	uint32_t cnt, i;

	NEED_ROOT();
	obj = open_obj("elf_subprog");
	/* each entry program carries its own subprograms: every call stays inside it */
	in = rbpf_prog_insns(rbpf_object_find_prog(obj, "sub_second"), &cnt);
	for (i = 0; i < cnt; i++)
		if (in[i].code == (BPF_JMP | BPF_CALL) && in[i].src_reg == BPF_PSEUDO_CALL)
			ASSERT_TRUE((int64_t)i + in[i].imm + 1 < cnt && (int64_t)i + in[i].imm + 1 > 0,
				    "call at %u leads to %d", i, i + in[i].imm + 1);
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(7, run_prog(obj, "sub_first"));
	ASSERT(21, run_prog(obj, "sub_second"));
	rbpf_object_close(obj);
}

TEST(obj_tail_call_initial_values)
{
	struct rbpf_object *obj;

	NEED_ROOT();
	obj = open_obj("elf_tailcall");
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(42, run_prog(obj, "entry"));
	rbpf_object_close(obj);
}

TEST(obj_reject_keeps_going)
{
	struct rbpf_object *obj;
	struct rbpf_prog *bad, *good;

	NEED_ROOT();
	obj = open_obj("elf_reject");
	ASSERT(-EACCES, rbpf_object_load(obj, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), "bad_null");
	ASSERT_CONTAINS(rbpf_errmsg(), "map_value_or_null");
	bad = rbpf_object_find_prog(obj, "bad_null");
	good = rbpf_object_find_prog(obj, "good");
	ASSERT(-1, rbpf_prog_fd(bad));
	ASSERT_CONTAINS(rbpf_prog_log(bad), "invalid mem access");
	ASSERT_OK(rbpf_prog_fd(good));
	ASSERT(XDP_PASS, run_prog(obj, "good"));
	rbpf_object_close(obj);
}
