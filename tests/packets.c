/*
 * packets.c -- lesson 11 end to end: progs/packets makes its own two namespaces and
 * veth pair, attaches count_packets (XDP) and count_egress (tc egress) to veth1, and
 * the peer's pings and datagrams are counted, dropped or passed as asked.  Nothing is
 * left on the machine: the namespaces are the process's own (the guard checks).
 */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"

static char *run_packets(const char *args)
{
	char *out;
	int st;

	NEED_ROOT();
	NEED_CMD("ip");
	NEED_CMD("ping");
	out = test_run_cmd(&st, "timeout 60 %s %s", test_path("progs/packets"), args);
	ASSERT_TRUE(st == 0, "packets %s exited %d:\n%s", args, st, out);
	return out;
}

/* Dropping ICMP: the echo requests are counted and dropped, none answered, UDP passes. */
TEST(packets_drop_icmp)
{
	char *out = run_packets("--drop icmp");

	ASSERT_CONTAINS(out, "dropping: icmp");
	ASSERT_CONTAINS(out, "peer: 3 pings to 10.11.0.2: no answer");
	ASSERT_CONTAINS(out, "udp 7777: \"hello 3\"");
	ASSERT_CONTAINS(out, "total in (xdp):  arp 1  icmp 3  udp 3");
	ASSERT_CONTAINS(out, "dropped:         icmp 3");
	if (!strstr(out, "not counted before Linux 6.6"))
		ASSERT_CONTAINS(out, "total out (tc):  arp 1\n");   /* no replies left */
	free(out);
}

/* Nothing dropped, generic XDP: the same frames, and the replies leave. */
TEST(packets_pass_all_generic)
{
	char *out = run_packets("--drop none --generic --pings 2");

	ASSERT_CONTAINS(out, "xdp: count_packets on veth1, generic:");
	ASSERT_CONTAINS(out, "peer: 2 pings to 10.11.0.2: answered");
	ASSERT_CONTAINS(out, "total in (xdp):  arp 1  icmp 2  udp 3");
	ASSERT_CONTAINS(out, "dropped:         nothing");
	if (!strstr(out, "not counted before Linux 6.6"))
		ASSERT_CONTAINS(out, "total out (tc):  arp 1  icmp 2\n");
	free(out);
}

/* A run longer than the kernel's 5 s before it checks an address again (8 pings, a
 * second apart): still one ARP each way, so a slow run (valgrind, the lab VM) counts
 * what a quick one does. */
TEST(packets_long_run_one_arp)
{
	char *out;

	test_timeout(90);
	out = run_packets("--drop none --pings 8");
	ASSERT_CONTAINS(out, "peer: 8 pings to 10.11.0.2: answered");
	ASSERT_CONTAINS(out, "total in (xdp):  arp 1  icmp 8  udp 3");
	if (!strstr(out, "not counted before Linux 6.6"))
		ASSERT_CONTAINS(out, "total out (tc):  arp 1  icmp 8\n");
	free(out);
}

/* A kind it does not know is refused with the usage line. */
TEST(packets_usage)
{
	char *out;
	int st;

	out = test_run_cmd(&st, "%s --drop smtp", test_path("progs/packets"));
	ASSERT_TRUE(WEXITSTATUS(st) == 2 || st == 2, "exit %d", st);
	ASSERT_CONTAINS(out, "usage: packets [--drop none|arp|icmp|tcp|udp|ipv6]");
	free(out);
}
