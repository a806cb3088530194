/*
 * packets.c -- the user side of lesson 11: a wire of our own, an XDP program at one
 * end counting what arrives (and dropping one kind), a tc program counting what
 * leaves, and traffic to watch.
 *
 * Concept:     unshare(CLONE_NEWNET) gives this process a network namespace of its own
 *              (no interface but lo, nothing shared with the machine's); a child does
 *              the same for a second one, the peer.  A veth pair is two interfaces
 *              joined by a wire: veth1 stays here (10.11.0.2), veth0 goes to the peer
 *              (10.11.0.1).  count_packets runs on every frame veth1 receives (XDP:
 *              native when the driver runs it, generic when the kernel does, after
 *              building an sk_buff), count_egress on every frame it sends (tc egress).
 *              The peer pings us and sends UDP datagrams; we print the counts each
 *              second and the datagrams that arrive.  When we exit, both namespaces,
 *              and the veth pair in them, go with us: nothing is left behind.
 * Prog type:   BPF_PROG_TYPE_XDP on veth1, BPF_PROG_TYPE_SCHED_CLS on veth1 egress.
 * Kernel:      5.9+ for XDP links; 6.6+ for the tc egress count (tcx links): older
 *              kernels run the XDP half and say why the other is missing.
 * Prints:      the setup, then a line per second and the totals:
 *                  in (xdp):  arp 1  icmp 3  udp 3      dropped: icmp 3
 * Privilege:   root (CAP_SYS_ADMIN for the namespaces, CAP_NET_ADMIN for the link).
 *              Needs ip(8) (iproute2) and ping(8).
 *
 * Usage: packets [--drop none|arp|icmp|tcp|udp|ipv6] [--generic] [--pings N]
 */
#include <sched.h>
#include <stdarg.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "lesson.h"

enum { NKINDS = 6 };    /* as in packets.bpf.c: other, arp, icmp, tcp, udp, ipv6 */
static const char *const kinds[NKINDS] = { "other", "arp", "icmp", "tcp", "udp", "ipv6" };

static struct {
	uint32_t drop;           /* a kind, or NKINDS for none */
	int generic, pings;
} opt = { 2, 0, 3 };     /* drop icmp, native XDP if the driver has it, 3 pings */

/* Run a shell command (ip, ping), printed first as a learner would type it. */
static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	printf("  # %s\n", cmd);
	return system(cmd);
}

/* Write VALUE to the sysctl file PATH, if it is there. */
static void set_sysctl(const char *path, const char *value)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(value, f);
		fclose(f);
	}
}

/* IPv6 off in the current namespace: its neighbour discovery would add frames of its
 * own to the counts.  (/proc/sys/net is the namespace's own.) */
static void no_ipv6(void)
{
	set_sysctl("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1\n");
}

/* No second ARP on DEV: an address learnt from the other side's ARP request is
 * "stale", and 5 s after its first use (a slow run: under valgrind, or in the lab VM)
 * the kernel would ask again, one more ARP each way. */
static void one_arp(const char *dev)
{
	char path[96];

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/neigh/%s/delay_first_probe_time", dev);
	set_sysctl(path, "600\n");
}

/* ------------------------------------------------------------------- the peer */

/* In the child: a namespace of its own, then (once veth0 is here) the traffic. */
static void peer(int ready, int go)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(7777) };
	char msg[32], c;
	int s, i;

	if (unshare(CLONE_NEWNET) < 0)
		_exit(1);
	no_ipv6();
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
		_exit(1);
	if (sh("ip link set lo up && ip addr add 10.11.0.1/24 dev veth0 && ip link set veth0 up"))
		_exit(1);
	one_arp("veth0");
	i = sh("ping -c %d -W 1 10.11.0.2 >/dev/null 2>&1", opt.pings);
	printf("peer: %d pings to 10.11.0.2: %s\n", opt.pings,
	       i == 0 ? "answered" : "no answer");
	inet_pton(AF_INET, "10.11.0.2", &to.sin_addr);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	for (i = 1; s >= 0 && i <= 3; i++) {
		snprintf(msg, sizeof(msg), "hello %d", i);
		sendto(s, msg, strlen(msg), 0, (struct sockaddr *)&to, sizeof(to));
	}
	printf("peer: sent 3 UDP datagrams to 10.11.0.2:7777\n");
	_exit(0);
}

