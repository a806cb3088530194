/*
 * refusals.c -- what a load that cannot be done leaves behind (nothing) and what it
 * says (the parameter, section or map that is wrong, by name).
 *
 * Pins are checked in a bpffs directory of the test's own; the command's runs rely
 * on the run's private bpffs at /sys/fs/bpf (tests/guard.c), so their by-name pins
 * can never meet another copy of the suite's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static struct rbpf_object *open_test_obj(const char *name)
{
	struct rbpf_object *obj;

	ASSERT_OK(rbpf_object_open(test_path(test_fmt("tests/bpf/%s.bpf.o", name)), &obj));
	return obj;
}

/* DIR (n bytes): a fresh directory of this test's own under /sys/fs/bpf. */
static void own_bpffs_dir(char *dir, size_t n, const char *tag)
{
	struct stat st;

	NEED_ROOT();
	if (stat("/sys/fs/bpf", &st) != 0)
		SKIP("no /sys/fs/bpf");
	snprintf(dir, n, "/sys/fs/bpf/rbpf_%s_%d", tag, (int)getpid());
	ASSERT_TRUE(mkdir(dir, 0700) == 0, "mkdir %s: %s", dir, strerror(errno));
}

/* `rawbpf ARGS` with /sys/fs/bpf a bpffs of the run's own (tests/guard.c mounts one
 * for the whole run, in a mount namespace of its own), then what it holds (ls -A),
 * after a line "rc=N" with the command's exit status. */
static char *run_in_private_bpffs(const char *args)
{
	char *out;
	int st;

	NEED_ROOT();
	if (!test_private_bpffs)
		SKIP("the run has no bpffs of its own: by-name pins would meet other users'");
	out = test_run_cmd(&st, "%s %s >/dev/null 2>&1; echo rc=$?; ls -A /sys/fs/bpf",
			   test_path("rawbpf"), args);
	ASSERT_TRUE(st == 0, "ls /sys/fs/bpf failed:\n%s", out);
	return out;
}

/* A rejected program's load removes the by-name pin it made, and leaves alone the
 * one that was there before it. */
TEST(refuse_failed_load_removes_its_pins)
{
	struct rbpf_object *obj;
	char dir[128], pin[160];
	struct stat st;
	int old;

	own_bpffs_dir(dir, sizeof(dir), "pinrej");
	old = test_map_create(BPF_MAP_TYPE_HASH, "pinrej_old", 4, 8, 1);
	ASSERT(0, rbpf_obj_pin(old, test_fmt("%s/rbpf_pinrej_old", dir)));
	close(old);
	obj = open_test_obj("elf_pin_reject");
	ASSERT(0, rbpf_object_set_pin_root(obj, dir));
	ASSERT(-EACCES, rbpf_object_load(obj, 0));
	snprintf(pin, sizeof(pin), "%s/rbpf_pinrej_new", dir);
	ASSERT_TRUE(stat(pin, &st) != 0, "the failed load left its pin %s", pin);
	ASSERT(0, stat(test_fmt("%s/rbpf_pinrej_old", dir), &st));
	rbpf_object_close(obj);
	ASSERT(0, unlink(test_fmt("%s/rbpf_pinrej_old", dir)));
	ASSERT(0, rmdir(dir));
}

/* rbpf_object_pin is all or nothing: when a program's pin fails, the map pins it
 * made before are taken back. */
TEST(refuse_pin_all_or_nothing)
{
	struct rbpf_object *obj;
	char dir[128], pin[160];
	struct stat st;
	int squat;

	own_bpffs_dir(dir, sizeof(dir), "pinall");
	obj = open_test_obj("elf_reject");
	rbpf_prog_set_autoload(rbpf_object_find_prog(obj, "bad_null"), 0);
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(0, mkdir(test_fmt("%s/progs", dir), 0700));
	squat = test_map_create(BPF_MAP_TYPE_ARRAY, "pinall_squat", 4, 4, 1);
	ASSERT(0, rbpf_obj_pin(squat, test_fmt("%s/progs/good", dir)));
	close(squat);
	ASSERT(-EEXIST, rbpf_object_pin(obj, dir));
	ASSERT_CONTAINS(rbpf_errmsg(), "something is pinned there already");
	snprintf(pin, sizeof(pin), "%s/maps/vals", dir);
	ASSERT_TRUE(stat(pin, &st) != 0, "a failed rbpf_object_pin left %s", pin);
	rbpf_object_close(obj);
	ASSERT(0, unlink(test_fmt("%s/progs/good", dir)));
	ASSERT(0, rmdir(test_fmt("%s/progs", dir)));
	ASSERT(0, rmdir(dir));
}

/* The command: `rawbpf load` of that object exits 1 and pins nothing; `rawbpf
 * verify` of an object with a by-name pin pins nothing at all. */
