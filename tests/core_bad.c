/*
 * core_bad.c -- malformed CO-RE records and BTF: an error that says what, never a
 * crash or a hang.
 *
 * The base is a real object (tests/libbpf/core_kinds.bpf.o: every relocation kind),
 * read into memory; each row damages one thing -- an access string, a record's type
 * id or kind or instruction offset, the type graph (a modifier that points at itself)
 * -- and the relocations are resolved against the object's own BTF (RBPF_CORE_SELF:
 * no kernel needed).  Then every byte of the CO-RE records and a few thousand random
 * flips of the .BTF section: each relocation resolves or fails, nothing else.
 */
#include <elf.h>
#include <linux/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "test.h"

#define OBJ "tests/libbpf/core_kinds.bpf.o"

struct image {
	uint8_t *b;
	size_t n;
};

static struct image load(void)
{
	struct image im = { malloc(1 << 20), 0 };
	FILE *f = fopen(test_path(OBJ), "rb");

	ASSERT_TRUE(f != NULL, "cannot open %s", test_path(OBJ));
	im.n = fread(im.b, 1, 1 << 20, f);
	fclose(f);
	return im;
}

/* The bytes of section name. */
static uint8_t *sec(struct image *im, const char *name, size_t *size)
{
	Elf64_Ehdr *e = (Elf64_Ehdr *)im->b;
	Elf64_Shdr *s = (Elf64_Shdr *)(im->b + e->e_shoff);
	const char *names = (char *)im->b + s[e->e_shstrndx].sh_offset;
	unsigned i;

	for (i = 1; i < e->e_shnum; i++)
		if (!strcmp(names + s[i].sh_name, name)) {
			if (size)
				*size = s[i].sh_size;
			return im->b + s[i].sh_offset;
		}
	FAIL("%s has no section %s", OBJ, name);
}

/* The first CO-RE record of the first block: {insn_off, type_id, access_str_off, kind}. */
static uint32_t *first_rec(struct image *im)
{
	uint8_t *x = sec(im, ".BTF.ext", NULL);
	uint32_t hdr_len, core_off;

	memcpy(&hdr_len, x + 4, 4);
	memcpy(&core_off, x + 24, 4);
	return (uint32_t *)(x + hdr_len + core_off + 4 + 8);   /* rec size, sec, count */
}

/* The BTF string at off (in the .BTF section), writable. */
static char *btf_string(struct image *im, uint32_t off)
{
	struct btf_header *h = (struct btf_header *)sec(im, ".BTF", NULL);

	return (char *)h + h->hdr_len + h->str_off + off;
}

/* Open the damaged image; resolve every relocation of every program against its own
 * BTF.  Returns the first error's message ("" if none), after checking the errno. */
static const char *resolve_all(struct image *im, int *failed)
{
	static char msg[1024];
	struct rbpf_object *obj;
	struct rbpf_prog *p = NULL;
	struct rbpf_core_row row;
	uint32_t i;

	*failed = 0;
	msg[0] = 0;
	if (rbpf_object_open_mem(im->b, im->n, "damaged", &obj) < 0) {
		*failed = -1;
		snprintf(msg, sizeof(msg), "%s", rbpf_errmsg());
		return msg;
	}
	while ((p = rbpf_object_next_prog(obj, p)))
		for (i = 0; i < rbpf_prog_core_count(p); i++)
			if (rbpf_prog_core_row(p, i, RBPF_CORE_SELF, &row) < 0 && !*failed) {
				*failed = 1;
				ASSERT_TRUE(row.err < 0, "an error row has its errno");
				snprintf(msg, sizeof(msg), "%s", rbpf_errmsg());
			}
	rbpf_object_close(obj);
	return msg;
}

/* Against itself, the one error is real: struct task_struct's "target type id" has
 * two candidates there, task_struct and task_struct___old, with different ids. */
TEST(core_bad_base_resolves_against_itself)
{
	struct image im = load();
	int failed;

	ASSERT_CONTAINS(resolve_all(&im, &failed), "candidates task_struct [");
	ASSERT_CONTAINS(resolve_all(&im, &failed), "and task_struct___old [");
	ASSERT(1, failed);
	free(im.b);
}

