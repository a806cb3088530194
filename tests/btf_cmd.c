/*
 * btf_cmd.c -- `rawbpf btf`: the text form against bpftool's `btf dump` (the same
 * bytes), the C form against bpftool's `format c` and against the BTF itself.
 *
 * For the C header (vmlinux.h) bpftool is the oracle three ways: the same named types
 * (struct, union, enum, typedef, duplicates' ___N names included), a CO-RE program
 * compiled against either header gives the same instructions and the same relocation
 * records, and both compile.  Beyond the oracle, every struct and union of the
 * kernel's BTF is checked in the compiler: sizeof and each named member's offsetof,
 * as _Static_asserts against the numbers in the BTF.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../loader/btf.h"
#include "../loader/elf.h"
#include "rawbpf.h"
#include "test.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"

/* The named types a header declares at file scope, one "kind name" a line, sorted. */
static const char names_awk[] =
	"/^(struct|union|enum) [A-Za-z_0-9]+ \\{/ { print $1, $2; next }\n"
	"/^typedef .*\\{$/ { pending = 1; next }\n"
	"pending && /^}/ { s = $0; sub(/;$/, \"\", s); n = split(s, a, /[ )]+/); "
	"print \"typedef\", a[n]; pending = 0; next }\n"
	"/^typedef / { s = $0\n"
	"  if (match(s, /\\(\\*[A-Za-z_0-9]+\\)/)) { print \"typedef\", substr(s, RSTART + 2, RLENGTH - 3); next }\n"
	"  if (match(s, /[A-Za-z_0-9]+\\(/)) { print \"typedef\", substr(s, RSTART, RLENGTH - 1); next }\n"
	"  sub(/(\\[[0-9]*\\])*;$/, \"\", s); n = split(s, a, /[ *]+/); print \"typedef\", a[n] }\n";

static void need_vmlinux(void)
{
	if (access(VMLINUX, R_OK) != 0)
		SKIP("no %s (kernel without CONFIG_DEBUG_INFO_BTF)", VMLINUX);
}

/* A scratch directory of this test's own; removed by rm_dir. */
static const char *scratch(void)
{
	static char dir[64];
	int st;

	snprintf(dir, sizeof(dir), "/tmp/rbpf_btf_%d", getpid());
	free(test_run_cmd(&st, "rm -rf %s && mkdir -p %s/ours %s/bpftool", dir, dir, dir));
	ASSERT(0, st);
	return dir;
}

static void rm_dir(const char *dir)
{
	int st;

	free(test_run_cmd(&st, "rm -rf %s", dir));
}

/* Our text dump of `what` is byte for byte bpftool's. */
static void text_same(const char *what)
{
	char *out;
	int st;

	out = test_run_cmd(&st, "%s btf %s > /tmp/rbpf_btf_o_%d && bpftool btf dump file %s > "
			   "/tmp/rbpf_btf_t_%d && cmp /tmp/rbpf_btf_o_%d /tmp/rbpf_btf_t_%d; "
			   "r=$?; rm -f /tmp/rbpf_btf_[ot]_%d; exit $r", test_path("rawbpf"), what,
			   getpid(), *what ? what : VMLINUX, getpid(), getpid(), getpid(), getpid());
	ASSERT_TRUE(st == 0, "rawbpf btf %s differs from bpftool's dump:\n%s", what, out);
	free(out);
}

TEST(btf_cmd_text_matches_bpftool)
{
	static const char *objs[] = { "progs/hello_ringbuf.bpf.o", "tests/bpf/typed_values.bpf.o",
		"tests/bpf/core_macros.bpf.o", "tests/bpf/run_record.bpf.o", "progs/maps.bpf.o" };
	size_t i;

	NEED_CMD("bpftool");
	need_vmlinux();
	test_timeout(300);
	text_same("");
	for (i = 0; i < sizeof(objs) / sizeof(objs[0]); i++)
		text_same(test_path(objs[i]));
}

