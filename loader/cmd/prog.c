/*
 * cmd/prog.c -- `rawbpf prog list`, `prog show PROG` and `prog dump PROG
 * [--jited|--macro]`, PROG being an id or `pinned PATH` (cmd/ref.c): the programs the
 * kernel holds, seen the way bpftool sees them.
 *
 * Nothing here is private to bpftool; it is four bpf() commands:
 *
 *   BPF_PROG_GET_NEXT_ID     walk the ids of every loaded program (0 starts)
 *   BPF_PROG_GET_FD_BY_ID    an fd for one id (root only: ids are global)
 *   BPF_OBJ_GET_INFO_BY_FD   struct bpf_prog_info: type, name, tag, map ids, and --
 *                            when we pass buffers -- the instructions as the kernel
 *                            keeps them after the verifier ("xlated"), the JIT's
 *                            machine code, and line info
 *   BPF_BTF_GET_FD_BY_ID     the program's BTF, whose strings hold the source lines
 *
 * (`pinned PATH` takes BPF_OBJ_GET on the pin instead of the id's two steps; ref.c
 * turns either into an fd, and from the fd on there is one code path.)
 *
 * Info is asked for twice: once with no buffers to learn the sizes, then with
 * buffers of those sizes.  Every pointer field we do not fill must be zero, or the
 * kernel writes through it.  The translated program differs from what was loaded:
 * map fds became map ids, helper calls hold the helper's address relative to
 * __bpf_call_base (we name it from /proc/kallsyms when that is readable), and the
 * verifier may have rewritten or inlined instructions.  Once JITed, a BPF-to-BPF call
 * keeps its pc offset in `off` and the callee's subprogram number in `imm`; we put
 * the offset back before printing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawbpf.h"
#include "cmd.h"
#include "ref.h"

static void hex_tag(const uint8_t tag[8], char out[17])
{
	int i;

	for (i = 0; i < 8; i++)
		sprintf(out + 2 * i, "%02x", tag[i]);
}

/* Basic info (no buffers) for the program behind fd; 0 or -errno. */
static int prog_info(int fd, const struct obj_ref *ref, struct bpf_prog_info *info)
{
	uint32_t len = sizeof(*info);
	int err;

	memset(info, 0, sizeof(*info));
	err = rbpf_obj_get_info_by_fd(fd, info, &len);
	if (err < 0)
		return rbpf_error(err, "prog: OBJ_GET_INFO_BY_FD on %s: %s", ref_name(ref),
				  rbpf_errno_name(err));
	return 0;
}

static int usage(void);

static void print_heading(void)
{
	printf("%6s  %-16s %-16s %-16s %6s %6s  %s\n", "ID", "TYPE", "NAME", "TAG", "INSNS",
	       "JITED", "MAPS");
}

/* One line of the list for the program behind fd, whose basic info is `info`. */
static void print_line(int fd, struct bpf_prog_info *info)
{
	uint32_t maps[64] = { 0 }, len = sizeof(*info), i;  /* 0: valgrind's bpf() misses them */
	char tag[17], tb[16];

	if (info->nr_map_ids) {                  /* second ask, for the map ids */
		uint32_t nr = info->nr_map_ids < 64 ? info->nr_map_ids : 64;
		struct bpf_prog_info m;

		memset(&m, 0, sizeof(m));
		m.nr_map_ids = nr;
		m.map_ids = (uint64_t)(unsigned long)maps;
		if (rbpf_obj_get_info_by_fd(fd, &m, &len) < 0)
			m.nr_map_ids = 0;
		info->nr_map_ids = m.nr_map_ids < nr ? m.nr_map_ids : nr;
	}
	hex_tag(info->tag, tag);
	printf("%6u  %-16s %-16s %-16s %6u %6u  ", info->id,
	       prog_type_name(info->type, tb, sizeof(tb)), info->name[0] ? info->name : "-",
	       tag, info->xlated_prog_len / 8, info->jited_prog_len);
	for (i = 0; i < info->nr_map_ids; i++)
		printf("%s%u", i ? "," : "", maps[i]);
	printf("\n");
}

