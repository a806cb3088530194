/*
 * elf_func.c -- where a function of a program or shared library lies in its file.
 *
 * A uprobe is a breakpoint the kernel writes into a file's page cache: it names the
 * file (an inode) and a byte offset in it, not an address, because one library is
 * mapped at a different address in every process.  So to probe "malloc in
 * libc.so.6" the loader has to turn a name into a file and an offset:
 *
 *   1. the file: a path with a '/' is used as it is; a library name ("libc.so.6")
 *      is looked for where the dynamic loader looks (LD_LIBRARY_PATH, then the
 *      standard directories: we do not read the binary /etc/ld.so.cache, so a
 *      library only the cache knows, in a directory of its own, is not found);
 *      a program name ("bash") in PATH.
 *   2. the symbol: .symtab when the file has one (it has every function, static
 *      ones too), else .dynsym (what a stripped file keeps: the exported ones).
 *      Its st_value is a virtual address, the one it has when the file is mapped
 *      at its preferred base (0 for shared libraries and PIEs).
 *   3. the offset: the program header of the loadable segment holding that
 *      address says which file bytes are mapped there:
 *            offset = st_value - p_vaddr + p_offset.
 *      In a non-PIE executable text is mapped at 0x401000 from file offset 0x1000,
 *      so the two numbers differ; in a PIE or library they are often equal, but
 *      nothing promises it.
 *
 * `readelf -s FILE` shows st_value, `readelf -lW FILE` the segments: the lesson
 * (tutorial/10-*.md) does the sum by hand and compares it with rawbpf's.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf.h"
#include "rawbpf.h"

/* ------------------------------------------------------------------ the file */

#if defined(__x86_64__)
#define MULTIARCH_DIR "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define MULTIARCH_DIR "aarch64-linux-gnu"
#else
#define MULTIARCH_DIR "."
#endif

/* Look for name in each directory of the ':'-separated list dirs; 1 if found. */
static int search_dirs(const char *dirs, const char *name, int mode, char *buf, size_t n)
{
	const char *d = dirs, *end;
	size_t len;

	while (d && *d) {
		end = strchr(d, ':');
		len = end ? (size_t)(end - d) : strlen(d);
		if (len && (size_t)snprintf(buf, n, "%.*s/%s", (int)len, d, name) < n &&
		    access(buf, mode) == 0)
			return 1;
		d = end ? end + 1 : NULL;
	}
	return 0;
}

int rbpf_resolve_binary(const char *name, char *buf, size_t n)
{
	static const char std[] = "/lib/" MULTIARCH_DIR ":/usr/lib/" MULTIARCH_DIR
				  ":/lib64:/usr/lib64:/lib:/usr/lib:/usr/local/lib";
	const char *env;

	if (!name || !*name)
		return rbpf_error(EINVAL, "uprobe: no binary named (give PATH:FUNCTION)");
	if (strchr(name, '/')) {
		if (access(name, R_OK) < 0)
			return rbpf_error(errno, "uprobe: %s: %s", name, strerror(errno));
		if ((size_t)snprintf(buf, n, "%s", name) >= n)
			return rbpf_error(ENAMETOOLONG, "uprobe: path %s is too long", name);
		return 0;
	}
	if (strstr(name, ".so")) {               /* a library, as ld.so would find it */
		env = getenv("LD_LIBRARY_PATH");
		if (search_dirs(env, name, R_OK, buf, n) || search_dirs(std, name, R_OK, buf, n))
			return 0;
		return rbpf_error(ENOENT, "uprobe: library %s not found in LD_LIBRARY_PATH "
				  "(%s) nor in %s (rawbpf does not read /etc/ld.so.cache: give "
				  "the full path)", name, env ? env : "unset", std);
	}
	env = getenv("PATH");
	if (search_dirs(env, name, X_OK, buf, n))
		return 0;
	return rbpf_error(ENOENT, "uprobe: program %s not found in PATH (%s); give its path",
			  name, env ? env : "unset");
}

/* ---------------------------------------------------------------- the symbol */

/* Does symbol name sym stand for func?  "malloc", or a versioned "malloc@GLIBC_2.2.5"
 * / "malloc@@GLIBC_2.2.5" as .symtab of a shared library may spell it. */
