/*
 * elf.c -- malformed objects: each one gives its own error, and none crashes.
 *
 * The corpus is made here from a real object (tests/bpf/elf_btfmap.bpf.o), read into
 * memory and damaged one way per case: truncated at every section boundary, an
 * offset or size past the end, a bad symbol or section index, a relocation that is
 * misaligned or lands on the wrong instruction, a 32-bit or non-BPF or empty file.
 * Each case asserts the errno and the part of the message that names what is wrong.
 * Then a few thousand random byte flips must all end in an error or a clean open.
 * No kernel is needed: only rbpf_object_open_mem runs.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "test.h"

struct image {
	uint8_t *b;
	size_t n;
};

static struct image load_base(void)
{
	const char *path = test_path("tests/bpf/elf_btfmap.bpf.o");
	struct image im = { 0 };
	FILE *f = fopen(path, "rb");

	ASSERT_TRUE(f != NULL, "cannot open %s", path);
	im.b = malloc(1 << 20);
	im.n = fread(im.b, 1, 1 << 20, f);
	fclose(f);
	ASSERT_TRUE(im.n > sizeof(Elf64_Ehdr), "read %s", path);
	return im;
}

static Elf64_Ehdr *ehdr(struct image *im) { return (Elf64_Ehdr *)im->b; }

static Elf64_Shdr *shdr(struct image *im, unsigned i)
{
	return (Elf64_Shdr *)(im->b + ehdr(im)->e_shoff) + i;
}

static Elf64_Shdr *sec_by_name(struct image *im, const char *name)
{
	const char *names = (char *)im->b + shdr(im, ehdr(im)->e_shstrndx)->sh_offset;
	unsigned i;

	for (i = 1; i < ehdr(im)->e_shnum; i++)
		if (!strcmp(names + shdr(im, i)->sh_name, name))
			return shdr(im, i);
	FAIL("no section %s in the base object", name);
}

static Elf64_Sym *sym_by_name(struct image *im, const char *name)
{
	Elf64_Shdr *st = sec_by_name(im, ".symtab");
	const char *str = (char *)im->b + shdr(im, st->sh_link)->sh_offset;
	Elf64_Sym *s = (Elf64_Sym *)(im->b + st->sh_offset);
	unsigned i;

	for (i = 0; i < st->sh_size / sizeof(*s); i++)
		if (!strcmp(str + s[i].st_name, name))
			return &s[i];
	FAIL("no symbol %s in the base object", name);
}

/* The first relocation patching the xdp section (a map reference). */
static Elf64_Rel *first_rel(struct image *im)
{
	return (Elf64_Rel *)(im->b + sec_by_name(im, ".relxdp")->sh_offset);
}

/* Open the damaged image; expect err and a message containing want. */
static void expect(struct image *im, size_t n, int err, const char *want)
{
	struct rbpf_object *obj = NULL;
	int r = rbpf_object_open_mem(im->b, n, "bad.o", &obj);

	if (r >= 0)
		rbpf_object_close(obj);
	ASSERT(err, r);
	ASSERT_TRUE(obj == NULL, "no object on failure");
	ASSERT_CONTAINS(rbpf_errmsg(), want);
	ASSERT_CONTAINS(rbpf_errmsg(), "bad.o");
}

TEST(elf_base_object_opens)
{
	struct image im = load_base();
	struct rbpf_object *obj;

	ASSERT(0, rbpf_object_open_mem(im.b, im.n, "good.o", &obj));
	rbpf_object_close(obj);
	free(im.b);
}

TEST(elf_bad_headers)
{
	struct image im = load_base();

	expect(&im, 0, -EINVAL, "the file is empty");
	expect(&im, 3, -EINVAL, "not an ELF file");
	expect(&im, 40, -EINVAL, "too short for an ELF header");
	ehdr(&im)->e_ident[EI_CLASS] = ELFCLASS32;
	expect(&im, im.n, -EINVAL, "32-bit ELF");
	ehdr(&im)->e_ident[EI_CLASS] = ELFCLASS64;
	ehdr(&im)->e_ident[EI_DATA] = ELFDATA2MSB;
	expect(&im, im.n, -EINVAL, "big-endian");
	ehdr(&im)->e_ident[EI_DATA] = ELFDATA2LSB;
	ehdr(&im)->e_machine = EM_X86_64;
	expect(&im, im.n, -EINVAL, "not a BPF object: e_machine is 62");
	ehdr(&im)->e_machine = 247;
	ehdr(&im)->e_shentsize = 32;
	expect(&im, im.n, -EINVAL, "section header size 32");
	ehdr(&im)->e_shentsize = sizeof(Elf64_Shdr);
	ehdr(&im)->e_shstrndx = ehdr(&im)->e_shnum;
	expect(&im, im.n, -EINVAL, "section name table index");
	free(im.b);
}

