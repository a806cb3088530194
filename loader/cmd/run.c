/*
 * cmd/run.c -- `rawbpf run OBJ [--count N] [--timeout S] [--ifname IF] [--pid PID]
 * [--cgroup DIR]`: run any object and show what it says, without writing user space
 * first.
 *
 * 1. Open and load the object (programs the verifier rejects are reported; the
 *    others go on).
 * 2. Attach each program as its section says, with the library's one function
 *    (rbpf_prog_attach): kprobe/FN, kretprobe/FN, ksyscall/NAME, tracepoint/CAT/NAME,
 *    raw_tp/NAME, fentry/FN, fexit/FN, uprobe/BIN:FN (in --pid PID only, if given),
 *    iter/NAME (its text printed once), tp_btf/NAME, cgroup programs (on --cgroup
 *    DIR), sk_lookup and flow_dissector (this network namespace), sk_msg and sk_skb
 *    (the object's sockmap), perf_event (sampling on every CPU), syscall (run once;
 *    cmd/run_kinds.c).  xdp, tc (ingress, or egress for tc/egress)
 *    and socket programs attach to --ifname IF when given (a socket filter to a
 *    packet socket on IF, whose accepted packets are shown); otherwise they are
 *    loaded and listed as not attached.  One program that
 *    cannot attach (no kprobes on this kernel, say) does not stop the others; a
 *    kprobe whose tracepoint twin the library attached instead says so, and the twin
 *    is not attached a second time.
 * 3. Watch every event source the object has: each RINGBUF and PERF_EVENT_ARRAY map,
 *    and trace_pipe when a program calls bpf_trace_printk (trace_pipe takes one reader
 *    at a time, so it is opened only when needed; it is opened before step 2, to
 *    drop the lines earlier programs left in it).  Records are printed with their
 *    map's name, as hex and printable bytes.
 * 4. Stop at Ctrl-C, after N events or after S seconds; print what counting maps
 *    hold (cmd/run_maps.c); detach everything.
 */
#include <errno.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rawbpf.h"
#include "cmd.h"

#define MAX_ITEMS 64

struct run {
	const char *path, *ifname;
	int pid;                       /* --pid: uprobes and samplers in this process only */
	const char *cgroup;            /* --cgroup DIR: for cgroup programs */
	long count, seen;
	int timeout_s;
	struct rbpf_poll *poll;
	struct rbpf_link *links[MAX_ITEMS];
	int nlinks;
	struct rbpf_ringbuf *rings[MAX_ITEMS];
	struct rbpf_perfbuf *perfs[MAX_ITEMS];
	struct rbpf_tracepipe *tp;
	int nrings, nperfs, sock_fd, attached;
};

/* What a ring/perf buffer callback needs: the run and the map's name. */
struct source {
	struct run *run;
	const char *name;
};
static struct source sources[MAX_ITEMS];
static int nsources;

static int usage(void)
{
	fprintf(stderr, "usage: rawbpf run OBJ [--count N] [--timeout S] [--ifname IF] "
		"[--pid PID] [--cgroup DIR]\n");
	return 2;
}

static int parse_args(int argc, char **argv, struct run *r)
{
	char *end = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--count") && i + 1 < argc)
			r->count = strtol(argv[++i], &end, 10);
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			r->timeout_s = strtol(argv[++i], &end, 10);
		else if (!strcmp(argv[i], "--ifname") && i + 1 < argc)
			r->ifname = argv[++i];
		else if (!strcmp(argv[i], "--pid") && i + 1 < argc)
			r->pid = strtol(argv[++i], &end, 10);
		else if (!strcmp(argv[i], "--cgroup") && i + 1 < argc)
			r->cgroup = argv[++i];
		else if (argv[i][0] != '-' && !r->path)
			r->path = argv[i];
		else
			return -1;
		if (end && (end == argv[i] || *end))   /* "--timeout abc" is not 0 */
			return -1;
		end = NULL;
	}
	return r->path && r->count >= 0 && r->timeout_s >= 0 ? 0 : -1;
}

/* ------------------------------------------------------------------------ printing */

