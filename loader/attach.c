/*
 * attach.c -- a loaded program, attached the way its section says.
 *
 * The section name chose the program's attach kind and target when the object was
 * opened (object_sec.c): "ksyscall/execve" is RBPF_ATTACH_KSYSCALL with target
 * "execve".  rbpf_prog_attach looks the kind up in the table below and calls its
 * small function, which names the attachment ("kprobe on __x64_sys_execve") and
 * calls the rbpf_attach_* of that kind (attach_kprobe.c, attach_trace.c,
 * attach_net.c; uprobe.c, iter.c, cgroup.c and perf_sample.c for uprobes,
 * iterators, cgroup / network namespace / sockmap programs and samplers, which
 * take opts->pid, opts->cgroup, opts->netns, opts->cpu and opts->freq).  This table is the one switch over attach kinds: a new program type
 * is a row in object_sec.c's sec_defs, a row here and one small function (with what
 * it needs from the caller as a field of struct rbpf_attach_opts).
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

/* One attach kind: attach p (loaded) as its target says, naming the attachment in
 * what.  o may be NULL. */
typedef int (*attach_fn)(const struct rbpf_prog *p, const struct rbpf_attach_opts *o,
			 struct rbpf_link **out, char *what);

static int is_ret(const struct rbpf_prog *p)
{
	return p->kind == RBPF_ATTACH_KRETPROBE || p->kind == RBPF_ATTACH_KRETSYSCALL;
}

/* kprobe/FN, kretprobe/FN; ksyscall/NAME, kretsyscall/NAME on the function kallsyms
 * names for the system call ("execve" -> __x64_sys_execve). */
static int on_kprobe(const struct rbpf_prog *p, const struct rbpf_attach_opts *o,
		     struct rbpf_link **out, char *what)
{
	char fn[128];
	int r;

	(void)o;
	snprintf(fn, sizeof(fn), "%s", p->target);
	if ((p->kind == RBPF_ATTACH_KSYSCALL || p->kind == RBPF_ATTACH_KRETSYSCALL) &&
	    (r = rbpf_syscall_fnname(p->target, fn, sizeof(fn))) < 0)
		return r;
	snprintf(what, WHAT, "%s on %s", is_ret(p) ? "kretprobe" : "kprobe", fn);
	return rbpf_attach_kprobe(p->fd, fn, is_ret(p), out);
}

/* tracepoint/CAT/NAME, tp/CAT/NAME: target "CAT/NAME". */
static int on_tracepoint_at(int fd, const char *t, struct rbpf_link **out, char *what)
{
	const char *slash = strchr(t, '/');
	char cat[128];

	if (!slash)
		return rbpf_error(EINVAL, "attach: tracepoint target \"%s\" is not CAT/NAME", t);
	snprintf(cat, sizeof(cat), "%.*s", (int)(slash - t), t);
	snprintf(what, WHAT, "tracepoint %s", t);
	return rbpf_attach_tracepoint(fd, cat, slash + 1, out);
}

static int on_tracepoint(const struct rbpf_prog *p, const struct rbpf_attach_opts *o,
			 struct rbpf_link **out, char *what)
{
	(void)o;
	return on_tracepoint_at(p->fd, p->target, out, what);
}

/* raw_tp/NAME; fentry/FN and fexit/FN, and tp_btf, fmod_ret, lsm (their target was
 * fixed at load, by BTF id). */
static int on_raw_tp(const struct rbpf_prog *p, const struct rbpf_attach_opts *o,
		     struct rbpf_link **out, char *what)
{
	(void)o;
	if (p->kind == RBPF_ATTACH_RAW_TP) {
		if (!*p->target)
			return rbpf_error(EDESTADDRREQ, "attach: raw_tp/ with no name: the "
					  "section names no tracepoint");
		snprintf(what, WHAT, "raw tracepoint %s", p->target);
		return rbpf_attach_raw_tracepoint(p->fd, p->target, out);
	}
	snprintf(what, WHAT, "%s on %s", rbpf_attach_kind_name(p->kind), p->target);
	return rbpf_attach_fentry(p->fd, out);
}

/* socket: opts->sock_fd; xdp (the driver's mode, else generic), tc: opts->ifname
 * (tc/egress: egress, else ingress).  -EDESTADDRREQ when opts lack it. */
static int on_net(const struct rbpf_prog *p, const struct rbpf_attach_opts *o,
		  struct rbpf_link **out, char *what)
{
	const char *kind = rbpf_attach_kind_name(p->kind);
	int r, egress = !strcmp(p->target, "egress");