static int prog_list(void)
{
	uint32_t id = 0;
	int err;

	print_heading();
	while ((err = rbpf_prog_get_next_id(id, &id)) == 0) {
		struct obj_ref ref = { .id = id };
		struct bpf_prog_info info;
		int fd = ref_open(&ref, REF_PROG);

		if (fd == -ENOENT)
			continue;                       /* unloaded meanwhile */
		if (fd < 0 || prog_info(fd, &ref, &info) < 0) {
			if (fd >= 0)
				close(fd);
			return cmd_fail(1);
		}
		print_line(fd, &info);
		close(fd);
	}
	if (err != -ENOENT) {
		rbpf_error(err, "prog: BPF_PROG_GET_NEXT_ID: %s%s%s", rbpf_errno_name(err),
			   *rbpf_errno_hint(err) ? ": " : "", rbpf_errno_hint(err));
		return cmd_fail(2);
	}
	return 0;
}

/* `prog show ID|pinned PATH`: the list's heading and the one line. */
static int prog_show(const struct obj_ref *ref)
{
	struct bpf_prog_info info;
	int fd = ref_open(ref, REF_PROG);

	if (fd < 0)
		return ref_fail(ref, usage);
	if (prog_info(fd, ref, &info) < 0) {
		close(fd);
		return cmd_fail(1);
	}
	print_heading();
	print_line(fd, &info);
	close(fd);
	return 0;
}

/* ------------------------------------------------------------------------ dump */

/* What a dump needs beyond the basic info. */
struct dump {
	struct bpf_prog_info info;
	struct bpf_insn *insns;          /* xlated, info.xlated_prog_len bytes */
	uint8_t *jited;                  /* info.jited_prog_len bytes */
	struct bpf_line_info *lines;     /* info.nr_line_info records */
	struct bpf_func_info *funcs;     /* info.nr_func_info records: where functions start */
	struct rbpf_btf *btf;            /* the program's BTF (names, line strings) */
	unsigned long long call_base;    /* __bpf_call_base from kallsyms, or 0 */
};

/* Second ask: the instructions, the machine code and the line info. */
static int dump_fetch(int fd, struct dump *d)
{
	struct bpf_prog_info want;
	uint32_t len = sizeof(want);
	int err;

	memset(&want, 0, sizeof(want));
	d->insns = calloc(1, d->info.xlated_prog_len + 8);
	d->jited = calloc(1, d->info.jited_prog_len + 1);
	d->lines = calloc(d->info.nr_line_info + 1, sizeof(*d->lines));
	d->funcs = calloc(d->info.nr_func_info + 1, sizeof(*d->funcs));
	if (!d->insns || !d->jited || !d->lines || !d->funcs)
		return rbpf_error(ENOMEM, "prog: no memory for the dump");
	want.xlated_prog_len = d->info.xlated_prog_len;
	want.xlated_prog_insns = (uint64_t)(unsigned long)d->insns;
	want.jited_prog_len = d->info.jited_prog_len;
	want.jited_prog_insns = (uint64_t)(unsigned long)d->jited;
	if (d->info.nr_line_info && d->info.line_info_rec_size == sizeof(*d->lines)) {
		want.nr_line_info = d->info.nr_line_info;
		want.line_info_rec_size = sizeof(*d->lines);
		want.line_info = (uint64_t)(unsigned long)d->lines;
	}
	if (d->info.nr_func_info && d->info.func_info_rec_size == sizeof(*d->funcs)) {
		want.nr_func_info = d->info.nr_func_info;
		want.func_info_rec_size = sizeof(*d->funcs);
		want.func_info = (uint64_t)(unsigned long)d->funcs;
	}
	err = rbpf_obj_get_info_by_fd(fd, &want, &len);
	if (err < 0)
		return rbpf_error(err, "prog: OBJ_GET_INFO_BY_FD (instructions) on id %u: %s",
				  d->info.id, rbpf_errno_name(err));
	d->info.nr_line_info = want.line_info ? want.nr_line_info : 0;
	d->info.nr_func_info = want.func_info ? want.nr_func_info : 0;
	d->info.xlated_prog_len = want.xlated_prog_len;
	d->info.jited_prog_len = want.jited_prog_len;
	return 0;
}

