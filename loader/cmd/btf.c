/*
 * cmd/btf.c -- `rawbpf btf [FILE | --kernel] [--text | --c]`: a BTF, read by the
 * loader's reader (loader/btf.c), written out as text or as a C header.
 *
 *   rawbpf btf                          the running kernel's, /sys/kernel/btf/vmlinux
 *   rawbpf btf build/progs/hello.bpf.o  an object's .BTF section
 *   rawbpf btf some.btf                 a raw BTF file (what sysfs holds)
 *   --text (the default)                one line per type, the members indented below:
 *                                       the same lines as `bpftool btf dump file F`
 *   --c                                 a header that clang compiles: vmlinux.h
 *
 * The text form is the BTF as it is: type ids, kinds, names, sizes, and the ids each
 * type points to, so a learner can follow task_struct -> its members -> their types
 * by number.  The C form (cmd/btf_c.c) turns the same types back into declarations.
 *
 * Both writers live in the command, not the library: nothing a program does at run
 * time needs them (a CO-RE load reads the kernel's BTF through the reader, never as
 * C), a lesson gets vmlinux.h by running this verb, and the library's size is the
 * budget the relocations and program types need.
 */
#include <stdio.h>
#include <string.h>

#include "rawbpf.h"
#include "../btf.h"
#include "cmd.h"
#include "btf_c.h"

static int usage(void)
{
	fprintf(stderr, "usage: rawbpf btf [FILE | --kernel] [--text | --c]\n"
		"FILE is an ELF object (its .BTF) or a raw BTF file; the default is the\n"
		"running kernel's (/sys/kernel/btf/vmlinux).  --text (default): one line per\n"
		"type, as `bpftool btf dump file FILE`; --c: a C header (vmlinux.h)\n");
	return 2;
}

static const char *name_or_anon(const struct btf *b, uint32_t off)
{
	const char *s = btf_str(b, off);

	return s && *s ? s : "(anon)";
}

static const char *int_encoding(uint32_t enc)
{
	switch (enc) {
	case 0: return "(none)";
	case BTF_INT_SIGNED: return "SIGNED";
	case BTF_INT_CHAR: return "CHAR";
	case BTF_INT_BOOL: return "BOOL";
	}
	return "UNKN";
}

/* "INT", "STRUCT", ... as bpftool writes the kinds (uapi linux/btf.h's numbers). */
static const char *kind_name(uint32_t k)
{
	static const char *const names[] = { "UNKNOWN", "INT", "PTR", "ARRAY", "STRUCT",
		"UNION", "ENUM", "FWD", "TYPEDEF", "VOLATILE", "CONST", "RESTRICT", "FUNC",
		"FUNC_PROTO", "VAR", "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64" };

	return k < sizeof(names) / sizeof(names[0]) ? names[k] : "UNKNOWN";
}

/* A FUNC's linkage (in its vlen) or a VAR's: static, global, extern. */
static const char *linkage(uint32_t l)
{
	static const char *const names[] = { "static", "global", "extern" };

	return l < 3 ? names[l] : "(unknown)";
}

static void text_members(const struct btf *b, const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	uint32_t i;

	for (i = 0; i < btf_vlen(t); i++) {
		printf("\n\t'%s' type_id=%u bits_offset=%u", name_or_anon(b, m[i].name_off),
		       m[i].type, btf_member_bit_offset(t, i));
		if (btf_member_bitfield_size(t, i))
			printf(" bitfield_size=%u", btf_member_bitfield_size(t, i));
	}
}

static void text_enum(const struct btf *b, const struct btf_type *t)
{
	uint32_t i, n = btf_vlen(t);

	printf(" encoding=%s size=%u vlen=%u", btf_kflag(t) ? "SIGNED" : "UNSIGNED", t->size, n);
	for (i = 0; i < n; i++) {
		if (btf_kind(t) == BTF_KIND_ENUM) {
			const struct btf_enum *e = &btf_enums(t)[i];

			printf(btf_kflag(t) ? "\n\t'%s' val=%d" : "\n\t'%s' val=%u",
			       name_or_anon(b, e->name_off), e->val);
		} else {
			const struct btf_enum64 *e = &btf_enum64s(t)[i];

			printf(btf_kflag(t) ? "\n\t'%s' val=%lldLL" : "\n\t'%s' val=%lluULL",
			       name_or_anon(b, e->name_off), (long long)btf_enum64_value(e));
		}
	}
}

