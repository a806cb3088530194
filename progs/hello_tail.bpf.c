/*
 * hello_tail.bpf.c -- the chapter's tail calls: one program on every system call
 * jumps to another chosen by the system call's number.
 *
 * Concept:     bpf_tail_call(ctx, &syscall, nr) replaces the running program with the
 *              one in slot nr of a BPF_MAP_TYPE_PROG_ARRAY: same ctx, fresh stack, no
 *              return.  When the slot is empty the helper returns and the caller goes
 *              on -- here to print "Another syscall".  The slots are filled by the
 *              loader from the initial values below (.rel.maps names the programs);
 *              the indexes are the numbers of <asm/unistd.h>, not typed in.
 * Prog type:   BPF_PROG_TYPE_RAW_TRACEPOINT on sys_enter, every program (a tail call
 *              needs the same type); only `hello` is attached.
 * Kernel:      4.2+ (tail calls), 4.17+ (raw tracepoints); the floor is 5.10.
 * Prints:      to trace_pipe:  Executing a program / Creating a timer / ... /
 *              Another syscall: 39 -- nothing for the ignored ones (read, write, poll...).
 */
#include <asm/unistd.h>
#include "bpf_prog.h"

int hello_exec(struct bpf_raw_tracepoint_args *ctx);
int hello_timer(struct bpf_raw_tracepoint_args *ctx);
int ignore_opcode(struct bpf_raw_tracepoint_args *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 512);            /* above every x86-64 syscall number */
	__uint(key_size, sizeof(u32));
	__array(values, int (void *));
} syscall SEC(".maps") = {
	.values = {
		[__NR_execve] = (void *)&hello_exec,
		[__NR_timer_create] = (void *)&hello_timer,
		[__NR_timer_settime] = (void *)&hello_timer,
		[__NR_timer_gettime] = (void *)&hello_timer,
		[__NR_timer_getoverrun] = (void *)&hello_timer,
		[__NR_timer_delete] = (void *)&hello_timer,
		/* the ones the reader itself makes, or the output would feed itself */
		[__NR_read] = (void *)&ignore_opcode,
		[__NR_write] = (void *)&ignore_opcode,
		[__NR_poll] = (void *)&ignore_opcode,
		[__NR_ppoll] = (void *)&ignore_opcode,
		[__NR_clock_nanosleep] = (void *)&ignore_opcode,
		[__NR_clock_gettime] = (void *)&ignore_opcode,  /* a syscall without vDSO clocks */
	},
};

SEC("raw_tracepoint/sys_enter")
int hello(struct bpf_raw_tracepoint_args *ctx)
{
	int opcode = ctx->args[1];

	bpf_tail_call(ctx, &syscall, opcode);
	bpf_printk("Another syscall: %d", opcode);    /* only if the slot was empty */
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int hello_exec(struct bpf_raw_tracepoint_args *ctx)
{
	(void)ctx;
	bpf_printk("Executing a program");
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int hello_timer(struct bpf_raw_tracepoint_args *ctx)
{
	int opcode = ctx->args[1];

	switch (opcode) {
	case __NR_timer_create:
		bpf_printk("Creating a timer");
		break;
	case __NR_timer_delete:
		bpf_printk("Deleting a timer");
		break;
	default:
		bpf_printk("Some other timer operation");
		break;
	}
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int ignore_opcode(struct bpf_raw_tracepoint_args *ctx)
{
	(void)ctx;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
