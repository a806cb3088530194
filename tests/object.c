/*
 * object.c -- the ELF loader against the running kernel: each map style and
 * relocation kind from a small object in tests/bpf/, loaded and run with
 * BPF_PROG_TEST_RUN so the relocated program proves it reaches the right map,
 * byte and subprogram.
 */
#include <linux/btf.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "rawbpf.h"
#include "test.h"
#include "common.h"

static struct rbpf_object *open_obj(const char *name)
{
	struct rbpf_object *obj;
	char rel[128];

	snprintf(rel, sizeof(rel), "tests/bpf/%s.bpf.o", name);
	ASSERT_OK(rbpf_object_open(test_path(rel), &obj));
	return obj;
}

/* Run a loaded program once on a 64-byte packet; its return value. */
static uint32_t run_prog(struct rbpf_object *obj, const char *prog)
{
	struct rbpf_prog *p = rbpf_object_find_prog(obj, prog);
	unsigned char pkt[64] = { 0 };
	struct rbpf_test_run_args a = { .data_in = pkt, .data_size_in = sizeof(pkt),
					.repeat = 1 };

	ASSERT_TRUE(p != NULL, "no program %s", prog);
	ASSERT_OK(rbpf_prog_test_run(rbpf_prog_fd(p), &a));
	return a.retval;
}

static uint64_t lookup_u64(struct rbpf_object *obj, const char *map, uint32_t key)
{
	struct rbpf_map *m = rbpf_object_find_map(obj, map);
	uint64_t v = 0;

	ASSERT_TRUE(m != NULL, "no map %s", map);
	ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(m), &key, &v, 0));
	return v;
}

TEST(obj_btf_maps)
{
	struct rbpf_object *obj;
	struct rbpf_map *m;
	struct bpf_map_info info = { 0 };
	uint32_t len = sizeof(info);

	NEED_ROOT();
	obj = open_obj("elf_btfmap");
	m = rbpf_object_find_map(obj, "counts");
	ASSERT_TRUE(m != NULL, "map counts");
	ASSERT(BPF_MAP_TYPE_HASH, rbpf_map_type(m));
	ASSERT(4, rbpf_map_key_size(m));
	ASSERT(8, rbpf_map_value_size(m));
	ASSERT(16, rbpf_map_max_entries(m));
	m = rbpf_object_find_map(obj, "last");       /* key_size/value_size as numbers */
	ASSERT(BPF_MAP_TYPE_ARRAY, rbpf_map_type(m));
	ASSERT(8, rbpf_map_value_size(m));
	ASSERT(4, rbpf_map_max_entries(m));
	ASSERT(0, rbpf_object_load(obj, 0));
	m = rbpf_object_find_map(obj, "counts");
	ASSERT(0, rbpf_obj_get_info_by_fd(rbpf_map_fd(m), &info, &len));
	ASSERT_TRUE(info.btf_id && info.btf_value_type_id, "map created with its BTF types");
	ASSERT(XDP_PASS, run_prog(obj, "count_runs"));
	run_prog(obj, "count_runs");
	run_prog(obj, "count_runs");
	ASSERT(3, lookup_u64(obj, "counts", 0));
	ASSERT(3, lookup_u64(obj, "last", 0));
	rbpf_object_close(obj);
}

TEST(obj_legacy_maps)
{
	struct rbpf_object *obj;
	struct rbpf_map *m;
	uint32_t k = 1, v32 = 0;

	NEED_ROOT();
	obj = open_obj("elf_legacy");
	m = rbpf_object_find_map(obj, "second");
	ASSERT_TRUE(m != NULL, "map second");
	ASSERT(BPF_MAP_TYPE_HASH, rbpf_map_type(m));
	ASSERT(8, rbpf_map_max_entries(m));
	ASSERT(0, rbpf_object_load(obj, 0));
	run_prog(obj, "legacy");
	ASSERT(9, lookup_u64(obj, "second", 1));
	m = rbpf_object_find_map(obj, "first");
	ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(m), &k, &v32, 0));
	ASSERT(7, v32);
	rbpf_object_close(obj);
}

