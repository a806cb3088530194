/*
 * map_of_maps.c -- ARRAY_OF_MAPS and HASH_OF_MAPS from an object
 * (tests/bpf/map_of_maps.bpf.c): the outer maps hold the inner maps named in their
 * initial values (read back as map ids), the program reaches the inner maps through
 * them, the translated code is libbpf's, and an initial value of the wrong shape
 * is refused with what differs.
 */
#include <stdlib.h>
#include <unistd.h>

#include "common.h"
#include "xlated.h"

#define OBJ "tests/bpf/map_of_maps.bpf.o"

static uint32_t map_id(int fd)
{
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info);

	ASSERT(0, rbpf_obj_get_info_by_fd(fd, &info, &len));
	return info.id;
}

static int fd_of(struct rbpf_object *o, const char *name)
{
	struct rbpf_map *m = rbpf_object_find_map(o, name);

	ASSERT_TRUE(m != NULL, "no map %s", name);
	return rbpf_map_fd(m);
}

TEST(mim_outer_holds_inner_maps)
{
	struct rbpf_object *o;
	uint32_t k, id;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path(OBJ), &o));
	ASSERT_OK(rbpf_object_load(o, 0));
	ASSERT(BPF_MAP_TYPE_ARRAY_OF_MAPS, rbpf_map_type(rbpf_object_find_map(o, "outer")));
	ASSERT(4, rbpf_map_value_size(rbpf_object_find_map(o, "outer")));
	k = 0;
	ASSERT(0, rbpf_map_lookup_elem(fd_of(o, "outer"), &k, &id, 0));
	ASSERT(map_id(fd_of(o, "inner_a")), id);
	k = 1;
	ASSERT(0, rbpf_map_lookup_elem(fd_of(o, "outer"), &k, &id, 0));
	ASSERT(map_id(fd_of(o, "inner_b")), id);
	k = 3;
	ASSERT(0, rbpf_map_lookup_elem(fd_of(o, "outer_hash"), &k, &id, 0));
	ASSERT(map_id(fd_of(o, "inner_b")), id);
	k = 0;
	ASSERT(-ENOENT, rbpf_map_lookup_elem(fd_of(o, "outer_hash"), &k, &id, 0));
	rbpf_object_close(o);
}

TEST(mim_program_reaches_inner_maps)
{
	struct rbpf_object *o;
	uint32_t zero = 0;
	uint64_t v;
	int i;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path(OBJ), &o));
	ASSERT_OK(rbpf_object_load(o, 0));
	for (i = 0; i < 3; i++)
		test_run_xdp_pass(rbpf_prog_fd(rbpf_object_find_prog(o, "mim_count")), 1);
	ASSERT(0, rbpf_map_lookup_elem(fd_of(o, "inner_a"), &zero, &v, 0));
	ASSERT(3, v);
	ASSERT(0, rbpf_map_lookup_elem(fd_of(o, "inner_b"), &zero, &v, 0));
	ASSERT(300, v);
	rbpf_object_close(o);
}

TEST(mim_same_xlated_as_libbpf)
{
	struct rbpf_object *o;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path(OBJ), &o));
	ASSERT_OK(rbpf_object_load(o, 0));
	ASSERT(1, test_same_xlated_as_libbpf(test_path(OBJ), o, ""));
	rbpf_object_close(o);
}

TEST(mim_mismatched_inner_refused)
{
	struct rbpf_object *o;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path("tests/bpf/map_of_maps_bad.bpf.o"), &o));
	ASSERT(-EINVAL, rbpf_object_load(o, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), "map outer: initial value narrow does not match its "
			"inner map's definition: its value size differs");
	rbpf_object_close(o);
}

TEST(mim_missing_inner_definition)
{
	struct rbpf_object *o;

	ASSERT(-EINVAL, rbpf_object_open(test_path("tests/bpf/map_of_maps_noinner.bpf.o"), &o));
	ASSERT_CONTAINS(rbpf_errmsg(), "map lonely: a map of maps needs its inner map's "
			"definition: declare __array(values, struct {...})");
}
