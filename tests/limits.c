/*
 * limits.c -- the chapter's limits, each asserted with the kernel's own message
 * (stable substrings: the lab VM runs 6.1, this machine 6.18).  The programs are
 * progs/limits.bpf.o's, loaded one at a time; the tail-call ones are run with
 * BPF_PROG_TEST_RUN on CPU 0 and counted in a per-CPU array.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "bpf_insn.h"
#include "rawbpf.h"
#include "test.h"

static struct rbpf_object *obj;

/* Open limits.bpf.o; every program off except the listed ones, then load. */
static void open_limits(const char *const *on)
{
	struct rbpf_prog *p;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path("progs/limits.bpf.o"), &obj));
	for (p = rbpf_object_next_prog(obj, NULL); p; p = rbpf_object_next_prog(obj, p))
		rbpf_prog_set_autoload(p, 0);
	for (; on && *on; on++)
		rbpf_prog_set_autoload(rbpf_object_find_prog(obj, *on), 1);
	ASSERT_OK(rbpf_object_load(obj, 0));
}

static struct rbpf_prog *prog(const char *name)
{
	struct rbpf_prog *p = rbpf_object_find_prog(obj, name);

	ASSERT_TRUE(p != NULL, "no program %s", name);
	return p;
}

static long run(const char *name, uint64_t arg)
{
	struct rbpf_test_run_args t = { .ctx_in = &arg, .ctx_size_in = sizeof(arg) };

	ASSERT_OK(rbpf_prog_test_run(rbpf_prog_fd(prog(name)), &t));
	return (int32_t)t.retval;
}

/* Kernel release as a number: 6.1 -> 601. */
static int kernel_version(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &major, &minor);
	return major * 100 + minor;
}

TEST(limits_stack_one_frame_over_512_refused)
{
	struct bpf_insn insns[] = {
		BPF_ST_MEM(BPF_DW, BPF_REG_10, -520, 0),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_SOCKET_FILTER, .name = "frame_520", .license = "GPL",
		.insns = insns, .insn_cnt = 3, .log_level = 1,
	};
	char *log = NULL;

	NEED_ROOT();
	ASSERT(-EACCES, rbpf_load_insns(&a, &log));
	ASSERT_CONTAINS(log, "stack R10 off=-520 size=8");
	free(log);
	insns[0].off = -512;                               /* the last slot that fits */
	ASSERT_OK(rbpf_load_insns(&a, &log));
	free(log);
}

/* clang will not even emit a frame over 512 bytes. */
TEST(limits_stack_clang_refuses_over_512)
{
	char *out;
	int st;

	NEED_CMD("clang");
	/* the buffer is handed to a helper (number 16, get_current_comm): all of it stays */
	out = test_run_cmd(&st, "printf 'static long (*h)(void *, int) = (void *)16;\\n"
			   "int f(void) { char b[600]; h(b, sizeof(b)); return b[1]; }\\n' | "
			   "clang -O2 -target bpf -x c -c -o /dev/null - 2>&1");
	ASSERT_TRUE(st != 0, "clang compiled a 600-byte frame:\n%s", out);
	ASSERT_CONTAINS(out, "BPF stack limit of 512 bytes is exceeded");
	free(out);
}

TEST(limits_stack_combined_along_calls)
{
	struct rbpf_prog *p;

	open_limits(NULL);
	ASSERT(-EACCES, rbpf_object_load_prog(prog("stack_combined_too_big"), 1));
	ASSERT_CONTAINS(rbpf_prog_log(prog("stack_combined_too_big")),
			"combined stack size of 2 calls is");
	ASSERT_OK(rbpf_object_load_prog(prog("stack_combined_fits"), 1));
	/* Raw tracepoint programs get a private stack per function on x86-64 since
	 * 6.13: each frame is checked alone there, the sum elsewhere. */
	p = prog("stack_combined_raw_tp");
	if (kernel_version() >= 613) {
		ASSERT_OK(rbpf_object_load_prog(p, 1));
	} else {
		ASSERT(-EACCES, rbpf_object_load_prog(p, 1));
		ASSERT_CONTAINS(rbpf_prog_log(p), "combined stack size of 2 calls is");
	}
}

TEST(limits_call_depth_8_frames_not_9)
{
	open_limits(NULL);
	ASSERT_OK(rbpf_object_load_prog(prog("depth_8"), 1));
	ASSERT(40 + 28, run("depth_8", 40));                /* the calls really ran */
	ASSERT(-E2BIG, rbpf_object_load_prog(prog("depth_9"), 1));
	ASSERT_CONTAINS(rbpf_prog_log(prog("depth_9")), "the call stack of 9 frames is too deep");
}

/* counters[slot] on CPU 0 */
static uint64_t counter(uint32_t slot)
{
	int n = rbpf_num_possible_cpus();
	uint64_t v[n > 0 ? n : 1];

	ASSERT(0, rbpf_map_lookup_elem(rbpf_map_fd(rbpf_object_find_map(obj, "counters")),
				       &slot, v, 0));
	return v[0];
}

static void on_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	ASSERT(0, sched_setaffinity(0, sizeof(set), &set));
}

static const char *const tail_progs[] = { "chain", "tail_to_empty_slot", "pass_a", "pass_b",
					  "xdp_pass", NULL };

/* chain tail-calls itself: 1 run + 33 tail calls, and only the refused 34th call
 * returns to the program. */
TEST(limits_tail_call_chain_stops_at_33)
{
	open_limits(tail_progs);
	on_cpu0();
	ASSERT(0, run("chain", 0));
	ASSERT(1 + 33, counter(0));
	ASSERT(1, counter(1));
	ASSERT(0, run("chain", 0));                          /* the count is per run */
	ASSERT(2 * (1 + 33), counter(0));
}

TEST(limits_tail_call_empty_slot_falls_through)
{
	open_limits(tail_progs);
	ASSERT(7, run("tail_to_empty_slot", 0));
}

/* pass_a returns 0 after its tail call; what comes back is pass_b's value, read
 * from the per-CPU array pass_a wrote: the call never returned, and the data went
 * through a map. */
TEST(limits_tail_call_never_returns_data_through_map)
{
	open_limits(tail_progs);
	on_cpu0();
	ASSERT(0x5ec2e7, run("pass_a", 0));
	ASSERT(0x5ec2e7, counter(2));
}

TEST(limits_tail_call_same_program_type)
{
	uint32_t slot = 2;
	int fd, jumps;

	open_limits(tail_progs);
	jumps = rbpf_map_fd(rbpf_object_find_map(obj, "jumps"));
	fd = rbpf_prog_fd(prog("xdp_pass"));
	ASSERT(-EINVAL, rbpf_map_update_elem(jumps, &slot, &fd, BPF_ANY));
	fd = rbpf_prog_fd(prog("pass_b"));                   /* same type: fine */
	ASSERT(0, rbpf_map_update_elem(jumps, &slot, &fd, BPF_ANY));
}

TEST(limits_demo_runs)
{
	char *out;
	int st;

	NEED_ROOT();
	out = test_run_cmd(&st, "%s", test_path("progs/limits"));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "ran 34 times = 1 + 33 tail calls");
	ASSERT_CONTAINS(out, "; one tail call returned (the one the kernel refused)");
	ASSERT_CONTAINS(out, "refused (E2BIG): the call stack of 9 frames is too deep");
	ASSERT_CONTAINS(out, "refused, EINVAL");
	free(out);
}
