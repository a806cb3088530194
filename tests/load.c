/*
 * load.c -- loading one program and keeping the verifier's log (loader/load.c):
 * a rejection hands back its log, a buffer that is too small grows until the whole
 * log fits, and an unprivileged user gets told what is missing.
 */
#include <stdlib.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "rawbpf.h"
#include "test.h"

/* exit without setting r0: "R0 !read_ok" */
static struct bpf_insn no_return_value[] = {
	BPF_EXIT_INSN(),
};

/* A loop the verifier walks many times, so that its level-2 log is long:
 *   for (r0 = 0; r0 < 200; r0++) ;  return 0 */
static struct bpf_insn counted_loop[] = {
	BPF_MOV64_IMM(BPF_REG_0, 0),
	BPF_ALU64_IMM(BPF_ADD, BPF_REG_0, 1),
	BPF_JMP_IMM(BPF_JLT, BPF_REG_0, 200, -2),
	BPF_MOV64_IMM(BPF_REG_0, 0),
	BPF_EXIT_INSN(),
};

static struct rbpf_prog_load_args args_for(struct bpf_insn *insns, uint32_t n, const char *name)
{
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_SOCKET_FILTER, .name = name,
		.insns = insns, .insn_cnt = n, .license = "GPL",
	};
	return a;
}

TEST(load_rejected_has_log)
{
	struct rbpf_prog_load_args a = args_for(no_return_value, 1, "t_noret");
	char *log = NULL;

	NEED_ROOT();
	/* level 0: the loader loads again at level 1 to get the reason */
	ASSERT(-EACCES, rbpf_load_insns(&a, &log));
	ASSERT_CONTAINS(log, "R0 !read_ok");
	ASSERT_CONTAINS(rbpf_errmsg(), "load prog t_noret: the verifier rejected it");
	ASSERT_CONTAINS(rbpf_errmsg(), "R0 !read_ok");
	/* the catalogue's advice: the caller adds it (vlog.c sits beside the flow) */
	ASSERT_TRUE(rbpf_verifier_hint(log) != NULL, "no hint for:\n%s", log);
	ASSERT_TRUE(!strstr(rbpf_errmsg(), "hint:"), "load.c added a hint: %s", rbpf_errmsg());
	free(log);
}

TEST(load_small_log_grows)
{
	struct rbpf_prog_load_args a = args_for(counted_loop, 5, "t_loop");
	char *small = NULL, *big = NULL;
	int fd;

	NEED_ROOT();
	a.log_level = 2;
	rbpf_log_start_size = 1 << 20;
	fd = rbpf_load_insns(&a, &big);
	ASSERT_OK(fd);
	close(fd);
	ASSERT_TRUE(strlen(big) > 4096, "the level-2 log is only %zu bytes", strlen(big));

	rbpf_log_start_size = 128;         /* far too small: must grow and retry */
	fd = rbpf_load_insns(&a, &small);
	ASSERT_OK(fd);
	close(fd);
	ASSERT_TRUE(a.log_size > 128, "log_size stayed %u", a.log_size);
	ASSERT_CONTAINS(small, "processed ");
	ASSERT_STREQ(big, small);          /* the same, whole log */
	free(small);
	free(big);
}

TEST(load_rejected_small_log_is_whole)
{
	struct rbpf_prog_load_args a = args_for(no_return_value, 1, "t_noret2");
	char *log = NULL;

	NEED_ROOT();
	a.log_level = 2;
	rbpf_log_start_size = 128;
	ASSERT(-EACCES, rbpf_load_insns(&a, &log));
	ASSERT_CONTAINS(log, "R0 !read_ok");
	free(log);
}

TEST(load_unprivileged_says_why)
{
	char *out;
	int st;

	NEED_ROOT();
	NEED_CMD("setpriv");
	out = test_run_cmd(&st, "setpriv --reuid=nobody --regid=nogroup --clear-groups "
			   "--inh-caps=-all --bounding-set=-all %s", test_path("rawbpf doctor"));
	ASSERT(1, st);
	ASSERT_CONTAINS(out, "needs root, or CAP_BPF");
	free(out);
}

TEST(load_errno_names)
{
	ASSERT_STREQ("EPERM", rbpf_errno_name(-EPERM));
	ASSERT_STREQ("ENOSPC", rbpf_errno_name(ENOSPC));
	ASSERT_STREQ("E?", rbpf_errno_name(4095));
	ASSERT(-EINVAL, rbpf_error(EINVAL, "x %d", 1));
	ASSERT_STREQ("x 1", rbpf_errmsg());
	rbpf_error_prefix(-EINVAL, "ctx: ");
	ASSERT_STREQ("ctx: x 1", rbpf_errmsg());
}

TEST(load_possible_cpus)
{
	int n = rbpf_num_possible_cpus();

	ASSERT_OK(n);
	ASSERT_TRUE(n >= sysconf(_SC_NPROCESSORS_ONLN), "possible %d < online %ld", n,
		    sysconf(_SC_NPROCESSORS_ONLN));
}

/* A chain of `frames` functions, each calling the next (pc-relative BPF-to-BPF call):
 *   f0: call f1; exit   f1: call f2; exit   ...   f(n-1): r0 = 0; exit */
static int load_call_chain(int frames, char **log)
{
	struct bpf_insn insns[64];
	struct rbpf_prog_load_args a;
	int i, n = 0;

	for (i = 0; i < frames - 1; i++) {
		insns[n++] = BPF_CALL_REL(1);      /* the next function starts after "exit" */
		insns[n++] = BPF_EXIT_INSN();
	}
	insns[n++] = BPF_MOV64_IMM(BPF_REG_0, 0);
	insns[n++] = BPF_EXIT_INSN();
	a = args_for(insns, n, "t_chain");
	return rbpf_load_insns(&a, log);
}

TEST(load_call_chain_too_deep_says_why)
{
	char *log = NULL;
	int fd;

	NEED_ROOT();
	fd = load_call_chain(8, &log);             /* the verifier's limit: 8 frames */
	ASSERT_OK(fd);
	close(fd);
	free(log);
	fd = load_call_chain(9, &log);
	ASSERT(-E2BIG, fd);
	ASSERT_CONTAINS(log, "too deep");
	ASSERT_CONTAINS(rbpf_errmsg(), "the verifier rejected it (E2BIG)");
	ASSERT_CONTAINS(rbpf_errmsg(), "frames is too deep");
	free(log);
}