/* ---------------------------------------------------------------- our side */

/* Make the wire: veth0 <-> veth1, veth0 moved into the peer's namespace. */
static int make_wire(pid_t peer_pid)
{
	printf("veth pair: veth1 here (10.11.0.2), veth0 in the peer's namespace (10.11.0.1)\n");
	if (sh("ip link set lo up && ip link add veth1 type veth peer name veth0 && "
	       "ip link set veth0 netns %d && ip addr add 10.11.0.2/24 dev veth1 && "
	       "ip link set veth1 up", (int)peer_pid))
		return -1;
	one_arp("veth1");
	return 0;
}

/* The sum over CPUs of each kind's counter in map `name`. */
static void totals(struct rbpf_object *obj, const char *name, uint64_t *sum)
{
	int ncpu = rbpf_num_possible_cpus(), fd = rbpf_map_fd(rbpf_object_find_map(obj, name));
	uint64_t v[ncpu > 0 ? ncpu : 1];

	for (uint32_t k = 0; k < NKINDS; k++) {
		sum[k] = 0;
		memset(v, 0, sizeof(v));
		if (rbpf_map_lookup_elem(fd, &k, v, 0) == 0)
			for (int c = 0; c < ncpu; c++)
				sum[k] += v[c];
	}
}

/* "arp 1  icmp 3  udp 3": the kinds seen in map `name`, or "nothing". */
static void print_counts(struct rbpf_object *obj, const char *label, const char *name)
{
	uint64_t sum[NKINDS];
	int any = 0;

	totals(obj, name, sum);
	printf("%s", label);
	for (int k = 0; k < NKINDS; k++)
		if (sum[k]) {
			printf("%s%s %llu", any++ ? "  " : "", kinds[k], (unsigned long long)sum[k]);
		}
	printf("%s\n", any ? "" : "nothing");
}

/* count_packets on veth1: native XDP unless --generic; generic if the driver refuses. */
static int attach_xdp(struct rbpf_object *obj, struct rbpf_link **l)
{
	int fd = lesson_fd(obj, "count_packets"), r = -EOPNOTSUPP;

	if (!opt.generic)
		r = rbpf_attach_xdp(fd, "veth1", XDP_FLAGS_DRV_MODE, l);
	if (r == 0) {
		printf("xdp: count_packets on veth1, native: the veth driver runs it on each "
		       "frame, before any sk_buff\n");
		return 0;
	}
	if (!opt.generic)
		printf("xdp: native refused (%s): %s\n", rbpf_errno_name(r), rbpf_errmsg());
	r = rbpf_attach_xdp(fd, "veth1", XDP_FLAGS_SKB_MODE, l);
	if (r == 0)
		printf("xdp: count_packets on veth1, generic: the kernel runs it after the driver "
		       "has built the sk_buff\n");
	return r;
}

static int attach_tc(struct rbpf_object *obj, struct rbpf_link **l)
{
	int r = rbpf_attach_tc(lesson_fd(obj, "count_egress"), "veth1", 1, l);

	if (r == 0)
		printf("tc: count_egress on veth1, egress: each frame veth1 sends\n");
	else if (r == -EINVAL)           /* before 6.6 (no tcx): go on without it */
		printf("tc: no egress count on this kernel (tcx links need Linux 6.6+)\n");
	return r == -EINVAL ? 0 : r;
}

/* Before load: the kind to drop goes into .rodata (drop_kind). */
static int configure(struct rbpf_object *obj)
{
	struct rbpf_map *rodata = rbpf_object_find_map(obj, ".rodata");
	size_t size = 0;
	void *v = rodata ? rbpf_map_initial_value(rodata, &size) : NULL;

	if (!v || size < sizeof(opt.drop))
		return rbpf_error(ENOENT, "packets.bpf.o: no .rodata for drop_kind");
	memcpy(v, &opt.drop, sizeof(opt.drop));
	return 0;
}

