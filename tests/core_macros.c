/*
 * core_macros.c -- the CO-RE macros of include/bpf_prog.h ask clang the same
 * questions as libbpf's bpf_core_read.h.
 *
 * tests/bpf/core_macros.bpf.c is built twice, with our header and with libbpf's
 * (tests/libbpf/lb_core_macros.bpf.c).  A CO-RE relocation record is {instruction,
 * BTF type, access string, kind}; the type ids differ between the two objects (the
 * headers declare different things), so a record is compared by the type's kind and
 * name.  Both objects must hold the same records, in the same order, at the same
 * instructions: the macros compile to the same code (the one allowed difference:
 * BPF_PROBE_READ and BPF_PROBE_READ_STR_INTO call bpf_probe_read_kernel(_str) here,
 * libbpf 1.1's the older bpf_probe_read(_str): a helper number, not a relocation).
 * Then both objects are loaded by rawbpf and by libbpf, and the kernel's translated
 * code compared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../loader/btf.h"
#include "../loader/elf.h"
#include "rawbpf.h"
#include "test.h"

/* The CO-RE records of an object as text, one line each:
 * "SECTION insn N kind K STRUCT task_struct___rb 0:8". */
static char *core_records(const char *path)
{
	static const char *kinds[] = { "?", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM",
		"FWD", "TYPEDEF", "VOLATILE", "CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR",
		"DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64" };
	uint8_t *buf;
	size_t size, n = 0, cap = 1 << 16;
	char *out = calloc(1, cap);
	struct elf e;
	struct btf b;
	int sb, sx;
	uint32_t hdr_len, off, len, rec, p, end, hdr[2], r[4], i;
	const uint8_t *x;

	ASSERT(0, elf_read_file(path, &buf, &size));
	ASSERT(0, elf_parse(&e, buf, size, path));
	sb = elf_find_sec(&e, ".BTF");
	sx = elf_find_sec(&e, ".BTF.ext");
	ASSERT_TRUE(sb > 0 && sx > 0, "%s has no .BTF or .BTF.ext", path);
	ASSERT(0, btf_parse(&b, e.secs[sb].data, e.secs[sb].size, path));
	x = e.secs[sx].data;
	ASSERT_TRUE(e.secs[sx].size >= 32, "%s: .BTF.ext has no CO-RE part", path);
	memcpy(&hdr_len, x + 4, 4);
	memcpy(&off, x + 24, 4);
	memcpy(&len, x + 28, 4);
	ASSERT_TRUE((uint64_t)hdr_len + off + len <= e.secs[sx].size && len >= 4, "bad .BTF.ext");
	p = hdr_len + off;
	end = p + len;
	memcpy(&rec, x + p, 4);
	ASSERT_TRUE(rec >= 16, "record size %u", rec);
	for (p += 4; p + 8 <= end; ) {
		memcpy(hdr, x + p, 8);
		p += 8;
		for (i = 0; i < hdr[1] && p + rec <= end; i++, p += rec) {
			const struct btf_type *t;
			uint32_t k;

			memcpy(r, x + p, 16);
			t = btf_type(&b, r[1]);
			k = t ? BTF_INFO_KIND(t->info) : 0;
			ASSERT_TRUE(n + 512 < cap, "too many records");
			n += snprintf(out + n, cap - n, "%s insn %u kind %u %s %s %s\n",
				      btf_str(&b, hdr[0]), r[0] / 8, r[3],
				      k < sizeof(kinds) / sizeof(kinds[0]) ? kinds[k] : "?",
				      t ? btf_str(&b, t->name_off) : "void", btf_str(&b, r[2]));
		}
	}
	btf_free(&b);
	elf_free(&e);
	free(buf);
	return out;
}

TEST(core_macros_same_records_as_libbpf)
{
	char *ours = core_records(test_path("tests/bpf/core_macros.bpf.o"));
	char *theirs = core_records(test_path("tests/libbpf/lb_core_macros.bpf.o"));
	int kinds[13] = { 0 }, k, i;
	char *l;

	ASSERT_STREQ(theirs, ours);
	for (l = ours; (l = strstr(l, " kind ")); l++)     /* every kind clang 14 emits */
		if (sscanf(l, " kind %d", &k) == 1 && k >= 0 && k < 13)
			kinds[k]++;
	for (i = 0; i <= 11; i++)
		ASSERT_TRUE(kinds[i] > 0, "no record of kind %d in:\n%s", i, ours);
	free(ours);
	free(theirs);
}

