/*
 * object_sec.c -- what a program's ELF section name means: one row per name; and
 * one program per function of each executable section.
 *
 * An object carries no program type: the loader reads it from the section the
 * function was put in, SEC("kprobe/do_unlinkat") or SEC("cgroup_skb/ingress"),
 * by the convention libbpf set and every libbpf-built object follows (the list is
 * in the kernel's Documentation/bpf/libbpf/program_types.rst).  A row gives:
 *
 *   - the program type and the expected attach type for BPF_PROG_LOAD (some types
 *     need the attach type at load: a cgroup_skb program for egress is checked
 *     against what egress allows);
 *   - load flags: sleepable (".s" names: the program may fault and sleep) and XDP
 *     frags (".frags": packets in several buffers);
 *   - for BTF-attached programs, the kernel BTF object whose id goes in
 *     attach_btf_id: "bpf_iter_%s" for iter/task, "btf_trace_%s" for tp_btf/...;
 *   - how it attaches (enum rbpf_attach_kind), and the target: what follows "/".
 *
 * Matching: an exact row matches its name only ("sockops"); a "+" row matches
 * its name alone or followed by "/TARGET" ("kprobe", "kprobe/do_sys_open", and
 * "raw_tp/" with an empty target: it loads, and attaching it says a name is
 * missing).  Rows are tried in order, so "xdp/devmap" comes before "xdp".  A few
 * names are known but refused, with the reason (usdt, struct_ops).  A new program
 * type is a row here and a row of attach.c's table.
 *
 * Each function symbol of such a section is one program (a section may hold many);
 * .text holds only subprograms, linked into the programs that call them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "object.h"
#include "sec_table.h"

/* Attach and program types newer than the uapi headers of Debian 12 (6.1); a macro
 * of the enum constant's own name is fine where the header has it too. */
#define BPF_TCX_INGRESS        46
#define BPF_TCX_EGRESS         47
#define BPF_TRACE_UPROBE_MULTI 48
#define BPF_NETFILTER          45
#define BPF_PROG_TYPE_NETFILTER 32

#define SLEEP BPF_F_SLEEPABLE
#define FRAGS BPF_F_XDP_HAS_FRAGS
#define FN    BTF_KIND_FUNC
#define TD    BTF_KIND_TYPEDEF

#define K(x) RBPF_ATTACH_##x
#define T(x) BPF_PROG_TYPE_##x
#define A(x) BPF_##x
#define BPF_0 0
/* A row: name, plus, program type, expected attach type, flags, attach kind. */
#define R(n, p, t, e, f, k) { n, p, T(t), A(e), f, K(k), NULL, 0, NULL }
/* ... and the vmlinux BTF object (printf format, BTF kind) it is loaded against. */
#define B(n, p, t, e, f, k, fmt, bk) { n, p, T(t), A(e), f, K(k), fmt, bk, NULL }

