/* A CO-RE relocation no loader can resolve: struct nf_conn's kernel type id, when the
 * kernel has two compatible candidates (nf_conn and nf_conn___init) with different
 * ids.  Both rawbpf and libbpf must refuse it; rawbpf names the two (tests/core.c). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct nf_conn {
	unsigned int mark;
} __attribute__((preserve_access_index));

long out;

SEC("raw_tp/sys_enter")
int ambiguous(void *ctx)
{
	out = bpf_core_type_id_kernel(struct nf_conn);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