TEST(btf_cmd_c_same_names_as_bpftool)
{
	const char *dir;
	char *out;
	int st, n;

	NEED_CMD("bpftool");
	need_vmlinux();
	test_timeout(300);
	dir = scratch();
	out = test_run_cmd(&st, "cd %s && %s/%s btf --c > ours.h && bpftool btf dump file %s "
			   "format c > bpftool.h && awk '%s' ours.h | sort > ours.names && "
			   "awk '%s' bpftool.h | sort > bpftool.names && diff ours.names "
			   "bpftool.names > names.diff; r=$?; cat names.diff | head -20; "
			   "wc -l < ours.names; exit $r", dir, getcwd((char[512]){0}, 512),
			   test_path("rawbpf"), VMLINUX, names_awk, names_awk);
	ASSERT_TRUE(st == 0, "named types differ (< ours, > bpftool's):\n%s", out);
	n = atoi(out);
	ASSERT_TRUE(n > 1000, "only %d named types:\n%s", n, out);
	printf("    %d named types, the same as bpftool's header\n", n);
	free(out);
	rm_dir(dir);
}

/* A CO-RE program, compiled against our header and against bpftool's. */
static const char core_prog[] =
	"#include \"vmlinux.h\"\n#include \"bpf_prog.h\"\n"
	"struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } rb SEC(\".maps\");\n"
	"struct ev { int pid, ppid; u64 start; char comm[16]; unsigned int state; long x; };\n"
	"SEC(\"tracepoint/sched/sched_process_exec\")\n"
	"int exec(struct trace_event_raw_sched_process_exec *ctx)\n{\n"
	"	struct task_struct *t = (void *)bpf_get_current_task();\n"
	"	struct ev *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);\n"
	"	if (!e)\n		return 0;\n"
	"	e->pid = BPF_CORE_READ(t, tgid);\n"
	"	e->ppid = BPF_CORE_READ(t, real_parent, tgid);\n"
	"	e->start = BPF_CORE_READ(t, start_time);\n"
	"	BPF_CORE_READ_STR_INTO(&e->comm, t, comm);\n"
	"	e->state = BPF_CORE_READ(t, __state);\n"
	"	e->x = BPF_CORE_READ(t, mm, total_vm) + ctx->pid + BPF_CORE_READ_BITFIELD_PROBED(t, in_execve);\n"
	"	if (bpf_core_field_exists(t->se.vruntime))\n"
	"		e->x += bpf_core_field_size(t->sched_class) + sizeof(struct sk_buff);\n"
	"	e->x += bpf_core_enum_value(enum pid_type, PIDTYPE_SID);\n"
	"	bpf_ringbuf_submit(e, 0);\n	return 0;\n}\n"
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n";

TEST(btf_cmd_c_same_code_as_bpftool)
{
	char cwd[512], *out;
	const char *dir;
	FILE *f;
	int st;

	NEED_CMD("bpftool");
	NEED_CMD("clang");
	NEED_CMD("llvm-objdump");
	need_vmlinux();
	test_timeout(300);
	dir = scratch();
	ASSERT_TRUE(getcwd(cwd, sizeof(cwd)) != NULL, "getcwd");
	f = fopen(test_fmt("%s/prog.c", dir), "w");
	ASSERT_TRUE(f && fputs(core_prog, f) >= 0 && fclose(f) == 0, "writing prog.c");
	out = test_run_cmd(&st, "cd %s && %s/%s btf --c > ours/vmlinux.h && bpftool btf dump "
			   "file %s format c > bpftool/vmlinux.h && for h in ours bpftool; do "
			   "clang -O2 -g -target bpf -Wall -Werror -I%s/include -I$h -c prog.c -o "
			   "$h/prog.o && llvm-objdump -d --no-show-raw-insn $h/prog.o | tail -n +4 > "
			   "$h/prog.lst || exit 1; done; diff ours/prog.lst bpftool/prog.lst && "
			   "[ $(wc -l < ours/prog.lst) -gt 50 ]", dir, cwd, test_path("rawbpf"),
			   VMLINUX, cwd);
	ASSERT_TRUE(st == 0, "the program compiled against the two headers differs:\n%s", out);
	free(out);
	rm_dir(dir);
}

