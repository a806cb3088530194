/*
 * kview.c -- `rawbpf prog|map list|dump` against bpftool on the same objects.
 *
 * Each test loads its own program or map, runs our command and `bpftool -j` on the
 * same id, and compares: type, name, tag, sizes and map ids for the lists; every
 * instruction's text for the program dump; every key and value (per CPU for per-CPU
 * maps) for the map dump.  bpftool is a test-only dependency (tests/deps.sh test).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "common.h"
#include "rawbpf.h"
#include "test.h"

/* The value of "key": in a JSON object text: a string's contents or a number's digits,
 * copied to a static buffer ring; "" if absent. */
static const char *json_field(const char *doc, const char *key)
{
	static char ring[4][256];
	static int k;
	char *out = ring[k++ & 3], pat[64];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	out[0] = 0;
	p = doc ? strstr(doc, pat) : NULL;
	if (!p)
		return out;
	p += strlen(pat);
	if (*p == '"') {
		p++;
		n = strcspn(p, "\"");
	} else {
		n = strcspn(p, ",}]");
	}
	snprintf(out, sizeof(ring[0]), "%.*s", (int)n, p);
	return out;
}

/* Our list's line for this id, split into whitespace-separated fields. */
static int our_list_line(const char *what, uint32_t id, char fields[8][64])
{
	int st, n = 0;
	char *out = test_run_cmd(&st, "%s %s list", test_path("rawbpf"), what), *line;

	ASSERT_TRUE(st == 0, "rawbpf %s list failed:\n%s", what, out);
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned got;

		if (sscanf(line, "%u", &got) == 1 && got == id) {
			n = sscanf(line, "%63s %63s %63s %63s %63s %63s %63s", fields[0], fields[1],
				   fields[2], fields[3], fields[4], fields[5], fields[6]);
			break;
		}
	}
	free(out);
	return n;
}

static uint32_t prog_id(int fd)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	ASSERT(0, rbpf_obj_get_info_by_fd(fd, &info, &len));
	return info.id;
}

static uint32_t map_id(int fd)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	ASSERT(0, rbpf_obj_get_info_by_fd(fd, &info, &len));
	return info.id;
}

/* A socket filter that looks up an array map and calls a subprogram. */
static int load_sample(int *map_fd)
{
	struct rbpf_map_create_args m = {
		.type = BPF_MAP_TYPE_ARRAY, .name = "t_kview_map",
		.key_size = 4, .value_size = 8, .max_entries = 2,
	};
	int mfd = rbpf_map_create(&m);
	struct bpf_insn p[] = {
		BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 1),
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4),
		BPF_LD_MAP_FD(BPF_REG_1, mfd),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 2),
		BPF_LDX_MEM(BPF_DW, BPF_REG_6, BPF_REG_0, 0),
		BPF_CALL_REL(3),
		BPF_EMIT_CALL(BPF_FUNC_ktime_get_ns),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
		BPF_MOV64_IMM(BPF_REG_0, 1),
		BPF_EXIT_INSN(),
	};
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_SOCKET_FILTER, .name = "t_kview", .insns = p,
		.insn_cnt = sizeof(p) / sizeof(p[0]), .license = "GPL",
	};
	char *log = NULL;
	int fd;

	ASSERT_OK(mfd);
	fd = rbpf_load_insns(&a, &log);
	free(log);
	ASSERT_OK(fd);
	*map_fd = mfd;
	return fd;
}

