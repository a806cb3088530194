/*
 * uprobe_elf.c -- where a function is in its file (loader/elf_func.c), checked
 * against binutils: nm gives the symbol's address, readelf -lW the loadable
 * segments, and the test does the sum (address - p_vaddr + p_offset) itself.
 *
 * Files: this test runner (a static, non-PIE executable: text at 0x401000 from
 * file offset 0x1000), and a shared library, a stripped copy of it (.dynsym only),
 * one linked with its text moved (address and offset differ) and a PIE, all
 * built here with cc in a directory of the test's own.  Then target strings,
 * library lookup, and malformed files (tests/fuzz/target-regress and every prefix
 * of a real file), refused with a message and nothing leaked.
 */
#include <dirent.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "hardening.h"

/* A function of the runner itself, for the offset and the firing tests. */
__attribute__((noinline, used)) int rbpf_uprobe_target_fn(int x)
{
	__asm__ volatile("" ::: "memory");
	return x * 3 + 1;
}

/* Run cmd, return its first output line (static buffer), "" if none. */
static const char *first_line(const char *cmd)
{
	static char line[1024];
	FILE *f = popen(cmd, "r");

	line[0] = 0;
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = 0;
		pclose(f);
	}
	line[strcspn(line, "\n")] = 0;
	return line;
}

/* The file offset of func in path as binutils tell it: nm (-D when dynamic) for
 * the address, readelf -lW for the LOAD segment that holds it.  -1 if not found. */
static long long binutils_offset(const char *path, const char *func, int dynamic)
{
	char cmd[1024], line[512];
	unsigned long long addr, off, va, pa, filesz, memsz;
	long long r = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "nm %s '%s' | awk '($3 == \"%s\" || index($3, \"%s@\") "
		 "== 1) && $2 ~ /^[TtiWw]$/ { print $1; exit }'", dynamic ? "-D" : "", path,
		 func, func);
	if (sscanf(first_line(cmd), "%llx", &addr) != 1)
		return -1;
	snprintf(cmd, sizeof(cmd), "readelf -lW '%s'", path);
	if (!(f = popen(cmd, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " LOAD 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx", &off, &va, &pa,
			   &filesz, &memsz) == 5 && addr >= va && addr < va + filesz)
			r = (long long)(addr - va + off);
	pclose(f);
	return r;
}

static void expect_offset(const char *path, const char *func, int dynamic)
{
	long long want;
	uint64_t got = 0;

	if (system("nm --version >/dev/null 2>&1 && readelf --version >/dev/null 2>&1"))
		SKIP("no nm/readelf (binutils) to check against");
	want = binutils_offset(path, func, dynamic);
	ASSERT_TRUE(want >= 0, "nm/readelf found no %s in %s", func, path);
	ASSERT_OK(rbpf_elf_func_offset(path, func, &got));
	ASSERT_TRUE((long long)got == want, "%s in %s: rawbpf says 0x%llx, nm + readelf "
		    "0x%llx", func, path, (unsigned long long)got, want);
}

TEST(uprobe_offset_static_executable)
{
	const char *self = test_self();
	char cmd[4200];
	int st;

	expect_offset(self, "rbpf_uprobe_target_fn", 0);
	expect_offset(self, "main", 0);
	/* in the static (non-PIE) runner address and offset differ: the sum is not an
	 * identity (the sanitizer builds link a PIE, where they are equal) */
	snprintf(cmd, sizeof(cmd), "readelf -h '%s' | grep -q 'Type:.*EXEC'", self);
	free(test_run_cmd(&st, "%s", cmd));
	if (st != 0)
		return;
	snprintf(cmd, sizeof(cmd), "nm '%s' | awk '$3 == \"main\" { print $1 }'", self);
	ASSERT_TRUE((long long)strtoull(first_line(cmd), NULL, 16) !=
		    binutils_offset(self, "main", 0), "main's address is its offset");
}

