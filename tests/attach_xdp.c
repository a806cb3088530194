/*
 * attach_xdp.c -- XDP on a veth pair, in a network namespace of the test's own.
 *
 * The test process unshare()s a fresh network namespace (it vanishes, veths and all,
 * when the test process exits), creates veth0 <-> veth1 with ip(8), attaches an XDP
 * program to veth1 as a BPF link, and sends a hand-made UDP frame out of veth0 with a
 * packet socket: it arrives on veth1, where the program records its destination
 * port.  After rbpf_link_destroy the link must be gone from the kernel and the next
 * frame unseen.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "common.h"

struct seen { uint32_t dport; uint32_t pad; uint64_t count; };

/*
 *     if (data + 38 > data_end) return PASS;
 *     if (eth->h_proto != htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP) return PASS;
 *     seen.dport = udp->dest;  seen.count++;       (IPv4 header without options)
 *     return PASS;
 *
 * As XDP (ctx struct xdp_md, PASS = XDP_PASS) or tc (ctx struct __sk_buff, PASS =
 * TC_ACT_OK, 0): the same code, other context offsets.
 */
static int load_port_prog(enum bpf_prog_type type, int map_fd)
{
	int tc = type == BPF_PROG_TYPE_SCHED_CLS;
	int data = tc ? offsetof(struct __sk_buff, data) : offsetof(struct xdp_md, data);
	int end = tc ? offsetof(struct __sk_buff, data_end) : offsetof(struct xdp_md, data_end);
	struct bpf_insn insns[] = {
		BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_1, data),
		BPF_LDX_MEM(BPF_W, BPF_REG_3, BPF_REG_1, end),
		BPF_MOV64_REG(BPF_REG_4, BPF_REG_2),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_4, 38),
		BPF_JMP_REG(BPF_JGT, BPF_REG_4, BPF_REG_3, 10),     /* too short: pass */
		BPF_LDX_MEM(BPF_H, BPF_REG_5, BPF_REG_2, 12),       /* h_proto (big endian) */
		BPF_JMP_IMM(BPF_JNE, BPF_REG_5, 0x0008, 8),         /* htons(0x0800) */
		BPF_LDX_MEM(BPF_B, BPF_REG_5, BPF_REG_2, 14 + 9),   /* ip->protocol */
		BPF_JMP_IMM(BPF_JNE, BPF_REG_5, 17, 6),
		BPF_LDX_MEM(BPF_H, BPF_REG_5, BPF_REG_2, 14 + 20 + 2), /* udp->dest */
		BPF_LD_MAP_VALUE(BPF_REG_7, map_fd, 0),
		BPF_STX_MEM(BPF_W, BPF_REG_7, BPF_REG_5, 0),
		BPF_MOV64_IMM(BPF_REG_1, 1),
		BPF_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_7, BPF_REG_1, 8),
		BPF_MOV64_IMM(BPF_REG_0, tc ? 0 : XDP_PASS),        /* pass: */
		BPF_EXIT_INSN(),
	};

	return TEST_LOAD(type, "t_port", insns);
}

/* An Ethernet + IPv4 + UDP frame to port dport, out of ifname. */
static void send_udp_frame(const char *ifname, uint16_t dport)
{
	uint8_t f[64] = {0};
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
	int s = socket(AF_PACKET, SOCK_RAW, 0);

	ASSERT_TRUE(s >= 0, "AF_PACKET socket: %s", strerror(errno));
	memset(f, 0xff, 6);                              /* broadcast destination */
	f[6] = 0x02;                                     /* a local source MAC */
	f[12] = 0x08;                                    /* ETH_P_IP */
	f[14] = 0x45;                                    /* IPv4, 5-word header */
	f[14 + 3] = 64 - 14;                             /* total length */
	f[14 + 8] = 64;                                  /* ttl */
	f[14 + 9] = 17;                                  /* UDP */
	memcpy(f + 14 + 12, "\x0a\x09\x00\x01\x0a\x09\x00\x02", 8); /* 10.9.0.1 -> .2 */
	f[34] = 0x30; f[35] = 0x39;                      /* source port 12345 */
	f[36] = (uint8_t)(dport >> 8); f[37] = (uint8_t)dport;
	f[39] = 64 - 34;                                 /* UDP length */
	to.sll_ifindex = (int)if_nametoindex(ifname);
	memcpy(to.sll_addr, f, 6);
	ASSERT((long)sizeof(f), sendto(s, f, sizeof(f), 0, (struct sockaddr *)&to, sizeof(to)));
	close(s);
}

