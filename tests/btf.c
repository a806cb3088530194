/*
 * btf.c -- the BTF reader (loader/btf*.c) against the kernel's own BTF, with bpftool's
 * plain dump of the same file as the oracle: every type's kind and name, every
 * struct/union member's name, type, bit offset and bitfield width, every enumerator's
 * value.  Then lookups by name and by essential name, sizes and alignments, and
 * malformed blobs (loops in the type graph, ids and offsets past the end).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../loader/btf.h"
#include "rawbpf.h"
#include "test.h"

static void need_vmlinux(struct btf *b)
{
	int r = btf_load_vmlinux(b);

	if (r == -ENOENT)
		SKIP("no /sys/kernel/btf/vmlinux");
	ASSERT_OK(r);
}

/* bpftool's kind words ("STRUCT", "FUNC_PROTO") against ours. */
static int same_kind(const char *word, uint32_t kind)
{
	char up[32];
	size_t i;

	snprintf(up, sizeof(up), "%s", btf_kind_str(kind));
	for (i = 0; up[i]; i++)
		up[i] = up[i] >= 'a' && up[i] <= 'z' ? up[i] - 32 : up[i];
	return strcmp(word, kind == 0 ? "VOID" : up) == 0;
}

/* A member line: 'name' type_id=T bits_offset=O [bitfield_size=S] */
static void check_member(const struct btf *b, const struct btf_type *t, uint32_t i,
			 const char *line, uint32_t id)
{
	const struct btf_member *m = &btf_members(t)[i];
	uint32_t type = 0, off = 0, bits = 0, my_off, my_bits;
	const char *q = strstr(line, "' type_id=");
	char want[160];
	int got = q ? sscanf(q, "' type_id=%u bits_offset=%u bitfield_size=%u",
			     &type, &off, &bits) : 0;

	ASSERT_TRUE(got >= 2, "type %u member %u: %s", id, i, line);
	snprintf(want, sizeof(want), "\t'%s' type_id", *btf_str(b, m->name_off) ?
		 btf_str(b, m->name_off) : "(anon)");
	ASSERT_TRUE(strncmp(line, want, strlen(want)) == 0, "type %u member %u: bpftool "
		    "says %s, we read %s", id, i, line, want);
	my_bits = btf_member_bitfield_size(t, i);
	my_off = btf_member_bit_offset(t, i);
	ASSERT_TRUE(type == m->type && off == my_off && bits == my_bits,
		    "type %u member %u: bpftool %u/%u/%u, ours %u/%u/%u", id, i,
		    type, off, bits, m->type, my_off, my_bits);
}

/* An enumerator line: 'NAME' val=V */
static void check_enum(const struct btf_type *t, uint32_t i, const char *line, uint32_t id)
{
	const char *q = strstr(line, "' val=");
	long long sv;
	unsigned long long v;

	ASSERT_TRUE(q != NULL, "type %u enumerator %u: %s", id, i, line);
	if (btf_kind(t) == BTF_KIND_ENUM64) {
		v = btf_enum64_value(&btf_enum64s(t)[i]);
		ASSERT_TRUE(strtoull(q + 6, NULL, 10) == v || (unsigned long long)strtoll(q + 6,
			    NULL, 10) == v, "type %u enumerator %u: %s vs %llu", id, i, line, v);
	} else {
		sv = btf_kflag(t) ? (int32_t)btf_enums(t)[i].val : (long long)(uint32_t)btf_enums(t)[i].val;
		ASSERT_TRUE(strtoll(q + 6, NULL, 10) == sv, "type %u enumerator %u: %s vs %lld",
			    id, i, line, sv);
	}
}

