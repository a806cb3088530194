/*
 * layering.c -- the library's shape, checked from its object files.
 *
 * `nm` on each build/loader/NAME.o says which symbols NAME defines (T, D, B, R) and
 * which it needs from elsewhere (U).  NAME uses OTHER when OTHER defines a symbol
 * NAME needs: that is the call graph between the library's files, as the linker
 * sees it.  The test builds that table and fails on
 *
 *   - a cycle (two files that need each other are one concept, or a misfiled one);
 *   - an edge against the flow: `flow` below lists the files in the order data flows
 *     through them (DESIGN.md: elf -> btf -> object -> sys -> attach -> consumers,
 *     with disasm and vlog beside the flow, last, so nothing may call them); a file
 *     may use only files before it.  A new file is added to the list where it
 *     belongs -- an unlisted one fails;
 *   - bpf() called outside sys.c (the symbol `syscall` needed by any other file);
 *   - a library file that prints or exits (printf, puts, fprintf, perror, exit,
 *     abort, assert, stdout, ...): the library returns -errno and keeps a message;
 *
 * and, from the sources, on any file of loader/, loader/cmd/, progs/, asm/,
 * include/ or tests/ (its C files and headers) over 600 lines.
 * The table is printed, so a change in the edges shows in the test's output.
 * (nm is binutils', a test-only dependency like bpftool: tests/deps.sh.)
 */
#include <dirent.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "test.h"

/* The library's files in the order data flows; each may use only those before it. */
static const char *const flow[] = {
	"error",                               /* messages: used by everything */
	"sys",                                 /* the bpf() boundary */
	"sysfs", "kallsyms", "tracefs",        /* the kernel's own files */
	"elf", "btf", "elf_func",              /* readers */
	"load",                                /* one program, its log */
	"map_in_map",
	"object_sec", "object_maps", "object_link", "object", "object_load",
	"link", "attach_trace", "attach_kprobe", "attach_net",
	"uprobe", "cgroup", "iter", "perf_sample", "attach",
	"tracepipe", "ringbuf", "perfbuf", "poll",     /* the consumers */
	"disasm", "vstate", "vlog", "vhint",   /* beside the flow: nothing calls them */
	"vfold", "vstack",
};
#define NFLOW (int)(sizeof(flow) / sizeof(flow[0]))

/* Symbols a library file must not need: printing, exiting, asserting. */
static const char *const banned[] = {
	"printf", "vprintf", "fprintf", "vfprintf", "puts", "fputs", "putchar", "fputc",
	"putc", "perror", "exit", "_exit", "_Exit", "abort", "__assert_fail", "stdout",
	"stderr", "__printf_chk", "__fprintf_chk", "__vfprintf_chk", "err", "errx",
	"warn", "warnx", "error",
};

#define MAXOBJ 64
#define MAXSYM 512

struct obj {
	char name[64];
	char *def[MAXSYM], *und[MAXSYM];
	int ndef, nund;
	int uses[MAXOBJ];              /* uses[j]: a symbol of obj j is needed */
};

static struct obj objs[MAXOBJ];
static int nobjs;

static void add_sym(char **v, int *n, const char *s)
{
	if (*n < MAXSYM)
		v[(*n)++] = strdup(s);
}

/* nm -P: "NAME TYPE [VALUE SIZE]" per symbol. */
static void read_nm(struct obj *o, const char *path)
{
	char *out, *line, *save = NULL, name[256], type;
	int st;

	out = test_run_cmd(&st, "nm -P %s", path);
	ASSERT_TRUE(st == 0, "nm -P %s: %s", path, out);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%255s %c", name, &type) != 2)
			continue;
		if (type == 'U')
			add_sym(o->und, &o->nund, name);
		else if (strchr("TDBRCVW", type))
			add_sym(o->def, &o->ndef, name);
	}
	free(out);
}