TEST(obj_global_data)
{
	struct rbpf_object *obj;
	struct rbpf_map *ro;
	uint32_t zero = 0, *factor;
	uint64_t buf[8] = { 0 };
	size_t size;

	NEED_ROOT();
	obj = open_obj("elf_globals");
	ro = rbpf_object_find_map(obj, ".rodata");
	ASSERT_TRUE(ro != NULL, "map .rodata");
	ASSERT(BPF_F_RDONLY_PROG, rbpf_map_flags(ro));
	factor = rbpf_map_initial_value(ro, &size);
	ASSERT(4, size);
	ASSERT(3, *factor);
	*factor = 5;                                 /* a constant set before load */
	ASSERT_TRUE(rbpf_object_find_map(obj, ".rodata.str1.1") != NULL, "string literals map");
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(5 + 6, run_prog(obj, "globals"));
	ASSERT(105, lookup_u64(obj, ".data", 0));    /* total = 100 + factor */
	ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(obj, ".bss")),
				       &zero, buf, 0));
	ASSERT_TRUE(buf[0] == 1 || buf[1] == 1, ".bss runs counter is 1");
	/* frozen: user space can no longer write .rodata */
	ASSERT(-EPERM, rbpf_map_update_elem(rbpf_map_fd(ro), &zero, &zero, 0));
	rbpf_object_close(obj);
}

TEST(obj_subprograms)
{
	struct rbpf_object *obj;
	const struct bpf_insn *in;
	uint32_t cnt, i;

	NEED_ROOT();
	obj = open_obj("elf_subprog");
	/* each entry program carries its own subprograms: every call stays inside it */
	in = rbpf_prog_insns(rbpf_object_find_prog(obj, "sub_second"), &cnt);
	for (i = 0; i < cnt; i++)
		if (in[i].code == (BPF_JMP | BPF_CALL) && in[i].src_reg == BPF_PSEUDO_CALL)
			ASSERT_TRUE((int64_t)i + in[i].imm + 1 < cnt && (int64_t)i + in[i].imm + 1 > 0,
				    "call at %u leads to %d", i, i + in[i].imm + 1);
	NEED_FEATURE(RBPF_FEAT_BPF_LOOP);          /* sub_second's callback */
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(7, run_prog(obj, "sub_first"));
	ASSERT(21, run_prog(obj, "sub_second"));
	rbpf_object_close(obj);
}

/* Two programs share a section and each carries copies of the subprograms: every
 * piece's func_info and line_info must follow it to its place in that program (the
 * kernel checks: one func_info at each function start, line_info ascending). */