TEST(btf_vmlinux_matches_bpftool)
{
	struct btf b;
	const struct btf_type *t = NULL;
	char *out, *line, *save = NULL, kind[32], name[256];
	uint32_t id = 0, seen = 0, sub = 0;
	int st;

	NEED_CMD("bpftool");
	need_vmlinux(&b);
	out = test_run_cmd(&st, "bpftool btf dump file /sys/kernel/btf/vmlinux");
	ASSERT(0, st);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '[') {
			int got = sscanf(line, "[%u] %31s '%255[^']'", &id, kind, name);

			ASSERT_TRUE(got == 3, "cannot read: %s", line);
			t = btf_type(&b, id);
			ASSERT_TRUE(t && same_kind(kind, btf_kind(t)), "type %u: bpftool says %s, "
				    "we read %s", id, kind, t ? btf_kind_str(btf_kind(t)) : "nothing");
			ASSERT_STREQ(strcmp(name, "(anon)") ? name : "", btf_name(&b, id));
			seen++, sub = 0;
		} else if (t && (btf_kind(t) == BTF_KIND_STRUCT || btf_kind(t) == BTF_KIND_UNION)) {
			ASSERT_TRUE(sub < btf_vlen(t), "type %u: more members than %u", id, btf_vlen(t));
			check_member(&b, t, sub++, line, id);
		} else if (t && (btf_kind(t) == BTF_KIND_ENUM || btf_kind(t) == BTF_KIND_ENUM64)) {
			check_enum(t, sub++, line, id);
		}
	}
	ASSERT(b.ntypes - 1, seen);
	free(out);
	btf_free(&b);
}

/* 6.16+ lets sysfs BTF be mapped; then no copy of the 5.5 MB is made. */
TEST(btf_vmlinux_mapped_not_copied)
{
	struct utsname u;
	struct btf b;
	int maj = 0, min = 0;

	need_vmlinux(&b);
	uname(&u);
	sscanf(u.release, "%d.%d", &maj, &min);
	if (maj < 6 || (maj == 6 && min < 16)) {
		ASSERT_TRUE(b.owned != NULL, "read() fallback on %s", u.release);
		btf_free(&b);
		SKIP("kernel %s is older than 6.16: sysfs BTF cannot be mapped", u.release);
	}
	ASSERT_TRUE(b.map != NULL && b.owned == NULL, "mapped on %s", u.release);
	ASSERT_TRUE(btf_type_mut(&b, 1) == NULL, "a mapped BTF is read-only");
	btf_free(&b);
}

TEST(btf_find_by_name_and_flavour)
{
	struct btf b;
	uint32_t id, ts, n = 0;

	need_vmlinux(&b);
	ts = btf_find(&b, "task_struct", BTF_KIND_STRUCT);
	ASSERT_TRUE(ts != 0, "struct task_struct in vmlinux");
	ASSERT_STREQ("task_struct", btf_name(&b, ts));
	ASSERT(btf_type(&b, ts)->size, btf_type_size(&b, ts));
	ASSERT_TRUE(btf_type_align(&b, ts) >= 8, "task_struct aligned to %lld",
		    (long long)btf_type_align(&b, ts));
	ASSERT(0, btf_find(&b, "task_struct", BTF_KIND_UNION));
	ASSERT(0, btf_find(&b, "no_such_type_rawbpf", -1));
	ASSERT_STREQ("task_struct", btf_name(&b, btf_find(&b, "task_struct", -1)));
	for (id = 0; (id = btf_find_next(&b, "task_struct___x" , 11, id)); n++) {
		ASSERT_TRUE(btf_essential_len(btf_name(&b, id)) == 11 &&
			    !strncmp(btf_name(&b, id), "task_struct", 11), "id %u", id);
		ASSERT_TRUE(id > 0 && id < b.ntypes, "id %u", id);
	}
	ASSERT_TRUE(n >= 1, "at least struct task_struct has essential name task_struct");
	id = btf_find(&b, "btf_trace_sched_switch", BTF_KIND_TYPEDEF);
	ASSERT_TRUE(id != 0, "typedef btf_trace_sched_switch");
	ASSERT(BTF_KIND_PTR, btf_kind(btf_type(&b, btf_type(&b, id)->type)));
	btf_free(&b);
}

