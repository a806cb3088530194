/*
 * sys.c -- the bpf() wrappers against the running kernel: maps and their operations,
 * a program loaded from instructions and run with BPF_PROG_TEST_RUN, ids and info.
 */
#include <stdlib.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "rawbpf.h"
#include "test.h"

static int hash_map(uint32_t max)
{
	struct rbpf_map_create_args a = {
		.type = BPF_MAP_TYPE_HASH, .name = "t_hash",
		.key_size = 4, .value_size = 8, .max_entries = max,
	};
	int fd = rbpf_map_create(&a);

	ASSERT_OK(fd);
	return fd;
}

TEST(sys_map_elem_ops)
{
	uint32_t k = 7, next;
	uint64_t v = 42, got = 0;
	int fd;

	NEED_ROOT();
	fd = hash_map(16);
	ASSERT(-ENOENT, rbpf_map_lookup_elem(fd, &k, &got, 0));
	ASSERT(-ENOENT, rbpf_map_update_elem(fd, &k, &v, BPF_EXIST));
	ASSERT(0, rbpf_map_update_elem(fd, &k, &v, BPF_NOEXIST));
	ASSERT(-EEXIST, rbpf_map_update_elem(fd, &k, &v, BPF_NOEXIST));
	ASSERT(0, rbpf_map_lookup_elem(fd, &k, &got, 0));
	ASSERT(42, got);
	ASSERT(0, rbpf_map_get_next_key(fd, NULL, &next));
	ASSERT(7, next);
	ASSERT(-ENOENT, rbpf_map_get_next_key(fd, &next, &next));
	got = 0;
	ASSERT(0, rbpf_map_lookup_and_delete_elem(fd, &k, &got));
	ASSERT(42, got);
	ASSERT(-ENOENT, rbpf_map_delete_elem(fd, &k));
	close(fd);
}

TEST(sys_map_lookup_batch)
{
	uint32_t keys[64], out, count, i;
	uint64_t vals[64], sum = 0;
	int fd, r;

	NEED_ROOT();
	fd = hash_map(64);
	for (i = 0; i < 50; i++) {
		uint64_t v = i * 10;
		ASSERT(0, rbpf_map_update_elem(fd, &i, &v, BPF_ANY));
	}
	count = 64;
	r = rbpf_map_lookup_batch(fd, NULL, &out, keys, vals, &count, 0);
	ASSERT(-ENOENT, r);          /* the whole map fit: the walk is complete */
	ASSERT(50, count);
	for (i = 0; i < count; i++) {
		ASSERT(keys[i] * 10, vals[i]);
		sum += vals[i];
	}
	ASSERT(12250, sum);
	close(fd);
}

TEST(sys_prog_test_run_and_info)
{
	/* return 40 + 2 */
	struct bpf_insn insns[] = {
		BPF_MOV64_IMM(BPF_REG_0, 40),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_0, 2),
		BPF_EXIT_INSN(),
	};
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_SOCKET_FILTER, .name = "t_ret42",
		.insns = insns, .insn_cnt = 3, .license = "GPL",
	};
	char pkt[64] = {0}, *log = NULL;
	struct rbpf_test_run_args run = { .data_in = pkt, .data_size_in = sizeof(pkt), .repeat = 1 };
	struct bpf_prog_info info;
	uint32_t len = sizeof(info), id = 0, found = 0;
	int fd, fd2;

	NEED_ROOT();
	fd = rbpf_load_insns(&a, &log);
	ASSERT_OK(fd);
	free(log);
	ASSERT(0, rbpf_prog_test_run(fd, &run));
	ASSERT(42, run.retval);
	memset(&info, 0, sizeof(info));
	ASSERT(0, rbpf_obj_get_info_by_fd(fd, &info, &len));
	ASSERT(BPF_PROG_TYPE_SOCKET_FILTER, info.type);
	ASSERT_STREQ("t_ret42", info.name);
	while (rbpf_prog_get_next_id(id, &id) == 0)
		if (id == info.id)
			found = 1;
	ASSERT(1, found);
	fd2 = rbpf_prog_get_fd_by_id(info.id);
	ASSERT_OK(fd2);
	close(fd2);
	close(fd);
}

/* BPF_F_TEST_RUN_ON_CPU: a raw tracepoint program run on a chosen CPU returns
 * bpf_get_smp_processor_id() -- that CPU. */
TEST(sys_prog_test_run_on_cpu)
{
	struct bpf_insn insns[] = {
		BPF_EMIT_CALL(BPF_FUNC_get_smp_processor_id),
		BPF_EXIT_INSN(),
	};
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_RAW_TRACEPOINT, .name = "t_oncpu",
		.insns = insns, .insn_cnt = 2, .license = "GPL",
	};
	char *log = NULL;
	uint64_t args[1] = {0};
	int fd, cpu, ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);

	NEED_ROOT();
	fd = rbpf_load_insns(&a, &log);
	ASSERT_OK(fd);
	free(log);
	for (cpu = 0; cpu < ncpu; cpu++) {
		struct rbpf_test_run_args run = {
			.ctx_in = args, .ctx_size_in = sizeof(args),
			.flags = BPF_F_TEST_RUN_ON_CPU, .cpu = (uint32_t)cpu,
		};
		ASSERT(0, rbpf_prog_test_run(fd, &run));
		ASSERT(cpu, run.retval);
	}
	close(fd);
}