/* Cut the file at every section's start and end: the section table (at the end of
 * what clang writes) is then outside the file. */
TEST(elf_truncated_at_section_boundaries)
{
	struct image im = load_base();
	unsigned i, cuts = 0;
	uint64_t at[2];
	int k;

	for (i = 1; i < ehdr(&im)->e_shnum; i++) {
		at[0] = shdr(&im, i)->sh_offset;
		at[1] = at[0] + (shdr(&im, i)->sh_type == SHT_NOBITS ? 0 : shdr(&im, i)->sh_size);
		for (k = 0; k < 2; k++) {
			if (at[k] >= im.n || at[k] < sizeof(Elf64_Ehdr))
				continue;
			expect(&im, at[k], -EINVAL, "section header table");
			cuts++;
		}
	}
	/* and inside the section table itself */
	expect(&im, ehdr(&im)->e_shoff + sizeof(Elf64_Shdr) * 2 + 7, -EINVAL,
	       "section header table");
	ASSERT_TRUE(cuts > 10, "%u cuts", cuts);
	free(im.b);
}

TEST(elf_offsets_and_sizes_past_the_end)
{
	struct image im = load_base();
	Elf64_Shdr *s = sec_by_name(&im, "xdp");
	Elf64_Shdr save = *s;

	s->sh_offset = im.n + 8;
	expect(&im, im.n, -EINVAL, "section 3 (xdp) at offset");
	*s = save;
	s->sh_size = 1ull << 40;                       /* oversized */
	expect(&im, im.n, -EINVAL, "lies past the end of the file");
	*s = save;
	s->sh_size -= 4;                               /* half an instruction */
	expect(&im, im.n, -EINVAL, "not a whole number of 8-byte instructions");
	*s = save;
	s = sec_by_name(&im, ".symtab");
	s->sh_size -= 5;
	expect(&im, im.n, -EINVAL, "not a whole number of symbols");
	s->sh_size += 5;
	s->sh_name = 1u << 30;
	expect(&im, im.n, -EINVAL, "outside the section name table");
	free(im.b);
}

TEST(elf_bad_relocations)
{
	struct image im = load_base();
	Elf64_Rel *r = first_rel(&im), save = *r;

	r->r_offset += 4;
	expect(&im, im.n, -EINVAL, "is not a multiple of 8");
	r->r_offset = 1ull << 20;
	expect(&im, im.n, -EINVAL, "is past the end of the section");
	*r = save;
	r->r_info = ELF64_R_INFO(0xffffff, ELF64_R_TYPE(save.r_info));
	expect(&im, im.n, -EINVAL, "names a symbol that does not exist");
	*r = save;
	r->r_offset += 8;                              /* the ld_imm64's second half */
	expect(&im, im.n, -EINVAL, "neither ld_imm64 nor a call");
	*r = save;
	sec_by_name(&im, ".relxdp")->sh_info = 999;
	expect(&im, im.n, -EINVAL, "patches section 999");
	free(im.b);
}