TEST(obj_ext_records_follow_pieces)
{
	static const char *names[] = { "sub_first", "sub_second" };
	struct bpf_prog_info info;
	struct rbpf_object *obj;
	struct rbpf_prog *p;
	const struct bpf_insn *in;
	struct rbpf_line l;
	uint32_t cnt, i, k, len, funcs;

	NEED_ROOT();
	obj = open_obj("elf_subprog");
	for (k = 0; k < 2; k++) {
		p = rbpf_object_find_prog(obj, names[k]);
		in = rbpf_prog_insns(p, &cnt);
		ASSERT(1, rbpf_prog_line(p, 0, &l));
		ASSERT_CONTAINS(l.file, "elf_subprog.bpf.c");
		for (i = 0; i < cnt; i++)
			if (in[i].code == (BPF_JMP | BPF_CALL) && in[i].src_reg == BPF_PSEUDO_CALL)
				ASSERT_TRUE(rbpf_prog_line(p, i + in[i].imm + 1, &l) == 1,
					    "%s: no line record at the start of the subprogram "
					    "called from %u", names[k], i);
	}
	NEED_FEATURE(RBPF_FEAT_BPF_LOOP);          /* sub_second's callback */
	ASSERT(0, rbpf_object_load(obj, 0));
	for (k = 0; k < 2; k++) {
		uint8_t start[4096] = { 1 };           /* start[i]: a function begins at i */

		p = rbpf_object_find_prog(obj, names[k]);
		in = rbpf_prog_insns(p, &cnt);
		ASSERT_TRUE(cnt <= sizeof(start), "%u instructions", cnt);
		for (i = 0; i < cnt; i++)
			if ((in[i].code == (BPF_JMP | BPF_CALL) && in[i].src_reg == BPF_PSEUDO_CALL) ||
			    (in[i].code == (BPF_LD | BPF_IMM | BPF_DW) && in[i].src_reg == BPF_PSEUDO_FUNC))
				if ((int64_t)i + in[i].imm + 1 < cnt)
					start[i + in[i].imm + 1] = 1;
		for (i = 0, funcs = 0; i < cnt; i++)
			funcs += start[i];
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		ASSERT(0, rbpf_obj_get_info_by_fd(rbpf_prog_fd(p), &info, &len));
		ASSERT_TRUE(funcs >= 2 && info.nr_func_info == funcs && info.nr_line_info > funcs,
			    "%s: %u functions, the kernel has func_info %u, line_info %u",
			    names[k], funcs, info.nr_func_info, info.nr_line_info);
	}
	rbpf_object_close(obj);
}

TEST(obj_tail_call_initial_values)
{
	struct rbpf_object *obj;

	NEED_ROOT();
	obj = open_obj("elf_tailcall");
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(42, run_prog(obj, "entry"));
	rbpf_object_close(obj);
}

TEST(obj_reject_keeps_going)
{
	struct rbpf_object *obj;
	struct rbpf_prog *bad, *good;

	NEED_ROOT();
	obj = open_obj("elf_reject");
	ASSERT(-EACCES, rbpf_object_load(obj, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), "bad_null");
	ASSERT_CONTAINS(rbpf_errmsg(), "map_value_or_null");
	bad = rbpf_object_find_prog(obj, "bad_null");
	good = rbpf_object_find_prog(obj, "good");
	ASSERT(-1, rbpf_prog_fd(bad));
	ASSERT_CONTAINS(rbpf_prog_log(bad), "invalid mem access");
	ASSERT_OK(rbpf_prog_fd(good));
	ASSERT(XDP_PASS, run_prog(obj, "good"));
	rbpf_object_close(obj);
}

TEST(obj_libbpf_convention)
{
	struct rbpf_object *obj;
	const char *path = test_path("tests/libbpf/lb_hello.bpf.o");

	NEED_ROOT();
	if (access(path, R_OK) != 0)
		SKIP("%s not built: `make check` builds it once libbpf-dev is installed", path);
	NEED_FEATURE(RBPF_FEAT_TRACE_VPRINTK);     /* its bpf_printk has four arguments */
	ASSERT_OK(rbpf_object_open(path, &obj));
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT_STREQ("", rbpf_object_notes(obj));
	ASSERT(42, run_prog(obj, "lb_xdp"));
	ASSERT(1, lookup_u64(obj, "counter", 0));
	ASSERT(rbpf_num_possible_cpus(),
	       rbpf_map_max_entries(rbpf_object_find_map(obj, "events")));
	rbpf_object_close(obj);
	ASSERT_OK(rbpf_object_open(test_path("tests/libbpf/lb_tailcall.bpf.o"), &obj));
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(17, run_prog(obj, "lb_root"));
	rbpf_object_close(obj);
}