TEST(kview_prog_list_matches_bpftool)
{
	char f[8][64], *bt;
	int st, mfd, fd;
	uint32_t id;

	NEED_ROOT();
	NEED_CMD("bpftool");
	fd = load_sample(&mfd);
	id = prog_id(fd);
	ASSERT_TRUE(our_list_line("prog", id, f) == 7, "prog %u not in our list", id);
	bt = test_run_cmd(&st, "bpftool -j prog show id %u", id);
	ASSERT(0, st);
	ASSERT_STREQ(json_field(bt, "type"), f[1]);
	ASSERT_STREQ(json_field(bt, "name"), f[2]);
	ASSERT_STREQ(json_field(bt, "tag"), f[3]);
	ASSERT(atoi(json_field(bt, "bytes_xlated")) / 8, atoi(f[4]));
	ASSERT(atoi(json_field(bt, "bytes_jited")), atoi(f[5]));
	ASSERT(map_id(mfd), atoi(f[6]));
	ASSERT_CONTAINS(bt, test_fmt("\"map_ids\":[%s]", f[6]));
	free(bt);
	close(fd);
	close(mfd);
}

/* Every id bpftool lists before and after our listing must be in ours. */
TEST(kview_prog_ids_match_bpftool)
{
	int st, mfd, fd;
	char *before, *after, *ours, *p;
	int checked = 0;

	NEED_ROOT();
	NEED_CMD("bpftool");
	fd = load_sample(&mfd);                  /* at least one program to list */
	before = test_run_cmd(&st, "bpftool prog list | sed -n 's/^\\([0-9]*\\): .*/\\1/p'");
	ours = test_run_cmd(&st, "%s prog list | awk 'NR>1{print $1}'", test_path("rawbpf"));
	ASSERT(0, st);
	after = test_run_cmd(&st, "bpftool prog list | sed -n 's/^\\([0-9]*\\): .*/\\1/p'");
	for (p = strtok(before, "\n"); p; p = strtok(NULL, "\n")) {
		char id[32];
		int in_ours;

		snprintf(id, sizeof(id), "\n%s\n", p);
		if (!strstr(test_fmt("\n%s", after), id))
			continue;              /* gone meanwhile */
		in_ours = strstr(test_fmt("\n%s", ours), id) != NULL;
		ASSERT_TRUE(in_ours, "id %s missing from ours", p);
		checked++;
	}
	ASSERT_TRUE(checked > 0, "no program ids to compare");
	close(fd);
	close(mfd);
	free(before);
	free(after);
	free(ours);
}

/* The "(xx) text" strings of one program: ours from `rawbpf prog dump`, bpftool's
 * from its JSON "disasm" fields (minus its "#name" suffix on pc-relative calls). */
TEST(kview_prog_dump_matches_bpftool)
{
	char *ours, *bt, *p, *line;
	int st, mfd, fd, n = 0;
	uint32_t id;

	NEED_ROOT();
	NEED_CMD("bpftool");
	fd = load_sample(&mfd);
	id = prog_id(fd);
	ours = test_run_cmd(&st, "%s prog dump %u", test_path("rawbpf"), id);
	ASSERT_TRUE(st == 0, "rawbpf prog dump failed:\n%s", ours);
	bt = test_run_cmd(&st, "bpftool -j prog dump xlated id %u", id);
	ASSERT(0, st);
	p = bt;
	for (line = strtok(ours, "\n"); line; line = strtok(NULL, "\n")) {
		char *ours_text = strchr(line, '('), want[256];
		size_t len;

		if (line[0] == ';' || !strstr(line, ": (") || !ours_text)
			continue;
		p = strstr(p, "\"disasm\":\"");
		ASSERT_TRUE(p != NULL, "bpftool has fewer instructions; ours at: %s", line);
		p += 10;
		len = strcspn(p, "\"");
		snprintf(want, sizeof(want), "%.*s", (int)len, p);
		if (strstr(want, "call pc") && strchr(want, '#'))
			*strchr(want, '#') = 0;
		ASSERT_STREQ(want, ours_text);
		n++;
	}
	ASSERT_TRUE(!strstr(p, "\"disasm\""), "bpftool has more instructions than ours");
	ASSERT_TRUE(n >= 10, "only %d instructions compared", n);
	free(ours);
	free(bt);
	close(fd);
	close(mfd);
}

