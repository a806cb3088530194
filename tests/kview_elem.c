/*
 * kview_elem.c -- `rawbpf map update|lookup|delete|getnext` checked through bpftool:
 * what we write, bpftool reads back (and the other way round), per CPU for per-CPU
 * maps; the flags' refusals leave the map as it was; every malformed key or value is
 * a usage error that names the sizes the map wants.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawbpf.h"
#include "test.h"

static uint32_t id_of(int fd)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	ASSERT(0, rbpf_obj_get_info_by_fd(fd, &info, &len));
	return info.id;
}

static int make_map(uint32_t type, const char *name, uint32_t key, uint32_t value,
		    uint32_t max)
{
	struct rbpf_map_create_args m = {
		.type = type, .name = name, .key_size = key, .value_size = value,
		.max_entries = max,
	};
	int fd = rbpf_map_create(&m);

	ASSERT_OK(fd);
	return fd;
}

/* `rawbpf map ARGS`: exit status, stdout in *out, stderr in *err (caller frees). */
static int ours(const char *args, char **out, char **err)
{
	int st, st2;

	*out = test_run_cmd(&st, "(%s map %s 2>/dev/null)", test_path("rawbpf"), args);
	*err = test_run_cmd(&st2, "(%s map %s 2>&1 >/dev/null)", test_path("rawbpf"), args);
	return st;
}

static void ours_ok(const char *args)
{
	char *out, *err;
	int st = ours(args, &out, &err);

	ASSERT_TRUE(st == 0, "rawbpf map %s: exit %d: %s", args, st, err);
	free(out);
	free(err);
}

/* The hex bytes of every "value":[..] in bpftool's JSON lookup, "07 00 .." each,
 * joined by "|"; "" when bpftool found no entry. */
static char *bt_values(uint32_t id, const char *key_hex)
{
	char *js, *res = calloc(1, 4096);
	const char *p;
	int st;

	js = test_run_cmd(&st, "bpftool -j map lookup id %u key hex %s 2>/dev/null", id, key_hex);
	for (p = js; (p = strstr(p, "\"value\":[")) != NULL; ) {
		const char *end = strchr(p, ']');

		if (res[0])
			strcat(res, "|");
		for (p += 9; p < end; p++)
			if (!strncmp(p, "\"0x", 3) && strlen(res) + 4 < 4096) {
				strncat(res, p + 3, 2);
				strcat(res, " ");
				p += 5;
			}
		if (res[0] && res[strlen(res) - 1] == ' ')
			res[strlen(res) - 1] = 0;
	}
	free(js);
	return res;
}

TEST(kview_elem_update_hash_matches_bpftool)
{
	int fd, st;
	uint32_t id;
	char *v, *out, *err, args[256];

	NEED_ROOT();
	NEED_CMD("bpftool");
	fd = make_map(BPF_MAP_TYPE_HASH, "t_kvel_hash", 4, 8, 4);
	id = id_of(fd);

	/* bytes as dump prints them; then the 0x integer form of the same key */
	ours_ok(test_fmt("update %u key 2a 00 00 00 value 03 00 00 00 00 00 00 ff", id));
	v = bt_values(id, "2a 00 00 00");
	ASSERT_STREQ("03 00 00 00 00 00 00 ff", v);
	free(v);
	ours_ok(test_fmt("update %u key 0x2a value 0x1122334455", id));
	v = bt_values(id, "2a 00 00 00");
	ASSERT_STREQ("55 44 33 22 11 00 00 00", v);
	free(v);

	/* --noexist on a key that is there: EEXIST explained, the value untouched */
	snprintf(args, sizeof(args), "update %u key 0x2a value 0x9 --noexist", id);
	st = ours(args, &out, &err);
	ASSERT(1, st);
	ASSERT_CONTAINS(err, "EEXIST: the key is in the map already, and --noexist only adds");
	ASSERT_TRUE(out[0] == 0, "stdout: %s", out);
	free(out);
	free(err);
	v = bt_values(id, "2a 00 00 00");
	ASSERT_STREQ("55 44 33 22 11 00 00 00", v);
	free(v);

	/* --exist on a key that is not: ENOENT explained, no entry made */
	snprintf(args, sizeof(args), "update %u key 0x7 value 0x9 --exist", id);
	st = ours(args, &out, &err);
	ASSERT(1, st);
	ASSERT_CONTAINS(err, "key 07 00 00 00: ENOENT: no entry with this key, and --exist only");
	free(out);
	free(err);
	v = bt_values(id, "07 00 00 00");
	ASSERT_STREQ("", v);
	free(v);
	ours_ok(test_fmt("update %u key 0x7 value 0x9 --noexist", id));
	ours_ok(test_fmt("update %u key 0x7 value 0xa --exist", id));
	v = bt_values(id, "07 00 00 00");
	ASSERT_STREQ("0a 00 00 00 00 00 00 00", v);
	free(v);

	/* full: 4 entries, a fifth is E2BIG with max_entries named */
	ours_ok(test_fmt("update %u key 0x1 value 0x1", id));
	ours_ok(test_fmt("update %u key 0x2 value 0x2", id));
	snprintf(args, sizeof(args), "update %u key 0x3 value 0x3", id);
	st = ours(args, &out, &err);
	ASSERT(1, st);
	ASSERT_CONTAINS(err, "E2BIG: the map is full (max_entries 4)");
	free(out);
	free(err);

	/* delete: bpftool no longer finds it; again: ENOENT */
	ours_ok(test_fmt("delete %u key 0x7", id));
	v = bt_values(id, "07 00 00 00");
	ASSERT_STREQ("", v);
	free(v);
	snprintf(args, sizeof(args), "delete %u key 07 00 00 00", id);
	st = ours(args, &out, &err);
	ASSERT(1, st);
	ASSERT_CONTAINS(err, "delete on id");
	ASSERT_CONTAINS(err, "ENOENT: no entry with this key");
	free(out);
	free(err);
	close(fd);
}