static uint64_t wait_count(int map, uint64_t want, struct seen *v)
{
	uint32_t zero = 0;
	int i;

	for (i = 0; i < 100; i++) {
		ASSERT(0, rbpf_map_lookup_elem(map, &zero, v, 0));
		if (v->count >= want)
			break;
		usleep(10000);
	}
	return v->count;
}

/* The kernel brings a device's queue to life (and its operstate to "up", which
 * SIOCGIFFLAGS shows as IFF_RUNNING) in its link watch work, up to a second after `ip
 * link set up`, later on a loaded machine; a frame sent before that is dropped.  So
 * wait for it, 10 s at most.  (Not /sys/class/net: this process's sysfs shows the
 * devices of the namespace that mounted it, not of ours.) */
static void wait_up(const char *ifname)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), i;

	ASSERT_TRUE(s >= 0, "socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	for (i = 0; i < 1000; i++) {
		ASSERT_TRUE(ioctl(s, SIOCGIFFLAGS, &ifr) == 0, "SIOCGIFFLAGS %s: %s", ifname,
			    strerror(errno));
		if (ifr.ifr_flags & IFF_RUNNING)
			break;
		usleep(10000);
	}
	close(s);
	ASSERT_TRUE(i < 1000, "%s not running 10 s after ip link set up", ifname);
	usleep(20000);          /* the queue is activated right after operstate is set */
}

/* veth0 <-> veth1, both up, in a network namespace of this test process's own. */
static void make_veth_pair(void)
{
	char *o;
	int st;

	NEED_ROOT();
	NEED_CMD("ip");
	ASSERT_TRUE(unshare(CLONE_NEWNET) == 0, "unshare(CLONE_NEWNET): %s", strerror(errno));
	o = test_run_cmd(&st, "ip link add veth0 type veth peer name veth1 && "
			 "ip link set veth0 up && ip link set veth1 up");
	ASSERT_TRUE(st == 0, "creating the veth pair: %s", o);
	free(o);
	wait_up("veth0");
	wait_up("veth1");
}

TEST(attach_xdp_veth_sees_packet)
{
	struct bpf_link_info info;
	uint32_t len = sizeof(info);
	struct rbpf_link *l;
	struct seen v;
	char *out;
	int st, map, prog, r;

	make_veth_pair();
	map = test_map_create(BPF_MAP_TYPE_ARRAY, "t_xdpseen", 4, sizeof(struct seen), 1);
	prog = load_port_prog(BPF_PROG_TYPE_XDP, map);
	ASSERT(-ENODEV, rbpf_attach_xdp(prog, "nosuchif0", 0, &l));
	ASSERT_CONTAINS(rbpf_errmsg(), "nosuchif0");
	r = rbpf_attach_xdp(prog, "veth1", 0, &l);
	if (r == -EOPNOTSUPP)
		r = rbpf_attach_xdp(prog, "veth1", XDP_FLAGS_SKB_MODE, &l);
	ASSERT_OK(r);
	out = test_run_cmd(&st, "ip link show veth1");
	ASSERT_CONTAINS(out, "xdp");
	free(out);
	send_udp_frame("veth0", 4242);
	ASSERT(1, wait_count(map, 1, &v));
	ASSERT(4242, ntohs((uint16_t)v.dport));
	memset(&info, 0, sizeof(info));
	ASSERT(0, rbpf_obj_get_info_by_fd(rbpf_link_fd(l), &info, &len));
	ASSERT(if_nametoindex("veth1"), info.xdp.ifindex);
	ASSERT(0, rbpf_link_destroy(l));
	ASSERT(-ENOENT, rbpf_link_get_fd_by_id(info.id));   /* the link is gone */
	out = test_run_cmd(&st, "ip link show veth1");
	ASSERT_TRUE(!strstr(out, "xdp"), "still attached: %s", out);
	free(out);
	send_udp_frame("veth0", 4343);
	usleep(50000);
	ASSERT(1, wait_count(map, 2, &v));
	ASSERT(4242, ntohs((uint16_t)v.dport));
}

