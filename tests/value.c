/*
 * value.c -- `rawbpf map dump`/`lookup` print keys and values as their BTF types say,
 * checked against bpftool's dump of the same maps.
 *
 * tests/bpf/typed_values.bpf.o has maps whose types cover what the printer knows:
 * integers of each width and sign, bitfields, enums (by name and not), a char array
 * that is text and one that is not, a union, an anonymous struct, arrays of structs
 * and of arrays, _Bool, a struct as a hash key, a per-CPU map, global data.  Each test
 * pins its own copy (a path with our pid), fills the maps from here with the same C
 * types (tests/bpf/typed_values.h), and compares.
 *
 * bpftool prints JSON ("pid": 42) and we print C (.pid = 42), so both are brought to
 * one form first: ours is rewritten as JSON (`.name = ` -> `"name":`, an enumerator
 * or identifier value quoted), bpftool's loses its layout whitespace and the `"":`
 * it writes before an anonymous member.  Then the texts must be equal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf/typed_values.h"
#include "rawbpf.h"
#include "test.h"

/* Pin the object at a path of our own; the maps' directory in dir. */
static void pin_object(char *dir, size_t n)
{
	char *out;
	int st;

	snprintf(dir, n, "/sys/fs/bpf/rawbpf_value_%d", getpid());
	out = test_run_cmd(&st, "rm -rf %s; %s load %s --pin %s || { rm -rf %s; false; }", dir,
			   test_path("rawbpf"), test_path("tests/bpf/typed_values.bpf.o"), dir, dir);
	ASSERT_TRUE(st == 0, "rawbpf load --pin failed:\n%s", out);
	free(out);
}

static void unpin_object(const char *dir)
{
	int st;

	free(test_run_cmd(&st, "rm -rf %s", dir));
}

static int pinned_map(const char *dir, const char *name)
{
	int fd = rbpf_obj_get(test_fmt("%s/maps/%s", dir, name));

	ASSERT_OK(fd);
	return fd;
}

/* s without whitespace outside "strings" (in place). */
static char *squeeze(char *s)
{
	char *w = s, *r;
	int in_str = 0;

	for (r = s; *r; r++) {
		if (*r == '"' && (r == s || r[-1] != '\\'))
			in_str = !in_str;
		if (in_str || (*r != ' ' && *r != '\n' && *r != '\t'))
			*w++ = *r;
	}
	*w = 0;
	return s;
}

/* Our value text as JSON: .name = v -> "name":v; a bare identifier v -> "v". */
static void ours_to_json(const char *v, char *out, size_t n)
{
	size_t o = 0;

	while (*v && o + 8 < n) {
		if (*v == '"') {                         /* a string: copied as it is */
			const char *end = v + 1;

			while (*end && (*end != '"' || end[-1] == '\\'))
				end++;
			o += snprintf(out + o, n - o, "%.*s", (int)(end - v + 1), v);
			v = *end ? end + 1 : end;
		} else if (*v == '.' && (v[1] == '_' || (v[1] >= 'a' && v[1] <= 'z') ||
					 (v[1] >= 'A' && v[1] <= 'Z'))) {
			size_t len = strcspn(v + 1, " =");

			o += snprintf(out + o, n - o, "\"%.*s\":", (int)len, v + 1);
			v += 1 + len;
			v += strspn(v, " =");
		} else if ((*v >= '0' && *v <= '9') || *v == '-') {   /* a number, 0x1d too */
			size_t len = 1 + strspn(v + 1, "0123456789abcdefxABCDEF");

			o += snprintf(out + o, n - o, "%.*s", (int)len, v);
			v += len;
		} else if ((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') || *v == '_') {
			size_t len = strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");

			if ((len == 4 && !strncmp(v, "true", 4)) || (len == 5 && !strncmp(v, "false", 5)))
				o += snprintf(out + o, n - o, "%.*s", (int)len, v);
			else
				o += snprintf(out + o, n - o, "\"%.*s\"", (int)len, v);
			v += len;
		} else {
			out[o++] = *v++;
		}
	}
	out[o] = 0;
}

/* `rawbpf map dump` of a map, as the JSON array bpftool's plain dump prints. */
static char *our_dump_as_json(const char *dir, const char *map)
{
	char *out, *line, *json = calloc(1, 1 << 16), part[8192];
	size_t o = 0;
	int st, cpu = -1;

	out = test_run_cmd(&st, "%s map dump pinned %s/maps/%s", test_path("rawbpf"), dir, map);
	ASSERT_TRUE(st == 0, "rawbpf map dump failed:\n%s", out);
	o += snprintf(json + o, (1 << 16) - o, "[");
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		char *v = strstr(line, "value");

		if (!strncmp(line, "key: ", 5)) {
			char *end = strstr(line, "  value: ");

			if (end)
				*end = 0;
			ours_to_json(line + 5, part, sizeof(part));
			o += snprintf(json + o, (1 << 16) - o, "%s%s{\"key\":%s", cpu >= 0 ? "]}" : "",
				      o > 1 ? "," : "", part);
			cpu = -1;
			if (end) {
				ours_to_json(end + 9, part, sizeof(part));
				o += snprintf(json + o, (1 << 16) - o, ",\"value\":%s}", part);
			}
		} else if (v && sscanf(line, "  value (CPU %d):", &cpu) == 1) {
			ours_to_json(strchr(v, ':') + 2, part, sizeof(part));
			o += snprintf(json + o, (1 << 16) - o, "%s{\"cpu\":%d,\"value\":%s}",
				      cpu ? "," : ",\"values\":[", cpu, part);
		}
	}
	snprintf(json + o, (1 << 16) - o, "%s]", cpu >= 0 ? "]}" : "");
	free(out);
	return squeeze(json);
}

