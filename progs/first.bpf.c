/*
 * first.bpf.c -- lesson 12's first program, as a learner writes it into an empty
 * file: say something each time `cat` opens a file.
 *
 * Concept:     a section name is all `rawbpf run` needs to attach a program: here
 *              tracepoint/syscalls/sys_enter_openat, the moment any process enters
 *              openat(2).  The program looks at who it runs for and speaks only for
 *              cat, the command the lesson runs.
 * Prog type:   BPF_PROG_TYPE_TRACEPOINT (from the section name).
 * Kernel:      4.7+ for tracepoint programs; the course's floor is 5.15.
 * Prints:      to trace_pipe:  cat-1234 [000] 5.678: cat opens a file
 */
#include "bpf_prog.h"

SEC("tracepoint/syscalls/sys_enter_openat")
int on_openat(void *ctx)
{
	char comm[16];

	(void)ctx;
	bpf_get_current_comm(comm, sizeof(comm));
	if (comm[0] == 'c' && comm[1] == 'a' && comm[2] == 't' && comm[3] == 0)
		bpf_printk("cat opens a file");
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