/* The program's BTF (for function names and source lines), if it has one, read by
 * the library's BTF reader. */
static void dump_btf(struct dump *d)
{
	struct bpf_btf_info bi;
	uint32_t len = sizeof(bi);
	char *raw = NULL;
	int fd;

	if (!d->info.btf_id || (fd = rbpf_btf_get_fd_by_id(d->info.btf_id)) < 0)
		return;
	memset(&bi, 0, sizeof(bi));
	if (rbpf_obj_get_info_by_fd(fd, &bi, &len) == 0 && bi.btf_size &&
	    (raw = calloc(1, bi.btf_size))) {
		uint32_t size = bi.btf_size;

		memset(&bi, 0, sizeof(bi));      /* every pointer we do not fill is zero */
		bi.btf = (uint64_t)(unsigned long)raw;
		bi.btf_size = size;
		len = sizeof(bi);
		if (rbpf_obj_get_info_by_fd(fd, &bi, &len) == 0)
			rbpf_btf_open_mem(raw, bi.btf_size, "the program's BTF", &d->btf);
	}
	free(raw);
	close(fd);
}

/* A string of the program's BTF, "" when there is none. */
static const char *btf_string(const struct dump *d, uint32_t off)
{
	const char *s = d->btf ? rbpf_btf_str(d->btf, off) : NULL;

	return s ? s : "";
}

/* The name of BTF type id (a FUNC, for func_info), "" when there is none. */
static const char *btf_name(const struct dump *d, uint32_t id)
{
	const char *s = d->btf ? rbpf_btf_type_name(d->btf, id) : NULL;

	return s ? s : "";
}

/* A helper call of the translated program is named by its address, via kallsyms. */
struct ksym_query {
	unsigned long long addr;     /* in: the address wanted (by_addr), out: by_name */
	const char *name;            /* in: the name wanted (by_name) */
	char *buf;                   /* out: by_addr */
	size_t size;
};

static int by_addr(void *ctx, const struct rbpf_ksym *s)
{
	struct ksym_query *q = ctx;

	return s->addr == q->addr && snprintf(q->buf, q->size, "%s", s->name) >= 0;
}

static int by_name(void *ctx, const struct rbpf_ksym *s)
{
	struct ksym_query *q = ctx;

	return !strcmp(s->name, q->name) && (q->addr = s->addr, 1);
}

static void kallsyms_call(void *priv, const struct bpf_insn *in, char *buf, size_t size)
{
	const struct dump *d = priv;
	struct ksym_query q = { d->call_base + (long long)in->imm, NULL, buf, size };

	if (d->call_base)
		rbpf_kallsyms_each(by_addr, &q);
}

static unsigned long long kallsyms_addr(const char *name)
{
	struct ksym_query q = { 0, name, NULL, 0 };

	return rbpf_kallsyms_each(by_name, &q) > 0 ? q.addr : 0;
}

static void dump_insns(struct dump *d, int macro)
{
	struct rbpf_disasm_opts o = { .call_name = kallsyms_call, .priv = d };
	uint32_t n = d->info.xlated_prog_len / 8, i, li = 0, fi = 0;
	char text[256];
	int used;

	for (i = 0; i < n; i++)       /* JITed: the call's pc offset moved to off */
		if (d->info.jited_prog_len && d->insns[i].code == (BPF_JMP | BPF_CALL) &&
		    d->insns[i].src_reg == BPF_PSEUDO_CALL)
			d->insns[i].imm = d->insns[i].off;
	for (i = 0; i < n; i += used) {
		for (; fi < d->info.nr_func_info && d->funcs[fi].insn_off <= i; fi++)
			if (d->funcs[fi].insn_off == i && *btf_name(d, d->funcs[fi].type_id))
				printf(macro ? "\t/* %s: */\n" : "%s:\n",
				       btf_name(d, d->funcs[fi].type_id));
		for (; li < d->info.nr_line_info && d->lines[li].insn_off <= i; li++) {
			const char *s = btf_string(d, d->lines[li].line_off);

			s += strspn(s, " \t");
			if (d->lines[li].insn_off == i && *s)
				printf("; %s\n", s);
		}
		used = macro ? rbpf_disasm_macro(d->insns + i, n - i, text, sizeof(text))
			     : rbpf_disasm_insn(d->insns + i, n - i, text, sizeof(text), &o);
		if (used < 0) {
			printf("%4u: (%02x) (ld_imm64 cut short)\n", i, d->insns[i].code);
			break;
		}
		if (macro)
			printf("\t%s,\t/* %u */\n", text, i);
		else
			printf("%4u: (%02x) %s\n", i, d->insns[i].code, text);
	}
}