/* bpftool writes, we read: lookup prints what dump prints for that key. */
TEST(kview_elem_lookup_matches_bpftool)
{
	int fd, st;
	uint32_t id;
	char *out, *err, *dump, args[128], *line;

	NEED_ROOT();
	NEED_CMD("bpftool");
	fd = make_map(BPF_MAP_TYPE_HASH, "t_kvel_look", 8, 4, 16);
	id = id_of(fd);
	free(test_run_cmd(&st, "bpftool map update id %u key hex 01 02 03 04 05 06 07 08 value hex "
			  "de ad be ef", id));
	ASSERT(0, st);
	free(test_run_cmd(&st, "bpftool map update id %u key hex 10 00 00 00 00 00 00 00 value hex "
			  "2a 00 00 00", id));
	ASSERT(0, st);
	snprintf(args, sizeof(args), "lookup %u key 01 02 03 04 05 06 07 08", id);
	ASSERT(0, ours(args, &out, &err));
	ASSERT_STREQ("key: 01 02 03 04 05 06 07 08  value: de ad be ef\n", out);
	dump = test_run_cmd(&st, "%s map dump %u", test_path("rawbpf"), id);
	ASSERT_CONTAINS(dump, out);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "lookup %u key 0x10", id);
	ASSERT(0, ours(args, &out, &err));
	ASSERT_STREQ("key: 10 00 00 00 00 00 00 00  value: 2a 00 00 00\n", out);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "lookup %u key 0x11", id);
	ASSERT(1, ours(args, &out, &err));
	ASSERT_CONTAINS(err, "lookup on id");
	ASSERT_CONTAINS(err, "key 11 00 00 00 00 00 00 00: ENOENT: no entry with this key");
	free(out);
	free(err);

	/* getnext walks the same keys the dump shows, then says it was the last */
	snprintf(args, sizeof(args), "getnext %u", id);
	ASSERT(0, ours(args, &out, &err));
	ASSERT_TRUE(!strncmp(out, "next key: ", 10), "getnext: %s", out);
	line = strdup(out + 10);
	line[strcspn(line, "\n")] = 0;
	ASSERT_CONTAINS(dump, test_fmt("key: %s  value:", line));
	free(out);
	free(err);
	snprintf(args, sizeof(args), "getnext %u key %s", id, line);
	ASSERT(0, ours(args, &out, &err));
	ASSERT_TRUE(!strncmp(out, "next key: ", 10), "getnext: %s", out);
	out[strcspn(out, "\n")] = 0;
	ASSERT_TRUE(strcmp(out + 10, line) != 0, "getnext gave the same key %s", line);
	ASSERT_CONTAINS(dump, test_fmt("key: %s  value:", out + 10));
	snprintf(args, sizeof(args), "getnext %u key %s", id, out + 10);
	free(out);
	free(err);
	ASSERT(1, ours(args, &out, &err));
	ASSERT_CONTAINS(err, "ENOENT: no key after this one: it was the last");
	free(out);
	free(err);
	free(line);
	free(dump);
	close(fd);
}

