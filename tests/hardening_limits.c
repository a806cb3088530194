/*
 * hardening_limits.c -- the loader at the edges of size: an object with 1,000
 * programs, one with 1,000 maps, and the longest verifier log the project's
 * programs make the kernel write.
 *
 * The objects are written and compiled here (clang -target bpf, the Makefile's
 * flags) so that `make` does not build them for everyone.  1,000 programs need
 * 1,000 fds: under the usual soft limit of 1,024 open files the load must fail
 * cleanly (EMFILE named, every fd released); with the limit raised it must load all
 * of them, and program N must return N.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "rawbpf.h"
#include "test.h"
#include "hardening.h"

#define MANY 1000

/* Write src into a temp dir, compile it like the Makefile compiles progs/ (test
 * FAILs on a compiler error); returns the object's path (static). */
static const char *compile(const char *name, const char *src)
{
	static char obj[256];
	char dir[] = "/tmp/rbpf_limits.XXXXXX", path[256], *out;
	FILE *f;
	int st;

	NEED_CMD("clang");
	ASSERT_TRUE(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/%s.bpf.c", dir, name);
	snprintf(obj, sizeof(obj), "%s/%s.bpf.o", dir, name);
	ASSERT_TRUE((f = fopen(path, "w")) != NULL, "%s: %s", path, strerror(errno));
	fputs(src, f);
	fclose(f);
	out = test_run_cmd(&st, "clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -Wall -Werror "
			   "-Iinclude -idirafter /usr/include/$(cc -print-multiarch) -c %s -o %s",
			   path, obj);
	ASSERT_TRUE(st == 0, "clang %s:\n%s", path, test_excerpt(out));
	free(out);
	unlink(path);
	return obj;
}

static void cleanup(const char *obj)
{
	char dir[256], *slash;

	unlink(obj);
	snprintf(dir, sizeof(dir), "%s", obj);
	if ((slash = strrchr(dir, '/'))) {
		*slash = 0;
		rmdir(dir);
	}
}

/* Program N: a socket filter returning N. */
static char *many_progs_src(void)
{
	size_t cap = 128 * MANY, n = 0;
	char *s = malloc(cap);
	int i;

	n += snprintf(s + n, cap - n, "#include \"bpf_prog.h\"\n");
	for (i = 0; i < MANY; i++)
		n += snprintf(s + n, cap - n, "SEC(\"socket\") int p%d(struct __sk_buff *s) "
			      "{ (void)s; return %d; }\n", i, i);
	snprintf(s + n, cap - n, "char LICENSE[] SEC(\"license\") = \"GPL\";\n");
	return s;
}

static void set_nofile(rlim_t n)
{
	struct rlimit r;

	getrlimit(RLIMIT_NOFILE, &r);
	r.rlim_cur = n < r.rlim_max ? n : r.rlim_max;
	ASSERT_TRUE(setrlimit(RLIMIT_NOFILE, &r) == 0, "setrlimit: %s", strerror(errno));
}

static int run_ret(struct rbpf_object *obj, const char *name)
{
	struct rbpf_prog *p = rbpf_object_find_prog(obj, name);
	unsigned char pkt[64] = { 0 };
	struct rbpf_test_run_args a = { .data_in = pkt, .data_size_in = sizeof(pkt), .repeat = 1 };

	ASSERT_TRUE(p != NULL, "no program %s", name);
	ASSERT_OK(rbpf_prog_test_run(rbpf_prog_fd(p), &a));
	return a.retval;
}

TEST(hard_limits_1000_programs)
{
	char *src = many_progs_src();
	const char *path = compile("many_progs", src);
	struct rbpf_object *obj;
	int fds = test_count_fds(), n = 0, r;
	const struct rbpf_prog *p = NULL;

	NEED_ROOT();
	free(src);
	ASSERT_OK(rbpf_object_open(path, &obj));
	while ((p = rbpf_object_next_prog(obj, p)))
		n++;
	ASSERT(MANY, n);
	/* 1. under a limit of 512 open files: refused, EMFILE named, nothing kept */
	set_nofile(512);
	r = rbpf_object_load(obj, 0);
	ASSERT_TRUE(r == -EMFILE, "load under 512 fds: %d (%s)", r, rbpf_errmsg());
	ASSERT_CONTAINS(rbpf_errmsg(), "BPF_PROG_LOAD failed: EMFILE");
	ASSERT_CONTAINS(rbpf_errmsg(), "RLIMIT_NOFILE");
	printf("    (under 512 fds: %.160s...)\n", rbpf_errmsg());
	rbpf_object_close(obj);
	ASSERT(fds, test_count_fds());
	/* 2. with room: all 1,000 load, and each is the right one */
	set_nofile(MANY + 256);
	ASSERT_OK(rbpf_object_open(path, &obj));
	ASSERT_OK(rbpf_object_load(obj, 0));
	ASSERT(0, run_ret(obj, "p0"));
	ASSERT(500, run_ret(obj, "p500"));
	ASSERT(999, run_ret(obj, "p999"));
	rbpf_object_close(obj);
	ASSERT(fds, test_count_fds());
	cleanup(path);
}

/* 1,000 BTF-defined maps (arrays of one u64) and one program that writes map N's
 * value through each of the first, middle and last maps, so their relocations
 * must point at the right ones. */
static char *many_maps_src(void)
{
	size_t cap = 200 * MANY + 4096, n = 0;
	char *s = malloc(cap);
	int i;

	n += snprintf(s + n, cap - n, "#include \"bpf_prog.h\"\n");
	for (i = 0; i < MANY; i++)
		n += snprintf(s + n, cap - n, "struct { __uint(type, BPF_MAP_TYPE_ARRAY); "
			      "__uint(max_entries, 1); __type(key, u32); __type(value, u64); "
			      "} m%d SEC(\".maps\");\n", i);
	n += snprintf(s + n, cap - n, "SEC(\"socket\") int use(struct __sk_buff *s)\n{\n"
		      "\tu32 k = 0;\n\tu64 *v;\n\t(void)s;\n");
	for (i = 0; i < MANY; i += MANY / 2 - 1)     /* m0, m499, m998 */
		n += snprintf(s + n, cap - n, "\tif ((v = bpf_map_lookup_elem(&m%d, &k)))\n"
			      "\t\t*v = %d;\n", i, i + 1);
	snprintf(s + n, cap - n, "\treturn 0;\n}\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n");
	return s;
}

static uint64_t value_of(struct rbpf_object *obj, const char *name)
{
	struct rbpf_map *m = rbpf_object_find_map(obj, name);
	uint32_t k = 0;
	uint64_t v = 0;

	ASSERT_TRUE(m != NULL, "no map %s", name);
	ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(m), &k, &v, 0));
	return v;
}