TEST(obj_section_names)
{
	static const struct { const char *prog; enum bpf_prog_type type;
			      enum rbpf_attach_kind kind; const char *target; } want[] = {
		{ "s_kprobe", BPF_PROG_TYPE_KPROBE, RBPF_ATTACH_KPROBE, "do_unlinkat" },
		{ "s_kretprobe", BPF_PROG_TYPE_KPROBE, RBPF_ATTACH_KRETPROBE, "do_unlinkat" },
		{ "s_ksyscall", BPF_PROG_TYPE_KPROBE, RBPF_ATTACH_KSYSCALL, "execve" },
		{ "s_tracepoint", BPF_PROG_TYPE_TRACEPOINT, RBPF_ATTACH_TRACEPOINT,
		  "syscalls/sys_enter_execve" },
		{ "s_tp", BPF_PROG_TYPE_TRACEPOINT, RBPF_ATTACH_TRACEPOINT, "sched/sched_switch" },
		{ "s_raw_tracepoint", BPF_PROG_TYPE_RAW_TRACEPOINT, RBPF_ATTACH_RAW_TP, "sys_enter" },
		{ "s_raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, RBPF_ATTACH_RAW_TP, "sched_switch" },
		{ "s_fentry", BPF_PROG_TYPE_TRACING, RBPF_ATTACH_FENTRY, "do_unlinkat" },
		{ "s_fexit", BPF_PROG_TYPE_TRACING, RBPF_ATTACH_FEXIT, "do_unlinkat" },
		{ "s_socket", BPF_PROG_TYPE_SOCKET_FILTER, RBPF_ATTACH_SOCKET, "" },
		{ "s_xdp", BPF_PROG_TYPE_XDP, RBPF_ATTACH_XDP, "" },
		{ "s_tc", BPF_PROG_TYPE_SCHED_CLS, RBPF_ATTACH_TC, "" },
		{ "s_perf_event", BPF_PROG_TYPE_PERF_EVENT, RBPF_ATTACH_PERF_EVENT, "" },
	};
	struct rbpf_object *obj = open_obj("elf_sections");
	struct rbpf_prog *p;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		p = rbpf_object_find_prog(obj, want[i].prog);
		ASSERT_TRUE(p != NULL, "program %s", want[i].prog);
		ASSERT(want[i].type, rbpf_prog_type(p));
		ASSERT(want[i].kind, rbpf_prog_attach_kind(p));
		ASSERT_STREQ(want[i].target, rbpf_prog_attach_target(p));
	}
	p = rbpf_object_find_prog(obj, "s_fexit");
	ASSERT(BPF_TRACE_FEXIT, rbpf_prog_expected_attach_type(p));
	ASSERT_STREQ("fexit/do_unlinkat", rbpf_prog_section(p));
	rbpf_object_close(obj);
}

TEST(obj_load_one_autoload_set_type)
{
	struct rbpf_object *obj;
	struct rbpf_prog *p;

	NEED_ROOT();
	obj = open_obj("elf_sections");
	/* fentry/fexit are refused on some kernels (EPERM here): leave them out */
	rbpf_prog_set_autoload(rbpf_object_find_prog(obj, "s_fentry"), 0);
	rbpf_prog_set_autoload(rbpf_object_find_prog(obj, "s_fexit"), 0);
	p = rbpf_object_find_prog(obj, "s_socket");
	ASSERT(0, rbpf_prog_set_type(p, BPF_PROG_TYPE_XDP, 0));
	ASSERT_OK(rbpf_object_load_prog(p, 1));
	ASSERT_CONTAINS(rbpf_prog_log(p), "processed 2 insns");
	ASSERT(2, rbpf_prog_verified_insns(p));
	ASSERT(-1, rbpf_prog_fd(rbpf_object_find_prog(obj, "s_xdp")));
	ASSERT(-EBUSY, rbpf_prog_set_type(p, BPF_PROG_TYPE_SOCKET_FILTER, 0));
	ASSERT(XDP_ABORTED, run_prog(obj, "s_socket"));     /* returns 0: XDP_ABORTED */
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(-1, rbpf_prog_fd(rbpf_object_find_prog(obj, "s_fentry")));
	ASSERT_OK(rbpf_prog_fd(rbpf_object_find_prog(obj, "s_perf_event")));
	rbpf_object_close(obj);
}