/* sizeof and offsetof asserts for every struct and union whose tag is unique. */
static int write_layout_asserts(FILE *f, struct btf *b)
{
	uint32_t id, i, off, bits, n = 0;

	for (id = 1; id < b->ntypes; id++) {
		const struct btf_type *t = btf_type(b, id);
		const char *name = btf_name(b, id), *kw;
		uint32_t k = btf_kind(t), other;

		if ((k != BTF_KIND_STRUCT && k != BTF_KIND_UNION) || !*name)
			continue;
		other = btf_find_next(b, name, strlen(name), 0);   /* unique: only it by name */
		while (other && (other == id || btf_kind(btf_type(b, other)) == BTF_KIND_TYPEDEF ||
				 btf_kind(btf_type(b, other)) == BTF_KIND_FWD || strcmp(btf_name(b, other), name)))
			other = btf_find_next(b, name, strlen(name), other);
		if (other)
			continue;
		kw = k == BTF_KIND_STRUCT ? "struct" : "union";
		fprintf(f, "_Static_assert(sizeof(%s %s) == %u, \"\");\n", kw, name, t->size);
		for (i = 0; i < btf_vlen(t); i++) {
			btf_member_bits(b, t, i, &off, &bits);
			if (!bits && *btf_str(b, btf_members(t)[i].name_off))
				fprintf(f, "_Static_assert(__builtin_offsetof(%s %s, %s) == %u, \"\");\n",
					kw, name, btf_str(b, btf_members(t)[i].name_off), off / 8);
		}
		n++;
	}
	return n;
}

TEST(btf_cmd_c_layout_matches_btf)
{
	char cwd[512], *out;
	const char *dir;
	struct btf b;
	FILE *f;
	int st, n;

	NEED_CMD("clang");
	need_vmlinux();
	test_timeout(300);
	dir = scratch();
	ASSERT_TRUE(getcwd(cwd, sizeof(cwd)) != NULL, "getcwd");
	ASSERT(0, btf_load_vmlinux(&b));
	f = fopen(test_fmt("%s/layout.c", dir), "w");
	ASSERT_TRUE(f != NULL, "layout.c");
	fprintf(f, "#include \"vmlinux.h\"\n");
	n = write_layout_asserts(f, &b);
	ASSERT(0, fclose(f));
	btf_free(&b);
	out = test_run_cmd(&st, "cd %s && %s/%s btf --c > ours/vmlinux.h && clang -target bpf "
			   "-fsyntax-only -Wall -Werror -Iours layout.c > err.txt 2>&1; r=$?; "
			   "head -20 err.txt; exit $r", dir, cwd, test_path("rawbpf"));
	ASSERT_TRUE(st == 0 && !strstr(out, "error"), "layout differs from BTF:\n%s", out);
	ASSERT_TRUE(n > 1000, "only %d structs checked", n);
	printf("    sizeof and offsetof of %d structs and unions agree with BTF\n", n);
	free(out);
	rm_dir(dir);
}

/* An object's BTF as C: its own types (maps' structs, the program's), no variables. */
TEST(btf_cmd_c_of_an_object_compiles)
{
	char *out;
	int st;

	NEED_CMD("clang");
	out = test_run_cmd(&st, "%s btf %s --c > /tmp/rbpf_btf_obj_%d.h && printf "
			   "'#include \"/tmp/rbpf_btf_obj_%d.h\"\\nstruct rec r; struct key2 k; "
			   "enum color c = BLUE;\\n' | clang -target bpf -Wall -Werror -fsyntax-only "
			   "-x c -; r=$?; grep -c 'struct rec {' /tmp/rbpf_btf_obj_%d.h; "
			   "rm -f /tmp/rbpf_btf_obj_%d.h; exit $r", test_path("rawbpf"),
			   test_path("tests/bpf/typed_values.bpf.o"), getpid(), getpid(), getpid(),
			   getpid());
	ASSERT_TRUE(st == 0 && atoi(out) == 1, "the header does not compile:\n%s", out);
	free(out);
}