TEST(hard_limits_1000_maps)
{
	char *src = many_maps_src();
	const char *path = compile("many_maps", src);
	struct rbpf_object *obj;
	int fds = test_count_fds(), n = 0;
	const struct rbpf_map *m = NULL;

	NEED_ROOT();
	free(src);
	set_nofile(MANY + 256);
	ASSERT_OK(rbpf_object_open(path, &obj));
	while ((m = rbpf_object_next_map(obj, m)))
		n++;
	ASSERT(MANY, n);
	ASSERT_OK(rbpf_object_load(obj, 0));
	ASSERT(0, run_ret(obj, "use"));
	ASSERT(1, value_of(obj, "m0"));
	ASSERT(500, value_of(obj, "m499"));
	ASSERT(999, value_of(obj, "m998"));
	ASSERT(0, value_of(obj, "m999"));
	rbpf_object_close(obj);
	ASSERT(fds, test_count_fds());
	cleanup(path);
}

/* The project's biggest program (most linked instructions of any object built),
 * loaded at log level 2 from a 4 KB log buffer: the buffer must grow until the
 * whole log fits, ending with the verifier's "processed N insns" line. */
TEST(hard_limits_largest_verifier_log_fits)
{
	static const char *const dirs[] = { "progs", "tests/bpf" };
	char best_path[512] = "", best_name[128] = "", path[512];
	uint32_t best = 0, cnt, saved = rbpf_log_start_size;
	struct rbpf_object *obj;
	const struct rbpf_prog *p;
	struct rbpf_prog *bp;
	struct dirent *e;
	const char *log;
	size_t i, len;
	DIR *d;

	NEED_ROOT();
	test_timeout(300);
	for (i = 0; i < 2; i++) {
		ASSERT_TRUE((d = opendir(test_path(dirs[i]))) != NULL, "%s", test_path(dirs[i]));
		while ((e = readdir(d))) {
			len = strlen(e->d_name);
			if (len < 6 || strcmp(e->d_name + len - 6, ".bpf.o") ||
			    !strncmp(e->d_name, "bad_", 4) || strstr(e->d_name, "reject"))
				continue;        /* rejected on purpose: their logs stop early */
			snprintf(path, sizeof(path), "%s/%.200s", test_path(dirs[i]), e->d_name);
			if (rbpf_object_open(path, &obj) < 0)
				continue;
			for (p = NULL; (p = rbpf_object_next_prog(obj, p));)
				if (rbpf_prog_insns(p, &cnt) && cnt > best) {
					best = cnt;
					snprintf(best_path, sizeof(best_path), "%s", path);
					snprintf(best_name, sizeof(best_name), "%s", rbpf_prog_name(p));
				}
			rbpf_object_close(obj);
		}
		closedir(d);
	}
	ASSERT_TRUE(best > 0, "no program found in %s or tests/bpf", test_path("progs"));
	ASSERT_OK(rbpf_object_open(best_path, &obj));
	bp = rbpf_object_find_prog(obj, best_name);
	rbpf_log_start_size = 4096;
	ASSERT_OK(rbpf_object_load_prog(bp, 2));
	rbpf_log_start_size = saved;
	log = rbpf_prog_log(bp);
	len = strlen(log);
	ASSERT_TRUE(len > 4096, "%s of %s: a level-2 log of %zu bytes did not need to grow",
		    best_name, best_path, len);
	ASSERT_CONTAINS(log, "\nprocessed ");
	ASSERT_TRUE(strstr(log, "\nprocessed ") > log + len - 200, "the log does not end "
		    "with the verifier's summary: it was cut");
	printf("    (%s in %s: %u instructions, level-2 log of %zu bytes from a 4 KB start)\n",
	       best_name, best_path, best, len);
	rbpf_object_close(obj);
}
