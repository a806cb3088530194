/*
 * exercise_wrong.c -- every "not yet" an exercise checker can print, triggered by a
 * wrong attempt, and the proof that none is missing.
 *
 * A learner who gets an exercise wrong reads one line; that line is only worth
 * something if it names their mistake, so each message has a test: a private copy of
 * the project (or of the reference solution) with one sed edit -- the mistake -- is
 * given to the checker through `make exercise ... TREE=copy`, and its one line must
 * contain the message, with a failing status and no `make: ***` after it.  The
 * messages the unmodified project triggers are the EXERCISE lines of exercises.c.
 *
 * exercise_every_message_tested reads the checkers (tutorial/exercises/L-N.sh, lib.sh,
 * 7-lib.inc): each not_yet call and each retval call (lesson 7's "returned the wrong
 * value") must be named by a record here or in exercises.c, and each record must name
 * exactly one of them.  So a message added to a checker without its attempt fails
 * the suite.  Records, checker by checker (S: the start, exercises.c's exercise_L_N;
 * otherwise exercise_wrong_NAME):
 *
 *   lib.sh     X.c to compile (user side)  1_1_compile  | X.bpf.c to compile  3_1_compile
 *   7-lib.inc  the verifier to accept      S 7-1 7-2 7-3 | BPF_PROG_TEST_RUN can run 7_1_name
 *   1-1  S; r2 = 12: 1_1_size; no line 1_1_noline; wrong order 1_1_order; exactly 1_1_letters
 *   1-2  S; verifier 1_2_verifier; "Hello World!" still printed 1_2_text
 *   2-1  S; "Hello World from N" line 2_1_noline; the upper half 2_1_uid
 *   3-1  S; whole pid_tgid 3_1_tgid; a line "ID p: 1" 3_1_other
 *   4-1  S; a count bumped on the discard path 4_1_zero
 *   5-1  S (also 5_1_inline); a line "Syscall: N pid P" 5_1_format
 *   5-2  S; no line 5_2_noline; another refusal 5_2_other
 *   6-1  S; the "Opening a file" line 6_1_text
 *   6-2  S; failed tail call 6_2_failed; one off 6_2_off; no line 6_2_noline; N runs 6_2_runs
 *   7-1  retval 2 7_1_pass; retval 2 on an empty map 7_1_null; counting kept 7_1_count
 *   7-2  retval 2 7_2_pass; counting kept 7_2_count
 *   7-3  ARP dropped 7_3_arp; IPv4 passed 7_3_ipv4; longer ARP dropped 7_3_longer
 *   8-1  S; load refused 8_1_load; no counter_table 8_1_name; an older pin 8_1_older;
 *        the second load's reuse: NEVER (8_1_reuse says why)
 *   8-2  S; load refused 8_2_load; not counting 8_2_attach; exit status 8_2_status;
 *        not the sum 8_2_sum
 *   9-1  S (its only message)
 *   9-2  S; NR_CPUS value 9_2_value
 *   10-1 S; other counts 10_1_even
 *   10-2 S; no line 10_2_line; 0 bytes 10_2_zero
 *   11-1 S; not run to the totals 11_1_load; frames 11_1_frames; nothing 11_1_none;
 *        other bytes 11_1_other
 *   12-1 S; load/attach 12_1_load; no line 12_1_order; flags 0x0 12_1_zero;
 *        other flags 12_1_flags
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "exercises.h"
#include "rawbpf.h"
#include "test.h"

/* EX_PINNED: a map of its own at the pin exercise 8-1 expects; its fd, or -1. */
static int pin_another_map(const char *path)
{
	struct rbpf_map_create_args a = { 0 };
	int fd;

	a.type = BPF_MAP_TYPE_HASH, a.name = "rbpf_not_mine";
	a.key_size = 8, a.value_size = 8, a.max_entries = 1;
	fd = rbpf_map_create(&a);
	ASSERT_TRUE(fd >= 0, "a map to pin: %s", rbpf_errmsg());
	ASSERT_TRUE(access(path, F_OK) != 0, "%s is there already", path);
	ASSERT_OK(rbpf_obj_pin(fd, path));
	return fd;
}

