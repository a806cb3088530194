/*
 * core_cmd.c -- CO-RE in the rawbpf command: `rawbpf core` lists each relocation
 * with the compiler's value and this kernel's (checked against bpftool's dump of the
 * kernel's BTF), and another BTF's with --btf; disasm and verify show, on each
 * relocated instruction, the relocation that set it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawbpf.h"
#include "test.h"

#define KINDS "tests/libbpf/core_kinds.bpf.o"

/* bpftool's line for member `name` of struct task_struct; *st is grep's status. */
static char *task_member(const char *name, int *st)
{
	return test_run_cmd(st, "bpftool btf dump file /sys/kernel/btf/vmlinux | "
			    "sed -n \"/STRUCT 'task_struct' size/,/^\\[/p\" | grep \"^\t'%s' \"",
			    name);
}

/* The byte offset of member `name` of struct task_struct, from bpftool. */
static unsigned task_member_offset(const char *name)
{
	char *out;
	unsigned bits = 0;
	const char *s;
	int st;

	out = task_member(name, &st);
	ASSERT(0, st);
	s = strstr(out, "bits_offset=");
	if (s)
		sscanf(s, "bits_offset=%u", &bits);
	ASSERT_TRUE(bits > 0, "%s", out);
	free(out);
	return bits / 8;
}

TEST(core_cmd_table_against_bpftool)
{
	char *out, row[200];
	int st;

	NEED_CMD("bpftool");
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		SKIP("no kernel BTF");
	out = test_run_cmd(&st, "%s core %s on_switch", test_path("rawbpf"), test_path(KINDS));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "program on_switch (tp_btf/sched_switch): 4 CO-RE relocations");
	snprintf(row, sizeof(row), "field byte offset  %-36s %10u %12u",
		 "task_struct->real_parent", 32, task_member_offset("real_parent"));
	ASSERT_CONTAINS(out, row);
	snprintf(row, sizeof(row), "field byte offset  %-36s %10u %12u", "task_struct->pid", 8,
		 task_member_offset("pid"));
	ASSERT_CONTAINS(out, row);
	free(out);
	out = test_run_cmd(&st, "%s core %s kinds", test_path("rawbpf"), test_path(KINDS));
	ASSERT(0, st);
	free(task_member("__state", &st));
	if (st != 0) {            /* before 5.14 task_struct's state had not been renamed */
		ASSERT_CONTAINS(out, test_fmt("%-36s %10u %12u", "task_struct___old->state", 0,
					      task_member_offset("state")));
		ASSERT_CONTAINS(out, "has no member '__state'; it has 'state', renamed?");
	} else {
		ASSERT_CONTAINS(out, test_fmt("%-36s %10u %12s", "task_struct___old->state", 0,
					      "absent"));
		ASSERT_CONTAINS(out, "has no member 'state'; it has '__state', renamed?");
	}
	free(out);
}

/* --btf FILE: the object against its own BTF (an ELF file with .BTF): every value
 * is the compiler's. */
TEST(core_cmd_other_btf_side_by_side)
{
	char *out;
	int st;

	if (access("/sys/kernel/btf/vmlinux", R_OK))
		SKIP("no kernel BTF");
	out = test_run_cmd(&st, "%s core %s on_switch --btf %s", test_path("rawbpf"),
			   test_path(KINDS), test_path(KINDS));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "--btf");
	ASSERT_CONTAINS(out, test_fmt("%-36s %10u %12u %12u", "task_struct->real_parent", 32,
				      task_member_offset("real_parent"), 32));
	free(out);
	out = test_run_cmd(&st, "%s core %s --btf /nonexistent", test_path("rawbpf"),
			   test_path(KINDS));
	ASSERT(1, st);
	ASSERT_CONTAINS(out, "cannot read /nonexistent");
	free(out);
}

TEST(core_cmd_disasm_and_verify_show_relocations)
{
	char *out;
	int st;

	if (access("/sys/kernel/btf/vmlinux", R_OK))
		SKIP("no kernel BTF");
	out = test_run_cmd(&st, "%s disasm %s on_switch", test_path("rawbpf"), test_path(KINDS));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "(61) r2 = *(u32 *)(r2 +8)    ; CO-RE field byte offset "
			"task_struct->pid: 8, here");
	free(out);
	NEED_ROOT();
	out = test_run_cmd(&st, "%s verify %s on_switch", test_path("rawbpf"), test_path(KINDS));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "^ CO-RE task_struct->pid");
	ASSERT_CONTAINS(out, "field byte offset: 8 in the object,");
	free(out);
	out = test_run_cmd(&st, "%s verify %s", test_path("rawbpf"),
			   test_path("tests/bpf/elf_core.bpf.o"));
	ASSERT(1, st);
	ASSERT_CONTAINS(out, "hint: insn 3: task_like->tgid does not exist in this kernel's BTF");
	free(out);
}