TEST(kview_prog_dump_jited)
{
	char *out;
	int st, mfd, fd;

	NEED_ROOT();
	NEED_CMD("objdump");
	fd = load_sample(&mfd);
	out = test_run_cmd(&st, "%s prog dump %u --jited", test_path("rawbpf"), prog_id(fd));
	ASSERT_TRUE(st == 0, "rawbpf prog dump --jited failed:\n%s", out);
	if (strstr(out, "no machine code"))
		SKIP("the kernel gives no JIT image here: %s", out);
	ASSERT_CONTAINS(out, "push   %rbp");
	ASSERT_CONTAINS(out, "mov    %rsp,%rbp");
	free(out);
	close(fd);
	close(mfd);
}

/* Entries as sorted "key=..|value=..|value=.." lines, from either tool's output. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *sorted_join(char **items, int n)
{
	size_t total = 1;
	char *s;
	int i;

	qsort(items, n, sizeof(*items), cmp_str);
	for (i = 0; i < n; i++)
		total += strlen(items[i]) + 1;
	s = calloc(1, total);
	for (i = 0; i < n; i++) {
		strcat(s, items[i]);
		strcat(s, "\n");
		free(items[i]);
	}
	return s;
}

/* bpftool JSON: [{"key":["0x01",..],"value":[..]} or "values":[{"cpu":0,"value":[..]}]] */
static char *bpftool_entries(const char *json, int *count)
{
	char *items[512], cur[4096] = "";
	int n = 0;
	const char *p = json;

	while ((p = strstr(p, "\"key\":[")) != NULL) {
		const char *next = strstr(p + 1, "\"key\":["), *q;

		cur[0] = 0;
		for (q = p; *q && (!next || q < next); q++) {
			if (!strncmp(q, "\"key\":[", 7) || !strncmp(q, "\"value\":[", 9))
				strcat(cur, q[1] == 'k' ? "key=" : "|value=");
			if (!strncmp(q, "\"0x", 3)) {
				strncat(cur, q + 3, 2);
				strcat(cur, " ");
			}
		}
		items[n++] = strdup(cur);
		p++;
		if (n == 512)
			break;
	}
	*count = n;
	return sorted_join(items, n);
}

/* ours: "key: 01 00  value: 2a ..." or "key: ..\n  value (CPU 00): .." */
static char *our_entries(char *text, int *count)
{
	char *items[512], *line, cur[4096] = "";
	int n = 0;

	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *v = strstr(line, "value");

		if (!strncmp(line, "key: ", 5)) {
			if (cur[0] && n < 512)
				items[n++] = strdup(cur);
			snprintf(cur, sizeof(cur), "key=%.*s ", v ? (int)(v - line - 7) : (int)strlen(line + 5),
				 line + 5);
		}
		if (v) {
			strcat(cur, "|value=");
			strcat(cur, strchr(v, ':') + 2);
			strcat(cur, " ");
		}
	}
	if (cur[0] && n < 512)
		items[n++] = strdup(cur);
	*count = n;
	return sorted_join(items, n);
}

static void compare_map_dump(int fd, int expect)
{
	uint32_t id = map_id(fd);
	char *ours, *bt, *a, *b;
	int st, na, nb;

	ours = test_run_cmd(&st, "%s map dump %u", test_path("rawbpf"), id);
	ASSERT_TRUE(st == 0, "rawbpf map dump failed:\n%s", ours);
	ASSERT_CONTAINS(ours, test_fmt("Found %d element", expect));
	bt = test_run_cmd(&st, "bpftool -j map dump id %u", id);
	ASSERT(0, st);
	a = our_entries(ours, &na);
	b = bpftool_entries(bt, &nb);
	ASSERT(expect, na);
	ASSERT(expect, nb);
	ASSERT_STREQ(b, a);
	free(a);
	free(b);
	free(ours);
	free(bt);
}