TEST(btf_cmd_usage_and_errors)
{
	char *out;
	int st;

	out = test_run_cmd(&st, "%s btf --frob", test_path("rawbpf"));
	ASSERT(2, st);
	ASSERT_CONTAINS(out, "usage: rawbpf btf");
	free(out);
	out = test_run_cmd(&st, "%s btf /nonexistent/file.o", test_path("rawbpf"));
	ASSERT(1, st);
	ASSERT_CONTAINS(out, "/nonexistent/file.o");
	free(out);
	out = test_run_cmd(&st, "%s btf %s", test_path("rawbpf"), test_path("asm/hello"));
	ASSERT(1, st);
	free(out);
}

/* Malformed BTF: an object's .BTF with type-section words overwritten (mostly by
 * small type ids, which make loops: a pointer to itself, a struct holding itself,
 * a prototype taking itself).  Each mutant is written as a raw BTF file; `rawbpf btf`
 * on it, as text and as C, must answer (0, or 1 with a message), never crash or
 * hang. */
TEST(btf_cmd_malformed_never_crashes)
{
	static const char *objs[] = { "tests/bpf/typed_values.bpf.o", "tests/bpf/core_macros.bpf.o" };
	uint32_t seed = 12345, hdr_len, type_off, type_len;
	char path[64], *out;
	int st, i, j, o, bad = 0, refused = 0;

	test_timeout(300);
	snprintf(path, sizeof(path), "/tmp/rbpf_btf_fuzz_%d.btf", getpid());
	for (o = 0; o < 2; o++) {
		uint8_t *buf, *m;
		size_t size;
		struct elf e;
		int sec;

		ASSERT(0, elf_read_file(test_path(objs[o]), &buf, &size));
		ASSERT(0, elf_parse(&e, buf, size, objs[o]));
		sec = elf_find_sec(&e, ".BTF");
		ASSERT_TRUE(sec > 0, "%s has no .BTF", objs[o]);
		memcpy(&hdr_len, e.secs[sec].data + 4, 4);
		memcpy(&type_off, e.secs[sec].data + 8, 4);
		memcpy(&type_len, e.secs[sec].data + 12, 4);
		m = malloc(e.secs[sec].size);
		for (i = 0; i < 100; i++) {
			FILE *f;

			memcpy(m, e.secs[sec].data, e.secs[sec].size);
			for (j = 0; j < 1 + i % 4; j++) {
				uint32_t at = hdr_len + type_off + ((seed = seed * 1103515245 + 12345) >> 8) %
					      (type_len / 4) * 4, v = (seed = seed * 1103515245 + 12345) >> 8;

				v = i % 3 ? v % 64 : v;              /* mostly a small type id */
				memcpy(m + at, &v, 4);
			}
			f = fopen(path, "w");
			ASSERT_TRUE(f && fwrite(m, 1, e.secs[sec].size, f) == e.secs[sec].size &&
				    fclose(f) == 0, "writing %s", path);
			out = test_run_cmd(&st, "timeout 20 %s btf %s --c > /dev/null 2>/dev/null; a=$?; "
					   "timeout 20 %s btf %s > /dev/null 2>/dev/null; echo $a $?",
					   test_path("rawbpf"), path, test_path("rawbpf"), path);
			if (strcmp(out, "0 0\n") && strcmp(out, "1 1\n"))
				bad++, printf("    mutant %d of %s: exit statuses %s", i, objs[o], out);
			refused += !strcmp(out, "1 1\n");
			free(out);
		}
		free(m);
		elf_free(&e);
		free(buf);
	}
	unlink(path);
	ASSERT(0, bad);
	printf("    200 mutants: %d refused by the reader, the rest written\n", refused);
}

/* A BTF made here: an enum without values (how BTF declares `enum foo;`, which 6.1's
 * vmlinux has), a struct that points to it, a packed struct, an over-aligned member
 * and a function pointer taking a struct first named there.  The header must
 * compile and keep the layout. */
