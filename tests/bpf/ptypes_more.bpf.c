/* One program per remaining section name of libbpf's table, for tests/ptypes_more.c:
 * each must load with rawbpf as libbpf loads it (same program type, expected attach
 * type and flags, so the same translated code).  Bodies are minimal: the name is
 * what is tested.  (sk_skb/verdict, tcx/..., uprobe.multi are newer than the
 * libbpf 1.1 of the oracle here: tests/sec_table.c checks their rows.) */
#include "bpf_prog.h"

#define PROG(SEC_NAME, FN, RET)	\
	SEC(SEC_NAME) int FN(void *ctx) { (void)ctx; return RET; }

PROG("cgroup/dev", m_dev, 1)
PROG("cgroup/skb", m_skb, 1)
PROG("cgroup/setsockopt", m_setsockopt, 1)
PROG("cgroup/bind4", m_bind4, 1)
PROG("cgroup/bind6", m_bind6, 1)
PROG("cgroup/connect6", m_connect6, 1)
PROG("cgroup/sendmsg4", m_sendmsg4, 1)
PROG("cgroup/recvmsg4", m_recvmsg4, 1)
PROG("cgroup/getpeername4", m_getpeername4, 1)
PROG("cgroup/getsockname6", m_getsockname6, 1)
PROG("cgroup/post_bind4", m_post_bind4, 1)
PROG("cgroup/sock_release", m_sock_release, 1)
PROG("cgroup/sock", m_sock, 1)
PROG("sk_reuseport/migrate", m_migrate, 1)
PROG("xdp/devmap", m_devmap, 2)
PROG("xdp/cpumap", m_cpumap, 2)
PROG("xdp.frags", m_frags, 2)
PROG("lwt_in", m_lwt_in, 0)
PROG("lwt_out", m_lwt_out, 0)
PROG("lwt_xmit", m_lwt_xmit, 0)
PROG("action", m_action, 0)
PROG("classifier", m_classifier, 0)
PROG("tc", m_tc, 0)
PROG("socket", m_socket, 0)
PROG("raw_tracepoint/sched_switch", m_raw, 0)
PROG("tp/sched/sched_switch", m_tp, 0)
PROG("ksyscall/getpid", m_ksyscall, 0)
PROG("uretprobe.s/libc.so.6:malloc", m_sleepable, 0)

char LICENSE[] SEC("license") = "GPL";