static void text_params(const struct btf *b, const struct btf_type *t)
{
	const struct btf_param *p = btf_params(t);
	uint32_t i;

	printf(" ret_type_id=%u vlen=%u", t->type, btf_vlen(t));
	for (i = 0; i < btf_vlen(t); i++)
		printf("\n\t'%s' type_id=%u", name_or_anon(b, p[i].name_off), p[i].type);
}

static void text_datasec(const struct btf *b, const struct btf_type *t)
{
	const struct btf_var_secinfo *v = btf_secinfos(t);
	const struct btf_type *var;
	uint32_t i;

	printf(" size=%u vlen=%u", t->size, btf_vlen(t));
	for (i = 0; i < btf_vlen(t); i++) {
		var = btf_type(b, v[i].type);
		printf("\n\ttype_id=%u offset=%u size=%u (%s '%s')", v[i].type, v[i].offset,
		       v[i].size, var ? kind_name(btf_kind(var)) : "UNKNOWN",
		       var ? name_or_anon(b, var->name_off) : "(anon)");
	}
}

/* One type, as bpftool's raw format writes it. */
static void text_type(const struct btf *b, uint32_t id)
{
	const struct btf_type *t = btf_type(b, id);
	uint32_t k = btf_kind(t);

	printf("[%u] %s '%s'", id, kind_name(k), name_or_anon(b, t->name_off));
	switch (k) {
	case BTF_KIND_INT:
		printf(" size=%u bits_offset=%u nr_bits=%u encoding=%s", t->size,
		       btf_int_offset(t), btf_int_bits(t), int_encoding(btf_int_encoding(t)));
		break;
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		printf(" type_id=%u", t->type);
		break;
	case BTF_KIND_ARRAY:
		printf(" type_id=%u index_type_id=%u nr_elems=%u", btf_array(t)->type,
		       btf_array(t)->index_type, btf_array(t)->nelems);
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		printf(" size=%u vlen=%u", t->size, btf_vlen(t));
		text_members(b, t);
		break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		text_enum(b, t);
		break;
	case BTF_KIND_FWD:
		printf(" fwd_kind=%s", btf_kflag(t) ? "union" : "struct");
		break;
	case BTF_KIND_FUNC:
		printf(" type_id=%u linkage=%s", t->type, linkage(btf_vlen(t)));
		break;
	case BTF_KIND_FUNC_PROTO:
		text_params(b, t);
		break;
	case BTF_KIND_VAR:
		printf(" type_id=%u, linkage=%s", t->type, linkage(btf_var(t)->linkage));
		break;
	case BTF_KIND_DATASEC:
		text_datasec(b, t);
		break;
	case BTF_KIND_FLOAT:
		printf(" size=%u", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		printf(" type_id=%u component_idx=%d", t->type, btf_decl_tag(t)->component_idx);
		break;
	}
	printf("\n");
}

int cmd_btf(int argc, char **argv)
{
	const char *file = NULL;
	int c_out = 0, i, r;
	struct btf b;
	uint32_t id;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--c"))
			c_out = 1;
		else if (!strcmp(argv[i], "--text"))
			c_out = 0;
		else if (!strcmp(argv[i], "--kernel") && !file)
			file = "";
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			return usage();
	}
	r = file && *file ? btf_load_file(&b, file) : btf_load_vmlinux(&b);
	if (r < 0)
		return cmd_fail(1);
	if (c_out) {
		r = btf_c_write(stdout, &b);
		if (r < 0)
			cmd_fail(1);
	} else {
		for (id = 1; id < b.ntypes; id++)
			text_type(&b, id);
	}
	btf_free(&b);
	if (fflush(stdout) != 0 || ferror(stdout))
		return 1;
	return r < 0 ? 1 : 0;
}
