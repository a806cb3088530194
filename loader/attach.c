/*
 * attach.c -- a loaded program, attached the way its section says.
 *
 * The section name chose the program's attach kind and target when the object was
 * opened (object_sec.c): "ksyscall/execve" is RBPF_ATTACH_KSYSCALL with target
 * "execve".  rbpf_prog_attach looks the kind up in the table below and calls its
 * one small function, which names the attachment ("kprobe on __x64_sys_execve")
 * and calls the rbpf_attach_* of that kind (attach_kprobe.c, attach_trace.c,
 * attach_net.c).  This table is the one switch over attach kinds: a new program type
 * is a row in object_sec.c's sec_defs, a row here and one small function.
 *
 * Fallbacks, each documented where it is taken:
 *   kprobe PMU -> kprobe_events          inside rbpf_attach_kprobe
 *   ksyscall/NAME -> its kernel function  found in /proc/kallsyms (kallsyms.c)
 *   no kprobes -> the tracepoint twin     here: a ksyscall/NAME (or kprobe on the
 *                                         syscall's function) program on a kernel
 *                                         without kprobes attaches, instead, the
 *                                         object's program of section
 *                                         tracepoint/syscalls/sys_enter_NAME (the
 *                                         ret kinds: sys_exit_NAME), and the link's
 *                                         note announces it
 *   XDP driver mode -> generic mode      when the driver has no XDP of its own
 * A caller that wants to show one of these steps by itself calls the lower function.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_link.h>

#include "attach.h"
#include "object.h"

#define WHAT sizeof(((struct rbpf_link *)0)->what)

/* One attach kind: attach program fd to target, naming the attachment in what. */
typedef int (*attach_fn)(int fd, const char *target, const struct rbpf_attach_opts *o,
			 struct rbpf_link **out, char *what);

static int on_kprobe(int fd, const char *t, const struct rbpf_attach_opts *o,
		     struct rbpf_link **out, char *what)
{
	(void)o;
	snprintf(what, WHAT, "kprobe on %s", t);
	return rbpf_attach_kprobe(fd, t, 0, out);
}

static int on_kretprobe(int fd, const char *t, const struct rbpf_attach_opts *o,
			struct rbpf_link **out, char *what)
{
	(void)o;
	snprintf(what, WHAT, "kretprobe on %s", t);
	return rbpf_attach_kprobe(fd, t, 1, out);
}

/* ksyscall/NAME: a kprobe on the function kallsyms names for the system call. */
static int syscall_probe(int fd, const char *t, int ret, struct rbpf_link **out,
			 char *what)
{
	char fn[128];
	int r = rbpf_syscall_fnname(t, fn, sizeof(fn));

	if (r < 0)
		return r;
	snprintf(what, WHAT, "%s on %s", ret ? "kretprobe" : "kprobe", fn);
	return rbpf_attach_kprobe(fd, fn, ret, out);
}

static int on_ksyscall(int fd, const char *t, const struct rbpf_attach_opts *o,
		       struct rbpf_link **out, char *what)
{
	(void)o;
	return syscall_probe(fd, t, 0, out, what);
}

static int on_kretsyscall(int fd, const char *t, const struct rbpf_attach_opts *o,
			  struct rbpf_link **out, char *what)
{
	(void)o;
	return syscall_probe(fd, t, 1, out, what);
}

/* tracepoint/CAT/NAME, tp/CAT/NAME: target "CAT/NAME". */
static int on_tracepoint(int fd, const char *t, const struct rbpf_attach_opts *o,
			 struct rbpf_link **out, char *what)
{
	const char *slash = strchr(t, '/');
	char cat[128];

	(void)o;
	if (!slash)
		return rbpf_error(EINVAL, "attach: tracepoint target \"%s\" is not CAT/NAME", t);
	snprintf(cat, sizeof(cat), "%.*s", (int)(slash - t), t);
	snprintf(what, WHAT, "tracepoint %s", t);
	return rbpf_attach_tracepoint(fd, cat, slash + 1, out);
}

static int on_raw_tp(int fd, const char *t, const struct rbpf_attach_opts *o,
		     struct rbpf_link **out, char *what)
{
	(void)o;
	snprintf(what, WHAT, "raw tracepoint %s", t);
	return rbpf_attach_raw_tracepoint(fd, t, out);
}

/* fentry/FN, fexit/FN: the function was fixed at load; what names it. */
static int on_fentry(int fd, const char *t, const struct rbpf_attach_opts *o,
		     struct rbpf_link **out, char *what)
{
	(void)o;
	snprintf(what, WHAT, "fentry/fexit on %s", t);
	return rbpf_attach_fentry(fd, out);
}

/* What a kind needs from opts and did not get. */
static int needs(const char *kind, const char *what)
{
	return rbpf_error(EDESTADDRREQ, "attach: %s: attaching needs %s", kind, what);
}

static int on_socket(int fd, const char *t, const struct rbpf_attach_opts *o,
		     struct rbpf_link **out, char *what)
{
	(void)t;
	if (!o || o->sock_fd <= 0)
		return needs("socket filter", "a socket (opts->sock_fd)");
	snprintf(what, WHAT, "socket filter on socket fd %d", o->sock_fd);
	return rbpf_attach_socket(fd, o->sock_fd, out);
}

/* XDP in the driver's own mode when it has one, else generic (XDP_FLAGS_SKB_MODE). */
static int on_xdp(int fd, const char *t, const struct rbpf_attach_opts *o,
		  struct rbpf_link **out, char *what)
{
	int r;

