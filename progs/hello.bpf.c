/*
 * hello.bpf.c -- the chapter's Hello World, compiled by clang instead of BCC.
 *
 * Concept:     the smallest useful BPF program: on every execve, one line of text
 *              through the bpf_trace_printk helper.
 * Prog type:   BPF_PROG_TYPE_KPROBE (section ksyscall/execve: a kprobe on the kernel's
 *              execve function, __x64_sys_execve); its twin BPF_PROG_TYPE_TRACEPOINT
 *              (tracepoint/syscalls/sys_enter_execve) for kernels without kprobes.
 * Kernel:      4.17+ (kprobe PMU); the tracepoint twin 4.7+.  The course's floor is 5.10.
 * Prints:      to tracefs's trace_pipe:  bash-1234 [001] ... Hello World!
 *
 * Both programs have the same body: they ignore ctx, so the only difference is the
 * type the kernel checks them as and where they attach.
 */
#include "bpf_prog.h"

SEC("ksyscall/execve")
int hello(void *ctx)
{
	(void)ctx;
	bpf_printk("Hello World!");
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int hello_tp(void *ctx)
{
	(void)ctx;
	bpf_printk("Hello World!");
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