	if (p->kind == RBPF_ATTACH_SOCKET ? !o || o->sock_fd <= 0 : !o || !o->ifname)
		return rbpf_error(EDESTADDRREQ, "attach: %s: attaching needs %s", kind,
				  p->kind == RBPF_ATTACH_SOCKET ? "a socket (opts->sock_fd)" :
				  "an interface (opts->ifname)");
	if (p->kind == RBPF_ATTACH_SOCKET) {
		snprintf(what, WHAT, "socket filter on socket fd %d", o->sock_fd);
		return rbpf_attach_socket(p->fd, o->sock_fd, out);
	}
	if (p->kind == RBPF_ATTACH_TC) {
		snprintf(what, WHAT, "tc %s on %s", egress ? "egress" : "ingress", o->ifname);
		return rbpf_attach_tc(p->fd, o->ifname, egress, out);
	}
	snprintf(what, WHAT, "xdp on %s", o->ifname);
	r = rbpf_attach_xdp(p->fd, o->ifname, o->xdp_flags, out);
	if (r == -EOPNOTSUPP && !o->xdp_flags)
		r = rbpf_attach_xdp(p->fd, o->ifname, XDP_FLAGS_SKB_MODE, out);
	return r;
}

/* uprobe/BIN:FN[+OFF], uretprobe/...: in process opts->pid only when it is set. */
static int on_uprobe(const struct rbpf_prog *p, const struct rbpf_attach_opts *o,
		     struct rbpf_link **out, char *what)
{
	const char *kind = rbpf_attach_kind_name(p->kind);

	if (!*p->target)
		return rbpf_error(EDESTADDRREQ, "attach: a bare %s section names no "
				  "BINARY:FUNCTION (attach it with rbpf_attach_uprobe)", kind);
	snprintf(what, WHAT, "%s on %s", kind, p->target);
	return rbpf_attach_uprobe_target(p->fd, p->target, o && o->pid > 0 ? o->pid : -1,
					 p->kind == RBPF_ATTACH_URETPROBE, out);
}

/* uprobe.multi/BIN:PATTERN, uretprobe.multi/...: one link on every function of BIN
 * whose name matches PATTERN. */
static int on_uprobe_multi(const struct rbpf_prog *p, const struct rbpf_attach_opts *o,
			   struct rbpf_link **out, char *what)
{
	char bin[4096], pattern[512];
	uint64_t off;
	int r;

	if (!*p->target)
		return rbpf_error(EDESTADDRREQ, "attach: a bare %s section names no "
				  "BINARY:PATTERN (use rbpf_attach_uprobe_multi)", p->sec_name);
	if ((r = rbpf_uprobe_parse_target(p->target, bin, sizeof(bin), pattern,
					  sizeof(pattern), &off)) < 0)
		return r;
	snprintf(what, WHAT, "%s on %s", p->sec_name, p->target);
	return rbpf_attach_uprobe_multi(p->fd, bin, pattern, o ? o->pid : 0,
					!strncmp(p->sec_name, "uretprobe", 9), out);
}

/* iter/NAME: linked; each rbpf_iter_read on the link is one walk. */
static int on_iter(const struct rbpf_prog *p, const struct rbpf_attach_opts *o,
		   struct rbpf_link **out, char *what)
{
	snprintf(what, WHAT, "iterator %s", p->target);
	return rbpf_attach_iter(p->fd, o ? o->map_fd : 0, out);
}

/* cgroup_skb/..., cgroup/..., sockops, lsm_cgroup/...: opts->cgroup, as the program's
 * expected attach type. */
static int on_cgroup(const struct rbpf_prog *p, const struct rbpf_attach_opts *o,
		     struct rbpf_link **out, char *what)
{
	if (!o || !o->cgroup)
		return rbpf_error(EDESTADDRREQ, "attach: %s: attaching needs a cgroup v2 "
				  "directory (opts->cgroup)", p->sec_name);
	snprintf(what, WHAT, "%s on cgroup %s", p->sec_name, o->cgroup);
	return rbpf_attach_cgroup(p->fd, o->cgroup, p->expected, out);
}

/* sk_lookup, flow_dissector: opts->netns, or the caller's own namespace. */
static int on_netns(const struct rbpf_prog *p, const struct rbpf_attach_opts *o,
		    struct rbpf_link **out, char *what)
{
	const char *ns = o && o->netns ? o->netns : NULL;

	snprintf(what, WHAT, "%s on network namespace %s", p->sec_name,
		 ns ? ns : "(ours)");
	return rbpf_attach_netns(p->fd, ns, p->expected, out);
}

