/*
 * tracepipe.c -- the trace_pipe reader: parsing real lines, reading a private tracefs
 * instance (so no other reader on the machine can take our lines), and the whole path
 * from a raw-instruction bpf_trace_printk program to a parsed line carrying the pid.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "common.h"

/* Lines as this machine's trace_pipe printed them (the first from trace_marker). */
static const struct {
	const char *line, *task;
	int pid, cpu;
	double ts;
	const char *msg;
} lines[] = {
	{ "           <...>-17792   [001] ...1.   728.761694: tracing_mark_write: hello marker",
	  "<...>", 17792, 1, 728.761694, "tracing_mark_write: hello marker" },
	{ "            true-4242    [000] d..31  1234.567890: bpf_trace_printk: Hello World!",
	  "true", 4242, 0, 1234.567890, "Hello World!" },
	/* irq-info off: no flags column; a task name with a space and a dash */
	{ "  kworker/u8:2 x-y-77 [013]   99.000001: bpf_trace_printk: a: b",
	  "kworker/u8:2 x-y", 77, 13, 99.000001, "a: b" },
};

TEST(tracepipe_parse_lines)
{
	struct rbpf_trace_line t;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		ASSERT(0, rbpf_trace_parse(lines[i].line, &t));
		ASSERT_STREQ(lines[i].task, t.task);
		ASSERT(lines[i].pid, t.pid);
		ASSERT(lines[i].cpu, t.cpu);
		ASSERT_TRUE(t.ts > lines[i].ts - 1e-7 && t.ts < lines[i].ts + 1e-7, "ts %f", t.ts);
		ASSERT_STREQ(lines[i].msg, t.msg);
	}
}

TEST(tracepipe_parse_odd_lines)
{
	static const char *odd[] = { "CPU:1 [LOST 12 EVENTS]", "", "no brackets here",
				     "  task-12 [003] notatime: x" };
	struct rbpf_trace_line t;
	size_t i;

	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		ASSERT(-EINVAL, rbpf_trace_parse(odd[i], &t));
		ASSERT(-1, t.pid);
		ASSERT_STREQ(odd[i], t.msg);
	}
}

struct seen {
	int want_pid;
	const char *want_text;
	int lines, found;
	struct rbpf_trace_line hit;
	char msg[256];
};

static int on_line(void *ctx, const struct rbpf_trace_line *t)
{
	struct seen *s = ctx;

	s->lines++;
	if (t->pid == s->want_pid && strstr(t->msg, s->want_text)) {
		s->found = 1;
		s->hit = *t;
		snprintf(s->msg, sizeof(s->msg), "%s", t->msg);
		return 1;
	}
	return 0;
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_APPEND);

	ASSERT_TRUE(fd >= 0, "open %s: %s", path, strerror(errno));
	ASSERT((long)strlen(text), write(fd, text, strlen(text)));
	close(fd);
}

/* Our own tracefs instance: trace_marker writes to it, its trace_pipe is ours alone.
 * Lines are written in two bursts to exercise reads that end mid-stream. */
TEST(tracepipe_reads_instance_lines)
{
	char dir[256], path[300], text[64];
	struct rbpf_tracepipe *tp;
	struct seen s = { .want_pid = getpid(), .want_text = "rbpf marker 199" };
	int i, r, total = 0;

	NEED_TRACEFS();
	test_tracefs_instance("rbpf_test", dir, sizeof(dir), &tp);
	ASSERT(0, rbpf_tracepipe_read(tp, on_line, &s));       /* empty: EAGAIN is 0 */
	snprintf(path, sizeof(path), "%s/trace_marker", dir);
	for (i = 0; i < 200; i++) {
		snprintf(text, sizeof(text), "rbpf marker %d", i);
		write_file(path, text);
		if (i == 99)
			total += rbpf_tracepipe_read(tp, on_line, &s);
	}
	for (i = 0; i < 50 && !s.found; i++) {
		r = rbpf_tracepipe_read(tp, on_line, &s);
		ASSERT_OK(r);
		total += r;
		if (!s.found)
			usleep(20000);
	}
	rbpf_tracepipe_close(tp);
	rmdir(dir);
	ASSERT_TRUE(s.found, "marker 199 not seen in %d lines", s.lines);
	ASSERT(200, s.lines);
	ASSERT(200, total);
	ASSERT_STREQ("tracing_mark_write: rbpf marker 199", s.msg);
	ASSERT(getpid(), s.hit.pid);
	ASSERT_TRUE(s.hit.cpu >= 0 && s.hit.ts > 0, "cpu %d ts %f", s.hit.cpu, s.hit.ts);
}