/* ---------------------------------------------- files built here with cc */

static const char lib_src[] =
	"static int helper(int x) { return x * 7; }\n"
	"int rbpf_lib_fn(int x) { return helper(x) + 1; }\n"
	"int rbpf_lib_other(int x) { return x - 1; }\n"
	"int main(void) { return rbpf_lib_fn(1) == 8 ? 0 : 1; }\n";

/* Make DIR (this test's own), write t.c, run each shell command in it. */
static void build_here(char *dir, size_t n, const char *const cmds[])
{
	char path[512], cmd[2048];
	FILE *f;
	int i;

	if (system("cc --version >/dev/null 2>&1") != 0)
		SKIP("no C compiler (cc) to build the target files");
	snprintf(dir, n, "/tmp/rbpf_uprobe_elf_%d", getpid());
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/t.c", dir);
	ASSERT_TRUE((f = fopen(path, "w")) != NULL, "%s: %s", path, strerror(errno));
	fputs(lib_src, f);
	fclose(f);
	for (i = 0; cmds[i]; i++) {
		snprintf(cmd, sizeof(cmd), "cd %s && %s", dir, cmds[i]);
		ASSERT_TRUE(system(cmd) == 0, "failed: %s", cmd);
	}
}

static void remove_dir(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ASSERT(0, system(cmd));
}

TEST(uprobe_offset_shared_pie_stripped)
{
	static const char *const cmds[] = {
		"cc -O1 -shared -fPIC -o libt.so t.c",
		"cp libt.so libt-stripped.so && strip libt-stripped.so",
		"cc -O1 -shared -fPIC -Wl,--section-start=.text=0x300000 -o libt-moved.so t.c",
		"cc -O1 -fPIE -pie -o pie t.c",
		NULL };
	char dir[256], p[512];
	uint64_t off;

	build_here(dir, sizeof(dir), cmds);
	snprintf(p, sizeof(p), "%s/libt.so", dir);
	expect_offset(p, "rbpf_lib_fn", 0);
	expect_offset(p, "rbpf_lib_other", 0);
	snprintf(p, sizeof(p), "%s/libt-stripped.so", dir);
	expect_offset(p, "rbpf_lib_fn", 1);
	ASSERT(-ENOENT, rbpf_elf_func_offset(p, "helper", &off));   /* static: not in .dynsym */
	ASSERT_CONTAINS(rbpf_errmsg(), "stripped");
	snprintf(p, sizeof(p), "%s/libt-moved.so", dir);
	expect_offset(p, "rbpf_lib_fn", 0);
	snprintf(p, sizeof(p), "%s/pie", dir);
	expect_offset(p, "rbpf_lib_fn", 0);
	expect_offset(p, "main", 0);
	ASSERT(-ENOENT, rbpf_elf_func_offset(p, "no_such_function", &off));
	ASSERT_CONTAINS(rbpf_errmsg(), "no function no_such_function");
	remove_dir(dir);
}

TEST(uprobe_offset_libc_dynsym)
{
	char path[4096];
	uint64_t off;

	if (rbpf_resolve_binary("libc.so.6", path, sizeof(path)) < 0)
		SKIP("no libc.so.6 here (%s)", rbpf_errmsg());
	ASSERT(0, access(path, R_OK));
	expect_offset(path, "getpid", 1);
	expect_offset(path, "malloc", 1);
	ASSERT_OK(rbpf_elf_func_offset(path, "getpid", &off));
}

/* ------------------------------------------------------ names and targets */