TEST(kview_map_dump_hash_matches_bpftool)
{
	struct rbpf_map_create_args m = {
		.type = BPF_MAP_TYPE_HASH, .name = "t_kview_hash",
		.key_size = 4, .value_size = 12, .max_entries = 64,
	};
	uint32_t k, v[3];
	int fd;

	NEED_ROOT();
	NEED_CMD("bpftool");
	fd = rbpf_map_create(&m);
	ASSERT_OK(fd);
	for (k = 0; k < 40; k++) {
		v[0] = k * 3;
		v[1] = 0xdeadbeef;
		v[2] = ~k;
		ASSERT(0, rbpf_map_update_elem(fd, &k, v, BPF_ANY));
	}
	compare_map_dump(fd, 40);
	close(fd);
}

TEST(kview_map_dump_percpu_matches_bpftool)
{
	struct rbpf_map_create_args m = {
		.type = BPF_MAP_TYPE_PERCPU_ARRAY, .name = "t_kview_pcpu",
		.key_size = 4, .value_size = 4, .max_entries = 3,
	};
	int fd, cpus = rbpf_num_possible_cpus(), c;
	uint32_t k = 1;
	uint64_t *vals;

	NEED_ROOT();
	NEED_CMD("bpftool");
	ASSERT_TRUE(cpus > 0, "no cpus");
	fd = rbpf_map_create(&m);
	ASSERT_OK(fd);
	vals = calloc(cpus, 8);      /* 4-byte values padded to 8 per CPU */
	for (c = 0; c < cpus; c++)
		vals[c] = 100 + c;
	ASSERT(0, rbpf_map_update_elem(fd, &k, vals, BPF_ANY));
	compare_map_dump(fd, 3);
	free(vals);
	close(fd);
}

TEST(kview_map_list_matches_bpftool)
{
	struct rbpf_map_create_args m = {
		.type = BPF_MAP_TYPE_LRU_HASH, .name = "t_kview_lru",
		.key_size = 8, .value_size = 16, .max_entries = 128,
	};
	char f[8][64], *bt;
	int fd, st;
	uint32_t id;

	NEED_ROOT();
	NEED_CMD("bpftool");
	fd = rbpf_map_create(&m);
	ASSERT_OK(fd);
	id = map_id(fd);
	ASSERT_TRUE(our_list_line("map", id, f) == 7, "map %u not in our list", id);
	bt = test_run_cmd(&st, "bpftool -j map show id %u", id);
	ASSERT(0, st);
	ASSERT_STREQ(json_field(bt, "type"), f[1]);
	ASSERT_STREQ(json_field(bt, "name"), f[2]);
	ASSERT_STREQ(json_field(bt, "bytes_key"), f[3]);
	ASSERT_STREQ(json_field(bt, "bytes_value"), f[4]);
	ASSERT_STREQ(json_field(bt, "max_entries"), f[5]);
	ASSERT(atoi(json_field(bt, "flags")), strtol(f[6], NULL, 16));
	free(bt);
	close(fd);
}

/* Without objdump on the PATH the machine code comes as hex: as many bytes as the
 * kernel says the JIT made. */
TEST(kview_prog_dump_jited_hex_fallback)
{
	char f[8][64], *out, *s;
	int st, mfd, fd, bytes = 0;
	unsigned v;
	uint32_t id;

	NEED_ROOT();
	fd = load_sample(&mfd);
	id = prog_id(fd);
	ASSERT_TRUE(our_list_line("prog", id, f) == 7, "prog %u not in our list", id);
	out = test_run_cmd(&st, "PATH=/nonexistent %s prog dump %u --jited", test_path("rawbpf"), id);
	ASSERT(0, st);
	if (strstr(out, "no machine code"))
		SKIP("the kernel gives no JIT image here");
	s = strchr(out, '\n');                      /* after the header line */
	ASSERT_TRUE(s != NULL, "no output");
	while (*s) {
		int used = 0;

		if (sscanf(s, "%2x%n", &v, &used) == 1 && used == 2) {
			bytes++;
			s += used;
		} else {
			s++;
		}
	}
	ASSERT(atoi(f[5]), bytes);
	free(out);
	close(fd);
	close(mfd);
}