/*
 * bpf_trace_printk("rbpf-tp:%d\n", tgid) on sched_process_exec, as raw instructions.
 * The format string is built on the stack: 8 bytes, then 4 ("%d\n\0").
 */
static int load_printk_prog(void)
{
	uint64_t w0;
	uint32_t w1;

	memcpy(&w0, "rbpf-tp:", 8);
	memcpy(&w1, "%d\n", 4);
	struct bpf_insn insns[] = {
		BPF_LD_IMM64(BPF_REG_1, w0),
		BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -16),
		BPF_ST_MEM(BPF_W, BPF_REG_10, -8, (int32_t)w1),
		BPF_EMIT_CALL(BPF_FUNC_get_current_pid_tgid),
		BPF_ALU64_IMM(BPF_RSH, BPF_REG_0, 32),
		BPF_MOV64_REG(BPF_REG_3, BPF_REG_0),        /* r3 = tgid, the %d */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -16),     /* r1 = fmt */
		BPF_MOV64_IMM(BPF_REG_2, 12),               /* r2 = sizeof fmt */
		BPF_EMIT_CALL(BPF_FUNC_trace_printk),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};

	return TEST_LOAD(BPF_PROG_TYPE_TRACEPOINT, "t_printk", insns);
}

/* The chapter's hello world, end to end.  trace_pipe is shared with everything else on
 * the machine, and another reader may take a line first: so run /bin/true up to 20
 * times and ask for one of its lines. */
TEST(tracepipe_printk_carries_pid)
{
	struct rbpf_tracepipe *tp;
	struct rbpf_link *l;
	struct seen s = { .want_text = "rbpf-tp:" };
	char want[32];
	int prog, tries, i, r;

	NEED_TRACE_PIPE();
	test_timeout(60);
	prog = load_printk_prog();
	/* One reader at a time: wait up to 20 s for another test or lesson to finish. */
	for (tries = 0; (r = rbpf_tracepipe_open(&tp)) == -EBUSY && tries < 100; tries++)
		usleep(200000);
	if (r == -EBUSY)
		SKIP("%s", rbpf_errmsg());
	ASSERT_OK(r);
	ASSERT_OK(rbpf_attach_tracepoint(prog, "sched", "sched_process_exec", &l));
	for (tries = 0; tries < 20 && !s.found; tries++) {
		s.want_pid = test_run_true();
		snprintf(want, sizeof(want), "rbpf-tp:%d", s.want_pid);
		s.want_text = want;
		for (i = 0; i < 20 && !s.found; i++) {
			ASSERT_OK(rbpf_tracepipe_read(tp, on_line, &s));
			if (!s.found)
				usleep(10000);
		}
	}
	rbpf_link_destroy(l);
	rbpf_tracepipe_close(tp);
	ASSERT_TRUE(s.found, "no line \"%s\" from pid %d in %d lines", want, s.want_pid, s.lines);
	ASSERT_TRUE(!strcmp(s.hit.task, "true") || !strcmp(s.hit.task, "<...>"),
		    "task %s", s.hit.task);
	ASSERT_STREQ(want, s.msg);
}

struct feeder { int marker_fd, lines; };

/* Every line read writes another: the pipe is never empty. */
static int feed_back(void *ctx, const struct rbpf_trace_line *t)
{
	struct feeder *f = ctx;

	(void)t;
	char again[] = "again";    /* on the stack: see the test below */

	f->lines++;
	return write(f->marker_fd, again, 5) != 5;
}

/* A reader whose callback makes new lines (like printing with a program on sys_enter)
 * must still get control back from rbpf_tracepipe_read. */
