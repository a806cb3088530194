/* An object for `rawbpf run --ifname IF`: an XDP and a tc program that send the UDP
 * destination port of each IPv4/UDP frame to a ring buffer, and a socket filter that
 * keeps every packet (the packet socket rawbpf run opens on IF then shows them). */
#include "bpf_prog.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096 * 4);
} net_ring SEC(".maps");

struct seen {
	u16 dport;          /* network order, as in the frame */
	char tag[14];
};

SEC("xdp")
int xdp_ports(struct xdp_md *ctx)
{
	u8 *data = (u8 *)(long)ctx->data, *end = (u8 *)(long)ctx->data_end;
	struct seen *e;

	if (data + 38 > end || data[12] != 0x08 || data[13] != 0 || data[23] != 17)
		return XDP_PASS;
	e = bpf_ringbuf_reserve(&net_ring, sizeof(*e), 0);
	if (!e)
		return XDP_PASS;
	e->dport = *(u16 *)(data + 36);
	__builtin_memcpy(e->tag, "rawbpf-xdp-in", 14);
	bpf_ringbuf_submit(e, 0);
	return XDP_PASS;
}

/* The same at tc ingress (after XDP): the frame as an sk_buff. */
SEC("tc")
int tc_ports(struct __sk_buff *skb)
{
	u8 *data = (u8 *)(long)skb->data, *end = (u8 *)(long)skb->data_end;
	struct seen *e;

	if (data + 38 > end || data[12] != 0x08 || data[13] != 0 || data[23] != 17)
		return 0;       /* TC_ACT_OK */
	e = bpf_ringbuf_reserve(&net_ring, sizeof(*e), 0);
	if (!e)
		return 0;
	e->dport = *(u16 *)(data + 36);
	__builtin_memcpy(e->tag, "rawbpf-tc-in!", 14);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("socket")
int keep_all(struct __sk_buff *skb)
{
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