/* Per-CPU: one value for every CPU, or one per possible CPU; bpftool sees each. */
TEST(kview_elem_update_percpu_matches_bpftool)
{
	int fd, cpus = rbpf_num_possible_cpus(), c;
	uint32_t id;
	char args[2048], want[2048] = "", *v, *out, *err;

	NEED_ROOT();
	NEED_CMD("bpftool");
	ASSERT_TRUE(cpus > 0, "no possible CPUs: %d", cpus);
	fd = make_map(BPF_MAP_TYPE_PERCPU_ARRAY, "t_kvel_pcpu", 4, 4, 2);
	id = id_of(fd);

	ours_ok(test_fmt("update %u key 01 00 00 00 value 07 00 00 00", id));
	for (c = 0; c < cpus; c++)
		strcat(want, c ? "|07 00 00 00" : "07 00 00 00");
	v = bt_values(id, "01 00 00 00");
	ASSERT_STREQ(want, v);
	free(v);

	snprintf(args, sizeof(args), "update %u key 0x1 value", id);
	want[0] = 0;
	for (c = 0; c < cpus; c++) {
		snprintf(args + strlen(args), sizeof(args) - strlen(args), " 0x%x", 0x100 + c);
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%02x 01 00 00",
			 c ? "|" : "", c);
	}
	ours_ok(args);
	v = bt_values(id, "01 00 00 00");
	ASSERT_STREQ(want, v);
	free(v);
	snprintf(args, sizeof(args), "lookup %u key 0x1", id);
	ASSERT(0, ours(args, &out, &err));
	ASSERT_CONTAINS(out, "key: 01 00 00 00\n  value (CPU 00): 00 01 00 00\n");
	if (cpus > 1)
		ASSERT_CONTAINS(out, "  value (CPU 01): 01 01 00 00\n");
	free(out);
	free(err);

	/* an array: --noexist is always EEXIST, a key past the end E2BIG */
	snprintf(args, sizeof(args), "update %u key 0x0 value 0x1 --noexist", id);
	ASSERT(1, ours(args, &out, &err));
	ASSERT_CONTAINS(err, "EEXIST: an array has every key from the start");
	free(out);
	free(err);
	snprintf(args, sizeof(args), "update %u key 0x2 value 0x1", id);
	ASSERT(1, ours(args, &out, &err));
	ASSERT_CONTAINS(err, "E2BIG: an array's keys run from 0 to 1");
	free(out);
	free(err);
	snprintf(args, sizeof(args), "delete %u key 0x0", id);
	ASSERT(1, ours(args, &out, &err));
	ASSERT_CONTAINS(err, "EINVAL: this map type has no delete");
	free(out);
	free(err);
	close(fd);
}

/* Usage errors: exit 2, the usage on stderr, nothing on stdout, and for sizes the
 * sizes the map wants. */
static void expect_usage(const char *args, const char *want)
{
	char *out, *err;
	int st = ours(args, &out, &err);

	ASSERT_TRUE(st == 2, "rawbpf map %s: exit %d, expected 2: %s", args, st, err);
	ASSERT_CONTAINS(err, "usage: rawbpf map");
	ASSERT_CONTAINS(err, want);
	ASSERT_TRUE(out[0] == 0, "rawbpf map %s: stdout: %s", args, out);
	free(out);
	free(err);
}

TEST(kview_elem_bad_input)
{
	int h, p, cpus = rbpf_num_possible_cpus();
	uint32_t hid, pid;
	char *v, want[256];

	NEED_ROOT();
	NEED_CMD("bpftool");
	h = make_map(BPF_MAP_TYPE_HASH, "t_kvel_bad", 8, 8, 4);
	p = make_map(BPF_MAP_TYPE_PERCPU_HASH, "t_kvel_badpc", 4, 12, 4);
	hid = id_of(h);
	pid = id_of(p);
#define U(...) expect_usage(test_fmt(__VA_ARGS__), "")
	expect_usage(test_fmt("update %u key 1 2 3 value 0x1", hid),
		     "a key of 3 bytes, but id");
	expect_usage(test_fmt("update %u key 0x1 value 1 2", hid),
		     "a value of 2 bytes, but id");
	expect_usage(test_fmt("update %u key 0x1 value 1 2", hid), "has 8-byte values");
	expect_usage(test_fmt("lookup %u key 00", hid), "has 8-byte keys");
	snprintf(want, sizeof(want), "give 12 bytes for every CPU, or %d (12 for each of the %d "
		 "possible CPUs)", 12 * cpus, cpus);
	expect_usage(test_fmt("update %u key 0x1 value 1 2 3 4 5 6 7 8", pid), want);
	expect_usage(test_fmt("update %u key 0x1 value 0x1", pid),
		     "is not a hex integer that fits the map's 12-byte value");
	U("update %u key 0x1", hid);                       /* no value */
	U("update %u value 0x1", hid);                     /* no key */
	U("update %u", hid);
	U("update");
	U("update pinned");
	U("lookup %u", hid);
	U("lookup %u key 0x1 value 0x1", hid);
	U("lookup %u key 0x1 --exist", hid);
	U("delete %u key 0x1 --noexist", hid);
	U("update %u key 0x1 value 0x1 --exist --noexist", hid);
	U("update %u key 0x1 value 0x1 --bogus", hid);
	U("update %u key 0x1 key 0x2 value 0x1", hid);
	expect_usage(test_fmt("lookup %u key zz 0 0 0 0 0 0 0", hid), "key byte 'zz' is not 1 or 2");
	expect_usage(test_fmt("lookup %u key 100 0 0 0 0 0 0 0", hid), "key byte '100'");
	expect_usage(test_fmt("lookup %u key 0x1 00", hid), "mixes 0x integers and hex bytes");
	expect_usage(test_fmt("lookup %u key 0x", hid), "'0x' is not a hex integer");
	expect_usage(test_fmt("update %u key 0x1 value 0x1ffffffffffffffff", hid),
		     "is not a hex integer that fits");
#undef U
	v = bt_values(hid, "01 00 00 00 00 00 00 00");
	ASSERT_STREQ("", v);                    /* none of the above wrote */
	free(v);
	close(h);
	close(p);
}
