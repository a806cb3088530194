/*
 * badinput.c -- malformed objects, refused with a message that says where, and
 * nothing leaked.
 *
 * The cases are rows: a name, a function that breaks one thing in a copy of a real
 * object (tests/bpf/elf_globals.bpf.o: programs, relocations, global data, BTF and
 * BTF.ext), and a piece of the message expected.  The object's own name must be in
 * every message.  Then every prefix of two real objects (the file cut at each byte).
 * Fds and heap are measured around all of it (tests/hardening.c).
 */
#include <elf.h>
#include <linux/btf.h>
#include <stdio.h>
#include <stdlib.h>

#include "rawbpf.h"
#include "test.h"
#include "hardening.h"

#define OBJ "tests/bpf/elf_globals.bpf.o"

/* ---------------------------------------------- a tiny ELF editor for the rows */

static Elf64_Ehdr *ehdr(uint8_t *b) { return (Elf64_Ehdr *)b; }

static Elf64_Shdr *shdr(uint8_t *b, unsigned i)
{
	return (Elf64_Shdr *)(b + ehdr(b)->e_shoff) + i;
}

/* The header of the section called name (FAILs if there is none). */
static Elf64_Shdr *sec(uint8_t *b, const char *name)
{
	const char *names = (char *)b + shdr(b, ehdr(b)->e_shstrndx)->sh_offset;
	unsigned i;

	for (i = 1; i < ehdr(b)->e_shnum; i++)
		if (!strcmp(names + shdr(b, i)->sh_name, name))
			return shdr(b, i);
	FAIL("%s has no section %s", OBJ, name);
}

static void *sec_data(uint8_t *b, const char *name)
{
	return b + sec(b, name)->sh_offset;
}

/* Each breaks one thing; returns the new size. */
static size_t empty(uint8_t *b, size_t n) { (void)b; (void)n; return 0; }
static size_t short_hdr(uint8_t *b, size_t n) { (void)b; (void)n; return 20; }
static size_t bad_magic(uint8_t *b, size_t n) { b[1] = 'X'; return n; }
static size_t class32(uint8_t *b, size_t n) { b[EI_CLASS] = ELFCLASS32; return n; }
static size_t big_endian(uint8_t *b, size_t n) { b[EI_DATA] = ELFDATA2MSB; return n; }
static size_t x86_machine(uint8_t *b, size_t n) { ehdr(b)->e_machine = EM_X86_64; return n; }
static size_t shoff_past(uint8_t *b, size_t n) { ehdr(b)->e_shoff = n - 8; return n; }
static size_t shnum_huge(uint8_t *b, size_t n) { ehdr(b)->e_shnum = 0xffff; return n; }
static size_t shstrndx_bad(uint8_t *b, size_t n) { ehdr(b)->e_shstrndx = 999; return n; }
static size_t shentsize_bad(uint8_t *b, size_t n) { ehdr(b)->e_shentsize = 40; return n; }

static size_t sec_past_end(uint8_t *b, size_t n)
{
	sec(b, "xdp")->sh_offset = n - 16;
	return n;
}

static size_t sec_size_wraps(uint8_t *b, size_t n)
{
	sec(b, ".data")->sh_size = ~0ULL - 4;
	return n;
}

static size_t name_past_strtab(uint8_t *b, size_t n)
{
	sec(b, ".data")->sh_name = 0x7fffffff;
	return n;
}

static size_t no_symtab(uint8_t *b, size_t n)
{
	sec(b, ".symtab")->sh_type = SHT_PROGBITS;
	return n;
}

static size_t symtab_ragged(uint8_t *b, size_t n)
{
	sec(b, ".symtab")->sh_size -= 5;
	return n;
}

static size_t code_ragged(uint8_t *b, size_t n)
{
	sec(b, "xdp")->sh_size -= 3;
	return n;
}

static size_t rel_past_code(uint8_t *b, size_t n)
{
	((Elf64_Rel *)sec_data(b, ".relxdp"))->r_offset = 1 << 20;
	return n;
}

static size_t rel_misaligned(uint8_t *b, size_t n)
{
	((Elf64_Rel *)sec_data(b, ".relxdp"))->r_offset += 3;
	return n;
}

static size_t rel_bad_symbol(uint8_t *b, size_t n)
{
	Elf64_Rel *r = sec_data(b, ".relxdp");

	r->r_info = ELF64_R_INFO(100000, ELF64_R_TYPE(r->r_info));
	return n;
}

static size_t rel_bad_target(uint8_t *b, size_t n)
{
	sec(b, ".relxdp")->sh_info = 500;
	return n;
}

static size_t btf_magic(uint8_t *b, size_t n)
{
	((struct btf_header *)sec_data(b, ".BTF"))->magic = 0x1234;
	return n;
}

static size_t btf_str_huge(uint8_t *b, size_t n)
{
	((struct btf_header *)sec_data(b, ".BTF"))->str_len = 0x7fffffff;
	return n;
}