/* "  0000  68 65 6c 6c 6f 00 ...  |hello.|", 16 bytes a line. */
static void hexdump(const uint8_t *p, size_t n)
{
	size_t off, i;

	for (off = 0; off < n; off += 16) {
		printf("  %04zx ", off);
		for (i = off; i < off + 16; i++)
			i < n ? printf(" %02x", p[i]) : printf("   ");
		printf("  |");
		for (i = off; i < off + 16 && i < n; i++)
			putchar(p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.');
		printf("|\n");
	}
}

/* One more event; at the limit, ask the loop to stop and this batch to end. */
static int counted(struct run *r)
{
	r->seen++;
	if (r->count && r->seen >= r->count) {
		rbpf_poll_stop(r->poll);
		return 1;
	}
	return 0;
}

static int on_record(void *ctx, int cpu, const void *data, size_t size)
{
	struct source *s = ctx;

	if (cpu >= 0)
		printf("%s (cpu %d): %zu bytes\n", s->name, cpu, size);
	else
		printf("%s: %zu bytes\n", s->name, size);
	hexdump(data, size);
	return counted(s->run);
}

static void on_lost(void *ctx, int cpu, uint64_t lost)
{
	struct source *s = ctx;

	printf("%s (cpu %d): %llu records lost (the ring was full)\n", s->name, cpu,
	       (unsigned long long)lost);
}

static int on_trace(void *ctx, const struct rbpf_trace_line *t)
{
	if (t->pid >= 0)
		printf("trace_pipe: %s-%d [%03d] %.6f: %s\n", t->task, t->pid, t->cpu, t->ts,
		       t->msg);
	else
		printf("trace_pipe: %s\n", t->msg);
	return counted(ctx);
}

/* ------------------------------------------------------------------------ attaching */

/* A socket filter's target: a packet socket on ifname, which receives what it keeps. */
static int packet_socket(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));

	if (s < 0)
		return rbpf_error(errno, "run: packet socket: %s", strerror(errno));
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex || bind(s, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		close(s);
		return rbpf_error(ENODEV, "run: no interface %s", ifname);
	}
	return s;
}

/* Attach p as its section says (rbpf_prog_attach).  Returns 1 attached (*used links
 * in l), 0 not meant to be (reason in *why), or -1 (message kept). */
static int attach_one(struct run *r, const struct rbpf_prog *p, struct rbpf_link **l,
		      int *used, const char **why)
{
	struct rbpf_attach_opts o = { .ifname = r->ifname, .pid = r->pid,
				      .cgroup = r->cgroup };
	enum rbpf_attach_kind k = rbpf_prog_attach_kind(p);
	static char need[512];
	int e;

	if ((e = run_attach_more(p, &o, l, MAX_ITEMS - r->nlinks, used, need,
				 sizeof(need))) != -2)
		return *why = need, e;       /* perf_event on every CPU; syscall run once */
	*used = 1;
	if (rbpf_prog_attach_kind(p) == RBPF_ATTACH_SOCKET && r->ifname) {
		if (r->sock_fd < 0 && (r->sock_fd = packet_socket(r->ifname)) < 0)
			return -1;
		o.sock_fd = r->sock_fd;
	}
	e = rbpf_prog_attach(p, &o, l);
	if (e == -EDESTADDRREQ && (k == RBPF_ATTACH_XDP || k == RBPF_ATTACH_TC ||
				   k == RBPF_ATTACH_SOCKET))    /* no --ifname */
		snprintf(need, sizeof(need), "%s: give --ifname IF to attach it",
			 rbpf_attach_kind_name(k));
	else if (e == -EDESTADDRREQ && k == RBPF_ATTACH_CGROUP)
		snprintf(need, sizeof(need), "a cgroup program: give --cgroup DIR");
	else if (e == -EDESTADDRREQ || e == -EOPNOTSUPP)   /* the library says why */
		snprintf(need, sizeof(need), "%s", rbpf_errmsg());
	if (e == -EDESTADDRREQ || (e == -EOPNOTSUPP && k >= RBPF_ATTACH_UPROBE))
		return *why = need, 0;
	return e < 0 ? -1 : 1;
}

/* Is p the program of a link made already (as itself, or as another's twin)? */
static int runs_already(const struct run *r, const struct rbpf_prog *p)
{
	int i;

	for (i = 0; i < r->nlinks; i++)
		if (rbpf_link_prog(r->links[i]) == p)
			return 1;
	return 0;
}

