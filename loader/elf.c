/*
 * elf.c -- read an ELF64 file that clang -target bpf wrote, trusting nothing.
 *
 * An ELF object is a header, a table of sections, and the sections' bytes.  We need
 * only four things from it: each section's name, type and bytes; the symbol table and
 * its strings; which relocation section patches which section; and that every one of
 * those lies inside the file.  So elf_parse checks the header (magic, 64-bit,
 * little-endian, EM_BPF), checks the section table and each section against the file
 * size, finds the symbol table, and from then on nothing else needs a bounds check
 * except the indices stored inside the sections (symbol and section numbers), which
 * the object*.c files check where they use them.
 *
 * The same reader opens the programs and shared libraries a uprobe goes into
 * (elf_parse_target): any machine, a symbol table that may be missing (stripped
 * files keep only .dynsym), and the program headers, which say where each part of
 * the file is mapped in memory -- the link between a symbol's address and its
 * place in the file (elf_vaddr_to_offset; loader/elf_func.c uses both).
 *
 * The file's bytes stay where they are; the reader keeps pointers into them.
 * (The layout: the System V gABI, "Object Files"; glibc's <elf.h> names the fields.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf.h"
#include "rawbpf.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* Is [off, off + len) inside a file of size bytes?  Written to not overflow. */
static int in_file(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

/* A NUL-terminated string at off inside tab[0..size), or NULL. */
static const char *str_at(const char *tab, uint64_t size, uint64_t off)
{
	if (!tab || off >= size || !memchr(tab + off, 0, size - off))
		return NULL;
	return tab + off;
}

/* bpf: 1 for a BPF object (EM_BPF required), 0 for a program or library. */
static int check_header(const struct elf *e, const Elf64_Ehdr *h, int bpf)
{
	if (e->size == 0)
		return rbpf_error(EINVAL, "elf: %s: the file is empty", e->name);
	if (e->size < 4 || memcmp(h->e_ident, ELFMAG, SELFMAG) != 0)
		return rbpf_error(EINVAL, "elf: %s: not an ELF file (no \\177ELF magic)", e->name);
	if (e->size < sizeof(*h))
		return rbpf_error(EINVAL, "elf: %s: too short for an ELF header (%zu bytes)",
				  e->name, e->size);
	if (h->e_ident[EI_CLASS] != ELFCLASS64)
		return rbpf_error(EINVAL, "elf: %s: a 32-bit ELF file; %s", e->name, bpf ?
				  "BPF objects are ELF64 (compile with clang -target bpf)" :
				  "rawbpf reads 64-bit files only");
	if (h->e_ident[EI_DATA] != ELFDATA2LSB)
		return rbpf_error(EINVAL, "elf: %s: big-endian ELF; this loader reads "
				  "little-endian objects (-target bpf or bpfel)", e->name);
	if (bpf && h->e_machine != EM_BPF)
		return rbpf_error(EINVAL, "elf: %s: not a BPF object: e_machine is %u, expected "
				  "%u (EM_BPF); compile with clang -target bpf",
				  e->name, h->e_machine, EM_BPF);
	if (h->e_shentsize != sizeof(Elf64_Shdr))
		return rbpf_error(EINVAL, "elf: %s: section header size %u, expected %zu",
				  e->name, h->e_shentsize, sizeof(Elf64_Shdr));
	if (h->e_shnum == 0 || h->e_shoff % 8 ||
	    !in_file(h->e_shoff, (uint64_t)h->e_shnum * sizeof(Elf64_Shdr), e->size))
		return rbpf_error(EINVAL, "elf: %s: section header table (offset %llu, %u "
				  "entries) lies outside the file (%zu bytes) or is misaligned",
				  e->name, (unsigned long long)h->e_shoff, h->e_shnum, e->size);
	if (h->e_shstrndx == 0 || h->e_shstrndx >= h->e_shnum)
		return rbpf_error(EINVAL, "elf: %s: section name table index %u out of range "
				  "(%u sections)", e->name, h->e_shstrndx, h->e_shnum);
	return 0;
}

/* Fill e->secs[i] from its header; its bytes must lie inside the file. */
static int read_section(struct elf *e, uint32_t i, const Elf64_Shdr *sh,
			const Elf64_Shdr *names)
{
	struct elf_sec *s = &e->secs[i];
	const char *n;

	n = str_at((const char *)e->buf + names->sh_offset, names->sh_size, sh->sh_name);
	if (!n)
		return rbpf_error(EINVAL, "elf: %s: section %u: name offset %u is outside the "
				  "section name table", e->name, i, sh->sh_name);
	s->name = n;
	s->type = sh->sh_type;
	s->flags = sh->sh_flags;
	s->size = sh->sh_size;
	s->link = sh->sh_link;
	s->info = sh->sh_info;
	if (sh->sh_type == SHT_NOBITS || sh->sh_type == SHT_NULL || sh->sh_size == 0)
		return 0;
	if (!in_file(sh->sh_offset, sh->sh_size, e->size))
		return rbpf_error(EINVAL, "elf: %s: section %u (%s) at offset %llu, size %llu, "
				  "lies past the end of the file (%zu bytes)", e->name, i, n,
				  (unsigned long long)sh->sh_offset,
				  (unsigned long long)sh->sh_size, e->size);
	s->data = e->buf + sh->sh_offset;
	return 0;
}

/* A symbol table section (SHT_SYMTAB or SHT_DYNSYM) and its string table:
 * 1 and *syms.. filled, 0 if there is none of that type, or -errno. */
static int find_syms(const struct elf *e, uint32_t type, const Elf64_Sym **syms,
		     uint32_t *nsym, const char **strtab, uint64_t *strsz)
{
	const struct elf_sec *s, *str;
	uint32_t i;

	for (i = 1; i < e->nsec; i++) {
		s = &e->secs[i];
		if (s->type != type)
			continue;
		if (!s->data)
			return rbpf_error(EINVAL, "elf: %s: the symbol table is empty", e->name);
		if (s->size % sizeof(Elf64_Sym) || (s->data - e->buf) % 8)
			return rbpf_error(EINVAL, "elf: %s: symbol table (section %u) size %llu is "
					  "not a whole number of symbols, or misaligned", e->name,
					  i, (unsigned long long)s->size);
		if (s->link == 0 || s->link >= e->nsec || e->secs[s->link].type != SHT_STRTAB)
			return rbpf_error(EINVAL, "elf: %s: symbol table's string table index %u "
					  "is not a string table", e->name, s->link);
		str = &e->secs[s->link];
		*syms = (const Elf64_Sym *)s->data;
		*nsym = s->size / sizeof(Elf64_Sym);
		*strtab = (const char *)str->data;
		*strsz = str->size;
		return 1;
	}
	return 0;
}

/* The header, the section table and every section's place in the file. */
static int parse_sections(struct elf *e, const uint8_t *buf, size_t size,
			  const char *name, int bpf)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)buf;
	const Elf64_Shdr *sh, *names;
	uint32_t i;
	int r;

	memset(e, 0, sizeof(*e));
	e->name = name;
	e->buf = buf;
	e->size = size;
	if ((r = check_header(e, h, bpf)) < 0)
		return r;
	sh = (const Elf64_Shdr *)(buf + h->e_shoff);
	names = &sh[h->e_shstrndx];
	if (names->sh_type != SHT_STRTAB || !in_file(names->sh_offset, names->sh_size, size))
		return rbpf_error(EINVAL, "elf: %s: section name table (section %u) is not a "
				  "string table inside the file", name, h->e_shstrndx);
	e->nsec = h->e_shnum;
	e->secs = calloc(e->nsec, sizeof(*e->secs));
	if (!e->secs)
		return rbpf_error(ENOMEM, "elf: %s: out of memory", name);
	e->secs[0].name = "";
	for (i = 1; i < e->nsec; i++)
		if ((r = read_section(e, i, &sh[i], names)) < 0) {
			elf_free(e);
			return r;
		}
	return 0;
}