static char *bpftool_dump(const char *dir, const char *map)
{
	int st;
	char *out = test_run_cmd(&st, "bpftool map dump pinned %s/maps/%s", dir, map), *p;

	ASSERT_TRUE(st == 0, "bpftool map dump failed:\n%s", out);
	squeeze(out);
	while ((p = strstr(out, "\"\":")))                /* an anonymous member's empty name */
		memmove(p, p + 3, strlen(p + 3) + 1);
	return out;
}

/* The two dumps must be equal; on a difference the pins go first (a failed test
 * ends at once, and leaves nothing behind). */
static void compare_with_bpftool(const char *dir, const char *map)
{
	char *ours = our_dump_as_json(dir, map), *theirs = bpftool_dump(dir, map);

	if (strcmp(ours, theirs)) {
		unpin_object(dir);
		FAIL("map %s: ours (as JSON) and bpftool's differ:\n  ours:    %s\n  bpftool: %s",
		     map, ours, theirs);
	}
	free(ours);
	free(theirs);
}

static struct rec sample_rec(void)
{
	struct rec r;

	memset(&r, 0, sizeof(r));
	r.pid = -42;
	r.flags = 5;
	r.sgn = -3;
	r.c = GREEN;
	strcpy(r.comm, "bash \"x\"");
	memcpy(r.raw, "\x01\x02\xff\x04", 4);
	r.col = BLUE;
	r.b = SMALL;
	r.u.a = 0x10002;
	r.lo = 7;
	r.hi = 200;
	r.pts[1].x = 9;
	r.grid[1][2] = 18446744073709551615ull;
	r.ok = 1;
	r.neg = -128;
	r.s = -2;
	r.ll = -9000000000ll;
	return r;
}

TEST(value_struct_matches_bpftool)
{
	struct rec r = sample_rec();
	char dir[128];
	uint32_t k = 0;
	int fd;

	NEED_ROOT();
	NEED_CMD("bpftool");
	pin_object(dir, sizeof(dir));
	fd = pinned_map(dir, "recs");
	ASSERT(0, rbpf_map_update_elem(fd, &k, &r, 0));
	close(fd);
	compare_with_bpftool(dir, "recs");
	unpin_object(dir);
}

TEST(value_struct_key_and_enum_match_bpftool)
{
	struct key2 k1 = { 1, 2 }, k2 = { 3, 4 };
	enum color c1 = BLUE, c2 = (enum color)7;
	char dir[128];
	int fd;

	NEED_ROOT();
	NEED_CMD("bpftool");
	pin_object(dir, sizeof(dir));
	fd = pinned_map(dir, "colors");
	ASSERT(0, rbpf_map_update_elem(fd, &k1, &c1, 0));
	ASSERT(0, rbpf_map_update_elem(fd, &k2, &c2, 0));
	close(fd);
	compare_with_bpftool(dir, "colors");
	unpin_object(dir);
}

