/*
 * object_sec.c -- what a section's name says: the program type the kernel checks a
 * function as, and where it attaches.
 *
 * clang puts each SEC("...") function in an ELF section of that name.  The kernel
 * never sees the name: the loader reads it and chooses BPF_PROG_TYPE_* (and, for
 * fentry/fexit, the expected attach type) for BPF_PROG_LOAD, and the attach kind and
 * target that rbpf_prog_attach (attach.c) follows later.  "kprobe/do_nanosleep" is a
 * kprobe program on do_nanosleep; "xdp" an XDP program, attached to whatever
 * interface the caller names.  A new program type is one row of sec_defs (and one
 * row of attach.c's table).
 *
 * Each function symbol of such a section is one program (a section may hold many);
 * .text holds only subprograms, linked into the programs that call them.
 */
#include <stdlib.h>
#include <string.h>

#include "object.h"

static const struct sec_def {
	const char *prefix;          /* "kprobe/" needs a target; "xdp" may have "/..." */
	enum bpf_prog_type type;
	enum bpf_attach_type expected;
	enum rbpf_attach_kind kind;
} sec_defs[] = {
	{ "kprobe/", BPF_PROG_TYPE_KPROBE, 0, RBPF_ATTACH_KPROBE },
	{ "kretprobe/", BPF_PROG_TYPE_KPROBE, 0, RBPF_ATTACH_KRETPROBE },
	{ "ksyscall/", BPF_PROG_TYPE_KPROBE, 0, RBPF_ATTACH_KSYSCALL },
	{ "kretsyscall/", BPF_PROG_TYPE_KPROBE, 0, RBPF_ATTACH_KRETSYSCALL },
	{ "tracepoint/", BPF_PROG_TYPE_TRACEPOINT, 0, RBPF_ATTACH_TRACEPOINT },
	{ "tp/", BPF_PROG_TYPE_TRACEPOINT, 0, RBPF_ATTACH_TRACEPOINT },
	{ "raw_tracepoint/", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, RBPF_ATTACH_RAW_TP },
	{ "raw_tp/", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, RBPF_ATTACH_RAW_TP },
	{ "fentry/", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, RBPF_ATTACH_FENTRY },
	{ "fexit/", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, RBPF_ATTACH_FEXIT },
	{ "socket", BPF_PROG_TYPE_SOCKET_FILTER, 0, RBPF_ATTACH_SOCKET },
	{ "xdp", BPF_PROG_TYPE_XDP, 0, RBPF_ATTACH_XDP },
	{ "tc", BPF_PROG_TYPE_SCHED_CLS, 0, RBPF_ATTACH_TC },
	{ "classifier", BPF_PROG_TYPE_SCHED_CLS, 0, RBPF_ATTACH_TC },
	{ "perf_event", BPF_PROG_TYPE_PERF_EVENT, 0, RBPF_ATTACH_PERF_EVENT },
};
#define NDEFS (sizeof(sec_defs) / sizeof(sec_defs[0]))

const char *rbpf_attach_kind_name(enum rbpf_attach_kind k)
{
	static const char *names[] = { "none", "kprobe", "kretprobe", "ksyscall",
		"kretsyscall", "tracepoint", "raw_tp", "fentry", "fexit", "socket", "xdp",
		"tc", "perf_event" };

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

/* The definition matching a section name and the target after its prefix. */
static const struct sec_def *find_sec_def(const char *sec, const char **target)
{
	size_t i, n;

	for (i = 0; i < NDEFS; i++) {
		n = strlen(sec_defs[i].prefix);
		if (strncmp(sec, sec_defs[i].prefix, n) != 0)
			continue;
		if (sec_defs[i].prefix[n - 1] == '/') {      /* "kprobe/" wants a target */
			*target = sec + n;       /* raw_tp/ with none loads (libbpf's rule);
						  * attaching it asks for a name */
			return sec[n] || sec_defs[i].kind == RBPF_ATTACH_RAW_TP ? &sec_defs[i]
										  : NULL;
		}
		if (sec[n] == 0 || sec[n] == '/') {
			*target = sec[n] ? sec + n + 1 : "";
			return &sec_defs[i];
		}
	}
	return NULL;
}

static int unknown_section(const struct rbpf_object *o, const char *sec)
{
	char known[512] = "";
	size_t i;

	for (i = 0; i < NDEFS; i++) {
		strcat(known, i ? ", " : "");
		strcat(known, sec_defs[i].prefix);
		if (sec_defs[i].prefix[strlen(sec_defs[i].prefix) - 1] == '/')
			strcat(known, "NAME");
	}
	return rbpf_error(EINVAL, "object %s: section '%s': unknown program section name; "
			  "known: %s", o->name, sec, known);
}

/* One program per function symbol of an executable section other than .text. */
int obj_section_progs(struct rbpf_object *o, uint32_t sec)
{
	const struct elf_sec *s = &o->elf.secs[sec];
	const struct sec_def *d;
	const Elf64_Sym *sym;
	struct rbpf_prog *p;
	const char *target;
	uint32_t i;

	if (!(d = find_sec_def(s->name, &target)))
		return unknown_section(o, s->name);
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
		if (!(p = realloc(o->progs, (o->nprogs + 1) * sizeof(*p))))
			return obj_oom(o);
		o->progs = p;
		p += o->nprogs++;
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
		p->name = strdup(elf_sym_name(&o->elf, sym));
		p->sec_name = strdup(s->name);
		p->target = strdup(target);   /* a ksyscall's name is resolved at attach */
		if (!p->name || !p->sec_name || !p->target)
			return obj_oom(o);
	}
	return 0;
}
