/*
 * limits.c -- the chapter's limits, run: each program of progs/limits.bpf.o is
 * loaded on its own and the kernel's verdict printed; the tail-call ones are run
 * with BPF_PROG_TEST_RUN and their counters read back.
 *
 * Concept:     limits are the verifier's and the kernel's, not the compiler's: a
 *              512-byte frame (clang refuses more, so that program is raw
 *              instructions here), frames adding up along a call chain, 8 frames,
 *              33 tail calls, a tail call's target of the caller's own type, an empty
 *              stack after a tail call.
 * Prog type:   socket filter, raw tracepoint (test runs), XDP (the misfit).
 * Kernel:      5.10+; differences between kernels are printed, not hidden.
 * Prints:      one verdict per limit:
 *                  combined stack 300+300 (socket filter): refused: combined stack ...
 * Privilege:   root, or CAP_BPF + CAP_PERFMON.
 *
 * Usage: limits [stack|depth|tailcalls]...   (none: all)
 */
#include <sched.h>

#include "bpf_insn.h"
#include "lesson.h"

static struct rbpf_object *obj;

/* The verifier's verdict: the line before the final "processed N insns ...". */
static void print_verdict(const char *what, int fd, const char *log)
{
	const char *end = log ? strstr(log, "\nprocessed ") : NULL, *start;

	if (fd >= 0) {
		printf("%-44s accepted\n", what);
		return;
	}
	if (!end) {
		printf("%-44s refused: %s\n", what, rbpf_errmsg());
		return;
	}
	for (start = end; start > log && start[-1] != '\n'; start--)
		;
	printf("%-44s refused (%s): %.*s\n", what, rbpf_errno_name(fd), (int)(end - start),
	       start);
}

/* Load one program of the object on its own, print the verdict. */
static int try_prog(const char *what, const char *name)
{
	struct rbpf_prog *p = rbpf_object_find_prog(obj, name);
	int fd = rbpf_object_load_prog(p, 1);

	print_verdict(what, fd, rbpf_prog_log(p));
	return fd;
}

/* One frame of 520 bytes, which clang will not compile: store 8 bytes at r10 - 520. */
static void stack_frame_too_big(void)
{
	struct bpf_insn insns[] = {
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -520, 0),       /* *(u64 *)(r10 - 520) = 0 */
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_SOCKET_FILTER, .name = "frame_520", .license = "GPL",
		.insns = insns, .insn_cnt = 3, .log_level = 1,
	};
	char *log = NULL;
	int fd = rbpf_load_insns(&a, &log);

	print_verdict("one frame of 520 bytes (raw instructions)", fd, log);
	if (fd >= 0)
		close(fd);
	free(log);
}

static void demo_stack(void)
{
	stack_frame_too_big();
	try_prog("combined stack 300+300 (socket filter)", "stack_combined_too_big");
	try_prog("combined stack 300+150 (socket filter)", "stack_combined_fits");
	try_prog("combined stack 300+300 (raw tracepoint)", "stack_combined_raw_tp");
}

static long run(const char *prog, uint64_t arg)
{
	struct rbpf_test_run_args t = { .ctx_in = &arg, .ctx_size_in = sizeof(arg) };
	int r = rbpf_prog_test_run(rbpf_prog_fd(rbpf_object_find_prog(obj, prog)), &t);

	return r < 0 ? r : (long)(int32_t)t.retval;
}

static void demo_depth(void)
{
	if (try_prog("8 frames (program + d7 ... d1)", "depth_8") >= 0)
		printf("%-44s returned %ld (40 + 1 + 2 + ... + 7)\n", "  run with args[0] = 40",
		       run("depth_8", 40));
	try_prog("9 frames (program + d8 ... d1)", "depth_9");
}

/* This CPU's slot of counters[slot] (a per-CPU array: one value per possible CPU). */
static uint64_t counter(uint32_t slot, int cpu)
{
	int n = rbpf_num_possible_cpus();
	uint64_t v[n > 0 ? n : 1];

	if (n <= cpu || rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(obj, "counters")),
					     &slot, v, 0) < 0)
		return 0;
	return v[cpu];
}

/* How many of chain's tail calls came back, in words: once is the one the kernel
 * refused (the 34th); none is a chain that stopped itself (exercise 6.2). */
static const char *returned(uint64_t n)
{
	static char s[64];

	if (n == 0)
		return "no tail call returned";
	if (n == 1)
		return "one tail call returned (the one the kernel refused)";
	snprintf(s, sizeof(s), "%llu tail calls returned", (unsigned long long)n);
	return s;
}

static void demo_tailcalls(void)
{
	int jumps = rbpf_map_fd(rbpf_object_find_map(obj, "jumps"));
	uint32_t slot = 2;
	int xdp = lesson_fd(obj, "xdp_pass"), r;
	cpu_set_t set;

	CPU_ZERO(&set);                  /* the counters are per CPU: stay on one */
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	run("chain", 0);
	printf("chain tail-calls itself: ran %llu times = 1 + %llu tail calls; %s\n",
	       (unsigned long long)counter(0, 0), (unsigned long long)counter(0, 0) - 1,
	       returned(counter(1, 0)));
	printf("tail call to an empty slot: the caller goes on and returns %ld\n",
	       run("tail_to_empty_slot", 0));
	printf("pass_a -> pass_b through a per-CPU array: pass_b returned 0x%lx\n",
	       run("pass_a", 0));
	r = rbpf_map_update_elem(jumps, &slot, &xdp, BPF_ANY);
	printf("an XDP program into the raw tracepoint programs' prog array: %s%s\n",
	       r < 0 ? "refused, " : "accepted", r < 0 ? rbpf_errno_name(r) : "");
}

static const struct lesson_demo demos[] = {
	{ "stack", demo_stack, 0 }, { "depth", demo_depth, 0 },
	{ "tailcalls", demo_tailcalls, 0 },
};
#define NDEMOS (sizeof(demos) / sizeof(demos[0]))

/* Set aside the programs whose verdict the demos show (one is refused everywhere,
 * others on some kernels); load the rest, which fills the prog array.  The demos load
 * the set-aside ones one by one. */
static int setup(struct rbpf_object *o)
{
	static const char *const alone[] = { "stack_combined_too_big", "depth_9",
		"stack_combined_raw_tp", "stack_combined_fits", "depth_8" };
	size_t i;

	for (i = 0; i < sizeof(alone) / sizeof(alone[0]); i++)
		rbpf_prog_set_autoload(rbpf_object_find_prog(o, alone[i]), 0);
	return 0;
}

int main(int argc, char **argv)
{
	if (lesson_demo_args(argc, argv, demos, NDEMOS, "limits [stack|depth|tailcalls]..."))
		return 2;
	obj = lesson_open(argv[0], "limits");
	if (!obj || lesson_load(obj, "limits", setup) < 0)
		return 1;
	lesson_run_demos(argc, argv, demos, NDEMOS);
	rbpf_object_close(obj);
	return 0;
}