TEST(obj_fentry_btf_id)
{
	struct rbpf_object *obj;
	int r, id;

	NEED_ROOT();
	id = rbpf_vmlinux_btf_id("do_unlinkat", BTF_KIND_FUNC);
	if (id == -ENOENT && access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		SKIP("no /sys/kernel/btf/vmlinux");
	ASSERT_OK(id);
	ASSERT(-ENOENT, rbpf_vmlinux_btf_id("rbpf_no_such_function", BTF_KIND_FUNC));
	ASSERT_CONTAINS(rbpf_errmsg(), "rbpf_no_such_function");
	obj = open_obj("elf_sections");
	r = rbpf_object_load_prog(rbpf_object_find_prog(obj, "s_fentry"), 0);
	if (r == -EPERM)
		ASSERT_CONTAINS(rbpf_errmsg(), "refuse fentry/fexit programs even to root");
	if (r == -EPERM || r == -ENOTSUP || r == -EINVAL) {
		rbpf_object_close(obj);
		SKIP("this kernel refuses fentry programs (%s)", rbpf_errno_name(r));
	}
	ASSERT_OK(r);
	rbpf_object_close(obj);
}

TEST(obj_btf_and_line_info)
{
	struct rbpf_object *obj;
	struct rbpf_prog *p;
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info), cnt, i;
	struct rbpf_line l;
	int found = 0;

	NEED_ROOT();
	obj = open_obj("elf_globals");
	p = rbpf_object_find_prog(obj, "globals");
	rbpf_prog_insns(p, &cnt);
	for (i = 0; i < cnt; i++)
		if (rbpf_prog_line(p, i, &l) == 1 && strstr(l.text, "bpf_printk"))
			found = 1;
	ASSERT_TRUE(found, "a line with bpf_printk");
	ASSERT_CONTAINS(l.file, "elf_globals.bpf.c");
	ASSERT(1, rbpf_prog_line(p, 0, &l));
	ASSERT_TRUE(l.line > 0, "line %u", l.line);
	ASSERT(0, rbpf_object_load(obj, 2));
	ASSERT_OK(rbpf_object_btf_fd(obj));
	ASSERT_STREQ("", rbpf_object_notes(obj));
	ASSERT_CONTAINS(rbpf_prog_log(p), "; bpf_printk(");     /* source lines in the log */
	ASSERT(0, rbpf_obj_get_info_by_fd(rbpf_prog_fd(p), &info, &len));
	ASSERT_TRUE(info.nr_func_info >= 1 && info.nr_line_info > 3, "func %u line %u",
		    info.nr_func_info, info.nr_line_info);
	rbpf_object_close(obj);
}

/* elf_extern returns LINUX_KERNEL_VERSION, a __kconfig extern the loader fills. */
static void extern_kernel_version(void)
{
	uint8_t pkt[64] = { 0 };
	struct rbpf_test_run_args a = { .data_in = pkt, .data_size_in = sizeof(pkt) };
	struct rbpf_object *obj;
	struct utsname u;
	unsigned x = 0, y = 0, z = 0;

	ASSERT_OK(rbpf_object_open(test_path("tests/bpf/elf_extern.bpf.o"), &obj));
	ASSERT_OK(rbpf_object_load(obj, 0));
	ASSERT(0, rbpf_prog_test_run(rbpf_prog_fd(rbpf_object_find_prog(obj, "ext")), &a));
	uname(&u);
	sscanf(u.release, "%u.%u.%u", &x, &y, &z);
	ASSERT(x << 16 | y << 8 | (z > 255 ? 255 : z), a.retval);
	rbpf_object_close(obj);
}