int elf_parse(struct elf *e, const uint8_t *buf, size_t size, const char *name)
{
	int r;

	if ((r = parse_sections(e, buf, size, name, 1)) < 0)
		return r;
	r = find_syms(e, SHT_SYMTAB, &e->syms, &e->nsym, &e->strtab, &e->strsz);
	if (r == 0)
		r = rbpf_error(EINVAL, "elf: %s: no symbol table (was the object stripped?)",
			       name);
	if (r < 0)
		elf_free(e);
	return r < 0 ? r : 0;
}

/* The program headers: inside the file, of the size this reader knows. */
static int read_phdrs(struct elf *e)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)e->buf;

	if (h->e_phnum == 0)
		return 0;
	if (h->e_phentsize != sizeof(Elf64_Phdr) || h->e_phoff % 8 ||
	    !in_file(h->e_phoff, (uint64_t)h->e_phnum * sizeof(Elf64_Phdr), e->size))
		return rbpf_error(EINVAL, "elf: %s: program header table (offset %llu, %u "
				  "entries of %u bytes) lies outside the file (%zu bytes), is "
				  "misaligned or of another size", e->name,
				  (unsigned long long)h->e_phoff, h->e_phnum, h->e_phentsize,
				  e->size);
	e->phdrs = (const Elf64_Phdr *)(e->buf + h->e_phoff);
	e->nphdr = h->e_phnum;
	return 0;
}