/* fentry/fexit, which some kernels refuse to root with a bare EPERM. */
static int is_tracing(const struct rbpf_prog *p)
{
	enum rbpf_attach_kind k = rbpf_prog_attach_kind(p);

	return geteuid() == 0 && (k == RBPF_ATTACH_FENTRY || k == RBPF_ATTACH_FEXIT);
}

/* Attach every loaded program; print one line each.  Returns how many attached. */
static int attach_all(struct run *r, const struct rbpf_object *obj)
{
	const struct rbpf_prog *p = NULL;
	const char *why, *note;
	int a, used, i;

	while ((p = rbpf_object_next_prog(obj, p)) && r->nlinks < MAX_ITEMS) {
		if (rbpf_prog_fd(p) < 0) {
			printf("prog %-16s %-32s not loaded%s%s\n", rbpf_prog_name(p),
			       rbpf_prog_section(p), is_tracing(p) ? "; if the kernel said "
			       "EPERM: " : "", is_tracing(p) ? rbpf_tracing_eperm_hint() : "");
			continue;
		}
		if (runs_already(r, p)) {
			printf("prog %-16s %-32s attached (the twin of a kprobe above)\n",
			       rbpf_prog_name(p), rbpf_prog_section(p));
			continue;
		}
		why = "";
		a = attach_one(r, p, &r->links[r->nlinks], &used, &why);
		if (a > 0 && runs_already(r, rbpf_link_prog(r->links[r->nlinks]))) {
			rbpf_link_destroy(r->links[r->nlinks]);   /* its twin runs already */
			a = 0;
			why = "its tracepoint twin is attached already";
		}
		if (a > 0)
			for (note = rbpf_link_note(r->links[r->nlinks]), i = 0; i < used; i++)
				r->nlinks++;
		printf("prog %-16s %-32s %s%s%s\n", rbpf_prog_name(p), rbpf_prog_section(p),
		       a > 0 ? "attached" : "not attached: ", a > 0 ? (*note ? "; " : "") :
		       a == 0 ? why : rbpf_errmsg(), a > 0 ? note : "");
	}
	return r->nlinks;
}

/* --------------------------------------------------------------------- event sources */

/* Does any loaded program call bpf_trace_printk (6) or bpf_trace_vprintk (177)? */
static int uses_trace_printk(const struct rbpf_object *obj)
{
	const struct rbpf_prog *p = NULL;
	const struct bpf_insn *in;
	uint32_t n, i;

	while ((p = rbpf_object_next_prog(obj, p))) {
		if (rbpf_prog_fd(p) < 0)
			continue;
		in = rbpf_prog_insns(p, &n);
		for (i = 0; i < n; i++)
			if (in[i].code == (BPF_JMP | BPF_CALL) && in[i].src_reg == 0 &&
			    (in[i].imm == BPF_FUNC_trace_printk || in[i].imm == 177))
				return 1;
	}
	return 0;
}

static struct source *new_source(struct run *r, const char *name)
{
	struct source *s = &sources[nsources++];

	s->run = r;
	s->name = name;
	return s;
}