TEST(obj_license_and_externs)
{
	struct rbpf_object *obj;

	NEED_ROOT();
	extern_kernel_version();
	obj = open_obj("elf_nogpl");
	ASSERT_STREQ("Proprietary", rbpf_object_license(obj));
	ASSERT(-EINVAL, rbpf_object_load(obj, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), "GPL-only helper");
	ASSERT_CONTAINS(rbpf_errmsg(), "\"Proprietary\"");
	rbpf_object_close(obj);
}

/* Pinning needs a bpffs; mount one at /sys/fs/bpf if nothing is there. */
static void need_bpffs(void)
{
	int st;
	char *out = test_run_cmd(&st, "mountpoint -q /sys/fs/bpf || "
				 "mount -t bpf bpf /sys/fs/bpf");

	free(out);
	if (st != 0)
		SKIP("no bpffs at /sys/fs/bpf and cannot mount one");
}

TEST(obj_event_maps_and_pinning)
{
	struct rbpf_object *a, *b;
	struct bpf_map_info ia = { 0 }, ib = { 0 };
	uint32_t la = sizeof(ia), lb = sizeof(ib);
	char dir[64], *out;
	const char *path;
	int st, other;

	NEED_ROOT();
	need_bpffs();
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/rbpf-elf-%d", (int)getpid());
	ASSERT(0, mkdir(dir, 0700));
	a = open_obj("elf_events");
	b = open_obj("elf_events");
	ASSERT(0, rbpf_object_set_pin_root(a, dir));
	ASSERT(0, rbpf_object_set_pin_root(b, dir));
	ASSERT(rbpf_num_possible_cpus(), rbpf_map_max_entries(rbpf_object_find_map(a, "perf_out")));
	/* a map of another shape pinned under that name is refused, by name */
	other = rbpf_map_create(&(struct rbpf_map_create_args){ .type = BPF_MAP_TYPE_HASH,
				.key_size = 4, .value_size = 4, .max_entries = 1 });
	ASSERT_OK(other);
	ASSERT(0, rbpf_obj_pin(other, test_fmt("%s/rbpf_test_pinned", dir)));
	close(other);
	ASSERT(-EEXIST, rbpf_object_load(a, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), "holds a pinned map of another type or size");
	ASSERT(0, unlink(test_fmt("%s/rbpf_test_pinned", dir)));
	ASSERT(0, rbpf_object_load(a, 0));
	ASSERT(0, rbpf_object_load(b, 0));       /* reuses the pinned map */
	ASSERT(0, rbpf_obj_get_info_by_fd(rbpf_map_fd(rbpf_object_find_map(a, "rbpf_test_pinned")), &ia, &la));
	ASSERT(0, rbpf_obj_get_info_by_fd(rbpf_map_fd(rbpf_object_find_map(b, "rbpf_test_pinned")), &ib, &lb));
	ASSERT(ia.id, ib.id);
	ASSERT(0, rbpf_object_pin(a, dir));
	path = test_fmt("%s/progs/to_ring", dir);
	ASSERT_TRUE(access(path, F_OK) == 0, "pinned program %s", path);
	path = test_fmt("%s/maps/ring", dir);
	ASSERT_TRUE(access(path, F_OK) == 0, "pinned map %s", path);
	rbpf_object_close(a);
	rbpf_object_close(b);
	out = test_run_cmd(&st, "rm -rf %s", dir);
	free(out);
}

/* Lesson programs the kernel refuses on purpose outside the bad_* catalogue: the
 * limits lesson shows where the verifier stops.  Each may be refused, and then only
 * for its reason (some limits depend on the kernel: raw tracepoints get a stack per
 * function on 6.13+). */
static const struct { const char *obj, *prog, *reason; } refused_on_purpose[] = {
	{ "limits.bpf.o", "stack_combined_too_big", "combined stack size" },
	{ "limits.bpf.o", "stack_combined_raw_tp", "combined stack size" },
	{ "limits.bpf.o", "depth_9", "frames is too deep" },
};

