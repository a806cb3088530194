/*
 * core.c -- CO-RE against libbpf as the oracle.
 *
 * Each CO-RE test object is loaded twice on this kernel: by rawbpf (the library) and
 * by libbpf (`bpftool prog loadall`, pinned under a directory of this test's own).
 * For every program, the kernel's translated instructions (bpf_prog_info's xlated
 * code) must be identical, map ids masked: the same relocations resolved to the same
 * values, the same dead branches removed.  Then the relocation table itself: kinds,
 * C spelling, and values that can be checked against bpftool's dump of vmlinux.
 */
#include <linux/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common.h"
#include "rawbpf.h"
#include "test.h"

#define MAX_XLATED 4096

static void rm_pins(const char *dir)
{
	int st;

	free(test_run_cmd(&st, "rm -rf %s", dir));
}

/* The translated code of prog fd, map ids (ld_imm64 of a map or map value) zeroed. */
static uint32_t xlated(int fd, struct bpf_insn *x)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info), n, i;

	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = MAX_XLATED * sizeof(*x);
	info.xlated_prog_insns = (uint64_t)(unsigned long)x;
	ASSERT(0, rbpf_obj_get_info_by_fd(fd, &info, &len));
	n = info.xlated_prog_len / sizeof(*x);
	ASSERT_TRUE(n > 0 && n <= MAX_XLATED, "xlated length %u", n);
	for (i = 0; i + 1 < n; i++)
		if (x[i].code == (BPF_LD | BPF_IMM | BPF_DW)) {
			if (x[i].src_reg == BPF_PSEUDO_MAP_FD || x[i].src_reg == BPF_PSEUDO_MAP_VALUE)
				x[i].imm = 0;
			i++;
		}
	return n;
}

/* Load rel with both loaders and compare each program's translated code.
 * Returns the number of programs compared. */
static int same_as_libbpf(const char *rel)
{
	static struct bpf_insn a[MAX_XLATED], b[MAX_XLATED];
	struct rbpf_object *obj;
	struct rbpf_prog *p = NULL;
	char dir[128], *out;
	uint32_t na, nb, i;
	int st, fd, n = 0;

	NEED_ROOT();
	NEED_CMD("bpftool");
	if (access(test_path(rel), R_OK) != 0)
		SKIP("%s not built: `make check` builds it once its compiler is installed",
		     test_path(rel));
	ASSERT_OK(rbpf_object_open(test_path(rel), &obj));
	ASSERT_OK(rbpf_object_load(obj, 0));
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/rawbpf_core_%d", getpid());
	out = test_run_cmd(&st, "bpftool prog loadall %s %s 2>&1", test_path(rel), dir);
	if (st != 0) {
		rm_pins(dir);
		FAIL("libbpf could not load %s:\n%s", rel, test_excerpt(out));
	}
	free(out);
	while ((p = rbpf_object_next_prog(obj, p))) {
		fd = rbpf_obj_get(test_fmt("%s/%s", dir, rbpf_prog_name(p)));
		if (fd < 0)
			continue;
		na = xlated(rbpf_prog_fd(p), a);
		nb = xlated(fd, b);
		close(fd);
		for (i = 0; i < na && i < nb && !memcmp(&a[i], &b[i], sizeof(a[i])); i++)
			;
		if (na != nb || i < na) {
			rm_pins(dir);
			FAIL("%s: program %s: rawbpf's xlated code (%u insns) differs from "
			     "libbpf's (%u) at insn %u: %02x %x %x %d %d vs %02x %x %x %d %d", rel,
			     rbpf_prog_name(p), na, nb, i, a[i].code, a[i].dst_reg, a[i].src_reg,
			     a[i].off, a[i].imm, b[i].code, b[i].dst_reg, b[i].src_reg, b[i].off,
			     b[i].imm);
		}
		n++;
	}
	rm_pins(dir);
	rbpf_object_close(obj);
	return n;
}

TEST(core_kinds_same_as_libbpf)
{
	ASSERT(2, same_as_libbpf("tests/libbpf/core_kinds.bpf.o"));
}