int elf_parse_target(struct elf *e, const uint8_t *buf, size_t size, const char *name)
{
	int r;

	if ((r = parse_sections(e, buf, size, name, 0)) < 0)
		return r;
	e->type = ((const Elf64_Ehdr *)buf)->e_type;
	if ((r = read_phdrs(e)) < 0 ||
	    (r = find_syms(e, SHT_SYMTAB, &e->syms, &e->nsym, &e->strtab, &e->strsz)) < 0 ||
	    (r = find_syms(e, SHT_DYNSYM, &e->dynsyms, &e->ndynsym, &e->dynstr,
			   &e->dynstrsz)) < 0) {
		elf_free(e);
		return r;
	}
	return 0;
}

/* Where virtual address vaddr lies in the file: the loadable segment that maps it
 * from the file (not the zero-filled tail past p_filesz, which no file byte backs)
 * gives vaddr - p_vaddr + p_offset.  0 and *off, or -ENOENT. */
int elf_vaddr_to_offset(const struct elf *e, uint64_t vaddr, uint64_t *off)
{
	const Elf64_Phdr *p;
	uint32_t i;

	for (i = 0; i < e->nphdr; i++) {
		p = &e->phdrs[i];
		if (p->p_type != PT_LOAD || vaddr < p->p_vaddr ||
		    vaddr - p->p_vaddr >= p->p_filesz)
			continue;
		*off = vaddr - p->p_vaddr + p->p_offset;
		return 0;
	}
	return -ENOENT;
}

void elf_free(struct elf *e)
{
	free(e->secs);
	e->secs = NULL;
	e->nsec = 0;
}

const char *elf_sym_name(const struct elf *e, const Elf64_Sym *s)
{
	const char *n = str_at(e->strtab, e->strsz, s->st_name);

	return n ? n : "";
}

const char *elf_dynsym_name(const struct elf *e, const Elf64_Sym *s)
{
	const char *n = str_at(e->dynstr, e->dynstrsz, s->st_name);

	return n ? n : "";
}

int elf_find_sec(const struct elf *e, const char *name)
{
	uint32_t i;

	for (i = 1; i < e->nsec; i++)
		if (strcmp(e->secs[i].name, name) == 0)
			return i;
	return -1;
}

int elf_read_file(const char *path, uint8_t **buf, size_t *size)
{
	struct stat st;
	ssize_t n = 0, r = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	*buf = NULL;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if (!(*buf = malloc(st.st_size ? st.st_size : 1))) {
		close(fd);
		return -ENOMEM;
	}
	while (n < st.st_size && (r = read(fd, *buf + n, st.st_size - n)) > 0)
		n += r;
	err = r < 0 ? -errno : n < st.st_size ? -EIO : 0;
	close(fd);
	if (err) {
		free(*buf);
		*buf = NULL;
	}
	*size = n;
	return err;
}

int64_t elf_sym_value(const struct elf *e, int sec, const char *name)
{
	uint32_t i;

	for (i = 1; i < e->nsym; i++)
		if (e->syms[i].st_shndx == sec && strcmp(elf_sym_name(e, &e->syms[i]), name) == 0)
			return e->syms[i].st_value;
	return -1;
}