/* sk_msg, sk_skb/...: the object's first SOCKMAP or SOCKHASH map. */
static int on_sockmap(const struct rbpf_prog *p, const struct rbpf_attach_opts *o,
		      struct rbpf_link **out, char *what)
{
	uint32_t i;

	(void)o;
	for (i = 0; i < p->obj->nmaps; i++)
		if ((p->obj->maps[i].type == BPF_MAP_TYPE_SOCKMAP ||
		     p->obj->maps[i].type == BPF_MAP_TYPE_SOCKHASH) && p->obj->maps[i].fd >= 0)
			break;
	if (i == p->obj->nmaps)
		return rbpf_error(EDESTADDRREQ, "attach: %s: the object has no SOCKMAP or "
				  "SOCKHASH map to attach it to", p->sec_name);
	snprintf(what, WHAT, "%s on sockmap %s", p->sec_name, p->obj->maps[i].name);
	return rbpf_attach_sockmap(p->fd, p->obj->maps[i].fd, p->expected, out);
}

/* perf_event: a CPU-clock sampling event on opts->cpu, or on process opts->pid. */
static int on_sample(const struct rbpf_prog *p, const struct rbpf_attach_opts *o,
		     struct rbpf_link **out, char *what)
{
	int pid = o && o->pid > 0 ? o->pid : -1, cpu = o ? o->cpu : 0;

	snprintf(what, WHAT, "perf_event sampling %s %d", pid > 0 ? "pid" : "cpu",
		 pid > 0 ? pid : cpu);
	return rbpf_attach_perf_sample(p->fd, o ? o->freq : 0, pid, cpu, out);
}

/* The table: one row per kind that attaches; NULL for the kinds that do not. */
static const attach_fn attach_by_kind[] = {
	[RBPF_ATTACH_KPROBE] = on_kprobe,
	[RBPF_ATTACH_KRETPROBE] = on_kprobe,
	[RBPF_ATTACH_KSYSCALL] = on_kprobe,
	[RBPF_ATTACH_KRETSYSCALL] = on_kprobe,
	[RBPF_ATTACH_TRACEPOINT] = on_tracepoint,
	[RBPF_ATTACH_RAW_TP] = on_raw_tp,
	[RBPF_ATTACH_FENTRY] = on_raw_tp,
	[RBPF_ATTACH_FEXIT] = on_raw_tp,
	[RBPF_ATTACH_SOCKET] = on_net,
	[RBPF_ATTACH_XDP] = on_net,
	[RBPF_ATTACH_TC] = on_net,
	[RBPF_ATTACH_PERF_EVENT] = on_sample,
	[RBPF_ATTACH_UPROBE] = on_uprobe,
	[RBPF_ATTACH_URETPROBE] = on_uprobe,
	[RBPF_ATTACH_ITER] = on_iter,
	[RBPF_ATTACH_TP_BTF] = on_raw_tp,
	[RBPF_ATTACH_FMOD_RET] = on_raw_tp,
	[RBPF_ATTACH_LSM] = on_raw_tp,
	[RBPF_ATTACH_CGROUP] = on_cgroup,
	[RBPF_ATTACH_SOCKMAP] = on_sockmap,
	[RBPF_ATTACH_NETNS] = on_netns,
	[RBPF_ATTACH_UPROBE_MULTI] = on_uprobe_multi,
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
	const char *sc = traced_syscall(p);
	uint32_t i;

	if (!sc || p->kind < RBPF_ATTACH_KPROBE || p->kind > RBPF_ATTACH_KRETSYSCALL)
		return NULL;
	snprintf(tp, n, "syscalls/sys_%s_%s", is_ret(p) ? "exit" : "enter", sc);
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
	int r = on_tracepoint_at(twin->fd, tp, out, what);

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
	if (!p)
		return rbpf_error(EINVAL, "attach: no program (NULL)");
	if (p->fd < 0)
		return rbpf_error(EBADF, "attach: program %s (%s) is not loaded", p->name,
				  p->sec_name);
	if ((unsigned)p->kind >= NKINDS || !attach_by_kind[p->kind])
		return rbpf_error(EOPNOTSUPP, "its section names no attach point");
	r = attach_by_kind[p->kind](p, opts, out, what);
	if (r == -EOPNOTSUPP && !(opts && opts->no_twin) &&
	    (twin = find_twin(p, tp, sizeof(tp))))
		return attach_twin(twin, tp, out);
	if (r < 0)
		return r;
	(*out)->prog = p;
	memcpy((*out)->what, what, WHAT);
	return 0;
}