/* tests/bpf/elf_core.bpf.c reads task_like->tgid, a type no kernel has, on a path
 * that is always taken: the load fails, and the message says which access, in C. */
TEST(core_poison_reached_is_explained)
{
	struct rbpf_object *obj;
	struct rbpf_core_row row;
	struct rbpf_prog *p;

	ASSERT_OK(rbpf_object_open(test_path("tests/bpf/elf_core.bpf.o"), &obj));
	p = rbpf_object_find_prog(obj, "core");
	ASSERT(1, rbpf_prog_core_count(p));
	NEED_ROOT();
	ASSERT_OK(rbpf_prog_core_row(p, 0, NULL, &row));
	ASSERT_STREQ("task_like->tgid", row.what);
	ASSERT_STREQ("field byte offset", row.kind_name);
	ASSERT(4, row.orig);
	ASSERT(1, row.poison);
	ASSERT_CONTAINS(row.why, "no struct named 'task_like'");
	ASSERT(-EINVAL, rbpf_object_load(obj, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), test_fmt("program core: insn %u: task_like->tgid does "
						"not exist in this kernel's BTF", row.insn));
	ASSERT_CONTAINS(rbpf_errmsg(), "bpf_core_field_exists()");
	rbpf_object_close(obj);
}

TEST(core_enum64_type_matches_same_as_libbpf)
{
	ASSERT(1, same_as_libbpf("tests/libbpf/core16_types.bpf.o"));
}

/* Row i of the only program of an open object, resolved against the kernel. */
static void row_of(struct rbpf_object *obj, uint32_t i, struct rbpf_core_row *row)
{
	struct rbpf_prog *p = rbpf_object_next_prog(obj, NULL);

	ASSERT_TRUE(i < rbpf_prog_core_count(p), "relocation %u of %u", i, rbpf_prog_core_count(p));
	ASSERT_OK(rbpf_prog_core_row(p, i, NULL, row));
}

/* The values, one by one, against what bpftool says the kernel has. */
TEST(core_enum64_rows)
{
	struct rbpf_object *obj;
	struct rbpf_core_row r;
	const char *rel = "tests/libbpf/core16_types.bpf.o";

	if (access(test_path(rel), R_OK) != 0)
		SKIP("%s not built (needs clang-16)", rel);
	ASSERT_OK(rbpf_object_open(test_path(rel), &obj));
	row_of(obj, 0, &r);
	ASSERT_STREQ("enum value", r.kind_name);
	ASSERT_STREQ("PERF_CONTEXT_USER (enum perf_callchain_context)", r.what);
	ASSERT_TRUE(r.orig == (uint64_t)-512 && r.val == (uint64_t)-512, "%llx %llx",
		    (unsigned long long)r.orig, (unsigned long long)r.val);
	row_of(obj, 1, &r);
	ASSERT(3, r.val);                              /* PIDTYPE_SID in enum pid_type */
	row_of(obj, 2, &r);
	ASSERT(1, r.orig);
	ASSERT(0, r.val);                              /* no PIDTYPE_BIG here */
	ASSERT(0, r.poison);
	row_of(obj, 3, &r);
	ASSERT_STREQ("type matches", r.kind_name);
	ASSERT(1, r.val);
	row_of(obj, 4, &r);
	ASSERT(0, r.val);                              /* pid is an int, not a long */
	rbpf_object_close(obj);
}

TEST(core_ambiguous_candidates_refused_like_libbpf)
{
	struct rbpf_object *obj;
	char dir[128], *out;
	int st;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path("tests/libbpf/core_ambiguous.bpf.o"), &obj));
	if (rbpf_vmlinux_btf_id("nf_conn___init", BTF_KIND_STRUCT) < 0) {
		/* one candidate: both loaders take it (5.10) */
		ASSERT_OK(rbpf_object_load(obj, 0));
		rbpf_object_close(obj);
		ASSERT(1, same_as_libbpf("tests/libbpf/core_ambiguous.bpf.o"));
		SKIP("no nf_conn___init in this kernel's BTF (it came with 6.0's conntrack "
		     "kfuncs): nf_conn is the only candidate, nothing is ambiguous");
	}
	ASSERT(-EINVAL, rbpf_object_load(obj, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), "candidates nf_conn [");
	ASSERT_CONTAINS(rbpf_errmsg(), "and nf_conn___init [");
	rbpf_object_close(obj);
	NEED_CMD("bpftool");
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/rawbpf_amb_%d", getpid());
	out = test_run_cmd(&st, "bpftool prog loadall %s %s 2>&1",
			   test_path("tests/libbpf/core_ambiguous.bpf.o"), dir);
	rm_pins(dir);
	ASSERT_CONTAINS(out, "ambiguity");
	free(out);
}

