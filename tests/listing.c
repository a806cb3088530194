/*
 * listing.c -- a lesson's listing names what the object names: the callee of each
 * BPF-to-BPF call in hello_func's listing comes from the object's function records
 * (rbpf_prog_func_at), so a learner who adds a function (exercise 5.1) sees its name,
 * not a name written into the lesson.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rawbpf.h"
#include "common.h"
#include "test.h"

/* The functions of hello_func.bpf.o's program, by the instruction each starts at. */
TEST(listing_func_at_names_functions)
{
	struct rbpf_object *obj = NULL;
	struct rbpf_prog *p;
	const struct bpf_insn *in;
	uint32_t n, i, calls = 0;

	ASSERT_OK(rbpf_object_open(test_path("progs/hello_func.bpf.o"), &obj));
	p = rbpf_object_find_prog(obj, "hello");
	ASSERT_TRUE(p != NULL, "no program hello");
	in = rbpf_prog_insns(p, &n);
	ASSERT_STREQ("hello", rbpf_prog_func_at(p, 0));
	ASSERT_TRUE(rbpf_prog_func_at(p, 1) == NULL, "a name at instruction 1: %s",
		    rbpf_prog_func_at(p, 1));
	for (i = 0; i < n; i++)
		if (in[i].code == (BPF_JMP | BPF_CALL) && in[i].src_reg == BPF_PSEUDO_CALL) {
			ASSERT_STREQ("get_opcode", rbpf_prog_func_at(p, i + 1 + in[i].imm));
			calls++;
		}
	ASSERT(1, calls);
	rbpf_object_close(obj);
}

/* Exercise 5.1's second function, compiled and run through hello_func: both calls
 * labelled with their own callee. */
TEST(listing_hello_func_labels_a_second_function)
{
	char dir[] = "/tmp/rawbpf-listing.XXXXXX", *out;
	int st;

	NEED_ROOT();
	NEED_CMD("git");                     /* to apply the solution; clang to build it */
	NEED_CMD("clang");
	NEED_TRACE_PIPE();
	ASSERT_TRUE(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	out = test_run_cmd(&st, "mkdir -p %s/progs && cp progs/hello_func.bpf.c %s/progs/ && "
			   "cd %s && git apply -p1 %s/tutorial/solutions/5-1.diff && "
			   "clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -I%s/include -idirafter "
			   "/usr/include/$(cc -print-multiarch) -c progs/hello_func.bpf.c -o "
			   "hello_func.bpf.o", dir, dir, dir, getcwd((char[4096]){ 0 }, 4096),
			   getcwd((char[4096]){ 0 }, 4096));
	ASSERT_TRUE(st == 0, "building the exercise's object: %s", out);
	free(out);
	out = test_run_cmd(&st, "RAWBPF_OBJ_DIR=%s %s --count 1 --timeout 10 --trigger", dir,
			   test_path("progs/hello_func"));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "<- BPF-to-BPF call: get_opcode");
	ASSERT_CONTAINS(out, "<- BPF-to-BPF call: get_pid");
	free(out);
	free(test_run_cmd(&st, "rm -rf %s", dir));
}