/* Watch: a line a second and each datagram, until the peer is done (and 1 s more). */
static void watch(struct rbpf_object *obj, int udp, pid_t peer_pid, int have_tc)
{
	double start = lesson_now(), tick = start + 1, end = 0;
	char buf[64], label[32];
	ssize_t n;

	while (!lesson_stop && (end == 0 || lesson_now() < end) && lesson_now() < start + 30) {
		usleep(50 * 1000);
		while ((n = recv(udp, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
			buf[n] = 0;
			printf("udp 7777: \"%s\"\n", buf);
		}
		if (end == 0 && waitpid(peer_pid, NULL, WNOHANG) == peer_pid)
			end = lesson_now() + 0.5;
		if (lesson_now() >= tick) {      /* live: what has arrived so far */
			snprintf(label, sizeof(label), "after %.0f s, in: ", tick - start);
			print_counts(obj, label, "in");
			tick += 1;
		}
	}
	print_counts(obj, "total in (xdp):  ", "in");
	if (have_tc)
		print_counts(obj, "total out (tc):  ", "out");
	else
		printf("total out (tc):  not counted before Linux 6.6\n");
	print_counts(obj, "dropped:         ", "dropped");
}

/* --drop KIND, --generic, --pings N (lesson_args's extra options). */
static int extra(int argc, char **argv, int i)
{
	if (!strcmp(argv[i], "--generic"))
		return opt.generic = 1;
	if (!strcmp(argv[i], "--pings") && i + 1 < argc && (opt.pings = atoi(argv[i + 1])) > 0)
		return 2;
	if (strcmp(argv[i], "--drop") || i + 1 >= argc)
		return 0;
	for (opt.drop = 0; opt.drop < NKINDS && strcmp(kinds[opt.drop], argv[i + 1]); opt.drop++)
		;
	return opt.drop < NKINDS || !strcmp(argv[i + 1], "none") ? 2 : 0;
}

/* Our side of the wire: a UDP socket on 10.11.0.2:7777, for the peer's datagrams. */
static int udp_listen(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7777) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, "10.11.0.2", &a.sin_addr);
	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(s);
		return -1;
	}
	return s;
}

int main(int argc, char **argv)
{
	struct rbpf_link *xdp = NULL, *tc = NULL;
	struct rbpf_object *obj = NULL;
	struct lesson_opts o;
	int ready[2], go[2], udp = -1, err = 1;
	pid_t pid;
	char c;

	if (lesson_args(argc, argv, &o, "packets [--drop none|arp|icmp|tcp|udp|ipv6] "
			"[--generic] [--pings N]", extra))
		return 2;
	if (unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "packets: unshare(CLONE_NEWNET): %s (root needed)\n", strerror(errno));
		return 1;
	}
	printf("network namespace: a new one, this process's own (unshare(CLONE_NEWNET))\n");
	no_ipv6();
	if (pipe(ready) < 0 || pipe(go) < 0 || (pid = fork()) < 0)
		return 1;
	if (pid == 0)
		peer(ready[1], go[0]);
	if (read(ready[0], &c, 1) != 1 || make_wire(pid) != 0)
		goto out;
	obj = lesson_open(argv[0], "packets");
	if (!obj)
		goto out;
	if (lesson_load(obj, "packets", configure) < 0) {
		obj = NULL;              /* lesson_fail closed it */
		goto out;
	}
	printf("dropping: %s\n", opt.drop < NKINDS ? kinds[opt.drop] : "nothing");
	if (attach_xdp(obj, &xdp) < 0 || attach_tc(obj, &tc) < 0 || (udp = udp_listen()) < 0) {
		fprintf(stderr, "packets: %s\n", udp < 0 && xdp ? strerror(errno) : rbpf_errmsg());
		goto out;
	}
	if (write(go[1], "g", 1) != 1)
		goto out;
	watch(obj, udp, pid, tc != NULL);
	err = 0;
out:
	kill(pid, SIGKILL);              /* a no-op when the peer is done */
	waitpid(pid, NULL, 0);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	if (udp >= 0)
		close(udp);
	rbpf_link_destroy(tc);
	rbpf_link_destroy(xdp);
	rbpf_object_close(obj);
	printf("%s\n", err ? "failed" : "detached; the namespaces and the veth pair go with us");
	return err;
}
