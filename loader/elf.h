/*
 * elf.h -- the ELF64 reader's view of a file (loader/elf.c).  Internal to the loader.
 */
#ifndef RBPF_ELF_H
#define RBPF_ELF_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

struct elf_sec {
	const char *name;            /* from the section-name table, "" if none */
	uint32_t type;               /* SHT_PROGBITS, SHT_NOBITS, SHT_REL, ... */
	uint64_t flags;              /* SHF_EXECINSTR marks code */
	uint64_t size;               /* bytes (for NOBITS: bytes the loader zero-fills) */
	uint32_t link, info;         /* SHT_REL: link = its symtab, info = section patched */
	const uint8_t *data;         /* inside the file; NULL for NOBITS and empty */
};

struct elf {
	const char *name;            /* the file, for messages */
	const uint8_t *buf;          /* the whole file (not owned) */
	size_t size;
	struct elf_sec *secs;        /* secs[0] is the null section */
	uint32_t nsec;
	const Elf64_Sym *syms;       /* the symbol table, NULL if none */
	uint32_t nsym;
	const char *strtab;          /* the symbols' string table */
	uint64_t strsz;
	/* elf_parse_target only: */
	uint16_t type;               /* ET_EXEC, ET_DYN (shared library or PIE) */
	const Elf64_Phdr *phdrs;     /* program headers, NULL if none */
	uint32_t nphdr;
	const Elf64_Sym *dynsyms;    /* .dynsym (what stripped files keep), or NULL */
	uint32_t ndynsym;
	const char *dynstr;
	uint64_t dynstrsz;
};

/* Check the header and the section table against the file and index them.  Every
 * section's bytes are inside the file once this returns 0. */
int elf_parse(struct elf *e, const uint8_t *buf, size_t size, const char *name);
/* The same for a program or shared library (any machine): sections, program
 * headers, .symtab and .dynsym when there are (either may be missing). */
int elf_parse_target(struct elf *e, const uint8_t *buf, size_t size, const char *name);
/* The file offset of virtual address vaddr (a PT_LOAD's file bytes): 0, or -ENOENT. */
int elf_vaddr_to_offset(const struct elf *e, uint64_t vaddr, uint64_t *off);
void elf_free(struct elf *e);
/* The symbol's name, or "" if its name offset is bad. */
const char *elf_sym_name(const struct elf *e, const Elf64_Sym *s);
const char *elf_dynsym_name(const struct elf *e, const Elf64_Sym *s);
/* The whole of a regular file in a malloc'd buffer (caller frees); 0 or -errno,
 * no message. */
int elf_read_file(const char *path, uint8_t **buf, size_t *size);
/* The value of the symbol called name in section sec, or -1. */
int64_t elf_sym_value(const struct elf *e, int sec, const char *name);
/* Index of the section with this name, or -1. */
int elf_find_sec(const struct elf *e, const char *name);

#endif
