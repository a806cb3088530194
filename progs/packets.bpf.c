/*
 * packets.bpf.c -- lesson 11: count the packets that arrive on an interface, by kind,
 * drop one kind, pass the rest; and count the ones that leave, at tc egress.
 *
 * Concept:     an XDP program runs on each frame the interface receives, before the
 *              kernel has built anything around it: ctx->data .. ctx->data_end are the
 *              frame's bytes, and every read must be proven inside them first.  It
 *              answers XDP_PASS (on into the kernel's stack) or XDP_DROP (gone, as if
 *              never received).  A tc program sees the frame later, as an sk_buff, on
 *              the way in or -- here -- on the way out.  Both count per kind in a
 *              BPF_MAP_TYPE_PERCPU_ARRAY: each CPU adds to its own slot, no atomics.
 * Prog type:   BPF_PROG_TYPE_XDP (section "xdp") and BPF_PROG_TYPE_SCHED_CLS
 *              (section "tc"), attached by progs/packets.c to veth1.
 * Kernel:      XDP 4.8, generic (skb) XDP 4.12, veth native XDP 4.19, XDP links 5.9,
 *              tcx links 6.6.
 * Prints:      nothing; user space reads `in` and `out` every second.
 */
#include "bpf_prog.h"

/* What the counters are indexed by: one kind of frame each. */
enum kind { KIND_OTHER, KIND_ARP, KIND_ICMP, KIND_TCP, KIND_UDP, KIND_IPV6, NKINDS };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, u32);                    /* enum kind */
	__type(value, u64);                  /* frames, this CPU's share */
	__uint(max_entries, NKINDS);
} in SEC(".maps"), out SEC(".maps"), dropped SEC(".maps");

/* Set by user space before load (--drop): the kind to drop, or NKINDS for none. */
const volatile u32 drop_kind = NKINDS;

/* The kind of an Ethernet frame from data to end: its EtherType (bytes 12-13) and,
 * for IPv4, the protocol (byte 9 of the IP header, 23 of the frame). */
static __always_inline u32 kind_of(const u8 *data, const u8 *end)
{
	if (data + 14 > end)                 /* shorter than an Ethernet header */
		return KIND_OTHER;
	if (data[12] == 0x08 && data[13] == 0x06)
		return KIND_ARP;
	if (data[12] == 0x86 && data[13] == 0xdd)
		return KIND_IPV6;
	if (data[12] != 0x08 || data[13] != 0x00 || data + 24 > end)
		return KIND_OTHER;
	switch (data[23]) {                  /* IPPROTO_* */
	case 1:  return KIND_ICMP;
	case 6:  return KIND_TCP;
	case 17: return KIND_UDP;
	}
	return KIND_OTHER;
}

static __always_inline void count(void *map, u32 kind)
{
	u64 *n = bpf_map_lookup_elem(map, &kind);

	if (n)
		*n += 1;                     /* this CPU's slot: nobody else writes it */
}

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	u32 kind = kind_of((u8 *)(long)ctx->data, (u8 *)(long)ctx->data_end);

	count(&in, kind);
	if (kind == drop_kind) {
		count(&dropped, kind);
		return XDP_DROP;
	}
	return XDP_PASS;
}

SEC("tc")
int count_egress(struct __sk_buff *skb)
{
	count(&out, kind_of((u8 *)(long)skb->data, (u8 *)(long)skb->data_end));
	return 0;                            /* TC_ACT_OK: let it go */
}

char LICENSE[] SEC("license") = "GPL";