/* ------------------------------------------------------------------- externs */

TEST(core_externs_same_as_libbpf)
{
	ASSERT(2, same_as_libbpf("tests/libbpf/core_externs.bpf.o"));
}

/* The .kconfig map's bytes, against uname and the kernel's own config. */
TEST(core_kconfig_values)
{
	struct rbpf_object *obj;
	struct rbpf_map *m;
	uint8_t v[64];
	uint32_t zero = 0, ver, hz = 0;
	unsigned a = 0, b = 0, c = 0;
	struct utsname u;
	char *cfg;
	int st;

	NEED_ROOT();
	cfg = test_run_cmd(&st, "(zcat /proc/config.gz || cat /boot/config-$(uname -r)) "
			   "2>/dev/null | grep '^CONFIG_HZ='");
	if (st != 0 || sscanf(cfg, "CONFIG_HZ=%u", &hz) != 1)
		SKIP("the kernel's config is not readable here");
	free(cfg);
	ASSERT_OK(rbpf_object_open(test_path("tests/libbpf/core_externs.bpf.o"), &obj));
	ASSERT_OK(rbpf_object_load(obj, 0));
	ASSERT_STREQ("", rbpf_object_notes(obj));      /* the kernel took the fixed BTF */
	m = rbpf_object_find_map(obj, ".kconfig");
	ASSERT_TRUE(m != NULL, "a .kconfig map");
	ASSERT(31, rbpf_map_value_size(m));
	ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(m), &zero, v, 0));
	ASSERT(-EPERM, rbpf_map_update_elem(rbpf_map_fd(m), &zero, v, 0));   /* frozen */
	uname(&u);
	sscanf(u.release, "%u.%u.%u", &a, &b, &c);
	ver = a << 16 | b << 8 | (c > 255 ? 255 : c);
	/* libbpf's layout: 8-byte first (RAWBPF_NOPE 0), then 4-byte by size then name
	 * (CONFIG_BPF_JIT tristate, CONFIG_HZ, LINUX_KERNEL_VERSION), then 1-byte ones
	 * (BPF_EVENTS, BPF_SYSCALL, LINUX_HAS_SYSCALL_WRAPPER), then the 8-char string. */
	ASSERT(0, *(uint64_t *)(v + 0));
	ASSERT(1, *(uint32_t *)(v + 8));
	ASSERT(hz, *(int32_t *)(v + 12));
	ASSERT(ver, *(uint32_t *)(v + 16));
	ASSERT('y', v[20]);
	ASSERT(1, v[21]);
	ASSERT(1, v[22]);
	ASSERT_STREQ("(none)", (char *)v + 23);
	rbpf_object_close(obj);
}

/* Typed and typeless __ksym variables need data symbols in kallsyms; where the
 * kernel has them (the lab VM), the object loads; where not, both kinds fail and
 * the message says why. */