/* tc ingress on veth1 as a tcx link: sees the frame sent from veth0; gone after. */
TEST(attach_tc_veth_sees_packet)
{
	struct bpf_link_info info;
	uint32_t len = sizeof(info);
	struct rbpf_link *l;
	struct seen v;
	int map, prog, r;

	make_veth_pair();
	map = test_map_create(BPF_MAP_TYPE_ARRAY, "t_tcseen", 4, sizeof(struct seen), 1);
	prog = load_port_prog(BPF_PROG_TYPE_SCHED_CLS, map);
	ASSERT(-ENODEV, rbpf_attach_tc(prog, "nosuchif0", 0, &l));
	ASSERT_CONTAINS(rbpf_errmsg(), "nosuchif0");
	r = rbpf_attach_tc(prog, "veth1", 0, &l);
	if (r == -EINVAL) {
		ASSERT_CONTAINS(rbpf_errmsg(), "6.6");
		SKIP("no tcx links before Linux 6.6 (explained)");
	}
	ASSERT_OK(r);
	send_udp_frame("veth0", 4242);
	ASSERT(1, wait_count(map, 1, &v));
	ASSERT(4242, ntohs((uint16_t)v.dport));
	memset(&info, 0, sizeof(info));
	ASSERT(0, rbpf_obj_get_info_by_fd(rbpf_link_fd(l), &info, &len));
	ASSERT(0, rbpf_link_destroy(l));
	ASSERT(-ENOENT, rbpf_link_get_fd_by_id(info.id));
	send_udp_frame("veth0", 4343);
	usleep(50000);
	ASSERT(1, wait_count(map, 2, &v));
}

/* `rawbpf run OBJ --ifname veth1`: the XDP program and the socket filter attach to
 * veth1; a frame sent from veth0 shows up as a ring buffer record (its port) and as
 * a packet the filter kept. */
TEST(attach_run_ifname_xdp_and_socket)
{
	char out[64];
	const char *text;
	pid_t run;
	int st;

	test_timeout(60);
	make_veth_pair();
	snprintf(out, sizeof(out), "/tmp/rbpf_runnet_%d.out", getpid());
	run = test_start_rawbpf(out, (const char *[]){ "run",
				test_path("tests/bpf/attach_run_net.bpf.o"), "--ifname", "veth1",
				"--timeout", "2", NULL });
	ASSERT_CONTAINS(test_slurp(out), "running:");
	send_udp_frame("veth0", 4242);
	ASSERT(run, waitpid(run, &st, 0));
	text = test_slurp(out);
	unlink(out);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d:\n%s", st, text);
	ASSERT_CONTAINS(text, "xdp_ports        xdp                              attached");
	ASSERT_CONTAINS(text, "keep_all         socket                           attached");
	ASSERT_CONTAINS(text, "10 92 72 61 77 62 70 66 2d 78 64 70");   /* 4242, "rawbpf-xdp" */
	ASSERT_CONTAINS(text, "socket veth1: 64 bytes kept by the filter");
	if (strstr(text, "tc_ports         tc                               attached"))
		ASSERT_CONTAINS(text, "10 92 72 61 77 62 70 66 2d 74 63 2d");  /* "rawbpf-tc-" */
	else
		ASSERT_CONTAINS(text, "tcx links need Linux 6.6");
}