TEST(btf_cmd_c_of_handmade_btf)
{
	/* offsets:           1         10      17 19   23      30 32 34  37 39 */
	static const char strs[] = "\0fwd_only\0holder\0p\0int\0packed\0c\0x\0fn\0s\0char";
	struct { struct btf_header h; uint32_t t[64]; char s[sizeof(strs)]; } blob;
	uint32_t *t = blob.t, n = 0;
	char path[64], *out;
	FILE *f;
	int st;

	NEED_CMD("clang");
#define T(name, kind, vlen, kflag, sz) (t[n++] = (name), t[n++] = (kflag) << 31 | (kind) << 24 | (vlen), t[n++] = (sz))
	T(1, BTF_KIND_ENUM, 0, 0, 4);                     /* [1] enum fwd_only (no values) */
	T(0, BTF_KIND_PTR, 0, 0, 1);                      /* [2] enum fwd_only * */
	T(19, BTF_KIND_INT, 0, 0, 4); t[n++] = BTF_INT_SIGNED << 24 | 32;   /* [3] int */
	T(10, BTF_KIND_STRUCT, 3, 0, 72);                 /* [4] struct holder */
	t[n++] = 17; t[n++] = 2; t[n++] = 0;              /*   enum fwd_only *p at 0 */
	t[n++] = 34; t[n++] = 8; t[n++] = 64;             /*   int (*fn)(struct s *) at 8 */
	t[n++] = 32; t[n++] = 3; t[n++] = 512;            /*   int x at byte 64 (aligned 64) */
	T(23, BTF_KIND_STRUCT, 2, 0, 5);                  /* [5] struct packed */
	t[n++] = 30; t[n++] = 6; t[n++] = 0;              /*   char c at 0 */
	t[n++] = 32; t[n++] = 3; t[n++] = 8;              /*   int x at 1: packed */
	T(39, BTF_KIND_INT, 0, 0, 1); t[n++] = BTF_INT_SIGNED << 24 | 8;    /* [6] char */
	T(0, BTF_KIND_FUNC_PROTO, 1, 0, 3); t[n++] = 0; t[n++] = 10;        /* [7] int (struct s *) */
	T(0, BTF_KIND_PTR, 0, 0, 7);                      /* [8] int (*)(struct s *) */
	T(37, BTF_KIND_FWD, 0, 0, 0);                     /* [9] struct s; */
	T(0, BTF_KIND_PTR, 0, 0, 9);                      /* [10] struct s * */
#undef T
	memset(&blob.h, 0, sizeof(blob.h));
	blob.h.magic = 0xeB9F;
	blob.h.version = 1;
	blob.h.hdr_len = sizeof(blob.h);
	blob.h.type_len = n * 4;
	blob.h.str_off = n * 4;
	blob.h.str_len = sizeof(strs);
	memcpy((char *)blob.t + n * 4, strs, sizeof(strs));
	snprintf(path, sizeof(path), "/tmp/rbpf_btf_hand_%d", getpid());
	f = fopen(path, "w");
	ASSERT_TRUE(f && fwrite(&blob, 1, sizeof(blob.h) + n * 4 + sizeof(strs), f) > 0 &&
		    fclose(f) == 0, "writing %s", path);
	out = test_run_cmd(&st, "%s btf %s --c > %s.h && printf '#include \"%s.h\"\\n"
			   "_Static_assert(sizeof(struct holder) == 72, \"\");\\n"
			   "_Static_assert(__builtin_offsetof(struct holder, x) == 64, \"\");\\n"
			   "_Static_assert(sizeof(struct packed) == 5, \"\");\\n' | clang -target bpf "
			   "-Wall -Werror -fsyntax-only -x c - && grep -c -e '^enum fwd_only;$' -e "
			   "'^struct s;$' -e 'int (\\*fn)(struct s \\*);' %s.h; "
			   "r=$?; cat %s.h; rm -f %s %s.h; exit $r", test_path("rawbpf"), path, path,
			   path, path, path, path, path);
	ASSERT_TRUE(st == 0 && atoi(out) == 3, "the header:\n%s", out);
	free(out);
}