static const struct sec_row rows[] = {
	R("kprobe",               1, KPROBE, 0, 0, KPROBE),
	R("kretprobe",            1, KPROBE, 0, 0, KRETPROBE),
	R("uprobe",               1, KPROBE, 0, 0, UPROBE),
	R("uretprobe",            1, KPROBE, 0, 0, URETPROBE),
	R("uprobe.s",             1, KPROBE, 0, SLEEP, UPROBE),
	R("uretprobe.s",          1, KPROBE, 0, SLEEP, URETPROBE),
	R("kprobe.multi",         1, KPROBE, TRACE_KPROBE_MULTI, 0, KPROBE_MULTI),
	R("kretprobe.multi",      1, KPROBE, TRACE_KPROBE_MULTI, 0, KPROBE_MULTI),
	R("uprobe.multi",         1, KPROBE, TRACE_UPROBE_MULTI, 0, UPROBE_MULTI),
	R("uretprobe.multi",      1, KPROBE, TRACE_UPROBE_MULTI, 0, UPROBE_MULTI),
	R("uprobe.multi.s",       1, KPROBE, TRACE_UPROBE_MULTI, SLEEP, UPROBE_MULTI),
	R("uretprobe.multi.s",    1, KPROBE, TRACE_UPROBE_MULTI, SLEEP, UPROBE_MULTI),
	R("ksyscall",             1, KPROBE, 0, 0, KSYSCALL),
	R("kretsyscall",          1, KPROBE, 0, 0, KRETSYSCALL),
	{ "usdt",                 1, T(KPROBE), 0, 0, K(NONE), NULL, 0, "USDT probes (usdt/...) "
	  "need the .note.stapsdt notes and argument specs read by the loader, which rawbpf "
	  "does not do yet: use a uprobe on the function instead (uprobe/BINARY:FUNCTION)" },
	R("tracepoint",           1, TRACEPOINT, 0, 0, TRACEPOINT),
	R("tp",                   1, TRACEPOINT, 0, 0, TRACEPOINT),
	R("raw_tracepoint",       1, RAW_TRACEPOINT, 0, 0, RAW_TP),
	R("raw_tp",               1, RAW_TRACEPOINT, 0, 0, RAW_TP),
	R("raw_tracepoint.w",     1, RAW_TRACEPOINT_WRITABLE, 0, 0, RAW_TP),
	R("raw_tp.w",             1, RAW_TRACEPOINT_WRITABLE, 0, 0, RAW_TP),
	B("tp_btf",               1, TRACING, TRACE_RAW_TP, 0, TP_BTF, "btf_trace_%s", TD),
	B("fentry",               1, TRACING, TRACE_FENTRY, 0, FENTRY, "%s", FN),
	B("fmod_ret",             1, TRACING, MODIFY_RETURN, 0, FMOD_RET, "%s", FN),
	B("fexit",                1, TRACING, TRACE_FEXIT, 0, FEXIT, "%s", FN),
	B("fentry.s",             1, TRACING, TRACE_FENTRY, SLEEP, FENTRY, "%s", FN),
	B("fmod_ret.s",           1, TRACING, MODIFY_RETURN, SLEEP, FMOD_RET, "%s", FN),
	B("fexit.s",              1, TRACING, TRACE_FEXIT, SLEEP, FEXIT, "%s", FN),
	R("freplace",             1, EXT, 0, 0, FREPLACE),
	B("lsm",                  1, LSM, LSM_MAC, 0, LSM, "bpf_lsm_%s", FN),
	B("lsm.s",                1, LSM, LSM_MAC, SLEEP, LSM, "bpf_lsm_%s", FN),
	B("lsm_cgroup",           1, LSM, LSM_CGROUP, 0, CGROUP, "bpf_lsm_%s", FN),
	B("iter",                 1, TRACING, TRACE_ITER, 0, ITER, "bpf_iter_%s", FN),
	B("iter.s",               1, TRACING, TRACE_ITER, SLEEP, ITER, "bpf_iter_%s", FN),
	R("syscall",              0, SYSCALL, 0, SLEEP, TEST_RUN),
	R("xdp.frags/devmap",     0, XDP, XDP_DEVMAP, FRAGS, MANUAL),
	R("xdp/devmap",           0, XDP, XDP_DEVMAP, 0, MANUAL),
	R("xdp.frags/cpumap",     0, XDP, XDP_CPUMAP, FRAGS, MANUAL),
	R("xdp/cpumap",           0, XDP, XDP_CPUMAP, 0, MANUAL),
	R("xdp.frags",            1, XDP, XDP, FRAGS, XDP),
	R("xdp",                  1, XDP, XDP, 0, XDP),
	R("perf_event",           1, PERF_EVENT, 0, 0, PERF_EVENT),
	R("lwt_in",               0, LWT_IN, 0, 0, MANUAL),
	R("lwt_out",              0, LWT_OUT, 0, 0, MANUAL),
	R("lwt_xmit",             0, LWT_XMIT, 0, 0, MANUAL),
	R("lwt_seg6local",        0, LWT_SEG6LOCAL, 0, 0, MANUAL),
	R("sockops",              0, SOCK_OPS, CGROUP_SOCK_OPS, 0, CGROUP),
	R("sk_skb/stream_parser", 0, SK_SKB, SK_SKB_STREAM_PARSER, 0, SOCKMAP),
	R("sk_skb/stream_verdict", 0, SK_SKB, SK_SKB_STREAM_VERDICT, 0, SOCKMAP),
	R("sk_skb/verdict",       0, SK_SKB, SK_SKB_VERDICT, 0, SOCKMAP),
	R("sk_skb",               1, SK_SKB, 0, 0, MANUAL),
	R("sk_msg",               0, SK_MSG, SK_MSG_VERDICT, 0, SOCKMAP),
	R("lirc_mode2",           0, LIRC_MODE2, LIRC_MODE2, 0, MANUAL),
	R("flow_dissector",       0, FLOW_DISSECTOR, FLOW_DISSECTOR, 0, NETNS),
	R("cgroup_skb/ingress",   0, CGROUP_SKB, CGROUP_INET_INGRESS, 0, CGROUP),
	R("cgroup_skb/egress",    0, CGROUP_SKB, CGROUP_INET_EGRESS, 0, CGROUP),
	R("cgroup/skb",           0, CGROUP_SKB, 0, 0, MANUAL),
	R("cgroup/sock_create",   0, CGROUP_SOCK, CGROUP_INET_SOCK_CREATE, 0, CGROUP),
	R("cgroup/sock_release",  0, CGROUP_SOCK, CGROUP_INET_SOCK_RELEASE, 0, CGROUP),
	R("cgroup/sock",          0, CGROUP_SOCK, CGROUP_INET_SOCK_CREATE, 0, CGROUP),
	R("cgroup/post_bind4",    0, CGROUP_SOCK, CGROUP_INET4_POST_BIND, 0, CGROUP),
	R("cgroup/post_bind6",    0, CGROUP_SOCK, CGROUP_INET6_POST_BIND, 0, CGROUP),
	R("cgroup/bind4",         0, CGROUP_SOCK_ADDR, CGROUP_INET4_BIND, 0, CGROUP),
	R("cgroup/bind6",         0, CGROUP_SOCK_ADDR, CGROUP_INET6_BIND, 0, CGROUP),
	R("cgroup/connect4",      0, CGROUP_SOCK_ADDR, CGROUP_INET4_CONNECT, 0, CGROUP),
	R("cgroup/connect6",      0, CGROUP_SOCK_ADDR, CGROUP_INET6_CONNECT, 0, CGROUP),
	R("cgroup/sendmsg4",      0, CGROUP_SOCK_ADDR, CGROUP_UDP4_SENDMSG, 0, CGROUP),
	R("cgroup/sendmsg6",      0, CGROUP_SOCK_ADDR, CGROUP_UDP6_SENDMSG, 0, CGROUP),
	R("cgroup/recvmsg4",      0, CGROUP_SOCK_ADDR, CGROUP_UDP4_RECVMSG, 0, CGROUP),
	R("cgroup/recvmsg6",      0, CGROUP_SOCK_ADDR, CGROUP_UDP6_RECVMSG, 0, CGROUP),
	R("cgroup/getpeername4",  0, CGROUP_SOCK_ADDR, CGROUP_INET4_GETPEERNAME, 0, CGROUP),
	R("cgroup/getpeername6",  0, CGROUP_SOCK_ADDR, CGROUP_INET6_GETPEERNAME, 0, CGROUP),
	R("cgroup/getsockname4",  0, CGROUP_SOCK_ADDR, CGROUP_INET4_GETSOCKNAME, 0, CGROUP),
	R("cgroup/getsockname6",  0, CGROUP_SOCK_ADDR, CGROUP_INET6_GETSOCKNAME, 0, CGROUP),
	R("cgroup/sysctl",        0, CGROUP_SYSCTL, CGROUP_SYSCTL, 0, CGROUP),
	R("cgroup/getsockopt",    0, CGROUP_SOCKOPT, CGROUP_GETSOCKOPT, 0, CGROUP),
	R("cgroup/setsockopt",    0, CGROUP_SOCKOPT, CGROUP_SETSOCKOPT, 0, CGROUP),
	R("cgroup/dev",           0, CGROUP_DEVICE, CGROUP_DEVICE, 0, CGROUP),
	{ "struct_ops",           1, T(STRUCT_OPS), 0, 0, K(NONE), NULL, 0, "struct_ops programs "
	  "are the members of a .struct_ops map (a kernel structure of callbacks) that the "
	  "loader registers as a whole; rawbpf does not create .struct_ops maps" },
	{ "struct_ops.s",         1, T(STRUCT_OPS), 0, SLEEP, K(NONE), NULL, 0, "struct_ops "
	  "programs are the members of a .struct_ops map; rawbpf does not create those" },
	R("sk_lookup",            0, SK_LOOKUP, SK_LOOKUP, 0, NETNS),
	R("sk_reuseport/migrate", 0, SK_REUSEPORT, SK_REUSEPORT_SELECT_OR_MIGRATE, 0, MANUAL),
	R("sk_reuseport",         0, SK_REUSEPORT, SK_REUSEPORT_SELECT, 0, MANUAL),
	R("socket",               1, SOCKET_FILTER, 0, 0, SOCKET),
	R("tcx/ingress",          0, SCHED_CLS, TCX_INGRESS, 0, TC),
	R("tcx/egress",           0, SCHED_CLS, TCX_EGRESS, 0, TC),
	R("tc",                   1, SCHED_CLS, 0, 0, TC),
	R("classifier",           1, SCHED_CLS, 0, 0, TC),
	R("action",               1, SCHED_ACT, 0, 0, MANUAL),
	R("netfilter",            0, NETFILTER, NETFILTER, 0, MANUAL),
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

const struct sec_row *sec_find(const char *sec, const char **target)
{
	size_t i, n;

	for (i = 0; i < NROWS; i++) {
		n = strlen(rows[i].name);
		if (strncmp(sec, rows[i].name, n) != 0)
			continue;
		if (sec[n] == 0 || (rows[i].plus && sec[n] == '/')) {
			*target = sec[n] ? sec + n + 1 : "";
			return &rows[i];
		}
	}
	return NULL;
}

int sec_unknown(const char *obj, const char *sec)
{
	char known[3072] = "";
	size_t i, len = 0;

	for (i = 0; i < NROWS && len < sizeof(known) - 64; i++)
		len += snprintf(known + len, sizeof(known) - len, "%s%s%s", i ? ", " : "",
				rows[i].name, rows[i].plus ? "[/...]" : "");
	return rbpf_error(EINVAL, "object %s: section '%s': unknown program section name; "
			  "known: %s", obj, sec, known);
}

int sec_attach_btf_id(const struct sec_row *r, const char *target)
{
	char name[256];

	if (!r->btf_fmt)
		return 0;
	if (!*target)
		return rbpf_error(EINVAL, "section %s needs a target after '/' (the kernel "
				  "object it attaches to)", r->name);
	snprintf(name, sizeof(name), r->btf_fmt, target);
	return rbpf_vmlinux_btf_id(name, r->btf_kind);
}

uint32_t sec_prog_flags(const char *sec)
{
	const char *t;
	const struct sec_row *r = sec_find(sec, &t);

	return r ? r->flags : 0;
}

int rbpf_section_info(const char *sec, struct rbpf_section_info *out)
{
	const struct sec_row *r = sec_find(sec, &out->target);

	if (!r)
		return sec_unknown("-", sec);
	out->type = r->type;
	out->expected = r->expected;
	out->prog_flags = r->flags;
	out->kind = r->kind;
	out->refused = r->refuse;
	return 0;
}

const char *rbpf_attach_kind_name(enum rbpf_attach_kind k)
{
	static const char *names[] = { "none", "kprobe", "kretprobe", "ksyscall",
		"kretsyscall", "tracepoint", "raw_tp", "fentry", "fexit", "socket", "xdp",
		"tc", "perf_event", "uprobe", "uretprobe", "iter", "tp_btf", "fmod_ret",
		"lsm", "freplace", "cgroup", "sockmap", "netns", "test_run", "kprobe.multi",
		"uprobe.multi", "manual" };

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

/* Room for n more programs: the array doubles as it grows (a realloc per program
 * copied the whole array 200 times over for the bench's 200-program object). */
static int more_progs(struct rbpf_object *o, uint32_t n)
{
	struct rbpf_prog *p;
	uint32_t cap = o->progs_cap ? o->progs_cap : 8;

	while (cap < o->nprogs + n)
		cap *= 2;
	if (cap == o->progs_cap)
		return 0;
	if (!(p = realloc(o->progs, cap * sizeof(*p))))
		return obj_oom(o);
	o->progs = p, o->progs_cap = cap;
	return 0;
}

/* One program per function symbol of an executable section other than .text.  Its
 * names point into the file's bytes, which the object keeps until it is closed. */
int obj_section_progs(struct rbpf_object *o, uint32_t sec)
{
	const struct elf_sec *s = &o->elf.secs[sec];
	const struct sec_row *d;
	const Elf64_Sym *sym;
	struct rbpf_prog *p;
	const char *target;
	uint32_t i;
	int r;

	if (!(d = sec_find(s->name, &target)))
		return sec_unknown(o->name, s->name);
	if (d->refuse)
		return rbpf_error(ENOTSUP, "object %s: section '%s': %s", o->name, s->name,
				  d->refuse);
	for (i = 1; i < o->elf.nsym; i++) {
		sym = &o->elf.syms[i];
		if (sym->st_shndx != sec || ELF64_ST_TYPE(sym->st_info) != STT_FUNC)
			continue;
		if (sym->st_value % INSN_SZ || sym->st_size % INSN_SZ || sym->st_size == 0 ||
		    sym->st_value > s->size || sym->st_size > s->size - sym->st_value)
			return rbpf_error(EINVAL, "object %s: function %s at offset %llu, size "
					  "%llu, does not fit section %s (%llu bytes)", o->name,
					  elf_sym_name(&o->elf, sym),
					  (unsigned long long)sym->st_value,
					  (unsigned long long)sym->st_size, s->name,
					  (unsigned long long)s->size);
		if ((r = more_progs(o, 1)) < 0)
			return r;
		p = &o->progs[o->nprogs++];
		memset(p, 0, sizeof(*p));
		p->obj = o;
		p->fd = -1;
		p->autoload = 1;
		p->sec = sec;
		p->start = sym->st_value / INSN_SZ;
		p->len = sym->st_size / INSN_SZ;
		p->type = d->type;
		p->expected = d->expected;
		p->kind = d->kind;
		p->name = elf_sym_name(&o->elf, sym);
		p->sec_name = s->name;
		p->target = target;           /* a ksyscall's name is resolved at attach */
	}
	return 0;
}
