/* CO-RE records that need clang 15 or later (built with clang-16, see the Makefile):
 * ENUM64 types and "type matches"; and candidates that are more than one kernel type.
 * tests/core.c loads it with rawbpf and with libbpf and compares the translated code.
 *
 *   enum64 value    a local ENUM64 against the kernel's ENUM64 perf_callchain_context
 *                   (a 64-bit value, patched into an ld_imm64)
 *   enum vs enum64  a local ENUM64 flavour of the kernel's 32-bit enum pid_type
 *   type matches    struct task_struct as declared here matches; a flavour whose
 *                   pid is a long does not
 *   two candidates  struct nf_conn has two kernel candidates, nf_conn and
 *                   nf_conn___init: a field only one has, and a size both agree on
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

enum perf_callchain_context {
	PERF_CONTEXT_KERNEL = (__u64)-128,
	PERF_CONTEXT_USER = (__u64)-512,
};

enum pid_type___big {                 /* values past 32 bits: clang writes an ENUM64 */
	PIDTYPE_SID = 3,
	PIDTYPE_BIG = 0x100000000ULL,
};

struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

struct task_struct___long {
	long pid;
} __attribute__((preserve_access_index));

struct nf_conn {
	unsigned long status;
	unsigned int mark;
} __attribute__((preserve_access_index));

long out[8];

SEC("raw_tp/sys_enter")
int types(void *ctx)
{
	struct nf_conn *ct = (void *)bpf_get_current_task();

	out[0] = bpf_core_enum_value(enum perf_callchain_context, PERF_CONTEXT_USER);
	out[1] = bpf_core_enum_value(enum pid_type___big, PIDTYPE_SID);
	out[2] = bpf_core_enum_value_exists(enum pid_type___big, PIDTYPE_BIG);
	out[3] = bpf_core_type_matches(struct task_struct);
	out[4] = bpf_core_type_matches(struct task_struct___long);
	out[5] = BPF_CORE_READ(ct, mark);
	out[6] = bpf_core_type_size(struct nf_conn);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