TEST(btf_essential_names)
{
	ASSERT(11, btf_essential_len("task_struct___old"));
	ASSERT(11, btf_essential_len("task_struct"));
	ASSERT(5, btf_essential_len("a___b___c"));
	ASSERT(7, btf_essential_len("__state"));
	ASSERT(9, btf_essential_len("x____y___"));      /* no flavour: '_' after ___ */
	ASSERT(1, btf_essential_len("x___1"));
	ASSERT(0, btf_essential_len(""));
}

/* ------------------------------------------------------------ malformed blobs */

/* Make a blob of n type words and the strings "\0a\0b\0". */
static size_t make_blob(uint8_t *out, const uint32_t *w, uint32_t n)
{
	struct btf_header h = { .magic = 0xeB9F, .version = 1, .hdr_len = sizeof(h) };
	static const char strs[] = "\0a\0b";

	h.type_len = n * 4, h.str_off = n * 4, h.str_len = sizeof(strs);
	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), w, n * 4);
	memcpy(out + sizeof(h) + n * 4, strs, sizeof(strs));
	return sizeof(h) + n * 4 + sizeof(strs);
}

#define INFO(kind, vlen) ((uint32_t)(kind) << 24 | (vlen))

TEST(btf_loops_and_bad_ids_are_errors)
{
	/* 1: typedef a -> 2; 2: const -> 1 (a loop).  3: array of 4 elems of 4 (itself).
	 * 4: struct b, 1 member of type 99 (past the end). */
	uint32_t w[] = { 1, INFO(BTF_KIND_TYPEDEF, 0), 2,  0, INFO(BTF_KIND_CONST, 0), 1,
			 0, INFO(BTF_KIND_ARRAY, 0), 0,  3, 1, 4,
			 3, INFO(BTF_KIND_STRUCT, 1), 8,  1, 99, 0 };
	uint8_t buf[512];
	struct btf b;
	uint32_t off, bits;

	ASSERT_OK(btf_parse(&b, buf, make_blob(buf, w, sizeof(w) / 4), "loops"));
	ASSERT(5, b.ntypes);
	ASSERT_TRUE(btf_resolve(&b, 1) == 1 || btf_resolve(&b, 1) == 2, "a loop ends");
	ASSERT(-EINVAL, btf_type_size(&b, 1));
	ASSERT(-EINVAL, btf_type_size(&b, 3));
	ASSERT(-EINVAL, btf_type_align(&b, 3));
	ASSERT(8, btf_type_size(&b, 4));
	ASSERT(-EINVAL, btf_type_align(&b, 4));
	btf_member_bits(&b, btf_type(&b, 4), 0, &off, &bits);
	ASSERT(0, off);
	ASSERT_TRUE(btf_type(&b, 99) == NULL && btf_type(&b, 0) == NULL, "ids checked");
	ASSERT_STREQ("", btf_name(&b, 99));
	ASSERT(0, btf_find(&b, "c", -1));
	ASSERT(4, btf_find(&b, "b", BTF_KIND_STRUCT));
	btf_free(&b);
}

TEST(btf_truncated_records_are_errors)
{
	uint32_t w[] = { 1, INFO(BTF_KIND_STRUCT, 3), 8, 1, 0, 0 };   /* 3 members, room for 1 */
	uint32_t k[] = { 1, INFO(31, 0), 0 };                          /* unknown kind */
	uint8_t buf[512];
	struct btf b;

	ASSERT(-EINVAL, btf_parse(&b, buf, make_blob(buf, w, 6), "short"));
	ASSERT_CONTAINS(rbpf_errmsg(), "runs past the end of the type section");
	ASSERT(-EINVAL, btf_parse(&b, buf, make_blob(buf, k, 3), "kind"));
	ASSERT_CONTAINS(rbpf_errmsg(), "unknown kind 31");
	ASSERT(-EINVAL, btf_parse(&b, buf, 10, "tiny"));
}

