/*
 * disasm_cmd.c -- `rawbpf disasm OBJ [--macro]` on every object the project builds.
 *
 * The macro form must compile back to the program: for each object, the printed
 * arrays are compiled by cc (with every NAME_fd they mention declared as 0) and
 * their bytes compared with the object's linked instructions, in which a map load by
 * index (src 5 / 6) is what BPF_LD_MAP_FD / BPF_LD_MAP_VALUE with fd 0 give.  The
 * text form must name every slot and show the source lines.
 */
#include <dirent.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawbpf.h"
#include "test.h"

/* The bytes the macro output should compile to, for one program. */
static void expected_bytes(const struct rbpf_prog *p, FILE *out)
{
	uint32_t cnt, i;
	const struct bpf_insn *insns = rbpf_prog_insns(p, &cnt);

	for (i = 0; i < cnt; i++) {
		struct bpf_insn in = insns[i];

		if (in.code == (BPF_LD | BPF_DW | BPF_IMM) && (in.src_reg == 5 || in.src_reg == 6)) {
			in.src_reg = in.src_reg == 5 ? BPF_PSEUDO_MAP_FD : BPF_PSEUDO_MAP_VALUE;
			in.imm = 0;
		}
		fwrite(&in, sizeof(in), 1, out);
	}
}

/* Write a C file: the NAME_fd declarations, the arrays, a main writing them out. */
static void write_c(const char *macro_out, const char *path)
{
	FILE *f = fopen(path, "w");
	const char *p;

	ASSERT_TRUE(f != NULL, "cannot write %s", path);
	fprintf(f, "#include <stdio.h>\n#include \"bpf_insn.h\"\n");
	for (p = strstr(macro_out, "_fd"); p; p = strstr(p + 3, "_fd")) {
		const char *s = p;

		while (s > macro_out && (isalnum((unsigned char)s[-1]) || s[-1] == '_'))
			s--;
		if (s[-1] == ' ' || s[-1] == '(')
			fprintf(f, "#ifndef %.*s_fd\n#define %.*s_fd 0\n#endif\n", (int)(p - s), s,
				(int)(p - s), s);
	}
	fprintf(f, "%s\n", macro_out);
	fclose(f);
}

/* The "struct bpf_insn NAME_insns[]" names in order, for main() to write. */
static void write_main(const char *macro_out, const char *path)
{
	FILE *f = fopen(path, "a");
	const char *p = macro_out;

	fprintf(f, "int main(void)\n{\n");
	while ((p = strstr(p, "struct bpf_insn ")) != NULL) {
		p += 16;
		fprintf(f, "\tfwrite(%.*s, sizeof(%.*s), 1, stdout);\n", (int)strcspn(p, "["), p,
			(int)strcspn(p, "["), p);
	}
	fprintf(f, "\treturn 0;\n}\n");
	fclose(f);
}

static int round_trip(const char *obj_path)
{
	struct rbpf_object *obj;
	struct rbpf_prog *p;
	char *out, *got, *want, src[64];
	size_t want_len = 0;
	FILE *w;
	int st, n = 0;

	if (rbpf_object_open(obj_path, &obj) < 0)
		return 0;               /* objects built to be malformed */
	w = open_memstream(&want, &want_len);
	for (p = rbpf_object_next_prog(obj, NULL); p; p = rbpf_object_next_prog(obj, p), n++)
		expected_bytes(p, w);
	fclose(w);
	rbpf_object_close(obj);
	out = test_run_cmd(&st, "%s disasm %s --macro 2>&1", test_path("rawbpf"), obj_path);
	ASSERT_TRUE(st == 0, "rawbpf disasm --macro %s failed:\n%s", obj_path, out);
	snprintf(src, sizeof(src), "/tmp/rawbpf-disasm-cmd-%d.c", (int)getpid());
	write_c(out, src);
	write_main(out, src);
	free(out);
	got = test_run_cmd(&st, "cc -Iinclude -o %.*s %s >/dev/null 2>&1 && %.*s | od -An -v -tx1",
			   (int)strlen(src) - 2, src, src, (int)strlen(src) - 2, src);
	ASSERT_TRUE(st == 0, "%s: the macro form does not compile (see %s)", obj_path, src);
	{
		char *s = got;
		unsigned v;
		int used;
		size_t i = 0;

		while (sscanf(s, "%x%n", &v, &used) == 1) {
			ASSERT_TRUE(i < want_len, "%s: more bytes than the object has", obj_path);
			ASSERT_TRUE((unsigned char)want[i] == v, "%s: byte %zu (slot %zu) differs",
				    obj_path, i, i / 8);
			i++;
			s += used;
		}
		ASSERT(want_len, i);
	}
	free(got);
	free(want);
	unlink(src);
	src[strlen(src) - 2] = 0;
	unlink(src);
	return n;
}

static int round_trip_dir(const char *dir, int *objects)
{
	DIR *d = opendir(test_path(dir));
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len < 6 || strcmp(e->d_name + len - 6, ".bpf.o"))
			continue;
		n += round_trip(test_fmt("%s/%s", test_path(dir), e->d_name));
		(*objects)++;
	}
	closedir(d);
	return n;
}

TEST(disasm_cmd_macro_round_trip)
{
	int objects = 0, progs;

	NEED_CMD("cc");
	test_timeout(300);
	progs = round_trip_dir("progs", &objects) + round_trip_dir("tests/bpf", &objects);
	if (!objects)
		SKIP("no .bpf.o built under %s", test_path(""));
	ASSERT_TRUE(progs > 0, "no programs in %d objects", objects);
}

TEST(disasm_cmd_text)
{
	int st;
	char *out;

	out = test_run_cmd(&st, "%s disasm %s", test_path("rawbpf"),
			   test_path("progs/fixed_null_check.bpf.o"));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "program null_check (xdp): 13 slots\n");
	ASSERT_CONTAINS(out, "; 20: u64 *count = bpf_map_lookup_elem(&seen, &key);\n"
			     "   4: (18) r1 = map[seen]\n   6: (85) call bpf_map_lookup_elem#1\n");
	ASSERT_CONTAINS(out, "  12: (95) exit\n");
	free(out);
	out = test_run_cmd(&st, "%s disasm %s nope", test_path("rawbpf"),
			   test_path("progs/fixed_null_check.bpf.o"));
	ASSERT(2, st);
	free(out);
	out = test_run_cmd(&st, "%s disasm /nonexistent.o", test_path("rawbpf"));
	ASSERT(2, st);
	free(out);
}