TEST(uprobe_resolve_binary)
{
	char buf[4096], dir[256], old[4096];
	const char *env = getenv("LD_LIBRARY_PATH");

	ASSERT(0, rbpf_resolve_binary("sh", buf, sizeof(buf)));      /* from PATH */
	ASSERT(0, access(buf, X_OK));
	ASSERT(-ENOENT, rbpf_resolve_binary("librbpf-none.so.9", buf, sizeof(buf)));
	ASSERT_CONTAINS(rbpf_errmsg(), "ld.so.cache");
	ASSERT(-ENOENT, rbpf_resolve_binary("/no/such/file", buf, sizeof(buf)));
	/* LD_LIBRARY_PATH is searched first */
	snprintf(old, sizeof(old), "%s", env ? env : "");
	snprintf(dir, sizeof(dir), "/tmp/rbpf_ldpath_%d", getpid());
	mkdir(dir, 0700);
	snprintf(buf, sizeof(buf), "%s/librbpf-mine.so.1", dir);
	fclose(fopen(buf, "w"));
	setenv("LD_LIBRARY_PATH", dir, 1);
	ASSERT(0, rbpf_resolve_binary("librbpf-mine.so.1", old, sizeof(old)));
	ASSERT_STREQ(buf, old);
	unlink(buf);
	rmdir(dir);
}

TEST(uprobe_parse_target)
{
	char bin[256], fn[128];
	uint64_t off;

	ASSERT(0, rbpf_uprobe_parse_target("libc.so.6:malloc", bin, sizeof(bin), fn,
					   sizeof(fn), &off));
	ASSERT_STREQ("libc.so.6", bin);
	ASSERT_STREQ("malloc", fn);
	ASSERT(0, off);
	ASSERT(0, rbpf_uprobe_parse_target("/usr/bin/x:f+0x10", bin, sizeof(bin), fn,
					   sizeof(fn), &off));
	ASSERT_STREQ("/usr/bin/x", bin);
	ASSERT_STREQ("f", fn);
	ASSERT(16, off);
	ASSERT(-EINVAL, rbpf_uprobe_parse_target("nocolon", bin, sizeof(bin), fn, sizeof(fn), &off));
	ASSERT_CONTAINS(rbpf_errmsg(), "BINARY:FUNCTION");
	ASSERT(-EINVAL, rbpf_uprobe_parse_target("bin:f+zz", bin, sizeof(bin), fn, sizeof(fn), &off));
	ASSERT(-EINVAL, rbpf_uprobe_parse_target("bin:+4", bin, sizeof(bin), fn, sizeof(fn), &off));
	ASSERT(-EINVAL, rbpf_uprobe_parse_target(":f", bin, sizeof(bin), fn, sizeof(fn), &off));
}

/* ------------------------------------------------------ malformed files */

/* Each breaks one thing in a copy of the runner's own ELF header/tables. */
static Elf64_Ehdr *eh(uint8_t *b) { return (Elf64_Ehdr *)b; }
static size_t phoff_past(uint8_t *b, size_t n) { eh(b)->e_phoff = n - 8; return n; }
static size_t phentsize(uint8_t *b, size_t n) { eh(b)->e_phentsize = 40; return n; }
static size_t no_phdrs(uint8_t *b, size_t n) { eh(b)->e_phnum = 0; return n; }
static size_t relocatable(uint8_t *b, size_t n) { eh(b)->e_type = ET_REL; return n; }
static size_t class32(uint8_t *b, size_t n) { b[EI_CLASS] = ELFCLASS32; return n; }

static Elf64_Shdr *find_shdr(uint8_t *b, uint32_t type)
{
	Elf64_Shdr *sh = (Elf64_Shdr *)(b + eh(b)->e_shoff);
	unsigned i;

	for (i = 1; i < eh(b)->e_shnum; i++)
		if (sh[i].sh_type == type)
			return &sh[i];
	FAIL("no section of type %u", type);
}

static size_t symtab_odd(uint8_t *b, size_t n) { find_shdr(b, SHT_SYMTAB)->sh_size -= 3; return n; }
static size_t symtab_link(uint8_t *b, size_t n) { find_shdr(b, SHT_SYMTAB)->sh_link = 0; return n; }
static size_t symtab_past(uint8_t *b, size_t n) { find_shdr(b, SHT_SYMTAB)->sh_offset = n; return n; }

