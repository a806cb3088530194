/*
 * extern_values.c -- what each extern is on the running kernel (see extern.c).
 *
 * kconfig: LINUX_KERNEL_VERSION from uname (KERNEL_VERSION(a, b, c), c capped at
 * 255), LINUX_HAS_SYSCALL_WRAPPER from /proc/kallsyms (is there an __x64_sys_bpf?),
 * LINUX_HAS_BPF_COOKIE from the kernel's BTF (the bpf_get_attach_cookie helper's
 * enum value), CONFIG_* from the kernel's config (kconfig.c).  A value is written the
 * way its C type asks: y/n/m as a bool (m refused), a char, or a libbpf_tristate
 * (0 no, 1 yes, 2 module); numbers into integers that can hold them; a quoted string
 * into a char array, cut to fit.
 *
 * ksyms and kfuncs: looked up by name in the kernel's BTF (a VAR; a FUNC), the local
 * declaration checked against the kernel's type; typeless ksyms in /proc/kallsyms.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "core.h"
#include "extern.h"
#include "kconfig.h"
#include "rawbpf.h"

struct ksym_find {
	const char *name;
	uint64_t addr;
};

static int ksym_match(void *ctx, const struct rbpf_ksym *s)
{
	struct ksym_find *f = ctx;

	if (strcmp(s->name, f->name))
		return 0;
	f->addr = s->addr;
	return 1;
}

/* The address of name in /proc/kallsyms: 1 found, 0 not, -errno. */
static int kallsyms(const char *name, uint64_t *addr)
{
	struct ksym_find f = { name, 0 };
	int r = rbpf_kallsyms_each(ksym_match, &f);

	*addr = f.addr;
	return r;
}

/* Write number v into x's bytes, if the type can hold it. */
static int put_num(const struct ext *x, uint8_t *dst, uint64_t v, const char *obj)
{
	int fits = x->size >= 8 || (x->is_signed ?
		   (int64_t)v >= -(1ll << (x->size * 8 - 1)) && (int64_t)v < (1ll << (x->size * 8 - 1)) :
		   v < (1ull << (x->size * 8)));

	if (x->kt == KCFG_CHAR_ARR || x->kt == KCFG_TRISTATE || (x->kt == KCFG_BOOL && v > 1) ||
	    !fits)
		return rbpf_error(ERANGE, "object %s: __kconfig extern '%s': the value %llu does "
				  "not fit its %u-byte type", obj, x->name,
				  (unsigned long long)v, x->size);
	memcpy(dst, &v, x->size);                     /* little-endian: the low bytes */
	return 0;
}

