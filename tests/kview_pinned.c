/*
 * kview_pinned.c -- `rawbpf prog|map show|dump pinned PATH` against bpftool and
 * against our own by-id view of the same object, and every way a path can fail to
 * name one (loader/cmd/ref.c).
 *
 * Each test makes its own program or map, pins it in a directory of its own under
 * /sys/fs/bpf, and removes the directory at the end.  A pinned path and the id must
 * give the very same output: one code path after BPF_OBJ_GET.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "bpf_insn.h"
#include "common.h"
#include "rawbpf.h"
#include "test.h"

/* A fresh bpffs directory for this test's pins: /sys/fs/bpf/rbpf_kview_<tag>_<pid>. */
static const char *pin_dir(const char *tag)
{
	static char dir[128];
	struct statfs fs;

	if (statfs("/sys/fs/bpf", &fs) != 0 || fs.f_type != BPF_FS_MAGIC)
		SKIP("no bpffs mounted at /sys/fs/bpf");
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/rbpf_kview_%s_%d", tag, (int)getpid());
	ASSERT_TRUE(mkdir(dir, 0700) == 0, "mkdir %s: %m", dir);
	return dir;
}

static void rm_dir(const char *dir)
{
	int st;

	free(test_run_cmd(&st, "rm -rf %s", dir));
}

static uint32_t obj_id(int fd, int is_prog)
{
	struct bpf_prog_info pi;
	struct bpf_map_info mi;
	uint32_t len = is_prog ? sizeof(pi) : sizeof(mi);

	memset(&pi, 0, sizeof(pi));
	memset(&mi, 0, sizeof(mi));
	ASSERT(0, rbpf_obj_get_info_by_fd(fd, is_prog ? (void *)&pi : (void *)&mi, &len));
	return is_prog ? pi.id : mi.id;
}

/* The value of "key": in bpftool's JSON (string contents or a number), or "". */
static const char *json_get(const char *doc, const char *key, char *out, size_t n)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	out[0] = 0;
	if (!doc || !(p = strstr(doc, pat)))
		return out;
	p += strlen(pat);
	if (*p == '"')
		p++;
	snprintf(out, n, "%.*s", (int)strcspn(p, "\",}]"), p);
	return out;
}

/* A socket filter using a hash map, both pinned under dir: prog/map fds out. */
static void make_pinned_pair(const char *dir, int *prog_fd, int *map_fd)
{
	struct rbpf_map_create_args m = {
		.type = BPF_MAP_TYPE_HASH, .name = "t_kvpin_map",
		.key_size = 4, .value_size = 8, .max_entries = 8,
	};
	int mfd = rbpf_map_create(&m), fd;
	uint32_t k;
	uint64_t v;

	ASSERT_OK(mfd);
	for (k = 1; k <= 3; k++) {
		v = 0x1100 + k;
		ASSERT(0, rbpf_map_update_elem(mfd, &k, &v, BPF_ANY));
	}
	fd = test_load_map_user("t_kvpin", mfd, 2);
	ASSERT(0, rbpf_obj_pin(fd, test_fmt("%s/prog", dir)));
	ASSERT(0, rbpf_obj_pin(mfd, test_fmt("%s/map", dir)));
	*prog_fd = fd;
	*map_fd = mfd;
}

/* The fields of the line after the heading of `show`'s output. */
static int show_fields(const char *out, char f[7][64])
{
	const char *line = strchr(out, '\n');

	return line ? sscanf(line + 1, "%63s %63s %63s %63s %63s %63s %63s", f[0], f[1], f[2],
			     f[3], f[4], f[5], f[6]) : 0;
}

/* `rawbpf ARGS` must succeed; its stdout+stderr (caller frees). */
static char *ours_ok(const char *args)
{
	int st;
	char *out = test_run_cmd(&st, "%s %s", test_path("rawbpf"), args);

	ASSERT_TRUE(st == 0, "rawbpf %s: exit %d:\n%s", args, st, out);
	return out;
}