TEST(core_bad_access_strings)
{
	static const char *bad[] = { "0:x", "", ":1", "0:", "0::1", "99999999999", "0:9999" };
	struct image im = load();
	uint32_t *rec = first_rec(&im);
	char *acc = btf_string(&im, rec[2]), saved[64];
	size_t i, len = strlen(acc);
	int failed;

	snprintf(saved, sizeof(saved), "%s", acc);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (strlen(bad[i]) > len)           /* write in place: no longer than it was */
			continue;
		memset(acc, 0, len);
		memcpy(acc, bad[i], strlen(bad[i]));
		ASSERT_CONTAINS(resolve_all(&im, &failed), i == 6 ? "step 1: index 9999" :
				"bad access string");
		ASSERT(1, failed);
	}
	memcpy(acc, saved, len);
	free(im.b);
}

TEST(core_bad_record_fields)
{
	struct image im = load();
	uint32_t *rec = first_rec(&im), saved[4];
	int failed;

	memcpy(saved, rec, sizeof(saved));
	rec[1] = 0xffffff;                                  /* type id past the end */
	ASSERT_CONTAINS(resolve_all(&im, &failed), "type id 16777215");
	ASSERT(1, failed);
	memcpy(rec, saved, sizeof(saved));
	rec[3] = 99;                                        /* no such kind */
	ASSERT_CONTAINS(resolve_all(&im, &failed), "kind 99 is out of range");
	memcpy(rec, saved, sizeof(saved));
	rec[2] = 0x7fffffff;                                /* access string past the strings */
	ASSERT_CONTAINS(resolve_all(&im, &failed), "offset past the strings");
	memcpy(rec, saved, sizeof(saved));
	rec[0] += 3;                                        /* not at an instruction */
	ASSERT_CONTAINS(resolve_all(&im, &failed), "not at an instruction");
	ASSERT(-1, failed);
	free(im.b);
}

/* A modifier that points at itself, made the root of a relocation: bounded. */
TEST(core_bad_type_loop)
{
	struct image im = load();
	struct btf_header *h = (struct btf_header *)sec(&im, ".BTF", NULL);
	uint8_t *t = (uint8_t *)h + h->hdr_len + h->type_off;
	uint32_t *rec = first_rec(&im), off = 0, id = 1, info, kind, vlen;
	int failed, found = 0;

	while (off < h->type_len && !found) {               /* find a PTR, CONST or TYPEDEF */
		memcpy(&info, t + off + 4, 4);
		kind = BTF_INFO_KIND(info), vlen = BTF_INFO_VLEN(info);
		if (kind == BTF_KIND_PTR || kind == BTF_KIND_CONST || kind == BTF_KIND_TYPEDEF) {
			info = BTF_KIND_TYPEDEF << 24;
			memcpy(t + off + 4, &info, 4);
			memcpy(t + off + 8, &id, 4);        /* typedef X -> X */
			found = 1;
			break;
		}
		off += 12 + (kind == BTF_KIND_INT || kind == BTF_KIND_VAR || kind == BTF_KIND_DECL_TAG ?
			     4 : kind == BTF_KIND_ARRAY ? 12 : kind == BTF_KIND_ENUM ? 8 * vlen :
			     kind == BTF_KIND_DATASEC || kind == BTF_KIND_STRUCT ||
			     kind == BTF_KIND_UNION || kind == BTF_KIND_ENUM64 ? 12 * vlen :
			     kind == BTF_KIND_FUNC_PROTO ? 8 * vlen : 0);
		id++;
	}
	ASSERT_TRUE(found, "a modifier in %s", OBJ);
	rec[1] = id;
	ASSERT_CONTAINS(resolve_all(&im, &failed), "has no size");
	ASSERT(1, failed);
	free(im.b);
}

/* Every byte of the first records and random bytes of .BTF: resolve or fail. */
TEST(core_bad_random_damage)
{
	struct image im = load();
	uint8_t *rec = (uint8_t *)first_rec(&im), *btf, old;
	size_t i, n;
	int failed;

	test_timeout(300);
	for (i = 0; i < 64; i++) {
		old = rec[i];
		rec[i] ^= 0xff;
		resolve_all(&im, &failed);
		rec[i] = old;
	}
	btf = sec(&im, ".BTF", &n);
	srand(7);
	for (i = 0; i < 1500; i++) {
		size_t at = 24 + (size_t)rand() % (n - 24);

		old = btf[at];
		btf[at] ^= 1 << (rand() % 8);
		resolve_all(&im, &failed);
		btf[at] = old;
	}
	ASSERT_CONTAINS(resolve_all(&im, &failed), "cannot choose");   /* the base's own */
	free(im.b);
}