/* Write a config value ("y", "250", "\"(none)\"") into x's bytes. */
static int put_value(const struct ext *x, uint8_t *dst, const char *v, size_t n,
		     const char *obj)
{
	char buf[64], *end;
	size_t len;

	if (n == 1 && (*v == 'y' || *v == 'n' || *v == 'm')) {
		if (x->kt == KCFG_CHAR)
			return *dst = *v, 0;
		if (x->kt == KCFG_TRISTATE)
			return *dst = *v == 'y' ? 1 : *v == 'm' ? 2 : 0, 0;
		if (x->kt == KCFG_BOOL && *v != 'm')
			return *dst = *v == 'y', 0;
		return rbpf_error(EINVAL, "object %s: __kconfig extern '%s' is '%c' in the config, "
				  "which its type cannot hold (declare it bool, char or enum "
				  "libbpf_tristate)", obj, x->name, *v);
	}
	if (n >= 2 && *v == '"' && v[n - 1] == '"') {
		if (x->kt != KCFG_CHAR_ARR)
			return rbpf_error(EINVAL, "object %s: __kconfig extern '%s' is a string in "
					  "the config: declare it a char array", obj, x->name);
		len = n - 2 < x->size - 1 ? n - 2 : x->size - 1;
		memcpy(dst, v + 1, len);
		dst[len] = 0;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%.*s", (int)n, v);
	errno = 0;
	uint64_t num = strtoull(buf, &end, 0);
	if (*buf == '-')
		num = (uint64_t)strtoll(buf, &end, 0);
	if (errno || *end || end == buf)
		return rbpf_error(EINVAL, "object %s: __kconfig extern '%s': cannot read the "
				  "config's value '%s'", obj, x->name, buf);
	return put_num(x, dst, num, obj);
}

static uint64_t kernel_version(void)
{
	struct utsname u;
	unsigned a = 0, b = 0, c = 0;

	uname(&u);
	sscanf(u.release, "%u.%u.%u", &a, &b, &c);
	return (uint64_t)a << 16 | b << 8 | (c > 255 ? 255 : c);
}

/* A LINUX_* extern: about the kernel itself.  1 written, 0 unknown name. */
static int linux_value(const struct ext *x, uint8_t *dst, struct btf *kernel, const char *obj,
		       int *r)
{
	uint64_t addr = 0;

	if (!strcmp(x->name, "LINUX_KERNEL_VERSION"))
		*r = put_num(x, dst, kernel_version(), obj);
	else if (!strcmp(x->name, "LINUX_HAS_SYSCALL_WRAPPER"))
		*r = put_num(x, dst, kallsyms("__x64_sys_bpf", &addr) > 0, obj);
	else if (!strcmp(x->name, "LINUX_HAS_BPF_COOKIE"))
		*r = put_num(x, dst, kernel && btf_find(kernel, "BPF_FUNC_get_attach_cookie", -1) ?
			     1 : kernel_version() >= (5 << 16 | 15 << 8), obj);
	else
		return 0;
	return 1;
}

static int kconfig_values(struct ext_table *t, struct btf *kernel, uint8_t *kcfg,
			  const char *obj)
{
	struct kconfig k = { 0 };
	const char *v;
	size_t n;
	uint32_t i;
	int r = 0, have = 0;

	for (i = 0; !r && i < t->n && t->e[i].kind == EXT_KCONFIG; i++) {
		struct ext *x = &t->e[i];

		if (linux_value(x, kcfg + x->off, kernel, obj, &r) || r)
			continue;
		if (strncmp(x->name, "CONFIG_", 7))
			r = rbpf_error(ENOENT, "object %s: __kconfig extern '%s' is neither CONFIG_* "
				       "nor one of LINUX_KERNEL_VERSION, LINUX_HAS_SYSCALL_WRAPPER, "
				       "LINUX_HAS_BPF_COOKIE", obj, x->name);
		else if (!have && (r = kconfig_read(&k)) == 0)
			have = 1;
		if (r)
			break;
		if (kconfig_get(&k, x->name, &v, &n) == 0)
			r = put_value(x, kcfg + x->off, v, n, obj);
		else if (!x->weak)
			r = rbpf_error(ENOENT, "object %s: __kconfig extern '%s' is not set in this "
				       "kernel's config (%s); declare it __weak to read 0 instead",
				       obj, x->name, k.source);
	}
	kconfig_free(&k);
	return r;
}

/* A ksym or kfunc by name in the kernel's BTF, its type checked against ours. */
static int kernel_sym(struct ext *x, struct btf *kernel, const struct btf *local,
		      const char *obj)
{
	int func = x->kind == EXT_KFUNC;
	uint32_t id = btf_find(kernel, x->name, func ? BTF_KIND_FUNC : BTF_KIND_VAR);

	if (!id)
		return x->weak ? 0 : rbpf_error(ENOENT, "object %s: %s '%s' is not in the "
			"kernel's BTF%s; declare it __weak to load without it", obj,
			func ? "kfunc" : "__ksym variable", x->name, func ? "" :
			" (typed ksyms are the kernel's VARs: per-CPU variables, or every global "
			"when pahole ran with global_var)");
	if (!core_types_compat(local, x->type, kernel, btf_type(kernel, id)->type, 0))
		return rbpf_error(EINVAL, "object %s: %s '%s' is declared with a type that does "
				  "not match the kernel's [%u]", obj, func ? "kfunc" : "__ksym",
				  x->name, id);
	x->kernel_id = id;
	return 0;
}

static int typeless_sym(struct ext *x, const char *obj)
{
	int r = kallsyms(x->name, &x->addr);
	struct kconfig k;
	const char *v;
	size_t n;
	int all = 1;

	if (r > 0 && x->addr)
		return 0;
	if (r > 0)
		return rbpf_error(EPERM, "object %s: __ksym '%s': /proc/kallsyms shows its "
				  "address as 0: run as root (kptr_restrict)", obj, x->name);
	if (x->weak)
		return x->addr = 0, 0;
	if (kconfig_read(&k) == 0) {
		all = kconfig_get(&k, "CONFIG_KALLSYMS_ALL", &v, &n) == 0;
		kconfig_free(&k);
	}
	return rbpf_error(ENOENT, "object %s: __ksym '%s' is not in /proc/kallsyms%s", obj,
			  x->name, all ? "" : ": this kernel is built without "
			  "CONFIG_KALLSYMS_ALL, so kallsyms lists functions only and no data "
			  "symbol can be referred to on it (typed __ksym fail in the verifier "
			  "too); declare it __weak to load without it");
}

int ext_explain(int err, const char *obj, const char *prog, const char *log)
{
	const char *s = log ? strstr(log, "failed to find the address for kernel symbol") : NULL;

	if (!s)
		return 0;
	return rbpf_error(err, "object %s: program %s: the verifier could not find the "
			  "address of a __ksym variable (%.*s): the kernel's kallsyms has no data "
			  "symbols when it is built without CONFIG_KALLSYMS_ALL, as this one "
			  "may be; declare the extern __weak, or run on a kernel that has them",
			  obj, prog, (int)strcspn(s, "\n"), s);
}

int ext_resolve(struct ext_table *t, struct btf *kernel, const struct btf *local,
		uint8_t *kcfg, const char *obj)
{
	uint32_t i;
	int r = 0;

	if (t->resolved)
		return 0;
	if (t->kcfg_size && (r = kconfig_values(t, kernel, kcfg, obj)) < 0)
		return r;
	for (i = 0; !r && i < t->n; i++) {
		if (t->e[i].kind == EXT_KFUNC || (t->e[i].kind == EXT_KSYM && t->e[i].type))
			r = kernel_sym(&t->e[i], kernel, local, obj);
		else if (t->e[i].kind == EXT_KSYM)
			r = typeless_sym(&t->e[i], obj);
	}
	t->resolved = !r;
	return r;
}