static void read_objects(void)
{
	char dir[512], path[1024];
	struct dirent *e;
	DIR *d;
	size_t n;

	snprintf(dir, sizeof(dir), "%s", test_path("loader"));
	ASSERT_TRUE((d = opendir(dir)) != NULL, "no %s: build first", dir);
	while ((e = readdir(d)) && nobjs < MAXOBJ) {
		n = strlen(e->d_name);
		if (n < 3 || strcmp(e->d_name + n - 2, ".o"))
			continue;
		/* an object whose source is gone (a build tree from before a file
		 * moved) is not the library's */
		snprintf(path, sizeof(path), "loader/%.*s.c", (int)n - 2, e->d_name);
		if (access(path, F_OK) != 0)
			continue;
		snprintf(objs[nobjs].name, sizeof(objs[nobjs].name), "%.*s", (int)n - 2, e->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		read_nm(&objs[nobjs++], path);
	}
	closedir(d);
}

static int defines(const struct obj *o, const char *sym)
{
	for (int i = 0; i < o->ndef; i++)
		if (!strcmp(o->def[i], sym))
			return 1;
	return 0;
}

static void build_edges(void)
{
	for (int a = 0; a < nobjs; a++)
		for (int k = 0; k < objs[a].nund; k++)
			for (int b = 0; b < nobjs; b++)
				if (b != a && defines(&objs[b], objs[a].und[k]))
					objs[a].uses[b] = 1;
}

static int flow_index(const char *name)
{
	for (int i = 0; i < NFLOW; i++)
		if (!strcmp(flow[i], name))
			return i;
	return -1;
}

/* Depth-first search; state 1 = on the path.  On a cycle, returns the index of the
 * file that closes it and writes the files of the cycle into why ("a <- b <- a"),
 * then -2 further up (the path above the cycle is not part of it); -1 when none. */
static int find_cycle(int a, int *state, char *why, size_t n)
{
	int r;

	state[a] = 1;
	for (int b = 0; b < nobjs; b++) {
		if (!objs[a].uses[b] || state[b] == 2)
			continue;
		r = state[b] == 1 ? (snprintf(why, n, "%s", objs[b].name), b) :
			find_cycle(b, state, why, n);
		if (r == -1)
			continue;
		if (r >= 0) {
			size_t l = strlen(why);
			snprintf(why + l, n - l, " <- %s", objs[a].name);
		}
		return r == a || r == -2 ? -2 : r;
	}
	state[a] = 2;
	return -1;
}

/* Append to the report (problems are collected, then reported together). */
static void __attribute__((format(printf, 3, 4))) note(char *buf, size_t n, const char *fmt, ...)
{
	size_t l = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + l, n - l, fmt, ap);
	va_end(ap);
}

static void print_table(void)
{
	for (int i = 0; i < NFLOW; i++)
		for (int a = 0; a < nobjs; a++) {
			if (strcmp(objs[a].name, flow[i]))
				continue;
			printf("    %-14s ->", objs[a].name);
			for (int j = 0; j < NFLOW; j++)
				for (int b = 0; b < nobjs; b++)
					if (objs[a].uses[b] && !strcmp(objs[b].name, flow[j]))
						printf(" %s", objs[b].name);
			printf("\n");
		}
}

TEST(layering_library_flows_one_way)
{
	static char report[8192];
	int state[MAXOBJ] = { 0 }, a, b, k;
	size_t i;

	NEED_CMD("nm");
	read_objects();
	ASSERT_TRUE(nobjs >= 10, "only %d objects in %s", nobjs, test_path("loader"));
	build_edges();
	print_table();
	report[0] = 0;
	for (a = 0; a < nobjs && !report[0]; a++)
		if (!state[a] && find_cycle(a, state, report, sizeof(report)) != -1)
			note(report, sizeof(report), ": a cycle\n");
	for (a = 0; a < nobjs; a++) {
		if (flow_index(objs[a].name) < 0)
			note(report, sizeof(report), "loader/%s.c is not in the flow of %s\n",
			     objs[a].name, "tests/layering.c");
		for (b = 0; b < nobjs; b++)
			if (objs[a].uses[b] && flow_index(objs[b].name) >= flow_index(objs[a].name))
				note(report, sizeof(report), "%s uses %s, against the flow\n",
				     objs[a].name, objs[b].name);
		for (k = 0; k < objs[a].nund; k++) {
			if (!strcmp(objs[a].und[k], "syscall") && strcmp(objs[a].name, "sys"))
				note(report, sizeof(report), "%s calls syscall(): bpf() belongs in "
				     "sys.c\n", objs[a].name);
			for (i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
				if (!strcmp(objs[a].und[k], banned[i]))
					note(report, sizeof(report), "%s needs %s: the library never "
					     "prints or exits\n", objs[a].name, banned[i]);
		}
	}
	if (report[0])
		FAIL("\n%s", report);
	printf("    (%d files, each using only files before it in the flow)\n", nobjs);
}

/* ---------------------------------------------------------------- file sizes */

static int count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int c, n = 0;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static int is_source(const char *name)
{
	size_t n = strlen(name);

	return n > 2 && (!strcmp(name + n - 2, ".c") || !strcmp(name + n - 2, ".h"));
}

/* Check every C file and header under dir (recursively); count them in *files. */
static void check_sizes(const char *dir, char *report, size_t rn, int *files)
{
	char path[1024];
	struct dirent *e;
	DIR *d = opendir(dir);
	int n;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			check_sizes(path, report, rn, files);
			continue;
		}
		if (!is_source(e->d_name))
			continue;
		(*files)++;
		if ((n = count_lines(path)) > 600)
			note(report, rn, "%s has %d lines (at most 600)\n", path, n);
	}
	closedir(d);
}

TEST(layering_no_file_over_600_lines)
{
	static const char *const dirs[] = { "loader", "progs", "asm", "include", "tests" };
	static char report[4096];
	int files = 0;
	size_t i;

	report[0] = 0;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		check_sizes(dirs[i], report, sizeof(report), &files);
	ASSERT_TRUE(files >= 50, "only %d files found", files);
	if (report[0])
		FAIL("\n%s", report);
	printf("    (%d C files and headers, none over 600 lines)\n", files);
}