/* A program loaded with BTF: the dump names its functions (func_info) and shows
 * source lines (line_info), as bpftool does. */
TEST(kview_prog_dump_functions_and_lines)
{
	struct rbpf_object *obj;
	struct rbpf_prog *p;
	char *out;
	int st;

	NEED_ROOT();
	ASSERT(0, rbpf_object_open(test_path("tests/bpf/elf_subprog.bpf.o"), &obj));
	p = rbpf_object_find_prog(obj, "sub_first");
	ASSERT_TRUE(p != NULL, "no sub_first");
	ASSERT_OK(rbpf_object_load_prog(p, 0));
	out = test_run_cmd(&st, "%s prog dump %u", test_path("rawbpf"), prog_id(rbpf_prog_fd(p)));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "\nsub_first:\n");
	ASSERT_CONTAINS(out, "\ntwice_plus_one:\n");
	ASSERT_CONTAINS(out, "\ntwice:\n");
	ASSERT_CONTAINS(out, "; return twice(x) + 1;");
	free(out);
	rbpf_object_close(obj);
}

/* An LPM trie has no batch lookup: the dump falls back to GET_NEXT_KEY + LOOKUP. */
TEST(kview_map_dump_lpm_fallback_matches_bpftool)
{
	struct rbpf_map_create_args m = {
		.type = BPF_MAP_TYPE_LPM_TRIE, .name = "t_kview_lpm", .key_size = 8,
		.value_size = 4, .max_entries = 16, .map_flags = BPF_F_NO_PREALLOC,
	};
	struct { uint32_t prefixlen; uint8_t addr[4]; } k[3] = {
		{ 24, { 10, 0, 0, 0 } }, { 16, { 192, 168, 0, 0 } }, { 32, { 127, 0, 0, 1 } },
	};
	uint32_t v, i;
	int fd;

	NEED_ROOT();
	NEED_CMD("bpftool");
	fd = rbpf_map_create(&m);
	ASSERT_OK(fd);
	for (i = 0; i < 3; i++) {
		v = 100 + i;
		ASSERT(0, rbpf_map_update_elem(fd, &k[i], &v, BPF_ANY));
	}
	compare_map_dump(fd, 3);
	close(fd);
}

/* 6.9+ inlines per-CPU array lookups with an instruction the verifier never shows:
 * mov with off -1, "r0 = &(void __percpu *)(r0)".  Find it in the translated
 * program and check our dump prints it so. */
TEST(kview_prog_dump_percpu_mov)
{
	struct rbpf_map_create_args m = {
		.type = BPF_MAP_TYPE_PERCPU_ARRAY, .name = "t_kview_pc",
		.key_size = 4, .value_size = 8, .max_entries = 4,
	};
	int mfd, fd, st;
	char *out;
	struct bpf_insn x[64];
	struct bpf_prog_info info;
	uint32_t len = sizeof(info), i, n;

	NEED_ROOT();
	mfd = rbpf_map_create(&m);
	ASSERT_OK(mfd);
	fd = test_load_map_user("t_kview_pc", mfd, 1);
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = sizeof(x);
	info.xlated_prog_insns = (uint64_t)(unsigned long)x;
	ASSERT(0, rbpf_obj_get_info_by_fd(fd, &info, &len));
	n = info.xlated_prog_len / 8 < 64 ? info.xlated_prog_len / 8 : 64;
	for (i = 0; i < n; i++)
		if (x[i].code == (BPF_ALU64 | BPF_MOV | BPF_X) && x[i].off == -1)
			break;
	if (i == n)
		SKIP("this kernel does not inline per-CPU array lookups");
	out = test_run_cmd(&st, "%s prog dump %u", test_path("rawbpf"), info.id);
	ASSERT(0, st);
	ASSERT_CONTAINS(out, test_fmt("%4u: (bf) r%d = &(void __percpu *)(r%d)\n", i,
				      x[i].dst_reg, x[i].src_reg));
	free(out);
	close(fd);
	close(mfd);
}
