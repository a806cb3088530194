/* Written the way libbpf's guides write programs, with libbpf's own headers
 * (Debian's libbpf-dev): rawbpf must load it unchanged.  Built only for the tests
 * (see the Makefile's "ELF loader" block), since libbpf-dev is a test dependency. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} counter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

const volatile int answer = 42;       /* .rodata */
int calls;                            /* .bss */

static __noinline int bump(void)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&counter, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	return ++calls;
}

SEC("tp/syscalls/sys_enter_getpid")
int handle_getpid(void *ctx)
{
	int pid = bpf_get_current_pid_tgid() >> 32;
	__u64 *e;

	bpf_printk("BPF triggered from PID %d.\n", pid);
	bpf_printk("four args: %d %d %d %d\n", pid, 1, 2, 3);    /* bpf_trace_vprintk */
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (e) {
		*e = pid;
		bpf_ringbuf_submit(e, 0);
	}
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &pid, sizeof(pid));
	bump();
	return 0;
}

SEC("xdp")
int lb_xdp(struct xdp_md *ctx)
{
	(void)ctx;
	bump();
	return answer;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