static int name_matches(const char *sym, const char *func)
{
	size_t n = strlen(func);

	return strncmp(sym, func, n) == 0 && (sym[n] == 0 || sym[n] == '@');
}

/* What was found for func in one symbol table. */
struct found {
	uint64_t value;         /* st_value of the best definition */
	int bind;               /* its binding: STB_GLOBAL, STB_LOCAL or STB_WEAK */
	int n;                  /* definitions seen (0: none) */
	int ambiguous;          /* two strong definitions at different addresses */
	uint64_t other;         /* the second one's address, for the message */
};

/* A definition beats another if it is strong (global or local) and the other weak. */
static void consider(struct found *f, const Elf64_Sym *s)
{
	int bind = ELF64_ST_BIND(s->st_info);

	if (f->n++ == 0 || (f->bind == STB_WEAK && bind != STB_WEAK)) {
		f->value = s->st_value, f->bind = bind;
		return;
	}
	if (bind != STB_WEAK && s->st_value != f->value && !f->ambiguous)
		f->ambiguous = 1, f->other = s->st_value;
}

/* Search one table for function func (defined, code: FUNC or GNU IFUNC). */
static void search_syms(const struct elf *e, const Elf64_Sym *syms, uint32_t nsym,
			int dyn, const char *func, struct found *f)
{
	const Elf64_Sym *s;
	uint32_t i;
	int t;

	memset(f, 0, sizeof(*f));
	for (i = 1; i < nsym; i++) {
		s = &syms[i];
		t = ELF64_ST_TYPE(s->st_info);
		if ((t != STT_FUNC && t != STT_GNU_IFUNC) || s->st_shndx == SHN_UNDEF ||
		    s->st_value == 0)
			continue;
		if (name_matches(dyn ? elf_dynsym_name(e, s) : elf_sym_name(e, s), func))
			consider(f, s);
	}
}

/* ---------------------------------------------------------------- the offset */

/* The PT_LOAD segment holding vaddr in the file, or NULL. */
static const Elf64_Phdr *segment_of(const struct elf *e, uint64_t vaddr)
{
	uint32_t i;

	for (i = 0; i < e->nphdr; i++)
		if (e->phdrs[i].p_type == PT_LOAD && vaddr >= e->phdrs[i].p_vaddr &&
		    vaddr - e->phdrs[i].p_vaddr < e->phdrs[i].p_filesz)
			return &e->phdrs[i];
	return NULL;
}

static int func_place(const struct elf *e, const char *func, struct rbpf_func_place *pl)
{
	const Elf64_Phdr *seg;
	struct found f;
	const char *table = ".symtab";
	uint64_t off;

	search_syms(e, e->syms, e->nsym, 0, func, &f);
	if (!f.n) {
		table = ".dynsym";
		search_syms(e, e->dynsyms, e->ndynsym, 1, func, &f);
	}
	if (!f.n)
		return rbpf_error(ENOENT, "uprobe: %s: no function %s in %s%s", e->name, func,
				  e->syms ? ".symtab nor .dynsym" : ".dynsym",
				  e->syms ? "" : " (the file is stripped: only exported "
				  "functions can be found)");
	if (f.ambiguous)
		return rbpf_error(EINVAL, "uprobe: %s: %d functions named %s in %s, at 0x%llx "
				  "and 0x%llx: give an offset instead (bare uprobe section)",
				  e->name, f.n, func, table, (unsigned long long)f.value,
				  (unsigned long long)f.other);
	if (elf_vaddr_to_offset(e, f.value, &off) < 0 || !(seg = segment_of(e, f.value)))
		return rbpf_error(ENOENT, "uprobe: %s: function %s at address 0x%llx (%s) is "
				  "in no loadable segment of the file (%u program headers)",
				  e->name, func, (unsigned long long)f.value, table, e->nphdr);
	pl->addr = f.value;
	pl->seg_vaddr = seg->p_vaddr;
	pl->seg_offset = seg->p_offset;
	pl->offset = off;
	pl->table = table;
	return 0;
}