/* The JIT's bytes: through objdump when installed (binutils), else as hex. */
static int dump_jited(const struct dump *d)
{
	char path[] = "/tmp/rawbpf-jited-XXXXXX", cmd[256];
	uint32_t i;
	int fd;

	if (!d->info.jited_prog_len) {
		printf("(no machine code: the JIT is off, or the kernel hides it from you)\n");
		return 1;
	}
	fd = mkstemp(path);
	if (fd >= 0 && write(fd, d->jited, d->info.jited_prog_len) == (ssize_t)d->info.jited_prog_len &&
	    system("command -v objdump >/dev/null 2>&1") == 0) {
		close(fd);
		fflush(stdout);
		snprintf(cmd, sizeof(cmd), "objdump -D -b binary -m i386:x86-64 %s | "
			 "sed -n '/<.data>:/,$p' | tail -n +2", path);
		i = system(cmd);
		unlink(path);
		return i == 0 ? 0 : 1;
	}
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	for (i = 0; i < d->info.jited_prog_len; i++)
		printf("%02x%s", d->jited[i], i % 16 == 15 ? "\n" : " ");
	printf("\n");
	return 0;
}

static int prog_dump(const struct obj_ref *ref, int jited, int macro)
{
	struct dump d;
	char tag[17], tb[16];
	int fd, ret = 0;

	memset(&d, 0, sizeof(d));
	fd = ref_open(ref, REF_PROG);
	if (fd < 0)
		return ref_fail(ref, usage);
	if (prog_info(fd, ref, &d.info) < 0 || dump_fetch(fd, &d) < 0) {
		ret = cmd_fail(1);
		goto out;
	}
	dump_btf(&d);
	d.call_base = kallsyms_addr("__bpf_call_base");
	hex_tag(d.info.tag, tag);
	printf("prog %u: %s name %s tag %s, %u insns (translated), %u bytes jited\n",
	       d.info.id, prog_type_name(d.info.type, tb, sizeof(tb)), d.info.name, tag,
	       d.info.xlated_prog_len / 8, d.info.jited_prog_len);
	if (!d.info.xlated_prog_len)
		printf("(no instructions: the kernel hides them from you)\n");
	if (jited)
		ret = dump_jited(&d);
	else
		dump_insns(&d, macro);
out:
	close(fd);
	free(d.insns);
	free(d.jited);
	free(d.lines);
	free(d.funcs);
	rbpf_btf_free(d.btf);
	return ret;
}

static int usage(void)
{
	fprintf(stderr, "usage: rawbpf prog list\n"
			"       rawbpf prog show PROG\n"
			"       rawbpf prog dump PROG [--jited | --macro]\n"
			"PROG is an ID (from `prog list`) or `pinned PATH`, a file in a bpffs\n");
	return 2;
}

int cmd_prog(int argc, char **argv)
{
	struct obj_ref ref;
	int jited = 0, macro = 0, i, used;

	if (argc == 2 && !strcmp(argv[1], "list"))
		return prog_list();
	if (argc < 3 || (strcmp(argv[1], "dump") && strcmp(argv[1], "show")))
		return usage();
	used = ref_parse(argc - 2, argv + 2, &ref);
	if (!used)
		return usage();
	if (!strcmp(argv[1], "show"))
		return argc == 2 + used ? prog_show(&ref) : usage();
	for (i = 2 + used; i < argc; i++) {
		if (!strcmp(argv[i], "--jited"))
			jited = 1;
		else if (!strcmp(argv[i], "--macro"))
			macro = 1;
		else
			return usage();
	}
	return prog_dump(&ref, jited, macro);
}