/* Same instructions too, but for the plain probe reads' helper numbers (see the top). */
TEST(core_macros_same_code_as_libbpf)
{
	char *a, *b, *pa, *pb;
	int st, diffs = 0;

	NEED_CMD("llvm-objdump");
	a = test_run_cmd(&st, "llvm-objdump -d --no-show-raw-insn %s | tail -n +4",
			 test_path("tests/bpf/core_macros.bpf.o"));
	ASSERT(0, st);
	b = test_run_cmd(&st, "llvm-objdump -d --no-show-raw-insn %s | tail -n +4",
			 test_path("tests/libbpf/lb_core_macros.bpf.o"));
	ASSERT(0, st);
	for (pa = a, pb = b; *pa && *pb; pa = strchr(pa, '\n') + 1, pb = strchr(pb, '\n') + 1) {
		size_t la = strcspn(pa, "\n"), lb = strcspn(pb, "\n");

		if (la == lb && !memcmp(pa, pb, la))
			continue;
		ASSERT_TRUE((strstr(pa, "call 113") && strstr(pb, "call 4")) ||
			    (strstr(pa, "call 115") && strstr(pb, "call 45")),
			    "differ at\n  ours:   %.*s\n  libbpf: %.*s", (int)la, pa, (int)lb, pb);
		diffs++;
	}
	ASSERT_TRUE(!*pa && !*pb, "one listing is longer:\n  ours:   %.60s\n  libbpf: %.60s", pa, pb);
	ASSERT_TRUE(strlen(a) > 1000 && diffs <= 4, "%d differences", diffs);
	free(a);
	free(b);
}

/* Each object loads, relocated for this kernel, with the same translated code as
 * libbpf gives it (bpftool prog loadall): our macros' object, and the one built with
 * libbpf's header, which rawbpf must load unchanged.  Map ids masked. */
static void same_xlated_as_libbpf(const char *rel)
{
	static const char *progs[] = { "chains", "infos", "absent", "direct" };
	char dir[96], *out;
	size_t i;
	int st;

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/rbpf_coremac_%d", getpid());
	out = test_run_cmd(&st, "rm -rf %s && mkdir -p %s && %s load %s --pin %s/r && "
			   "bpftool prog loadall %s %s/l", dir, dir, test_path("rawbpf"),
			   test_path(rel), dir, test_path(rel), dir);
	if (st != 0) {
		free(test_run_cmd(&st, "rm -rf %s", dir));
		FAIL("loading %s with rawbpf and with libbpf:\n%s", rel, test_excerpt(out));
	}
	free(out);
	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		out = test_run_cmd(&st, "t=/tmp/rbpf_coremac_%d; bpftool prog dump xlated pinned "
				   "%s/r/progs/%s | sed 's/map\\[id:[0-9]*\\]/map/' > $t.r && bpftool prog "
				   "dump xlated pinned %s/l/%s | sed 's/map\\[id:[0-9]*\\]/map/' > $t.l && "
				   "[ $(wc -l < $t.r) -gt 10 ] && diff $t.r $t.l; r=$?; rm -f $t.r $t.l; "
				   "exit $r", getpid(), dir, progs[i], dir, progs[i]);
		if (st != 0) {
			free(test_run_cmd(&st, "rm -rf %s", dir));
			FAIL("%s: program %s: rawbpf's translated code differs from libbpf's "
			     "(< rawbpf, > libbpf):\n%s", rel, progs[i], test_excerpt(out));
		}
		free(out);
	}
	free(test_run_cmd(&st, "rm -rf %s", dir));
}

TEST(core_macros_load_like_libbpf)
{
	NEED_ROOT();
	NEED_CMD("bpftool");
	same_xlated_as_libbpf("tests/bpf/core_macros.bpf.o");
	same_xlated_as_libbpf("tests/libbpf/lb_core_macros.bpf.o");
}