int rbpf_elf_func_place_mem(const void *buf, size_t size, const char *name,
			    const char *func, struct rbpf_func_place *pl)
{
	struct elf e;
	int r;

	if ((r = elf_parse_target(&e, buf, size, name)) < 0)
		return rbpf_error_prefix(r, "uprobe: ");
	if (e.type != ET_EXEC && e.type != ET_DYN)
		r = rbpf_error(EINVAL, "uprobe: %s: ELF type %u is neither a program (ET_EXEC) "
			       "nor a shared library or PIE (ET_DYN)", name, e.type);
	else
		r = func_place(&e, func, pl);
	elf_free(&e);
	return r;
}

int rbpf_elf_func_offset_mem(const void *buf, size_t size, const char *name,
			     const char *func, uint64_t *off)
{
	struct rbpf_func_place pl;
	int r = rbpf_elf_func_place_mem(buf, size, name, func, &pl);

	*off = r < 0 ? 0 : pl.offset;
	return r;
}

int rbpf_elf_func_place(const char *path, const char *func, struct rbpf_func_place *pl)
{
	uint8_t *buf;
	size_t size;
	int r;

	if ((r = elf_read_file(path, &buf, &size)) < 0)
		return rbpf_error(r, "uprobe: cannot read %s: %s", path,
				  r == -EINVAL ? "not a regular file" : strerror(-r));
	r = rbpf_elf_func_place_mem(buf, size, path, func, pl);
	free(buf);
	return r;
}

int rbpf_elf_func_offset(const char *path, const char *func, uint64_t *off)
{
	struct rbpf_func_place pl;
	int r = rbpf_elf_func_place(path, func, &pl);

	*off = r < 0 ? 0 : pl.offset;
	return r;
}

/* ------------------------------------------------------------ many functions */

/* Append the file offset of each defined function of one table whose name matches
 * pattern (fnmatch: "*", "?"), once per offset. */
static int match_table(const struct elf *e, const Elf64_Sym *syms, uint32_t nsym, int dyn,
		       const char *pattern, uint64_t **offs, uint32_t *n)
{
	uint64_t off, *grown;
	uint32_t i, k;
	int t;

	for (i = 1; i < nsym; i++) {
		t = ELF64_ST_TYPE(syms[i].st_info);
		if ((t != STT_FUNC && t != STT_GNU_IFUNC) || syms[i].st_shndx == SHN_UNDEF ||
		    !syms[i].st_value ||
		    fnmatch(pattern, dyn ? elf_dynsym_name(e, &syms[i]) : elf_sym_name(e, &syms[i]),
			    0) != 0 ||
		    elf_vaddr_to_offset(e, syms[i].st_value, &off) < 0)
			continue;
		for (k = 0; k < *n && (*offs)[k] != off; k++)
			;
		if (k < *n)
			continue;                        /* an alias of one we have */
		if (!(grown = realloc(*offs, (*n + 1) * sizeof(*grown))))
			return rbpf_error(ENOMEM, "uprobe: %s: out of memory", e->name);
		*offs = grown;
		(*offs)[(*n)++] = off;
	}
	return 0;
}

int rbpf_elf_funcs_matching(const char *path, const char *pattern, uint64_t **offsets,
			    uint32_t *n)
{
	uint8_t *buf;
	size_t size;
	struct elf e;
	int r;

	*offsets = NULL;
	*n = 0;
	if ((r = elf_read_file(path, &buf, &size)) < 0)
		return rbpf_error(r, "uprobe: cannot read %s: %s", path,
				  r == -EINVAL ? "not a regular file" : strerror(-r));
	if ((r = elf_parse_target(&e, buf, size, path)) < 0) {
		free(buf);
		return rbpf_error_prefix(r, "uprobe: ");
	}
	r = match_table(&e, e.syms, e.nsym, 0, pattern, offsets, n);
	if (r == 0 && *n == 0)
		r = match_table(&e, e.dynsyms, e.ndynsym, 1, pattern, offsets, n);
	elf_free(&e);
	free(buf);
	if (r == 0 && *n == 0)
		r = rbpf_error(ENOENT, "uprobe: %s: no function matches %s", path, pattern);
	if (r < 0) {
		free(*offsets);
		*offsets = NULL, *n = 0;
	}
	return r;
}