/* A partial index finds what it was told, as the full one does, and still finds the
 * rest (slower); a name said twice is kept once. */
TEST(btf_load_only_named_types)
{
	const char *names[] = { "task_struct___mine", "btf_trace_sched_switch", "task_struct" };
	struct btf b, full;
	uint32_t full_mm, id, fid;

	need_vmlinux(&full);
	full_mm = btf_find(&full, "mm_struct", BTF_KIND_STRUCT);
	ASSERT_OK(btf_load_only(&b, NULL, names, 3));
	ASSERT(2, b.nonly);
	ASSERT_STREQ("task_struct", b.only[0].name);
	ASSERT(11, b.only[0].len);
	for (id = fid = 0;;) {           /* every type of essential name task_struct */
		id = btf_find_next(&b, "task_struct", 11, id);
		fid = btf_find_next(&full, "task_struct", 11, fid);
		ASSERT(fid, id);
		if (!id)
			break;
	}
	ASSERT(btf_find(&full, "btf_trace_sched_switch", BTF_KIND_TYPEDEF),
	       btf_find(&b, "btf_trace_sched_switch", BTF_KIND_TYPEDEF));
	ASSERT_TRUE(b.only != NULL && b.picked == NULL, "still partial, picks dropped");
	ASSERT(full_mm, btf_find(&b, "mm_struct", BTF_KIND_STRUCT));   /* not wanted */
	ASSERT_TRUE(b.only == NULL, "then indexed in full");
	btf_free(&b);
	btf_free(&full);
}

/* Names that share a wanted name's first bytes: only the name itself and its
 * ___flavours are in the partial index, in id order; the others are found after. */
TEST(btf_load_only_flavours_and_near_names)
{
	static const char strs[] = "\0foo\0foo___v2\0foobar\0fo\0foo_\0xfoo\0foo___\0foo___v2___v3";
	uint32_t w[8 * 3], k, off = 1, id;
	struct btf_header h = { .magic = 0xeB9F, .version = 1, .hdr_len = sizeof(h) };
	const char *names[] = { "foo___mine" };
	char path[64];
	uint8_t buf[512];
	struct btf b;
	FILE *f;

	for (k = 0; k < 8; k++) {        /* 8 empty structs, one per name */
		w[3 * k] = off, w[3 * k + 1] = INFO(BTF_KIND_STRUCT, 0), w[3 * k + 2] = 0;
		off += strlen(strs + off) + 1;
	}
	h.type_len = sizeof(w), h.str_off = sizeof(w), h.str_len = sizeof(strs);
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), w, sizeof(w));
	memcpy(buf + sizeof(h) + sizeof(w), strs, sizeof(strs));
	snprintf(path, sizeof(path), "/tmp/rawbpf-btf-only.%d", (int)getpid());
	ASSERT_TRUE((f = fopen(path, "w")) != NULL, "create %s", path);
	fwrite(buf, 1, sizeof(h) + sizeof(w) + sizeof(strs), f);
	fclose(f);
	k = btf_load_only(&b, path, names, 1);
	unlink(path);
	ASSERT_OK(k);
	ASSERT(1, id = btf_find_next(&b, "foo", 3, 0));             /* foo */
	ASSERT(2, id = btf_find_next(&b, "foo", 3, id));            /* foo___v2 */
	ASSERT(0, btf_find_next(&b, "foo", 3, id));  /* not foobar, foo_, foo___, foo___v2___v3 */
	ASSERT_TRUE(b.only != NULL, "still partial");
	ASSERT(3, btf_find(&b, "foobar", BTF_KIND_STRUCT));
	ASSERT(8, btf_find(&b, "foo___v2___v3", BTF_KIND_STRUCT));
	btf_free(&b);
}
