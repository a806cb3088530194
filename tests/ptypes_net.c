/*
 * ptypes_net.c -- the socket-side program types of issue 16, in the real kernel
 * (tests/bpf/ptypes_net.bpf.c counts each program's runs): the translated code is
 * libbpf's; cgroup programs run for a child moved into a cgroup of the test's own
 * (rbpf_cg_PID under the cgroup2 mount found in mountinfo, removed after); sk_lookup,
 * flow_dissector, sockmap and reuseport programs run in a network namespace of the
 * test's own (unshare: nothing outside it sees them).
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "xlated.h"

#define OBJ "tests/bpf/ptypes_net.bpf.o"

enum { EGRESS, INGRESS, SOCK_CREATE, CONNECT4, SYSCTL, GETSOCKOPT, SOCKOPS, SK_LOOKUP_RUN,
       FLOW, MSG, VERDICT, PARSER, REUSEPORT };

static uint64_t count(struct rbpf_object *o, uint32_t slot)
{
	uint64_t v = 0;

	ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(o, "counts")), &slot,
				       &v, 0));
	return v;
}

/* A network namespace of this test's own, with lo up. */
static void own_netns(void)
{
	struct ifreq ifr = { 0 };
	int s;

	ASSERT_TRUE(unshare(CLONE_NEWNET) == 0, "unshare(CLONE_NEWNET): %s", strerror(errno));
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	ifr.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
	ASSERT_TRUE(ioctl(s, SIOCSIFFLAGS, &ifr) == 0, "lo up: %s", strerror(errno));
	close(s);
}

/* A TCP listener on 127.0.0.1 (port chosen by the kernel): its fd, *addr filled. */
static int listener(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT(0, bind(s, (struct sockaddr *)addr, sizeof(*addr)));
	ASSERT(0, listen(s, 8));
	ASSERT(0, getsockname(s, (struct sockaddr *)addr, &len));
	return s;
}

TEST(ptypes_net_same_xlated_as_libbpf)
{
	struct rbpf_object *o = test_open_load(OBJ);

	ASSERT(13, test_same_xlated_as_libbpf(test_path(OBJ), o, ""));
	rbpf_object_close(o);
}

/* What the child in the cgroup does: a socket, a connect, a send, a getsockopt,
 * a sysctl read. */
static void child_in_cgroup(int go, const struct sockaddr_in *addr)
{
	char c, buf[64];
	int s, v;
	socklen_t len = sizeof(v);

	if (read(go, &c, 1) != 1)
		_exit(1);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (const struct sockaddr *)addr, sizeof(*addr)) < 0 ||
	    send(s, "hi", 2, 0) != 2 || getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &len) < 0)
		_exit(2);
	v = open("/proc/sys/kernel/ostype", O_RDONLY);
	if (v < 0 || read(v, buf, sizeof(buf)) <= 0)
		_exit(3);
	_exit(0);
}

TEST(ptypes_cgroup_programs_run)
{
	static const char *const names[] = { "cg_egress", "cg_ingress", "cg_sock_create",
		"cg_connect4", "cg_sysctl", "cg_getsockopt", "sock_ops" };
	static const enum bpf_attach_type types[] = { BPF_CGROUP_INET_EGRESS,
		BPF_CGROUP_INET_INGRESS, BPF_CGROUP_INET_SOCK_CREATE, BPF_CGROUP_INET4_CONNECT,
		BPF_CGROUP_SYSCTL, BPF_CGROUP_GETSOCKOPT, BPF_CGROUP_SOCK_OPS };
	struct rbpf_object *o = test_open_load(OBJ);
	struct rbpf_link *l[7];
	struct sockaddr_in addr;
	char root[4096], cg[4200], procs[4300], pid[32];
	int go[2], st, i, lfd, fd;
	pid_t child;

	ASSERT(0, rbpf_cgroup2_mount(root, sizeof(root)));
	ASSERT_CONTAINS(test_slurp("/proc/self/mountinfo"), root);
	own_netns();
	lfd = listener(&addr);
	snprintf(cg, sizeof(cg), "%s/rbpf_cg_%d", root, getpid());
	ASSERT_TRUE(mkdir(cg, 0755) == 0, "mkdir %s: %s", cg, strerror(errno));
	for (i = 0; i < 7; i++)
		if (rbpf_attach_cgroup(test_prog_fd(o, names[i]), cg, types[i], &l[i]) < 0) {
			rmdir(cg);
			FAIL("attach %s: %s", names[i], rbpf_errmsg());
		}
	ASSERT(0, pipe(go));
	if ((child = fork()) == 0)
		child_in_cgroup(go[0], &addr);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", child);
	fd = open(procs, O_WRONLY);
	ASSERT_TRUE(fd >= 0 && write(fd, pid, strlen(pid)) > 0, "moving %d into %s: %s",
		    child, cg, strerror(errno));
	close(fd);
	ASSERT(1, write(go[1], "g", 1));
	ASSERT(child, waitpid(child, &st, 0));
	for (i = 0; i < 7; i++)
		ASSERT(0, rbpf_link_destroy(l[i]));
	for (i = 0; i < 50 && rmdir(cg) < 0 && errno == EBUSY; i++)
		usleep(20000);                 /* the exited child leaves it a moment later */
	ASSERT_TRUE(access(cg, F_OK) != 0, "%s is still there", cg);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
	for (i = EGRESS; i <= SOCKOPS; i++)
		ASSERT_TRUE(count(o, i) > 0, "%s never ran", names[i]);
	close(lfd);
	rbpf_object_close(o);
}

