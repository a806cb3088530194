/*
 * object_link.c -- what opening and loading an object leaves to do, checked: a
 * program linked from many pieces (more than the linker's first array holds) with
 * each piece's records, and a load that asks the kernel nothing it was not asked
 * for (the verifier's count comes when rbpf_prog_verified_insns wants it).
 */
#include <linux/btf.h>
#include <stdio.h>
#include <unistd.h>

#include "../loader/object.h"
#include "rawbpf.h"
#include "test.h"
#include "common.h"

/* Run an XDP program once on a 64-byte packet; its return value. */
static uint32_t run_once(int fd)
{
	unsigned char pkt[64] = { 0 };
	struct rbpf_test_run_args a = { .data_in = pkt, .data_size_in = sizeof(pkt),
					.repeat = 1 };

	ASSERT_OK(rbpf_prog_test_run(fd, &a));
	return a.retval;
}

/* A program of eleven functions (more than the linker's first array of pieces holds):
 * each one copied once, called where it landed, its records with it. */
TEST(obj_many_subprograms)
{
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info), cnt, i, calls = 0;
	const struct bpf_insn *in;
	struct rbpf_object *obj;
	struct rbpf_prog *p;
	struct rbpf_line l;

	ASSERT_OK(rbpf_object_open(test_path("tests/bpf/elf_many_calls.bpf.o"), &obj));
	p = rbpf_object_find_prog(obj, "many_calls");
	in = rbpf_prog_insns(p, &cnt);
	for (i = 0; i < cnt; i++)
		if (in[i].code == (BPF_JMP | BPF_CALL) && in[i].src_reg == BPF_PSEUDO_CALL) {
			calls++;
			ASSERT_TRUE(rbpf_prog_func_at(p, i + in[i].imm + 1) != NULL &&
				    rbpf_prog_line(p, i + in[i].imm + 1, &l) == 1,
				    "the call at %u does not land on a function's start", i);
		}
	ASSERT(10, calls);
	NEED_ROOT();
	ASSERT(0, rbpf_object_load(obj, 0));
	ASSERT(64 + 55, run_once(rbpf_prog_fd(p)));        /* a 64-byte packet */
	ASSERT(0, rbpf_obj_get_info_by_fd(rbpf_prog_fd(p), &info, &len));
	ASSERT(11, info.nr_func_info);
	rbpf_object_close(obj);
}

/* The verifier's count is the kernel's, asked for when wanted: a load alone makes no
 * BPF_OBJ_GET_INFO_BY_FD call (nor, before 5.16, a second load for the log). */
TEST(obj_verified_insns_asked_when_wanted)
{
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info);
	struct rbpf_object *obj;
	struct rbpf_prog *p;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path("tests/bpf/elf_sections.bpf.o"), &obj));
	rbpf_prog_set_autoload(rbpf_object_find_prog(obj, "s_fentry"), 0);
	rbpf_prog_set_autoload(rbpf_object_find_prog(obj, "s_fexit"), 0);
	ASSERT(0, rbpf_object_load(obj, 0));
	p = rbpf_object_find_prog(obj, "s_xdp");
	ASSERT_TRUE(!p->verified_known, "the load asked the kernel for its count");
	ASSERT(0, rbpf_obj_get_info_by_fd(rbpf_prog_fd(p), &info, &len));
	if (info.verified_insns)             /* 5.16+; before, the log's count */
		ASSERT(info.verified_insns, rbpf_prog_verified_insns(p));
	else
		ASSERT_TRUE(rbpf_prog_verified_insns(p) > 0, "counted from the log");
	ASSERT_TRUE(p->verified_known, "asked once, then kept");
	rbpf_object_close(obj);
}