TEST(core_ksym_variables)
{
	struct rbpf_object *obj;
	char *ks;
	int r, st, typed;

	NEED_ROOT();
	ks = test_run_cmd(&st, "grep -c -w -e init_task -e runqueues /proc/kallsyms");
	ASSERT_OK(rbpf_object_open(test_path("tests/libbpf/core_ksym.bpf.o"), &obj));
	typed = rbpf_vmlinux_btf_id("runqueues", BTF_KIND_VAR) > 0;
	r = rbpf_object_load(obj, 0);
	if (atoi(ks) >= 2 && !typed) {
		/* Debian 11's 5.10: kallsyms has both, its BTF has no VAR at all */
		free(ks);
		ASSERT(-ENOENT, r);
		ASSERT_CONTAINS(rbpf_errmsg(), "__ksym variable 'runqueues' is not in the "
				"kernel's BTF");
		rbpf_object_close(obj);
		SKIP("typed __ksym (5.10) needs the per-CPU variables as VARs in the "
		     "kernel's BTF, which pahole 1.18 or later writes: this kernel's BTF has "
		     "none (refused, saying so)");
	}
	if (atoi(ks) >= 2) {
		ASSERT_OK(r);
		rbpf_object_close(obj);
		free(ks);
		if (access("/usr/sbin/bpftool", X_OK) == 0 || access("/usr/bin/bpftool", X_OK) == 0)
			ASSERT(1, same_as_libbpf("tests/libbpf/core_ksym.bpf.o"));
		return;
	} else {
		ASSERT(-ENOENT, r);
		ASSERT_CONTAINS(rbpf_errmsg(), "__ksym 'init_task' is not in /proc/kallsyms");
	}
	free(ks);
	rbpf_object_close(obj);
}

/* ------------------------------------------------------------------- tp_btf */

/* tp_btf/sched_switch loads (TRACING, BPF_TRACE_RAW_TP, attach_btf_id of the typedef
 * btf_trace_sched_switch), attaches, and reads the switched-to task's tgid
 * through its BTF pointer at the relocated offset. */
TEST(core_tp_btf_attaches_and_reads)
{
	struct rbpf_object *obj;
	struct rbpf_link *l;
	struct rbpf_prog *p;
	long out[20];
	uint32_t zero = 0;
	int i;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path("tests/libbpf/core_kinds.bpf.o"), &obj));
	p = rbpf_object_find_prog(obj, "on_switch");
	ASSERT(BPF_PROG_TYPE_TRACING, rbpf_prog_type(p));
	ASSERT(BPF_TRACE_RAW_TP, rbpf_prog_expected_attach_type(p));
	ASSERT(RBPF_ATTACH_TP_BTF, rbpf_prog_attach_kind(p));
	ASSERT_STREQ("sched_switch", rbpf_prog_attach_target(p));
	ASSERT_OK(rbpf_object_load(obj, 0));
	ASSERT_OK(rbpf_attach_fentry(rbpf_prog_fd(p), &l));
	for (i = 0; i < 50; i++) {
		usleep(2000);                     /* sleeping is a context switch */
		ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(obj, ".bss")),
					       &zero, out, 0));
		if (out[15] > 0)
			break;
	}
	ASSERT(0, rbpf_link_destroy(l));
	ASSERT_TRUE(out[15] > 0 && out[16] >= 0, "next->tgid %ld, next->real_parent->pid %ld",
		    out[15], out[16]);
	rbpf_object_close(obj);
}

/* Lesson 9's object loads as libbpf loads it. */
TEST(core_lesson9_same_as_libbpf)
{
	ASSERT(1, same_as_libbpf("progs/task_core.bpf.o"));
}

/* The bench's two CO-RE objects (make bench times their loads against libbpf's):
 * the tp_btf one and the tracepoint + BPF_CORE_READ one, four programs each. */
TEST(core_bench_objects_same_as_libbpf)
{
	ASSERT(4, same_as_libbpf("bench/core.bpf.o"));
	ASSERT(4, same_as_libbpf("bench/core_probe.bpf.o"));
}

/* A strong extern the kernel lacks is an error that names it. */
TEST(core_missing_strong_externs_named)
{
	struct rbpf_object *obj;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path("tests/bpf/ext_missing_kconfig.bpf.o"), &obj));
	ASSERT(-ENOENT, rbpf_object_load(obj, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), "'CONFIG_RAWBPF_NOPE' is not set in this kernel's config");
	rbpf_object_close(obj);
	ASSERT_OK(rbpf_object_open(test_path("tests/bpf/ext_missing_kfunc.bpf.o"), &obj));
	ASSERT(-ENOENT, rbpf_object_load(obj, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), "kfunc 'bpf_rawbpf_nope' is not in the kernel's BTF");
	rbpf_object_close(obj);
}