TEST(refuse_cmd_load_and_verify_leave_no_pin)
{
	char *out = run_in_private_bpffs(test_fmt("load %s",
					 test_path("tests/bpf/elf_pin_reject.bpf.o")));

	ASSERT_CONTAINS(out, "rc=1");
	ASSERT_TRUE(!strstr(out, "rbpf_pinrej"), "rawbpf load left a pin:\n%s", out);
	free(out);
	out = run_in_private_bpffs(test_fmt("verify %s",
					    test_path("tests/bpf/elf_events.bpf.o")));
	ASSERT_CONTAINS(out, "rc=0");
	ASSERT_TRUE(!strstr(out, "rbpf_test_pinned"), "rawbpf verify left a pin:\n%s", out);
	free(out);
}

/* struct_ops maps are refused by their section's name at load; an unknown data
 * section is a note.  Nothing is skipped in silence. */
TEST(refuse_struct_ops_and_unknown_sections_said)
{
	struct rbpf_object *obj = open_test_obj("elf_odd_sections");

	ASSERT_CONTAINS(rbpf_object_notes(obj), ".struct_ops.link");
	ASSERT_CONTAINS(rbpf_object_notes(obj), "section .mystery (4 bytes) was skipped");
	NEED_ROOT();
	ASSERT(-ENOTSUP, rbpf_object_load(obj, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), "section .struct_ops.link declares struct_ops maps");
	rbpf_object_close(obj);
}

TEST(refuse_struct_ops_cmd_load_fails_loudly)
{
	char *out;
	int st;

	NEED_ROOT();
	out = test_run_cmd(&st, "%s load %s", test_path("rawbpf"),
			   test_path("tests/bpf/elf_odd_sections.bpf.o"));
	ASSERT(1, st);
	ASSERT_CONTAINS(out, "struct_ops");
	ASSERT_CONTAINS(out, ".mystery");
	free(out);
}

/* A ring buffer with a value size is blamed for its value size, not max_entries. */
TEST(refuse_ringbuf_names_the_wrong_parameter)
{
	struct rbpf_object *obj;

	NEED_ROOT();
	obj = open_test_obj("elf_ringbuf_value");
	ASSERT(-EINVAL, rbpf_object_load(obj, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), "key and value sizes must be 0");
	ASSERT_CONTAINS(rbpf_errmsg(), "value 20");
	ASSERT_TRUE(!strstr(rbpf_errmsg(), "power of 2"), "blames max_entries: %s",
		    rbpf_errmsg());
	rbpf_object_close(obj);
	obj = open_test_obj("elf_ringbuf_size");
	ASSERT(-EINVAL, rbpf_object_load(obj, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), "max_entries (its size in bytes, 12288 here) must be "
			"a power of 2");
	rbpf_object_close(obj);
}

/* A map of maps once refused here now loads (issue 16: map_in_map.c), empty: no
 * initial values were given.  (tests/map_of_maps.c checks the rest.) */
TEST(refuse_map_of_maps_lifted)
{
	struct rbpf_object *obj;
	uint32_t k = 0, id;

	NEED_ROOT();
	obj = open_test_obj("elf_map_in_map");
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(-ENOENT, rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(obj, "outer")),
					     &k, &id, 0));
	rbpf_object_close(obj);
}

/* CO-RE is no longer refused (tests/core.c): each program carries its own section's
 * relocations, 1 and 3, not the object's 4. */
TEST(refuse_core_counts_per_section)
{
	struct rbpf_object *obj;

	ASSERT_OK(rbpf_object_open(test_path("tests/bpf/elf_core_two.bpf.o"), &obj));
	ASSERT(1, rbpf_prog_core_count(rbpf_object_find_prog(obj, "one")));
	ASSERT(3, rbpf_prog_core_count(rbpf_object_find_prog(obj, "three")));
	rbpf_object_close(obj);
}

/* SEC("raw_tp/") loads, as libbpf loads it; attaching asks for a name. */
TEST(refuse_raw_tp_without_name_loads_attach_asks)
{
	struct rbpf_object *obj;
	struct rbpf_link *l;
	struct rbpf_prog *p;

	obj = open_test_obj("elf_raw_tp_noname");
	p = rbpf_object_find_prog(obj, "noname");
	ASSERT_TRUE(p != NULL, "no program noname");
	ASSERT(BPF_PROG_TYPE_RAW_TRACEPOINT, rbpf_prog_type(p));
	ASSERT_STREQ("", rbpf_prog_attach_target(p));
	NEED_ROOT();
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(-EINVAL, rbpf_attach_raw_tracepoint(rbpf_prog_fd(p), rbpf_prog_attach_target(p),
						   &l));
	ASSERT_CONTAINS(rbpf_errmsg(), "no tracepoint name");
	rbpf_object_close(obj);
}