static void check_wrong(const struct ex_msg *w)
{
	char dir[] = "/tmp/rawbpf-wrong.XXXXXX", what[512], *out;
	const char *pin = "/sys/fs/bpf/counter_table";
	int st, fd = -1;

	ex_need(w->l, w->n);
	NEED_CMD("clang");   /* the lab VM has no kept build of a wrong attempt */
	ex_copy_project(dir, w->l, w->n, w->from == EX_SOLVED);
	snprintf(what, sizeof(what), "the wrong attempt (sed '%s' on %s)", w->sed ? w->sed : "",
		 w->file ? w->file : "nothing");
	if (w->sed) {
		out = test_run_cmd(&st, "cd %s && cp %s before && sed -i -e '%s' %s && "
				   "! cmp -s before %s", dir, w->file, w->sed, w->file, w->file);
		ASSERT_TRUE(st == 0, "%s changed nothing:\n%s", what, out);
		free(out);
	}
	if (w->from == EX_PINNED)
		fd = pin_another_map(pin);
	out = ex_run_checker(w->l, w->n, dir, &st);
	if (fd >= 0) {
		/* the checker leaves a pin it did not make where it was */
		ASSERT_TRUE(access(pin, F_OK) == 0, "the checker removed %s, which it did not make",
			    pin);
		unlink(pin);
		close(fd);
	}
	ex_assert_not_yet(out, st, w->says ? w->says : w->src, what);
	free(out);
}