TEST(ptypes_netns_programs_run)
{
	struct rbpf_object *o = test_open_load(OBJ);
	struct rbpf_link *lk, *fl;
	struct sockaddr_in addr;
	uint8_t pkt[64] = { 0 };
	struct rbpf_test_run_args t = { .data_in = pkt, .data_size_in = sizeof(pkt) };
	int lfd, c;

	own_netns();
	ASSERT_OK(rbpf_attach_netns(test_prog_fd(o, "lookup"), NULL, BPF_SK_LOOKUP, &lk));
	ASSERT_OK(rbpf_attach_netns(test_prog_fd(o, "dissect"), NULL, BPF_FLOW_DISSECTOR, &fl));
	lfd = listener(&addr);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT(0, connect(c, (struct sockaddr *)&addr, sizeof(addr)));
	ASSERT_TRUE(count(o, SK_LOOKUP_RUN) > 0, "sk_lookup never ran");
	pkt[12] = 0x08;                                 /* ethertype IPv4 */
	pkt[14] = 0x45;
	ASSERT(0, rbpf_prog_test_run(test_prog_fd(o, "dissect"), &t));
	ASSERT_TRUE(count(o, FLOW) > 0, "flow_dissector never ran");
	rbpf_link_destroy(lk);
	rbpf_link_destroy(fl);
	close(c), close(lfd);
	rbpf_object_close(o);
}

TEST(ptypes_sockmap_programs_run)
{
	struct rbpf_object *o = test_open_load(OBJ);
	struct rbpf_link *m, *v, *p;
	struct sockaddr_in addr;
	int lfd, c, srv, map = rbpf_map_fd(rbpf_object_find_map(o, "socks"));
	uint32_t k0 = 0, k1 = 1;
	char buf[8];

	own_netns();
	ASSERT_OK(rbpf_attach_sockmap(test_prog_fd(o, "msg"), map, BPF_SK_MSG_VERDICT, &m));
	ASSERT_OK(rbpf_attach_sockmap(test_prog_fd(o, "parser"), map, BPF_SK_SKB_STREAM_PARSER, &p));
	ASSERT_OK(rbpf_attach_sockmap(test_prog_fd(o, "verdict"), map, BPF_SK_SKB_STREAM_VERDICT, &v));
	lfd = listener(&addr);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT(0, connect(c, (struct sockaddr *)&addr, sizeof(addr)));
	srv = accept(lfd, NULL, NULL);
	ASSERT_TRUE(srv >= 0, "accept: %s", strerror(errno));
	ASSERT(0, rbpf_map_update_elem(map, &k0, &c, BPF_ANY));
	ASSERT(0, rbpf_map_update_elem(map, &k1, &srv, BPF_ANY));
	ASSERT(4, send(c, "ping", 4, 0));
	ASSERT(4, recv(srv, buf, sizeof(buf), 0));      /* SK_PASS: delivered as usual */
	ASSERT_TRUE(count(o, MSG) > 0, "sk_msg never ran");
	ASSERT_TRUE(count(o, PARSER) > 0 && count(o, VERDICT) > 0, "sk_skb: parser %llu, "
		    "verdict %llu", (unsigned long long)count(o, PARSER),
		    (unsigned long long)count(o, VERDICT));
	ASSERT(0, rbpf_link_destroy(m));
	ASSERT(0, rbpf_link_destroy(p));
	ASSERT(0, rbpf_link_destroy(v));
	close(c), close(srv), close(lfd);
	rbpf_object_close(o);
}

/* sk_reuseport has no attach point a section can name: SO_ATTACH_REUSEPORT_EBPF on
 * one socket of the group, by hand. */
TEST(ptypes_reuseport_runs)
{
	struct rbpf_object *o = test_open_load(OBJ);
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	int s[2], c, one = 1, i, fd = 0;

	own_netns();
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < 2; i++) {
		s[i] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		ASSERT(0, setsockopt(s[i], SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)));
		ASSERT(0, bind(s[i], (struct sockaddr *)&addr, sizeof(addr)));
		if (i == 0)
			ASSERT(0, getsockname(s[0], (struct sockaddr *)&addr, &len));
	}
	fd = test_prog_fd(o, "reuse");
	ASSERT(0, setsockopt(s[0], SOL_SOCKET, SO_ATTACH_REUSEPORT_EBPF, &fd, sizeof(fd)));
	c = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT(2, sendto(c, "hi", 2, 0, (struct sockaddr *)&addr, sizeof(addr)));
	ASSERT_TRUE(count(o, REUSEPORT) > 0, "sk_reuseport never ran");
	close(c), close(s[0]), close(s[1]);
	rbpf_object_close(o);
}