/* Open a consumer for each RINGBUF / PERF_EVENT_ARRAY map and trace_pipe if needed. */
static int open_sources(struct run *r, const struct rbpf_object *obj)
{
	const struct rbpf_map *m = NULL;
	int e = 0, n = 0;

	while ((m = rbpf_object_next_map(obj, m)) && nsources < MAX_ITEMS && e >= 0) {
		enum bpf_map_type t = rbpf_map_type(m);
		struct source *s;

		if (t != BPF_MAP_TYPE_RINGBUF && t != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			continue;
		s = new_source(r, rbpf_map_name(m));
		if (t == BPF_MAP_TYPE_RINGBUF) {
			e = rbpf_ringbuf_open(rbpf_map_fd(m), on_record, s, &r->rings[r->nrings]);
			if (e == 0)
				e = rbpf_poll_add_ringbuf(r->poll, r->rings[r->nrings++]);
		} else {
			e = rbpf_perfbuf_open(rbpf_map_fd(m), NULL, on_record, on_lost, s,
					      &r->perfs[r->nperfs]);
			if (e == 0)
				e = rbpf_poll_add_perfbuf(r->poll, r->perfs[r->nperfs++]);
		}
		printf("map  %-16s %s\n", rbpf_map_name(m), t == BPF_MAP_TYPE_RINGBUF ?
		       "ring buffer: watching" : "perf buffer: watching");
		n++;
	}
	if (e >= 0 && r->tp && (e = rbpf_poll_add_tracepipe(r->poll, r->tp, on_trace, r)) == 0)
		printf("trace_pipe: watching (bpf_trace_printk output)\n"), n++;
	return e < 0 ? e : n;
}

/* trace_pipe is opened before attaching, so that what waits in it from earlier
 * programs can be dropped: after attaching, our own lines would be among them. */
static void open_tracepipe(struct run *r, const struct rbpf_object *obj)
{
	if (!uses_trace_printk(obj))
		return;
	if (rbpf_tracepipe_open(&r->tp) < 0)
		printf("trace_pipe: not watching: %s\n", rbpf_errmsg());
	else
		rbpf_tracepipe_discard(r->tp);
}

/* Packets a socket filter kept: read them from the packet socket. */
static void drain_socket(struct run *r)
{
	uint8_t buf[2048];
	ssize_t n;

	while (r->sock_fd >= 0 && (n = recv(r->sock_fd, buf, sizeof(buf), 0)) > 0) {
		printf("socket %s: %zd bytes kept by the filter\n", r->ifname, n);
		hexdump(buf, (size_t)n > 64 ? 64 : (size_t)n);
		if (counted(r))
			break;
	}
}

/* ------------------------------------------------------------------------- the verb */

static void cleanup(struct run *r)
{
	int i;

	for (i = 0; i < r->nlinks; i++)
		rbpf_link_destroy(r->links[i]);
	rbpf_poll_free(r->poll);
	for (i = 0; i < r->nrings; i++)
		rbpf_ringbuf_close(r->rings[i]);
	for (i = 0; i < r->nperfs; i++)
		rbpf_perfbuf_close(r->perfs[i]);
	rbpf_tracepipe_close(r->tp);
	if (r->sock_fd >= 0)
		close(r->sock_fd);
}

/* Poll in slices of 100 ms when a socket filter's packets must be read too. */
static long watch(struct run *r)
{
	long left_ms = r->timeout_s ? r->timeout_s * 1000L : -1, got;
	int slice;

	if (r->sock_fd < 0)
		return rbpf_poll_run(r->poll, r->count, (int)left_ms);
	for (;;) {
		slice = left_ms < 0 || left_ms > 100 ? 100 : (int)left_ms;
		got = rbpf_poll_run(r->poll, r->count, slice);
		drain_socket(r);
		if (got < 0 || rbpf_poll_stopped_by(r->poll) != RBPF_POLL_TIMEOUT)
			return got;
		if (left_ms >= 0 && (left_ms -= slice) <= 0)
			return 0;
	}
}

int cmd_run(int argc, char **argv)
{
	struct run r = { .sock_fd = -1, .pid = 0 };
	struct rbpf_object *obj;
	int e, status = 0;

	if (parse_args(argc, argv, &r) < 0)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rbpf_object_open(r.path, &obj) < 0)
		return cmd_fail(1);
	if (rbpf_object_load(obj, 0) < 0) {
		fprintf(stderr, "rawbpf: %s\n", rbpf_errmsg());
		cmd_hint(obj);
	}
	if (rbpf_poll_new(&r.poll) < 0) {
		rbpf_object_close(obj);
		return cmd_fail(1);
	}
	open_tracepipe(&r, obj);
	if (attach_all(&r, obj) == 0) {
		fprintf(stderr, "rawbpf: nothing attached: no program of %s is running\n", r.path);
		cleanup(&r);
		rbpf_object_close(obj);
		return 1;
	}
	r.seen += run_print_iters(r.links, r.nlinks);   /* iterators: their text, once */
	e = open_sources(&r, obj);
	if (e < 0) {
		status = cmd_fail(1);
	} else {
		printf("running: Ctrl-C to stop%s\n", e == 0 && r.sock_fd < 0 ?
		       " (no ring/perf buffer, no bpf_trace_printk: nothing to show)" : "");
		if (watch(&r) < 0)
			status = cmd_fail(1);
		printf("%ld events\n", r.seen);
		run_print_maps(obj);            /* counters left in maps (cmd/run_maps.c) */
	}
	cleanup(&r);
	rbpf_object_close(obj);
	printf("detached\n");
	return status;
}