TEST(elf_bad_symbols)
{
	struct image im = load_base();
	Elf64_Sym *map = sym_by_name(&im, "counts"), *fn = sym_by_name(&im, "count_runs");
	Elf64_Sym *lic = sym_by_name(&im, "LICENSE"), save = *map;
	Elf64_Sym *syms = (Elf64_Sym *)(im.b + sec_by_name(&im, ".symtab")->sh_offset);
	Elf64_Rel *r = first_rel(&im), rsave = *r;

	map->st_shndx = 0x1234;                        /* a map symbol in no section */
	expect(&im, im.n, -EINVAL, "map counts: no symbol in section '.maps'");
	*map = save;
	lic->st_shndx = 0x1234;                        /* a relocation to such a symbol */
	r->r_info = ELF64_R_INFO(lic - syms, ELF64_R_TYPE(r->r_info));
	expect(&im, im.n, -EINVAL, "symbol 'LICENSE' has section index 4660");
	*r = rsave;
	fn->st_size = r->r_offset + 8;                 /* ends inside the first ld_imm64 */
	expect(&im, im.n, -EINVAL, "ld_imm64 at offset");
	ASSERT_CONTAINS(rbpf_errmsg(), "cut in half by the end of its function");
	fn->st_size = 1u << 20;
	expect(&im, im.n, -EINVAL, "function count_runs at offset 0, size 1048576, does not fit");
	free(im.b);
}

TEST(elf_bad_btf)
{
	struct image im = load_base();
	Elf64_Shdr *s = sec_by_name(&im, ".BTF");
	uint32_t *hdr = (uint32_t *)(im.b + s->sh_offset);    /* magic+ver+flags, hdr_len, ... */

	hdr[3] += 1000000;                             /* type_len past the section */
	expect(&im, im.n, -EINVAL, "outside the");
	hdr[3] -= 1000000;
	im.b[s->sh_offset] = 0;                        /* magic */
	expect(&im, im.n, -EINVAL, "bad .BTF magic");
	free(im.b);
}

TEST(elf_unknown_section_name)
{
	struct image im = load_base();
	const char *names = (char *)im.b + shdr(&im, ehdr(&im)->e_shstrndx)->sh_offset;
	char *xdp = (char *)names + sec_by_name(&im, "xdp")->sh_name;

	memcpy(xdp, "xyz", 3);
	expect(&im, im.n, -EINVAL, "section 'xyz': unknown program section name; known: kprobe[/...]");
	free(im.b);
}

/* Random damage: any byte may change; the reader must answer, never crash. */
TEST(elf_random_damage_never_crashes)
{
	struct image im = load_base();
	uint8_t *copy = malloc(im.n);
	struct rbpf_object *obj;
	unsigned i, k, opened = 0;

	srand(12345);
	for (i = 0; i < 20000; i++) {
		memcpy(copy, im.b, im.n);
		for (k = 0; k < 1 + (unsigned)rand() % 4; k++)
			copy[rand() % im.n] = rand();
		if (rbpf_object_open_mem(copy, im.n, "fuzz.o", &obj) == 0) {
			opened++;
			rbpf_object_close(obj);
		} else {
			ASSERT_TRUE(rbpf_errmsg()[0] != 0, "an error without a message");
		}
	}
	ASSERT_TRUE(opened < 20000, "some damage must be noticed");
	free(copy);
	free(im.b);
}

/* A BTF the kernel refuses (a function name that is not an identifier): the
 * programs load without it and the object says so. */
TEST(obj_btf_refused_loads_without)
{
	struct image im = { 0 };
	Elf64_Shdr *s;
	struct rbpf_object *obj;
	uint8_t *p, *end;
	FILE *f;

	NEED_ROOT();
	f = fopen(test_path("tests/bpf/elf_globals.bpf.o"), "rb");
	ASSERT_TRUE(f != NULL, "elf_globals.bpf.o");
	im.b = malloc(1 << 20);
	im.n = fread(im.b, 1, 1 << 20, f);
	fclose(f);
	s = sec_by_name(&im, ".BTF");
	p = memmem(im.b + s->sh_offset, s->sh_size, "\0globals\0", 9);
	ASSERT_TRUE(p != NULL, "the function's name in .BTF's strings");
	end = p + 1;
	memcpy(end, "glo-als", 7);
	ASSERT(0, rbpf_object_open_mem(im.b, im.n, "btf.o", &obj));
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(-1, rbpf_object_btf_fd(obj));
	ASSERT_CONTAINS(rbpf_object_notes(obj), "the kernel refused the object's BTF");
	ASSERT_OK(rbpf_prog_fd(rbpf_object_find_prog(obj, "globals")));
	rbpf_object_close(obj);
	free(im.b);
}