/* prog show/dump pinned: the same as by id, and bpftool agrees on the pin. */
TEST(kview_pinned_prog_matches_bpftool)
{
	char *by_pin, *by_id, *bt, f[7][64], v[64], args[256];
	const char *dir;
	int pfd, mfd, st;
	uint32_t id, mid;

	NEED_ROOT();
	NEED_CMD("bpftool");
	dir = pin_dir("prog");
	make_pinned_pair(dir, &pfd, &mfd);
	id = obj_id(pfd, 1);
	mid = obj_id(mfd, 0);

	snprintf(args, sizeof(args), "prog show pinned %s/prog", dir);
	by_pin = ours_ok(args);
	by_id = ours_ok(test_fmt("prog show %u", id));
	ASSERT_STREQ(by_id, by_pin);
	ASSERT_TRUE(show_fields(by_pin, f) == 7, "show line: %s", by_pin);
	bt = test_run_cmd(&st, "bpftool -j prog show pinned %s/prog", dir);
	ASSERT(0, st);
	ASSERT(id, (uint32_t)atoi(json_get(bt, "id", v, sizeof(v))));
	ASSERT(id, (uint32_t)atoi(f[0]));
	ASSERT_STREQ(json_get(bt, "type", v, sizeof(v)), f[1]);
	ASSERT_STREQ(json_get(bt, "name", v, sizeof(v)), f[2]);
	ASSERT_STREQ(json_get(bt, "tag", v, sizeof(v)), f[3]);
	ASSERT(atoi(json_get(bt, "bytes_xlated", v, sizeof(v))) / 8, atoi(f[4]));
	ASSERT(mid, (uint32_t)atoi(f[6]));
	ASSERT_CONTAINS(bt, test_fmt("\"map_ids\":[%u]", mid));
	free(by_pin);
	free(by_id);
	free(bt);

	snprintf(args, sizeof(args), "prog dump pinned %s/prog", dir);
	by_pin = ours_ok(args);
	by_id = ours_ok(test_fmt("prog dump %u", id));
	ASSERT_STREQ(by_id, by_pin);
	ASSERT_CONTAINS(by_pin, test_fmt("prog %u: socket_filter name t_kvpin", id));
	ASSERT_CONTAINS(by_pin, test_fmt("r1 = map[id:%u]", mid));
	bt = test_run_cmd(&st, "bpftool prog dump xlated pinned %s/prog | grep -c '^ *[0-9]*: ('",
			  dir);
	ASSERT(0, st);
	ASSERT_CONTAINS(by_pin, test_fmt("%d insns (translated)", atoi(bt) + 1));  /* ld_imm64: 2 */
	free(by_pin);
	free(by_id);
	free(bt);
	rm_dir(dir);
	close(pfd);
	close(mfd);
}

/* map show/dump pinned: the same as by id, and bpftool agrees on the pin. */
TEST(kview_pinned_map_matches_bpftool)
{
	char *by_pin, *by_id, *bt, f[7][64], v[64], args[256];
	const char *dir;
	int pfd, mfd, st;
	uint32_t mid;

	NEED_ROOT();
	NEED_CMD("bpftool");
	dir = pin_dir("map");
	make_pinned_pair(dir, &pfd, &mfd);
	mid = obj_id(mfd, 0);

	snprintf(args, sizeof(args), "map show pinned %s/map", dir);
	by_pin = ours_ok(args);
	by_id = ours_ok(test_fmt("map show %u", mid));
	ASSERT_STREQ(by_id, by_pin);
	ASSERT_TRUE(show_fields(by_pin, f) == 7, "show line: %s", by_pin);
	bt = test_run_cmd(&st, "bpftool -j map show pinned %s/map", dir);
	ASSERT(0, st);
	ASSERT(mid, (uint32_t)atoi(json_get(bt, "id", v, sizeof(v))));
	ASSERT(mid, (uint32_t)atoi(f[0]));
	ASSERT_STREQ(json_get(bt, "type", v, sizeof(v)), f[1]);
	ASSERT_STREQ(json_get(bt, "name", v, sizeof(v)), f[2]);
	ASSERT_STREQ(json_get(bt, "bytes_key", v, sizeof(v)), f[3]);
	ASSERT_STREQ(json_get(bt, "bytes_value", v, sizeof(v)), f[4]);
	ASSERT_STREQ(json_get(bt, "max_entries", v, sizeof(v)), f[5]);
	free(by_pin);
	free(by_id);
	free(bt);

	snprintf(args, sizeof(args), "map dump pinned %s/map", dir);
	by_pin = ours_ok(args);
	by_id = ours_ok(test_fmt("map dump %u", mid));
	ASSERT_STREQ(by_id, by_pin);
	ASSERT_CONTAINS(by_pin, "key: 02 00 00 00  value: 02 11 00 00 00 00 00 00\n");
	ASSERT_CONTAINS(by_pin, "Found 3 elements\n");
	bt = test_run_cmd(&st, "bpftool -j map dump pinned %s/map", dir);
	ASSERT(0, st);
	ASSERT_CONTAINS(bt, "\"key\":[\"0x02\",\"0x00\",\"0x00\",\"0x00\"],\"value\":[\"0x02\","
			"\"0x11\",\"0x00\",\"0x00\",\"0x00\",\"0x00\",\"0x00\",\"0x00\"]");
	free(by_pin);
	free(by_id);
	free(bt);
	rm_dir(dir);
	close(pfd);
	close(mfd);
}