static size_t btf_type_kind(uint8_t *b, size_t n)
{
	struct btf_header *h = sec_data(b, ".BTF");
	struct btf_type *t = (void *)((uint8_t *)h + h->hdr_len + h->type_off);

	t->info = (t->info & ~(0x1fU << 24)) | (31U << 24);   /* kind 31: none */
	return n;
}

static size_t btf_ext_header(uint8_t *b, size_t n)
{
	((uint32_t *)sec_data(b, ".BTF.ext"))[1] = 0xfff;  /* hdr_len, after magic+ver+flags */
	return n;
}

/* "xdp" -> "xqp": a section the loader does not know.  The name may be shared
 * with the tail of ".relxdp" in the string table; both change, which is fine. */
static size_t unknown_sec(uint8_t *b, size_t n)
{
	char *names = (char *)b + shdr(b, ehdr(b)->e_shstrndx)->sh_offset;

	names[sec(b, "xdp")->sh_name + 1] = 'q';
	return n;
}

static const struct bad {
	const char *name;
	size_t (*brk)(uint8_t *b, size_t n);
	const char *expect;          /* in the message */
} bad[] = {
	{ "empty file", empty, "empty" },
	{ "shorter than the ELF header", short_hdr, "too short for an ELF header" },
	{ "bad magic", bad_magic, "not an ELF file" },
	{ "32-bit ELF", class32, "32-bit" },
	{ "big-endian ELF", big_endian, "big-endian" },
	{ "x86-64 object", x86_machine, "not a BPF object" },
	{ "section headers past the end", shoff_past, "section header table" },
	{ "65535 sections", shnum_huge, "section header table" },
	{ "name table index out of range", shstrndx_bad, "out of range" },
	{ "section header size 40", shentsize_bad, "section header size" },
	{ "section past the end", sec_past_end, "(xdp)" },
	{ "section size wraps", sec_size_wraps, "(.data)" },
	{ "section name past its table", name_past_strtab, "name offset" },
	{ "no symbol table", no_symtab, "no symbol table" },
	{ "symbol table not whole entries", symtab_ragged, "symbol table" },
	{ "code not whole instructions", code_ragged, "8-byte instructions" },
	{ "relocation past the code", rel_past_code, "past the end of the section" },
	{ "relocation not on an instruction", rel_misaligned, "not a multiple of 8" },
	{ "relocation's symbol missing", rel_bad_symbol, "symbol that does not exist" },
	{ "relocation of a missing section", rel_bad_target, "does not exist" },
	{ "BTF magic", btf_magic, "bad .BTF magic" },
	{ "BTF strings past the section", btf_str_huge, ".BTF header places" },
	{ "BTF type of unknown kind", btf_type_kind, "unknown kind" },
	{ "BTF.ext header", btf_ext_header, ".BTF.ext" },
	{ "unknown program section", unknown_sec, "unknown program section name" },
};

struct run {
	uint8_t *orig, *copy;
	size_t size;
};

static void run_rows(void *ctx)
{
	struct run *r = ctx;
	size_t i, n;
	int err;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(r->copy, r->orig, r->size);
		n = bad[i].brk(r->copy, r->size);
		err = hard_open_walk(r->copy, n, OBJ);
		ASSERT_TRUE(err < 0, "%s: opened, expected a refusal", bad[i].name);
		ASSERT_TRUE(strstr(rbpf_errmsg(), bad[i].expect) && strstr(rbpf_errmsg(), OBJ),
			    "%s: message \"%s\" lacks \"%s\" or the object's name",
			    bad[i].name, rbpf_errmsg(), bad[i].expect);
	}
}

TEST(badinput_malformed_objects_refused_and_named)
{
	struct run r;

	r.orig = hard_read_file(test_path(OBJ), &r.size);
	r.copy = malloc(r.size);
	ASSERT(0, hard_open_walk(r.orig, r.size, OBJ));   /* the original is fine */
	hard_no_leak("malformed objects", 16, 2, run_rows, &r);
	free(r.orig);
	free(r.copy);
}

/* Every prefix of a file: a download cut short, a build interrupted. */
static void prefixes(void *ctx)
{
	struct run *r = ctx;
	size_t n;

	for (n = 0; n < r->size; n++)
		ASSERT_TRUE(hard_open_walk(r->orig, n, "cut") < 0,
			    "the first %zu of %zu bytes opened", n, r->size);
}

TEST(badinput_every_prefix_refused)
{
	static const char *objs[] = { "tests/bpf/elf_subprog.bpf.o", "tests/bpf/elf_btfmap.bpf.o" };
	struct run r;
	size_t i;

	for (i = 0; i < 2; i++) {
		r.orig = hard_read_file(test_path(objs[i]), &r.size);
		hard_no_leak(objs[i], 2, 1, prefixes, &r);
		free(r.orig);
	}
}