/* May this program be refused (its verifier log saying why)?  fentry/fexit are refused with
 * EPERM by kernels in lockdown (this one). */
static int may_refuse(const char *path, const struct rbpf_prog *p, int err)
{
	const char *base = strrchr(path, '/') + 1;
	enum rbpf_attach_kind k = rbpf_prog_attach_kind(p);
	size_t i;

	if ((k == RBPF_ATTACH_FENTRY || k == RBPF_ATTACH_FEXIT) && err == -EPERM)
		return 1;
	for (i = 0; i < sizeof(refused_on_purpose) / sizeof(refused_on_purpose[0]); i++)
		if (!strcmp(base, refused_on_purpose[i].obj) &&
		    !strcmp(rbpf_prog_name(p), refused_on_purpose[i].prog) &&
		    strstr(rbpf_prog_log(p), refused_on_purpose[i].reason))
			return 1;
	return 0;
}

/* Every lesson object loads (bad_*.bpf.o are the verifier catalogue's rejects):
 * every program, one at a time, except the few refused on purpose, above. */
TEST(obj_every_progs_object_loads)
{
	char *list, *line, *save = NULL;
	struct rbpf_object *obj;
	struct rbpf_prog *p;
	int st, r, n = 0;

	NEED_ROOT();
	list = test_run_cmd(&st, "ls %s/progs/*.bpf.o 2>/dev/null | grep -v '/bad_'",
			    test_build);
	for (line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		ASSERT_OK(rbpf_object_open(line, &obj));
		for (p = NULL; (p = rbpf_object_next_prog(obj, p)); n++)
			if ((r = rbpf_object_load_prog(p, 0)) < 0 && !may_refuse(line, p, r))
				FAIL("%s: %s", line, rbpf_errmsg());
		rbpf_object_close(obj);
	}
	free(list);
	if (n == 0)
		SKIP("no lesson objects built yet under %s/progs", test_build);
}

/* 1,000 open/load/close cycles (and as many failures) leave the fds and the heap
 * where they were. */
TEST(obj_no_leaks_over_1000_cycles)
{
	struct rbpf_object *obj;
	const char *path = test_path("tests/bpf/elf_globals.bpf.o");
	const char *bad = test_path("tests/bpf/elf_reject.bpf.o");
	struct mallinfo2 before = { 0 }, after;
	int fds = 0, i;

	NEED_ROOT();
	test_timeout(300);
	/* Warm up first: glibc's per-thread cache keeps freed chunks that mallinfo
	 * counts as in use; it fills within the first few dozen cycles. */
	for (i = 0; i < 1100; i++) {
		if (i == 100) {
			fds = test_count_fds();
			before = mallinfo2();
		}
		ASSERT_OK(rbpf_object_open(path, &obj));
		ASSERT(0, rbpf_object_load(obj, 0));
		rbpf_object_close(obj);
		/* and the failure paths: a rejected program, a file that is not ELF */
		ASSERT_OK(rbpf_object_open(bad, &obj));
		ASSERT(-EACCES, rbpf_object_load(obj, 1));
		rbpf_object_close(obj);
		ASSERT(-EINVAL, rbpf_object_open("tests/run", &obj));
	}
	after = mallinfo2();
	ASSERT(fds, test_count_fds());
	ASSERT(before.uordblks, after.uordblks);
}

TEST(obj_bpf_prog_h_helpers_load)
{
	struct rbpf_object *obj;

	NEED_ROOT();
	obj = open_obj("elf_helpers");
	ASSERT(BPF_MAP_TYPE_LPM_TRIE, rbpf_map_type(rbpf_object_find_map(obj, "lpm")));
	ASSERT(8, rbpf_map_key_size(rbpf_object_find_map(obj, "lpm")));
	ASSERT(127 * 8, rbpf_map_value_size(rbpf_object_find_map(obj, "stacks")));
	ASSERT(0, rbpf_object_load(obj, 0));
	rbpf_object_close(obj);
}
