/*
 * kallsyms.c -- the kernel's symbol table, /proc/kallsyms, read in one place.
 *
 * One line per symbol: "ffffffff81234560 T __x64_sys_execve", then "\t[module]" for
 * a module's.  The address reads 0 to a reader without CAP_SYSLOG, and under
 * lockdown; the names are there for everyone.  The library asks two questions of it
 * (the function behind a system call; whether a function exists, to explain a failed
 * kprobe), the command a third (the name at a helper's address), the lessons a
 * fourth (the function around a stack address): each is a callback over one reader.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "rawbpf.h"

int rbpf_kallsyms_each(rbpf_ksym_fn fn, void *ctx)
{
	char line[512], name[256];
	struct rbpf_ksym s = { .name = name };
	FILE *f = fopen("/proc/kallsyms", "re");
	int r = 0;

	if (!f)
		return rbpf_error(errno, "kallsyms: cannot open /proc/kallsyms: %s",
				  strerror(errno));
	while (!r && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &s.addr, &s.type, name) == 3)
			r = fn(ctx, &s);
	fclose(f);
	return r;
}

/* ---------------------------------------------------------------- syscall functions */

/* The prefix of this architecture first, then the plain name of kernels < 4.17. */
static const char *const sys_prefixes[] = {
#if defined(__x86_64__)
	"__x64_sys_",
#elif defined(__aarch64__)
	"__arm64_sys_",
#endif
	"sys_",
};
enum { NPREFIX = sizeof(sys_prefixes) / sizeof(sys_prefixes[0]) };

struct fnname {
	char want[NPREFIX][128];
	int best;                /* index of the best name seen, NPREFIX if none */
};

static int fnname_seen(void *ctx, const struct rbpf_ksym *s)
{
	struct fnname *f = ctx;
	int i;

	for (i = 0; i < f->best; i++)
		if (strcmp(s->name, f->want[i]) == 0)
			f->best = i;
	return f->best == 0;     /* the architecture's own name: no better one */
}

int rbpf_syscall_fnname(const char *syscall, char *buf, size_t n)
{
	struct fnname f = { .best = NPREFIX };
	int i, r;

	for (i = 0; i < NPREFIX; i++)
		snprintf(f.want[i], sizeof(f.want[i]), "%s%s", sys_prefixes[i], syscall);
	if ((r = rbpf_kallsyms_each(fnname_seen, &f)) < 0)
		return rbpf_error_prefix(r, "attach: finding syscall %s: ", syscall);
	if (f.best == NPREFIX)
		return rbpf_error(ENOENT, "attach: no kernel function for syscall %s in "
				  "/proc/kallsyms (tried %s and %s)", syscall, f.want[0],
				  f.want[NPREFIX - 1]);
	if ((size_t)snprintf(buf, n, "%s", f.want[f.best]) >= n)
		return rbpf_error(ENAMETOOLONG, "attach: %s does not fit in %zu bytes",
				  f.want[f.best], n);
	return 0;
}

/* ------------------------------------------------------------------ one symbol */

static int is_name(void *ctx, const struct rbpf_ksym *s)
{
	return strcmp(s->name, ctx) == 0;
}

int kallsyms_has(const char *func)
{
	int r = rbpf_kallsyms_each(is_name, (void *)func);

	return r != 0;           /* found, or cannot tell: do not claim it is missing */
}
