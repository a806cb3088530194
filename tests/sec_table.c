/*
 * sec_table.c -- section names mean what they mean to libbpf 1.x.
 *
 * The rows below are written from the table of Documentation/bpf/libbpf/
 * program_types.rst (program type, expected attach type, sleepable), one per name,
 * with a target where the name takes one; rbpf_section_info must agree with each.
 * Then the edges: an empty target ("raw_tp/") is accepted, an unknown name is an
 * error listing the known ones, and the names rawbpf knows but refuses say why.
 */
#include "common.h"

static const struct want {
	const char *sec;
	enum bpf_prog_type type;
	enum bpf_attach_type expected;
	int sleepable;
	const char *target;
} want[] = {
	{ "cgroup/dev", BPF_PROG_TYPE_CGROUP_DEVICE, BPF_CGROUP_DEVICE, 0, "" },
	{ "cgroup/skb", BPF_PROG_TYPE_CGROUP_SKB, 0, 0, "" },
	{ "cgroup_skb/egress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS, 0, "" },
	{ "cgroup_skb/ingress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, 0, "" },
	{ "cgroup/getsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, 0, "" },
	{ "cgroup/setsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, 0, "" },
	{ "cgroup/bind4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, 0, "" },
	{ "cgroup/connect4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, 0, "" },
	{ "cgroup/getpeername4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME, 0, "" },
	{ "cgroup/getsockname4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME, 0, "" },
	{ "cgroup/bind6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, 0, "" },
	{ "cgroup/connect6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, 0, "" },
	{ "cgroup/getpeername6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME, 0, "" },
	{ "cgroup/getsockname6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME, 0, "" },
	{ "cgroup/recvmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG, 0, "" },
	{ "cgroup/sendmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, 0, "" },
	{ "cgroup/recvmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG, 0, "" },
	{ "cgroup/sendmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, 0, "" },
	{ "cgroup/post_bind4", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, 0, "" },
	{ "cgroup/post_bind6", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, 0, "" },
	{ "cgroup/sock_create", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, 0, "" },
	{ "cgroup/sock", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, 0, "" },
	{ "cgroup/sock_release", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE, 0, "" },
	{ "cgroup/sysctl", BPF_PROG_TYPE_CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, 0, "" },
	{ "freplace/handler", BPF_PROG_TYPE_EXT, 0, 0, "handler" },
	{ "flow_dissector", BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, 0, "" },
	{ "kprobe/do_sys_open", BPF_PROG_TYPE_KPROBE, 0, 0, "do_sys_open" },
	{ "kprobe", BPF_PROG_TYPE_KPROBE, 0, 0, "" },
	{ "kretprobe/do_sys_open", BPF_PROG_TYPE_KPROBE, 0, 0, "do_sys_open" },
	{ "ksyscall/execve", BPF_PROG_TYPE_KPROBE, 0, 0, "execve" },
	{ "kretsyscall/execve", BPF_PROG_TYPE_KPROBE, 0, 0, "execve" },
	{ "uprobe/libc.so.6:malloc", BPF_PROG_TYPE_KPROBE, 0, 0, "libc.so.6:malloc" },
	{ "uprobe.s/libc.so.6:malloc", BPF_PROG_TYPE_KPROBE, 0, 1, "libc.so.6:malloc" },
	{ "uretprobe/libc.so.6:malloc", BPF_PROG_TYPE_KPROBE, 0, 0, "libc.so.6:malloc" },
	{ "uretprobe.s/libc.so.6:malloc", BPF_PROG_TYPE_KPROBE, 0, 1, "libc.so.6:malloc" },
	{ "kprobe.multi/vfs_*", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, 0, "vfs_*" },
	{ "kretprobe.multi/vfs_*", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, 0, "vfs_*" },
	{ "lirc_mode2", BPF_PROG_TYPE_LIRC_MODE2, BPF_LIRC_MODE2, 0, "" },
	{ "lsm_cgroup/socket_bind", BPF_PROG_TYPE_LSM, BPF_LSM_CGROUP, 0, "socket_bind" },
	{ "lsm/file_open", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, 0, "file_open" },
	{ "lsm.s/file_open", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, 1, "file_open" },
	{ "lwt_in", BPF_PROG_TYPE_LWT_IN, 0, 0, "" },
	{ "lwt_out", BPF_PROG_TYPE_LWT_OUT, 0, 0, "" },
	{ "lwt_seg6local", BPF_PROG_TYPE_LWT_SEG6LOCAL, 0, 0, "" },
	{ "lwt_xmit", BPF_PROG_TYPE_LWT_XMIT, 0, 0, "" },
	{ "perf_event", BPF_PROG_TYPE_PERF_EVENT, 0, 0, "" },
	{ "raw_tp.w/sched_switch", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, 0, "sched_switch" },
	{ "raw_tracepoint.w/sched_switch", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, 0, "sched_switch" },
	{ "raw_tp/sched_switch", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, "sched_switch" },
	{ "raw_tracepoint/sched_switch", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, "sched_switch" },
	{ "raw_tp/", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, "" },
	{ "action", BPF_PROG_TYPE_SCHED_ACT, 0, 0, "" },
	{ "classifier", BPF_PROG_TYPE_SCHED_CLS, 0, 0, "" },
	{ "tc", BPF_PROG_TYPE_SCHED_CLS, 0, 0, "" },
	{ "sk_lookup", BPF_PROG_TYPE_SK_LOOKUP, BPF_SK_LOOKUP, 0, "" },
	{ "sk_msg", BPF_PROG_TYPE_SK_MSG, BPF_SK_MSG_VERDICT, 0, "" },
	{ "sk_reuseport/migrate", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, 0, "" },
	{ "sk_reuseport", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, 0, "" },
	{ "sk_skb", BPF_PROG_TYPE_SK_SKB, 0, 0, "" },
	{ "sk_skb/stream_parser", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_PARSER, 0, "" },
	{ "sk_skb/stream_verdict", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_VERDICT, 0, "" },
	{ "socket", BPF_PROG_TYPE_SOCKET_FILTER, 0, 0, "" },
	{ "sockops", BPF_PROG_TYPE_SOCK_OPS, BPF_CGROUP_SOCK_OPS, 0, "" },
	{ "syscall", BPF_PROG_TYPE_SYSCALL, 0, 1, "" },
	{ "tp/sched/sched_switch", BPF_PROG_TYPE_TRACEPOINT, 0, 0, "sched/sched_switch" },
	{ "tracepoint/sched/sched_switch", BPF_PROG_TYPE_TRACEPOINT, 0, 0, "sched/sched_switch" },
	{ "fmod_ret/do_sys_open", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, 0, "do_sys_open" },
	{ "fmod_ret.s/do_sys_open", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, 1, "do_sys_open" },
	{ "fentry/do_sys_open", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, 0, "do_sys_open" },
	{ "fentry.s/do_sys_open", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, 1, "do_sys_open" },
	{ "fexit/do_sys_open", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, 0, "do_sys_open" },
	{ "fexit.s/do_sys_open", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, 1, "do_sys_open" },
	{ "iter/task", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, 0, "task" },
	{ "iter.s/task", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, 1, "task" },
	{ "tp_btf/sched_switch", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, 0, "sched_switch" },
	{ "xdp.frags/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, 0, "" },
	{ "xdp/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, 0, "" },
	{ "xdp.frags/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, 0, "" },
	{ "xdp/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, 0, "" },
	{ "xdp.frags", BPF_PROG_TYPE_XDP, BPF_XDP, 0, "" },
	{ "xdp", BPF_PROG_TYPE_XDP, BPF_XDP, 0, "" },
};

TEST(sec_table_agrees_with_libbpf_doc)
{
	struct rbpf_section_info si;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ASSERT_TRUE(rbpf_section_info(want[i].sec, &si) == 0, "%s: %s", want[i].sec,
			    rbpf_errmsg());
		ASSERT_TRUE(si.type == want[i].type && si.expected == want[i].expected,
			    "%s: type %d expected %d, want %d %d", want[i].sec, si.type,
			    si.expected, want[i].type, want[i].expected);
		ASSERT_TRUE(!!(si.prog_flags & BPF_F_SLEEPABLE) == want[i].sleepable,
			    "%s: sleepable %d", want[i].sec, !!(si.prog_flags & BPF_F_SLEEPABLE));
		ASSERT_TRUE(!strcmp(si.target, want[i].target), "%s: target \"%s\"",
			    want[i].sec, si.target);
		ASSERT_TRUE(si.refused == NULL, "%s: refused", want[i].sec);
	}
	ASSERT(0, rbpf_section_info("xdp.frags", &si));
	ASSERT(BPF_F_XDP_HAS_FRAGS, si.prog_flags);
}

TEST(sec_table_unknown_and_refused)
{
	struct rbpf_section_info si;

	ASSERT(-EINVAL, rbpf_section_info("kprobes/x", &si));
	ASSERT_CONTAINS(rbpf_errmsg(), "unknown program section name; known: kprobe[/...]");
	ASSERT_CONTAINS(rbpf_errmsg(), "cgroup_skb/ingress, ");
	ASSERT_CONTAINS(rbpf_errmsg(), "iter[/...]");
	ASSERT(-EINVAL, rbpf_section_info("sockops/x", &si));      /* exact names only */
	ASSERT(-EINVAL, rbpf_section_info("xdpx", &si));
	ASSERT(0, rbpf_section_info("usdt/libc.so.6:libc:setjmp", &si));
	ASSERT_CONTAINS(si.refused, "USDT");
	ASSERT(0, rbpf_section_info("struct_ops/init", &si));
	ASSERT_CONTAINS(si.refused, ".struct_ops map");
}