static const struct bad_row {
	const char *name;
	size_t (*edit)(uint8_t *b, size_t n);
	const char *msg;
} bad_rows[] = {
	{ "phoff_past", phoff_past, "program header table" },
	{ "phentsize", phentsize, "program header table" },
	{ "no_phdrs", no_phdrs, "in no loadable segment" },
	{ "relocatable", relocatable, "neither a program" },
	{ "class32", class32, "64-bit files only" },
	{ "symtab_odd", symtab_odd, "not a whole number of symbols" },
	{ "symtab_link", symtab_link, "not a string table" },
	{ "symtab_past", symtab_past, "past the end of the file" },
};

static uint8_t *self_copy(size_t *n)
{
	uint8_t *b = hard_read_file("/proc/self/exe", n);

	ASSERT_TRUE(b && *n > 4096, "cannot read /proc/self/exe");
	return b;
}

static void bad_rows_once(void *ctx)
{
	uint8_t *b;
	size_t i, size;
	uint64_t off;

	(void)ctx;
	for (i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		b = self_copy(&size);
		size = bad_rows[i].edit(b, size);
		ASSERT_TRUE(rbpf_elf_func_offset_mem(b, size, bad_rows[i].name, "main", &off) < 0,
			    "%s: accepted", bad_rows[i].name);
		ASSERT_CONTAINS(rbpf_errmsg(), bad_rows[i].msg);
		ASSERT_CONTAINS(rbpf_errmsg(), bad_rows[i].name);
		free(b);
	}
}

TEST(uprobe_elf_badinput_rows)
{
	hard_no_leak("malformed uprobe targets", 2, 2, bad_rows_once, NULL);
}

/* Every prefix of a small real file: refused or found, never a crash. */
TEST(uprobe_elf_every_prefix)
{
	static const char *const cmds[] = { "cc -O1 -shared -fPIC -nostdlib -o tiny.so t.c",
					    NULL };
	char dir[256], p[512];
	uint8_t *b;
	size_t n, k;
	uint64_t off;
	int ok = 0;

	build_here(dir, sizeof(dir), cmds);
	snprintf(p, sizeof(p), "%s/tiny.so", dir);
	b = hard_read_file(p, &n);
	ASSERT_TRUE(b && n < 65536, "tiny.so: %zu bytes", n);
	for (k = 0; k <= n; k++) {
		uint8_t *c = malloc(k ? k : 1);

		memcpy(c, b, k);
		if (rbpf_elf_func_offset_mem(c, k, "prefix", "rbpf_lib_fn", &off) == 0)
			ok++;
		else
			ASSERT_TRUE(rbpf_errmsg()[0], "prefix %zu refused without a message", k);
		free(c);
	}
	ASSERT_TRUE(ok >= 1, "the whole file was not accepted");
	free(b);
	remove_dir(dir);
}

/* tests/fuzz/target-regress: malformed programs and libraries kept as files. */
TEST(uprobe_elf_regressions_replay)
{
	DIR *d = opendir("tests/fuzz/target-regress");
	struct dirent *e;
	char path[512];
	uint8_t *b;
	size_t n;
	uint64_t off;
	int count = 0;

	ASSERT_TRUE(d != NULL, "tests/fuzz/target-regress: %s", strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "tests/fuzz/target-regress/%s", e->d_name);
		b = hard_read_file(path, &n);
		ASSERT_TRUE(rbpf_elf_func_offset_mem(b, n, path, "rbpf_lib_fn", &off) < 0,
			    "%s: accepted (these files are all broken)", path);
		ASSERT_CONTAINS(rbpf_errmsg(), e->d_name);
		free(b);
		count++;
	}
	closedir(d);
	ASSERT_TRUE(count >= 3, "only %d files in tests/fuzz/target-regress", count);
}
