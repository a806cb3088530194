/* Program types of issue 16 on the socket side, for tests/ptypes_net.c: each counts
 * its runs in counts[its slot] and lets everything through. */
#include "bpf_prog.h"

enum { EGRESS, INGRESS, SOCK_CREATE, CONNECT4, SYSCTL, GETSOCKOPT, SOCKOPS, SK_LOOKUP_RUN,
       FLOW, MSG, VERDICT, PARSER, REUSEPORT, NSLOTS };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, u64);
	__uint(max_entries, NSLOTS);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__type(key, u32);
	__type(value, u32);
	__uint(max_entries, 2);
} socks SEC(".maps");

static __always_inline void count(u32 slot)
{
	u64 *n = bpf_map_lookup_elem(&counts, &slot);

	if (n)
		__sync_fetch_and_add(n, 1);
}

SEC("cgroup_skb/egress")
int cg_egress(struct __sk_buff *skb) { (void)skb; count(EGRESS); return 1; }

SEC("cgroup_skb/ingress")
int cg_ingress(struct __sk_buff *skb) { (void)skb; count(INGRESS); return 1; }

SEC("cgroup/sock_create")
int cg_sock_create(struct bpf_sock *sk) { (void)sk; count(SOCK_CREATE); return 1; }

SEC("cgroup/connect4")
int cg_connect4(struct bpf_sock_addr *ctx) { (void)ctx; count(CONNECT4); return 1; }

SEC("cgroup/sysctl")
int cg_sysctl(struct bpf_sysctl *ctx) { (void)ctx; count(SYSCTL); return 1; }

SEC("cgroup/getsockopt")
int cg_getsockopt(struct bpf_sockopt *ctx) { (void)ctx; count(GETSOCKOPT); return 1; }

SEC("sockops")
int sock_ops(struct bpf_sock_ops *ops) { (void)ops; count(SOCKOPS); return 1; }

SEC("sk_lookup")
int lookup(struct bpf_sk_lookup *ctx) { (void)ctx; count(SK_LOOKUP_RUN); return SK_PASS; }

/* 129 is BPF_FLOW_DISSECTOR_CONTINUE (6.1): let the kernel's own dissector work. */
SEC("flow_dissector")
int dissect(struct __sk_buff *skb) { (void)skb; count(FLOW); return 129; }

SEC("sk_msg")
int msg(struct sk_msg_md *m) { (void)m; count(MSG); return SK_PASS; }

SEC("sk_skb/stream_verdict")
int verdict(struct __sk_buff *skb) { (void)skb; count(VERDICT); return SK_PASS; }

SEC("sk_skb/stream_parser")
int parser(struct __sk_buff *skb) { count(PARSER); return skb->len; }

SEC("sk_reuseport")
int reuse(struct sk_reuseport_md *md) { (void)md; count(REUSEPORT); return SK_PASS; }

char LICENSE[] SEC("license") = "GPL";