	(void)t;
	if (!o || !o->ifname)
		return needs("xdp", "an interface (opts->ifname)");
	snprintf(what, WHAT, "xdp on %s", o->ifname);
	r = rbpf_attach_xdp(fd, o->ifname, o->xdp_flags, out);
	if (r == -EOPNOTSUPP && !o->xdp_flags)
		r = rbpf_attach_xdp(fd, o->ifname, XDP_FLAGS_SKB_MODE, out);
	return r;
}

/* tc, tc/ingress, tc/egress, classifier: ingress unless the target says egress. */
static int on_tc(int fd, const char *t, const struct rbpf_attach_opts *o,
		 struct rbpf_link **out, char *what)
{
	int egress = !strcmp(t, "egress");

	if (!o || !o->ifname)
		return needs("tc", "an interface (opts->ifname)");
	snprintf(what, WHAT, "tc %s on %s", egress ? "egress" : "ingress", o->ifname);
	return rbpf_attach_tc(fd, o->ifname, egress, out);
}

/* The table: one row per kind that attaches; NULL for the kinds that do not. */
static const attach_fn attach_by_kind[] = {
	[RBPF_ATTACH_KPROBE] = on_kprobe,
	[RBPF_ATTACH_KRETPROBE] = on_kretprobe,
	[RBPF_ATTACH_KSYSCALL] = on_ksyscall,
	[RBPF_ATTACH_KRETSYSCALL] = on_kretsyscall,
	[RBPF_ATTACH_TRACEPOINT] = on_tracepoint,
	[RBPF_ATTACH_RAW_TP] = on_raw_tp,
	[RBPF_ATTACH_FENTRY] = on_fentry,
	[RBPF_ATTACH_FEXIT] = on_fentry,
	[RBPF_ATTACH_SOCKET] = on_socket,
	[RBPF_ATTACH_XDP] = on_xdp,
	[RBPF_ATTACH_TC] = on_tc,
};
#define NKINDS (sizeof(attach_by_kind) / sizeof(attach_by_kind[0]))

/* ------------------------------------------------------------- the twin */

/* The system call a kprobe-kind program traces: a ksyscall's target, or the NAME of
 * a kprobe on __x64_sys_NAME / __arm64_sys_NAME; NULL for other functions. */
static const char *traced_syscall(const struct rbpf_prog *p)
{
	static const char *const pfx[] = { "__x64_sys_", "__arm64_sys_" };
	size_t i;

	if (p->kind == RBPF_ATTACH_KSYSCALL || p->kind == RBPF_ATTACH_KRETSYSCALL)
		return p->target;
	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++)
		if (!strncmp(p->target, pfx[i], strlen(pfx[i])))
			return p->target + strlen(pfx[i]);
	return NULL;
}

/* The loaded program of the same object on tracepoint syscalls/sys_enter_NAME
 * (sys_exit_NAME for kretprobe and kretsyscall), or NULL. */
static const struct rbpf_prog *find_twin(const struct rbpf_prog *p, char *tp, size_t n)
{
	int ret = p->kind == RBPF_ATTACH_KRETPROBE || p->kind == RBPF_ATTACH_KRETSYSCALL;
	const char *sc = traced_syscall(p);
	uint32_t i;

	if (!sc || p->kind < RBPF_ATTACH_KPROBE || p->kind > RBPF_ATTACH_KRETSYSCALL)
		return NULL;
	snprintf(tp, n, "syscalls/sys_%s_%s", ret ? "exit" : "enter", sc);
	for (i = 0; i < p->obj->nprogs; i++)
		if (p->obj->progs[i].kind == RBPF_ATTACH_TRACEPOINT &&
		    p->obj->progs[i].fd >= 0 && !strcmp(p->obj->progs[i].target, tp))
			return &p->obj->progs[i];
	return NULL;
}

/* No kprobes here: attach the twin instead, and say so in the link's note. */
static int attach_twin(const struct rbpf_prog *twin, const char *tp, struct rbpf_link **out)
{
	char what[WHAT];
	int r = on_tracepoint(twin->fd, tp, NULL, out, what);

	if (r < 0)
		return rbpf_error_prefix(r, "this kernel has no kprobes; the tracepoint twin "
					 "%s (program %s): ", tp, twin->name);
	(*out)->prog = twin;
	memcpy((*out)->what, what, WHAT);
	snprintf((*out)->note, sizeof((*out)->note), "this kernel has no kprobes: using the "
		 "tracepoint %s", tp);
	return 0;
}

int rbpf_prog_attach(const struct rbpf_prog *p, const struct rbpf_attach_opts *opts,
		     struct rbpf_link **out)
{
	const struct rbpf_prog *twin;
	char what[WHAT], tp[160];
	int r;

	*out = NULL;
	if (p->fd < 0)
		return rbpf_error(EBADF, "attach: program %s (%s) is not loaded", p->name,
				  p->sec_name);
	if ((unsigned)p->kind >= NKINDS || !attach_by_kind[p->kind])
		return rbpf_error(EOPNOTSUPP, "its section names no attach point");
	r = attach_by_kind[p->kind](p->fd, p->target, opts, out, what);
	if (r == -EOPNOTSUPP && !(opts && opts->no_twin) &&
	    (twin = find_twin(p, tp, sizeof(tp))))
		return attach_twin(twin, tp, out);
	if (r < 0)
		return r;
	(*out)->prog = p;
	memcpy((*out)->what, what, WHAT);
	return 0;
}