TEST(tracepipe_read_returns_when_callback_feeds_it)
{
	char dir[256], path[300];
	struct rbpf_tracepipe *tp;
	struct feeder f = {0};
	int r, i;

	NEED_TRACEFS();
	test_timeout(20);
	test_tracefs_instance("rbpf_feed", dir, sizeof(dir), &tp);
	snprintf(path, sizeof(path), "%s/trace_marker", dir);
	f.marker_fd = open(path, O_WRONLY);
	if (f.marker_fd < 0)
		rmdir(dir);
	ASSERT_TRUE(f.marker_fd >= 0, "open %s: %s", path, strerror(errno));
	/* The kernel copies a trace_marker write with page faults disabled: from a page
	 * not yet touched (a string literal in .rodata, say) the write fails with EFAULT
	 * and the trace gets "<faulted>".  A copy on the stack is in a page present. */
	char start[] = "start";

	for (i = 0; i < 10; i++)
		ASSERT_TRUE(write(f.marker_fd, start, 5) == 5, "write %d to %s: %s", i, path,
			    strerror(errno));
	for (i = 0; i < 3; i++) {
		r = rbpf_tracepipe_read(tp, feed_back, &f);
		ASSERT_TRUE(r > 0, "read %d gave %d", i, r);
	}
	close(f.marker_fd);
	rbpf_tracepipe_close(tp);
	rmdir(dir);
	ASSERT_TRUE(f.lines >= 30, "only %d lines", f.lines);
}

static int one_at_a_time(void *ctx, const struct rbpf_trace_line *t)
{
	(void)t;
	++*(int *)ctx;
	return 1;           /* stop after each line: the rest stay in our buffer */
}

/* Lines a callback left in the reader's buffer are not "readable" to epoll: the poll
 * loop must hand them out without waiting for new ones. */
TEST(tracepipe_poll_hands_out_buffered_lines)
{
	char dir[256], path[300];
	struct rbpf_tracepipe *tp;
	struct rbpf_poll *p;
	int n = 0, i, fd;
	long got;

	NEED_TRACEFS();
	test_tracefs_instance("rbpf_buf", dir, sizeof(dir), &tp);
	snprintf(path, sizeof(path), "%s/trace_marker", dir);
	fd = open(path, O_WRONLY);
	for (i = 0; i < 5; i++)
		ASSERT(4, write(fd, "line", 4));
	close(fd);
	ASSERT_OK(rbpf_poll_new(&p));
	ASSERT_OK(rbpf_poll_add_tracepipe(p, tp, one_at_a_time, &n));
	got = rbpf_poll_run(p, 5, 3000);
	ASSERT(RBPF_POLL_COUNT, rbpf_poll_stopped_by(p));
	rbpf_poll_free(p);
	rbpf_tracepipe_close(tp);
	rmdir(dir);
	ASSERT(5, got);
	ASSERT(5, n);
}

static int count_line(void *ctx, const struct rbpf_trace_line *l)
{
	(void)l;
	(*(int *)ctx)++;
	return 0;
}

/* Lines waiting before we attach are dropped by rbpf_tracepipe_discard; lines written
 * after it are read as usual. */
TEST(tracepipe_discard_drops_what_waits)
{
	struct rbpf_tracepipe *tp;
	char path[256];
	int fd, i, n = 0;

	NEED_TRACE_PIPE();
	ASSERT_OK(rbpf_tracepipe_open(&tp));
	snprintf(path, sizeof(path), "%s/trace_marker", rbpf_tracefs());
	fd = open(path, O_WRONLY);
	ASSERT_TRUE(fd >= 0, "open %s: %s", path, strerror(errno));
	for (i = 0; i < 5; i++)
		ASSERT(6, write(fd, "stale\n", 6));
	usleep(100000);
	ASSERT_TRUE(rbpf_tracepipe_discard(tp) >= 5, "fewer than the 5 lines written were dropped");
	ASSERT(0, rbpf_tracepipe_read(tp, count_line, &n));
	ASSERT(6, write(fd, "fresh\n", 6));
	usleep(100000);
	ASSERT(1, rbpf_tracepipe_read(tp, count_line, &n));
	close(fd);
	rbpf_tracepipe_close(tp);
}