/* A path that names no object of that kind: the reason, the usage, exit 2. */
static void expect_bad_path(const char *args, const char *want)
{
	char *out, *err;
	int st, st2;

	err = test_run_cmd(&st, "(%s %s 2>&1 >/dev/null)", test_path("rawbpf"), args);
	out = test_run_cmd(&st2, "(%s %s 2>/dev/null)", test_path("rawbpf"), args);
	ASSERT_TRUE(st == 2 && st2 == 2, "rawbpf %s: exit %d, expected 2:\n%s", args, st, err);
	ASSERT_TRUE(strstr(err, want) != NULL, "rawbpf %s: stderr lacks \"%s\":\n%s", args,
		    want, err);
	ASSERT_TRUE(strstr(err, "usage: rawbpf") != NULL, "rawbpf %s: no usage:\n%s", args, err);
	ASSERT_TRUE(out[0] == 0, "rawbpf %s: printed on stdout: %s", args, out);
	free(out);
	free(err);
}

TEST(kview_pinned_bad_paths)
{
	char tmp[] = "/tmp/rbpf-kview-notbpffs-XXXXXX", args[512];
	static const char *const verbs[] = { "prog show", "prog dump", "map show", "map dump",
					     "map lookup", "map getnext" };
	const char *dir;
	int pfd, mfd, fd;
	size_t i;

	NEED_ROOT();
	dir = pin_dir("bad");
	make_pinned_pair(dir, &pfd, &mfd);
	fd = mkstemp(tmp);
	ASSERT_OK(fd);
	close(fd);
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		int is_prog = verbs[i][0] == 'p';
		const char *key = strstr(verbs[i], "lookup") ? " key 0x1" : "";

		snprintf(args, sizeof(args), "%s pinned %s/nothing%s", verbs[i], dir, key);
		expect_bad_path(args, "BPF_OBJ_GET: ENOENT: no such file");
		snprintf(args, sizeof(args), "%s pinned %s%s", verbs[i], dir, key);
		expect_bad_path(args, "EACCES: a directory of the bpffs, not a pin");
		snprintf(args, sizeof(args), "%s pinned %s%s", verbs[i], tmp, key);
		expect_bad_path(args, "EACCES: not in a BPF file system (statfs type 0x");
		snprintf(args, sizeof(args), "%s pinned %s/%s%s", verbs[i], dir,
			 is_prog ? "map" : "prog", key);
		expect_bad_path(args, is_prog ? "holds a bpf-map, not a bpf-prog" :
				"holds a bpf-prog, not a bpf-map");
		snprintf(args, sizeof(args), "%s pinned", verbs[i]);
		expect_bad_path(args, "usage");
	}
	unlink(tmp);
	rm_dir(dir);
	close(pfd);
	close(mfd);
}