TEST(value_percpu_matches_bpftool)
{
	int ncpu = rbpf_num_possible_cpus(), fd, i;
	struct point *v;
	char dir[128];
	uint32_t k = 0;

	NEED_ROOT();
	NEED_CMD("bpftool");
	ASSERT_TRUE(ncpu > 0, "no CPUs");
	v = calloc(ncpu, 8);                       /* one 8-byte slot per CPU */
	for (i = 0; i < ncpu; i++) {
		((struct point *)((char *)v + 8 * i))->x = i;
		((struct point *)((char *)v + 8 * i))->y = 100 + i;
	}
	pin_object(dir, sizeof(dir));
	fd = pinned_map(dir, "points");
	ASSERT(0, rbpf_map_update_elem(fd, &k, v, 0));
	close(fd);
	free(v);
	compare_with_bpftool(dir, "points");
	unpin_object(dir);
}

/* Global data has no key type; its value is the section's variables. */
TEST(value_global_data_and_hex)
{
	char dir[128], *out;
	int st;

	NEED_ROOT();
	pin_object(dir, sizeof(dir));
	out = test_run_cmd(&st, "%s map dump pinned %s/maps/data", test_path("rawbpf"), dir);
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "key: 00 00 00 00  value: {.counter = 7, .greeting = \"hi\"}\n");
	free(out);
	out = test_run_cmd(&st, "%s map dump pinned %s/maps/data --hex", test_path("rawbpf"), dir);
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "key: 00 00 00 00  value: 07 00 00 00 68 69 00 00");
	free(out);
	out = test_run_cmd(&st, "%s map lookup pinned %s/maps/recs key 0x1", test_path("rawbpf"), dir);
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "key: 1  value: {.pid = 0, .flags = 0x0,");
	free(out);
	out = test_run_cmd(&st, "%s map lookup pinned %s/maps/recs key 0x1 --hex", test_path("rawbpf"), dir);
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "key: 01 00 00 00  value: 00 00");
	free(out);
	unpin_object(dir);
}

/* The lessons' own maps: every map of lessons 3, 5, 6 and 7 that has keys, one entry
 * written where the map takes writes from user space, then dumped both ways. */
TEST(value_lesson_maps_match_bpftool)
{
	static const char *objs[] = { "progs/maps.bpf.o", "progs/hello_map.bpf.o",
		"progs/hello_tail.bpf.o", "progs/fixed_stack_chain.bpf.o" };
	char dir[128], *out, *name, *save;
	size_t i;
	int st, maps = 0;

	NEED_ROOT();
	NEED_CMD("bpftool");
	for (i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		snprintf(dir, sizeof(dir), "/sys/fs/bpf/rawbpf_value_%d", getpid());
		out = test_run_cmd(&st, "rm -rf %s; %s load %s --pin %s > /dev/null && ls %s/maps "
				   "|| { rm -rf %s; false; }", dir, test_path("rawbpf"), test_path(objs[i]),
				   dir, dir, dir);
		ASSERT_TRUE(st == 0, "loading %s:\n%s", objs[i], out);
		for (name = strtok_r(out, "\n", &save); name; name = strtok_r(NULL, "\n", &save)) {
			struct bpf_map_info info;
			uint32_t len = sizeof(info);
			uint8_t key[64] = { 1 }, val[4096] = { 2 };
			int fd = pinned_map(dir, name);

			memset(&info, 0, sizeof(info));
			ASSERT(0, rbpf_obj_get_info_by_fd(fd, &info, &len));
			if (!info.key_size || info.type == BPF_MAP_TYPE_PROG_ARRAY ||
			    info.type == BPF_MAP_TYPE_STACK_TRACE || !info.btf_value_type_id) {
				close(fd);          /* no keys, fds, or nothing typed to compare */
				continue;
			}
			if (info.key_size <= sizeof(key) && info.value_size <= 256 &&
			    info.type != BPF_MAP_TYPE_LPM_TRIE && !(info.map_flags & BPF_F_RDONLY_PROG))
				rbpf_map_update_elem(fd, key, val, 0);  /* per-CPU: CPU 0 only */
			close(fd);
			compare_with_bpftool(dir, name);
			maps++;
		}
		free(out);
		unpin_object(dir);
	}
	ASSERT_TRUE(maps >= 8, "only %d maps compared", maps);
	printf("    %d lesson maps print as bpftool prints them\n", maps);
}
