/*
 * object_cmd.c -- `rawbpf load`: the object loader through the command, and what it
 * prints agreeing with bpftool's view of the same programs and maps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rawbpf.h"
#include "test.h"

static void need_bpffs(void)
{
	int st;
	char *out = test_run_cmd(&st, "mountpoint -q /sys/fs/bpf || "
				 "mount -t bpf bpf /sys/fs/bpf");

	free(out);
	if (st != 0)
		SKIP("no bpffs at /sys/fs/bpf and cannot mount one");
}

TEST(obj_cmd_load)
{
	char *out;
	int st;

	NEED_ROOT();
	out = test_run_cmd(&st, "%s/rawbpf load %s", test_build,
			   test_path("tests/bpf/elf_globals.bpf.o"));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "map  .rodata");
	ASSERT_CONTAINS(out, "prog globals");
	ASSERT_CONTAINS(out, " xdp ");
	free(out);
	out = test_run_cmd(&st, "%s/rawbpf load %s", test_build,
			   test_path("tests/bpf/elf_reject.bpf.o"));
	ASSERT(1, st);
	ASSERT_CONTAINS(out, "prog good");
	ASSERT_CONTAINS(out, "R0 invalid mem access");       /* the verifier log */
	ASSERT_CONTAINS(out, "rawbpf: object");
	free(out);
	out = test_run_cmd(&st, "%s/rawbpf load %s --log-level 2", test_build,
			   test_path("tests/bpf/elf_subprog.bpf.o"));
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "prog sub_second");
	ASSERT_CONTAINS(out, "; return global_add(twice(sum), 1);");   /* source lines */
	ASSERT_CONTAINS(out, "call pc+");                               /* subprogram calls */
	free(out);
	out = test_run_cmd(&st, "%s/rawbpf load", test_build);
	ASSERT(2, st);
	ASSERT_CONTAINS(out, "usage: rawbpf load");
	free(out);
}

TEST(obj_cmd_load_pin)
{
	char dir[64], *out;
	int st;

	NEED_ROOT();
	need_bpffs();
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/rbpf-load-%d", (int)getpid());
	out = test_run_cmd(&st, "%s/rawbpf load %s --pin %s && ls %s/progs %s/maps",
			   test_build, test_path("tests/bpf/elf_tailcall.bpf.o"), dir, dir, dir);
	ASSERT(0, st);
	ASSERT_CONTAINS(out, "entry");
	ASSERT_CONTAINS(out, "jumps");
	free(out);
	/* the pinned table outlived the command and still holds its initial value */
	out = test_run_cmd(&st, "bpftool map dump pinned %s/maps/jumps 2>&1; rm -rf %s",
			   dir, dir);
	if (st == 0)
		ASSERT_CONTAINS(out, "01 00 00 00");
	free(out);
	/* global data pinned without dots; its BTF (DATASEC fixed up) names the variables */
	out = test_run_cmd(&st, "%s/rawbpf load %s --pin %s >/dev/null && "
			   "bpftool map dump pinned %s/maps/rodata; rm -rf %s", test_build,
			   test_path("tests/bpf/elf_globals.bpf.o"), dir, dir, dir);
	if (strstr(out, "bpftool: not found") == NULL) {
		ASSERT(0, st);
		ASSERT_CONTAINS(out, "\"factor\": 3");
	}
	free(out);
}

/* The number after " id " on the line that starts with what, or 0. */
static unsigned id_after(const char *out, const char *what)
{
	const char *line = strstr(out, what), *id = line ? strstr(line, " id ") : NULL;
	unsigned n = 0;

	return id && sscanf(id, " id %u", &n) == 1 ? n : 0;
}

/* What rawbpf load prints agrees with bpftool's view of the same ids. */
TEST(obj_cmd_load_agrees_with_bpftool)
{
	char dir[64], *out, *bt;
	unsigned prog_id, map_id;
	int st;

	NEED_ROOT();
	NEED_CMD("bpftool");
	need_bpffs();
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/rbpf-agree-%d", (int)getpid());
	out = test_run_cmd(&st, "%s/rawbpf load %s --pin %s", test_build,
			   test_path("tests/bpf/elf_btfmap.bpf.o"), dir);
	ASSERT(0, st);
	prog_id = id_after(out, "prog count_runs");
	map_id = id_after(out, "map  counts");
	ASSERT_TRUE(prog_id && map_id, "ids in: %s", out);
	bt = test_run_cmd(&st, "bpftool prog show id %u; bpftool map show id %u; rm -rf %s",
			  prog_id, map_id, dir);
	ASSERT_CONTAINS(bt, test_fmt("%u: xdp  name count_runs", prog_id));
	ASSERT_CONTAINS(bt, test_fmt("map_ids %u,", map_id));
	ASSERT_CONTAINS(bt, test_fmt("%u: hash  name counts  flags 0x0", map_id));
	ASSERT_CONTAINS(bt, "key 4B  value 8B  max_entries 16");
	free(bt);
	free(out);
}