#define WRONG(NAME, L, N, FROM, FILE, SED, SRC, SAYS)                              \
	static struct ex_msg w_##NAME = { #NAME, L, N, FROM, FILE, SED, SRC, SAYS, NULL }; \
	EX_MSG_REGISTER(w_##NAME)                                                  \
	TEST(exercise_wrong_##NAME) { check_wrong(&w_##NAME); }
#define NEVER(NAME, L, N, SRC, WHY)                                                \
	static struct ex_msg w_##NAME = { #NAME, L, N, EX_NEVER, NULL, NULL, SRC, WHY, NULL }; \
	EX_MSG_REGISTER(w_##NAME)

/* lib.sh: a compile error in the learner's user-space file, and in a BPF file */
WRONG(1_1_compile, 1, 1, EX_PROJECT, "asm/hello.c",
      "s/BPF_MOV64_IMM(BPF_REG_0, 0),/BPF_MOV64_IMM(BPF_REG_0, 0)/",
      "first_error \"$WORK/cc.log\"",
      "not yet: hello.c to compile; seen: hello.c:49:9: error: called object is not a function")
WRONG(3_1_compile, 3, 1, EX_PROJECT, "progs/hello_map.bpf.c", "s/^\tu64 uid = .*/\tu64 uid = )/",
      "first_error \"$WORK/clang.log\"", "not yet: hello_map.bpf.c to compile; seen: hello_map.bpf.c:")

/* 1-1: "Hello eBPF!" from raw instructions */
WRONG(1_1_size, 1, 1, EX_SOLVED, "asm/hello.c", "s/BPF_REG_2, 12)/BPF_REG_2, 11)/",
      "r2 = 12: \\\"Hello eBPF!\\\" and its zero are 12 bytes",
      "not yet: r2 = 12: \"Hello eBPF!\" and its zero are 12 bytes")
WRONG(1_1_noline, 1, 1, EX_SOLVED, "asm/hello.c", "s/0x00214650/0x01214650/",
      "no line from the program; its last line",
      "not yet: a \"Hello eBPF!\" line; seen: no line from the program; its last line")
WRONG(1_1_order, 1, 1, EX_SOLVED, "asm/hello.c", "s/0x4265206f6c6c6548ULL/0x6542206f6c6c6548ULL/",
      "the right letters in the wrong order", "the right letters in the wrong order: \"Hello Be")
WRONG(1_1_letters, 1, 1, EX_SOLVED, "asm/hello.c", "s/0x00214650/0x00214750/",
      "exactly \\\"Hello eBPF!\\\"",
      "not yet: exactly \"Hello eBPF!\" (check the last bytes, and r2 counts the zero); "
      "seen: \"Hello eBPG!\"")

/* 1-2: four-byte stores only */
WRONG(1_2_verifier, 1, 2, EX_SOLVED, "asm/hello.c",
      "s/BPF_REG_10, -16, 0x6c6c6548/BPF_REG_10, 16, 0x6c6c6548/",
      "the verifier to accept the program", "not yet: the verifier to accept the program; seen: ")
WRONG(1_2_text, 1, 2, EX_SOLVED, "asm/hello.c", "s/0x21646c72/0x3f646c72/",
      "still printed, all twelve characters",
      "still printed, all twelve characters and the zero; seen: Hello World?")

/* 2-1: the pid in the message */
WRONG(2_1_noline, 2, 1, EX_SOLVED, "progs/hello.bpf.c", "s/\"Hello World from %d\"/\"Hello from %d\"/",
      "a \\\"Hello World from N\\\" line", "not yet: a \"Hello World from N\" line; seen: Hello from ")
WRONG(2_1_uid, 2, 1, EX_SOLVED, "progs/hello.bpf.c",
      "s/bpf_get_current_pid_tgid() >> 32/bpf_get_current_uid_gid()/",
      "the upper half of bpf_get_current_pid_tgid() (>> 32)",
      "the upper half of bpf_get_current_pid_tgid() (>> 32); seen: pid ")

/* 3-1: a counter per process */
WRONG(3_1_tgid, 3, 1, EX_SOLVED, "progs/hello_map.bpf.c",
      "s/bpf_get_current_pid_tgid() >> 32/bpf_get_current_pid_tgid()/",
      "the whole pid_tgid, the thread id in the low half", NULL)
WRONG(3_1_other, 3, 1, EX_SOLVED, "progs/hello_map.bpf.c",
      "s/bpf_get_current_pid_tgid() >> 32/bpf_get_current_pid_tgid() >> 33/",
      "for the /bin/true the checker ran", "for the /bin/true the checker ran (pid ")

/* 4-1: counting discards */
WRONG(4_1_zero, 4, 1, EX_SOLVED, "progs/hello_ringbuf.bpf.c", "/__sync_fetch_and_add(n, 1);/d",
      "a count bumped on the discard path", "a count bumped on the discard path (--trigger ran "
      "/bin/true as root, and --ignore-uid 0 discards those); seen: discarded 0")

/* 5-1: a second call */
WRONG(5_1_inline, 5, 1, EX_SOLVED, "progs/hello_func.bpf.c",
      "s/static __noinline u32 get_pid/static u32 get_pid/",
      "two BPF-to-BPF calls in the loaded program", NULL)
WRONG(5_1_format, 5, 1, EX_SOLVED, "progs/hello_func.bpf.c",
      "s/\"Syscall: %d pid %d\"/\"Syscall: %d from %d\"/",
      "a line \\\"Syscall: N pid P\\\"", "not yet: a line \"Syscall: N pid P\"; seen: ")

/* 5-2: 300 bytes off the stack */
WRONG(5_2_noline, 5, 2, EX_PROJECT, "progs/limits.c",
      "s/\"combined stack 300+300 (socket filter)\"/\"combined stack (socket filter)\"/",
      "a line for the 300+300 socket filter from limits stack", NULL)
WRONG(5_2_other, 5, 2, EX_SOLVED, "progs/limits.bpf.c",
      "s/bpf_skb_load_bytes(skb, 0, buf, 300)/bpf_skb_load_bytes(skb, 0, buf, 400)/",
      "the 300+300 socket filter accepted", "not yet: the 300+300 socket filter accepted; seen: ")

/* 6-1: a program for openat */
WRONG(6_1_text, 6, 1, EX_SOLVED, "progs/hello_tail.bpf.c", "s/\"Opening a file\"/\"Opening\"/",
      "an \\\"Opening a file\\\" line from the program in slot 257",
      "an \"Opening a file\" line from the program in slot 257")

/* 6-2: a chain that stops itself */
WRONG(6_2_off, 6, 2, EX_SOLVED, "progs/limits.bpf.c", "s/\\*runs >= 10/*runs > 10/",
      "exactly 10 runs: bump(0, 1)", "ran 11 times, one off")
WRONG(6_2_failed, 6, 2, EX_SOLVED, "progs/limits.bpf.c",
      "/runs >= 10)$/d; /the chain stops itself/d; "
      "s/SLOT_CHAIN);/runs \\&\\& *runs >= 10 ? SLOT_EMPTY : SLOT_CHAIN);/",
      "the chain stopped on a failed tail call", NULL)
WRONG(6_2_noline, 6, 2, EX_PROJECT, "progs/limits.c", "s/chain tail-calls itself:/chain calls itself:/",
      "a line \\\"chain tail-calls itself: ...\\\" from limits tailcalls",
      "not yet: a line \"chain tail-calls itself: ...\" from limits tailcalls")
WRONG(6_2_runs, 6, 2, EX_SOLVED, "progs/limits.bpf.c", "s/\\*runs >= 10/*runs >= 5/",
      "(is the count read from counters, slot 0?)", "not yet: 10 runs; seen: ran 5 times (is the "
      "count read from counters, slot 0?)")

/* 7-1, 7-2, 7-3: accepted, and still doing the job */
WRONG(7_1_name, 7, 1, EX_SOLVED, "progs/bad_null_check.bpf.c", "s/^int null_check(/int null_checked(/",
      "a program BPF_PROG_TEST_RUN can run", "not yet: a program BPF_PROG_TEST_RUN can run; seen: ")
WRONG(7_1_pass, 7, 1, EX_SOLVED, "progs/bad_null_check.bpf.c",
      "/^\t\\*count += 1;$/{n;s/XDP_PASS/XDP_DROP/}",
      "XDP_PASS (2) returned, as before", "not yet: XDP_PASS (2) returned, as before; seen: retval 1")
WRONG(7_1_null, 7, 1, EX_SOLVED, "progs/bad_null_check.bpf.c",
      "/if (!count)/{n;s/XDP_PASS/XDP_DROP/}",
      "with an empty map too", "with an empty map too: the NULL path passes the packet; seen: retval 1")
WRONG(7_1_count, 7, 1, EX_SOLVED, "progs/bad_null_check.bpf.c", "/^\t\\*count += 1;/d",
      "counting kept: seen[0] = 41", NULL)
WRONG(7_2_pass, 7, 2, EX_SOLVED, "progs/bad_index_bounds.bpf.c",
      "s/^\treturn XDP_PASS;$/\treturn XDP_DROP;/",
      "XDP_PASS (2) returned, as before", "not yet: XDP_PASS (2) returned, as before; seen: retval 1")
WRONG(7_2_count, 7, 2, EX_SOLVED, "progs/bad_index_bounds.bpf.c", "/^\ts->count\\[i\\] += 1;/d",
      "counting kept: a packet on queue 0 makes s->count[0] 1", NULL)
WRONG(7_3_arp, 7, 3, EX_SOLVED, "progs/bad_packet_bounds.bpf.c", "s/return XDP_DROP;/return XDP_PASS;/",
      "an ARP frame (bytes 12-13: 08 06) dropped", NULL)
WRONG(7_3_ipv4, 7, 3, EX_SOLVED, "progs/bad_packet_bounds.bpf.c",
      "s/^\treturn XDP_PASS;$/\treturn XDP_DROP;/",
      "an IPv4 frame (bytes 12-13: 08 00) passed", "an IPv4 frame (bytes 12-13: 08 00) passed, "
      "XDP_PASS (2); seen: retval 1")
WRONG(7_3_longer, 7, 3, EX_SOLVED, "progs/bad_packet_bounds.bpf.c",
      "s/if (data + 14 > end)/if (data + 14 > end || data + 15 <= end)/",
      "a longer ARP frame dropped too", "a longer ARP frame dropped too, XDP_DROP (1); seen: retval 2")

/* 8-1: a pinned map */
WRONG(8_1_load, 8, 1, EX_SOLVED, "progs/hello_map.bpf.c", "s/max_entries, 10240/max_entries, 0/",
      "an object rawbpf load accepts", "not yet: an object rawbpf load accepts; seen: ")
WRONG(8_1_name, 8, 1, EX_PROJECT, "progs/hello_map.bpf.c", "s/counter_table/counts/g",
      "a map named counter_table in what rawbpf load lists",
      "a map named counter_table in what rawbpf load lists; seen: map counts")
WRONG(8_1_older, 8, 1, EX_PINNED, NULL, NULL, "an older pin stays until removed",
      "the pin to hold the map this load created (id ")
NEVER(8_1_reuse, 8, 1, "the second load to reuse the pinned map",
      "a guard on rawbpf load, not on the learner's file: the first load of the same "
      "object created the pin, so the map there has the object's shape, and rawbpf load "
      "reuses any pinned map of that shape (and refuses one of another shape)")

/* 8-2: a per-CPU map and its sum */
WRONG(8_2_load, 8, 2, EX_SOLVED, "progs/hello_map.bpf.c", "s/max_entries, 10240/max_entries, 0/",
      "an object rawbpf load accepts", "not yet: an object rawbpf load accepts; seen: ")
WRONG(8_2_attach, 8, 2, EX_SOLVED, "progs/hello_map.c",
      "s/\"hello\", \"hello_raw\"/\"hello_x\", \"hello_y\"/",
      "your hello_map counting", "not yet: your hello_map counting; seen: ")
WRONG(8_2_status, 8, 2, EX_SOLVED, "progs/hello_map.c",
      "s/return err == -ENOENT ? 0 : err;/return -EINVAL;/",     /* stops with an error */
      "your hello_map to run to its end", "not yet: your hello_map to run to its end (a lookup "
      "of a per-CPU map fills one 8-byte value per possible CPU: is the buffer that big?); "
      "seen: it exited with status 1 (hello_map: reading counter_table: Invalid argument)")
WRONG(8_2_sum, 8, 2, EX_SOLVED, "progs/hello_map.c", "s/i < ncpus; i++/i < 1; i++/",
      "the sum over every possible CPU", "the sum over every possible CPU "
      "(rbpf_num_possible_cpus()), not the first CPU's value; seen: 50 execve calls as uid 65534")

/* 9-2: a __kconfig value */
WRONG(9_2_value, 9, 2, EX_SOLVED, "progs/task_core.bpf.c",
      "s/e->nr_cpus = CONFIG_NR_CPUS;/e->nr_cpus = CONFIG_NR_CPUS + 1;/",
      "a line ending in \\\"NR_CPUS $want\\\"", "not yet: a line ending in \"NR_CPUS ")

/* 10-1, 10-2: uprobes */
WRONG(10_1_even, 10, 1, EX_SOLVED, "progs/uprobe.bpf.c",
      "s/if (!(ARG1(ctx) & 1))/if (ARG1(ctx) \\& 1)/",
      "a line \\\"add_to_total entered 3 times, returned 5 times\\\"",
      "not yet: a line \"add_to_total entered 3 times, returned 5 times\"; seen: uprobed (pid ")
WRONG(10_2_line, 10, 2, EX_SOLVED, "progs/uprobe.c", "s/ for %llu bytes/: %llu bytes/",
      "a line \\\"ls (pid N): malloc called C times for B bytes\\\"",
      "not yet: a line \"ls (pid N): malloc called C times for B bytes\" from progs/uprobe.c")
WRONG(10_2_zero, 10, 2, EX_SOLVED, "progs/uprobe.bpf.c", "s/size = ARG1(ctx)/size = 0/",
      "ARG1(ctx) added to the process's entry of libc_bytes", NULL)

/* 11-1: bytes per kind */
WRONG(11_1_load, 11, 1, EX_SOLVED, "progs/packets.bpf.c",
      "s/add(&bytes, kind, ctx->data_end - ctx->data)/add(\\&bytes, kind, *(u8 *)(long)ctx->data)/",
      "progs/packets to run to its totals", "not yet: progs/packets to run to its totals; seen: ")
WRONG(11_1_frames, 11, 1, EX_SOLVED, "progs/packets.bpf.c", "s/ctx->data_end - ctx->data)/1)/",
      "bytes, not frames: add data_end - data, not 1", NULL)
WRONG(11_1_none, 11, 1, EX_SOLVED, "progs/packets.bpf.c", "/add(&bytes, kind/d",
      "the frame's length added to bytes[kind] in count_packets", NULL)
WRONG(11_1_other, 11, 1, EX_SOLVED, "progs/packets.bpf.c",
      "s/ctx->data_end - ctx->data)/2 * (ctx->data_end - ctx->data))/",
      "icmp 294 (three 98-byte ping frames)", "not yet: icmp 294 (three 98-byte ping frames); seen: "
      "total bytes in:")

/* 12-1: the open's flags in the record */
WRONG(12_1_load, 12, 1, EX_SOLVED, "progs/opens.bpf.c", "/^\tif (!e)$/,/^\t\treturn 0;$/d",
      "opens to load and attach", "not yet: opens to load and attach; seen: ")
WRONG(12_1_zero, 12, 1, EX_SOLVED, "progs/opens.bpf.c",
      "s/fill(e, ctx->filename, ctx->flags)/fill(e, ctx->filename, 0)/",
      "the flags from the tracepoint's flags argument (ctx->flags)", NULL)
WRONG(12_1_order, 12, 1, EX_SOLVED, "progs/opens.c",
      "/^\tuint64_t flags;$/d; s/^\tuint32_t pid;$/&\\n\tuint64_t flags;/",
      "(print_event skips records smaller than its struct event",
      "same fields, in the same order, on both sides?); seen: cat ran, and no line came")
WRONG(12_1_flags, 12, 1, EX_SOLVED, "progs/opens.bpf.c",
      "s/fill(e, ctx->filename, ctx->flags)/fill(e, ctx->filename, ctx->flags | 1)/",
      "flags 0x80000 (O_RDONLY | O_CLOEXEC)", "not yet: flags 0x80000 (O_RDONLY | O_CLOEXEC): does "
      "struct event have the same fields, in the same order, on both sides?; seen: cat (pid ")

/* The places in a checker's line that print a "not yet": its not_yet calls (not the
 * one in 7-lib.inc's retval, whose message is the call's) and the retval calls. */
static int is_site(const char *line)
{
	const char *p = line + strspn(line, " \t");

	return (strstr(line, "not_yet \"") && !strstr(line, "not_yet \"$2\"")) ||
	       strncmp(p, "retval ", 7) == 0;
}

/* The next statement of f in buf: a line and the lines it continues on (a line
 * ending in a backslash goes on); *no counts the lines.  0 at the end. */
static int next_stmt(FILE *f, char *buf, size_t size, int *no)
{
	size_t len = 0;

	buf[0] = 0;
	while (len + 1 < size && fgets(buf + len, (int)(size - len), f)) {
		++*no;
		len = strlen(buf);
		if (len < 2 || buf[len - 2] != '\\' || buf[len - 1] != '\n')
			return 1;
	}
	return len > 0;
}

/* Does the checker file `name` (a basename) belong to record m: its own L-N.sh, or a
 * file every checker (lib.sh) or lesson 7's (7-lib.inc) shares? */
static int file_of(const struct ex_msg *m, const char *name)
{
	char own[32];

	snprintf(own, sizeof(own), "%d-%d.sh", m->l, m->n);
	return !strcmp(name, own) || !strcmp(name, "lib.sh") ||
	       (m->l == 7 && !strcmp(name, "7-lib.inc"));
}

TEST(exercise_every_message_tested)
{
	char *names, *name, *save, path[512], line[4096], *missing = NULL;
	size_t mlen = 0;
	FILE *f, *mf = open_memstream(&missing, &mlen);
	int st, sites = 0;

	ASSERT_TRUE(mf != NULL, "open_memstream: %s", strerror(errno));
	names = test_run_cmd(&st, "cd tutorial/exercises && ls [0-9]*-[0-9]*.sh lib.sh 7-lib.inc");
	ASSERT_TRUE(st == 0, "the checkers: %s", names);
	for (name = strtok_r(names, "\n", &save); name; name = strtok_r(NULL, "\n", &save)) {
		snprintf(path, sizeof(path), "tutorial/exercises/%s", name);
		ASSERT_TRUE((f = fopen(path, "r")) != NULL, "%s: %s", path, strerror(errno));
		for (int no = 0; next_stmt(f, line, sizeof(line), &no);) {
			int found = 0;

			if (!is_site(line))
				continue;
			sites++;
			for (struct ex_msg *m = ex_msgs; m && !found; m = m->next)
				found = file_of(m, name) && strstr(line, m->src);
			if (!found)
				fprintf(mf, "  %s:%d has no attempt: %s", path, no, line);
		}
		fclose(f);
	}
	free(names);
	fclose(mf);
	ASSERT_TRUE(sites > 40, "only %d messages found in the checkers", sites);
	ASSERT_TRUE(mlen == 0, "messages no test triggers:\n%s", missing);
	free(missing);
}

/* Each record names one message: its text is in exactly one place of its checker's
 * files (a record that names none is stale; one that names two proves only one). */
TEST(exercise_records_name_one_message)
{
	char path[512], line[4096];
	const char *files[3] = { "lib.sh", "7-lib.inc", NULL };
	int n;
	FILE *f;

	for (struct ex_msg *m = ex_msgs; m; m = m->next) {
		char own[32];

		snprintf(own, sizeof(own), "%d-%d.sh", m->l, m->n);
		files[2] = own;
		n = 0;
		for (int i = 0; i < 3; i++) {
			if (!file_of(m, files[i]))
				continue;
			snprintf(path, sizeof(path), "tutorial/exercises/%s", files[i]);
			ASSERT_TRUE((f = fopen(path, "r")) != NULL, "%s: %s", path, strerror(errno));
			for (int no = 0; next_stmt(f, line, sizeof(line), &no);)
				n += is_site(line) && strstr(line, m->src) != NULL;
			fclose(f);
		}
		ASSERT_TRUE(n == 1, "record %s (exercise %d-%d): \"%s\" is in %d of its checker's "
			    "messages", m->name, m->l, m->n, m->src, n);
		ASSERT_TRUE(m->from != EX_NEVER || (m->says && strlen(m->says) > 40),
			    "record %s: a message no attempt triggers says why", m->name);
	}
}
