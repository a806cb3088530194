/*
 * faults.c -- signals, kills and a racing producer: nothing left behind, nothing lost.
 *
 *   - every lesson (BUILD/progs/NAME that runs until stopped, and BUILD/asm/hello)
 *     is started with --trigger, and `rawbpf run` on the lessons' objects of each
 *     output kind; once attached each gets SIGINT, or SIGTERM: it
 *     must exit by itself (not die of the signal), and every program, link and map
 *     it held, and any kprobe_events entry of its pid, must then be gone;
 *   - SIGKILL gives the lesson no chance to clean up: the kernel must still free
 *     everything (fds close at exit), and the next run must succeed;
 *   - a BPF producer on one CPU (BPF_PROG_TEST_RUN in a loop) and a ring buffer
 *     consumer on the other, at full speed for FAULT_SECONDS (2 in `make check`, 10
 *     in `make check-stress`): every record arrives, in order, whole;
 *   - the same with a small ring and a consumer that naps: drops are counted by the
 *     program, the consumer keeps going, and received + dropped = produced.
 *
 * What a lesson holds is read from /proc/PID/fdinfo (prog_id, link_id, map_id), so
 * other programs loaded meanwhile (other tests, other users) are never mistaken
 * for its leftovers.
 */
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "rawbpf.h"
#include "test.h"
#include "hardening.h"
#include "common.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* ------------------------------------------------- what a process holds */

/* (test_held_by, test_all_gone: tests/common.c) */

/* kprobe_events lines naming the pid (attach.c names probes rbpf_PID_...). */
static int kprobe_events_of(pid_t pid)
{
	char path[256], line[512], want[32];
	FILE *f;
	int n = 0;

	if (!rbpf_tracefs())
		return 0;
	snprintf(path, sizeof(path), "%s/kprobe_events", rbpf_tracefs());
	if (!(f = fopen(path, "r")))
		return 0;              /* no kprobe_events in this kernel */
	snprintf(want, sizeof(want), "rbpf_%d_", (int)pid);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, want) != NULL;
	fclose(f);
	return n;
}

/* -------------------------------------------------------- lessons and signals */

static int progs_checked, links_checked, maps_checked;     /* for the summary line */

/* Where the lesson's stderr goes, to say why it stopped by itself. */
static char err_path[64];

/* Run the command line (through sh, which execs it: the pid is the program's). */
static pid_t spawn(const char *cmd)
{
	pid_t pid;

	snprintf(err_path, sizeof(err_path), "/tmp/rbpf_fault_%d.err", (int)getpid());
	test_remove_after(err_path);
	pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || !freopen(err_path, "w", stderr))
			_exit(126);
		execl("/bin/sh", "sh", "-c", test_fmt("exec %s", cmd), (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Wait up to `secs` for the pid; its status, or -1 if still running. */
static int wait_for(pid_t pid, double secs)
{
	double end = now() + secs;
	int st;

	do {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		usleep(10000);
	} while (now() < end);
	return -1;
}

/* Wait (10 s at most) until the lesson is attached: it holds a link (or, for a
 * lesson attaching through perf_event ioctls, half a second after it holds a
 * program; 3 s before 5.15).  -1 then, with *h what it holds; or its exit status
 * if it ended. */
static int wait_attached(pid_t pid, struct test_held *h)
{
	double end = now() + 10;
	/* Before 5.15 (no perf links) a lesson holds no link at all: give it longer to
	 * finish attaching and reach its signal handler (seconds under qemu). */
	useconds_t settle = test_has(RBPF_FEAT_PERF_LINK) ? 500000 : 3000000;
	int st;

	for (; now() < end; usleep(20000)) {
		test_held_by(pid, h);
		if (h->links.n > 0 || (h->progs.n > 0 && (usleep(settle), 1)))
			break;
		if ((st = wait_for(pid, 0)) != -1)
			return st;
	}
	test_held_by(pid, h);
	return -1;
}

/* One run: start, wait until attached, signal, check.  Returns 1 if the lesson
 * ran, 0 if it could not start here (trace_pipe busy, say), 2 if it refused
 * --trigger (exit 2: a lesson that runs to its end, not until stopped). */
static int signal_run(const char *bin, int sig)
{
	struct test_held h;
	pid_t pid = spawn(bin);
	int st = wait_attached(pid, &h);

	if (st != -1)
		return WIFEXITED(st) && WEXITSTATUS(st) == 2 ? 2 : 0;
	ASSERT_TRUE(h.progs.n > 0, "%s: holds no program after 10 s", bin);
	kill(pid, sig);
	st = wait_for(pid, 5);
	if (st == -1) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		FAIL("%s: still running 5 s after %s", bin, strsignal(sig));
	}
	ASSERT_TRUE(WIFEXITED(st), "%s: died of signal %d after %s, instead of cleaning up",
		    bin, WIFSIGNALED(st) ? WTERMSIG(st) : 0, strsignal(sig));
	test_all_gone(&h, bin, strsignal(sig));
	ASSERT(0, kprobe_events_of(pid));
	progs_checked += h.progs.n;
	links_checked += h.links.n;
	maps_checked += h.maps.n;
	return 1;
}

/* What to start: each lesson binary (BUILD/progs/NAME with a NAME.bpf.o beside
 * it) with --trigger, asm/hello, and `rawbpf run` on the lessons that use each
 * kind of output (trace_pipe, perf buffer, ring buffer).  Returns how many. */
struct cmd {
	char run[512];          /* the command line */
	char again[600];        /* the same, for one event (or 2 s) and then exit */
};

static int lessons(struct cmd *c, int max)
{
	static const char *const objs[] = { "hello", "hello_buffer", "hello_ringbuf" };
	DIR *d = opendir(test_path("progs"));
	struct dirent *e;
	char bin[256], obj[300];
	int n = 0;
	size_t i;

	ASSERT_TRUE(d != NULL, "%s: %s", test_path("progs"), strerror(errno));
	while ((e = readdir(d)) && n < max - 5) {
		snprintf(bin, sizeof(bin), "%s/%.64s", test_path("progs"), e->d_name);
		snprintf(obj, sizeof(obj), "%s.bpf.o", bin);
		if (strchr(e->d_name, '.') || access(bin, X_OK) || access(obj, R_OK))
			continue;
		snprintf(c[n].run, sizeof(c[n].run), "%s --trigger", bin);
		snprintf(c[n++].again, sizeof(c->again), "%s --count 1 --timeout 20 --trigger", bin);
	}
	closedir(d);
	snprintf(c[n].run, sizeof(c[n].run), "%s --trigger", test_path("asm/hello"));
	snprintf(c[n++].again, sizeof(c->again), "%s --count 1 --timeout 20 --trigger",
		 test_path("asm/hello"));
	for (i = 0; i < 3; i++, n++) {
		snprintf(c[n].run, sizeof(c[n].run), "%s run %s/%s.bpf.o", test_path("rawbpf"),
			 test_path("progs"), objs[i]);
		snprintf(c[n].again, sizeof(c->again), "%s --timeout 2", c[n].run);
	}
	return n;
}

static char err_text[4096];

/* Did the last lesson stop because trace_pipe has another reader? */
static int busy(void)
{
	FILE *f = fopen(err_path, "r");
	size_t n = f ? fread(err_text, 1, sizeof(err_text) - 1, f) : 0;

	if (f)
		fclose(f);
	err_text[n] = 0;
	return strstr(err_text, "EBUSY") || strstr(err_text, "busy");
}

static void signal_every_lesson(int sig)
{
	struct cmd c[32];
	int n = lessons(c, 32), i, r, tries, ran = 0;

	NEED_TRACE_PIPE();
	test_timeout(110);
	for (i = 0; i < n; i++) {
		r = signal_run(c[i].run, sig);
		for (tries = 0; r == 0 && tries < 10 && busy(); tries++) {
			sleep(1);       /* trace_pipe held by another reader: again */
			r = signal_run(c[i].run, sig);
		}
		if (r == 0 && busy())
			SKIP("%s: trace_pipe stayed busy for 10 s (another reader)", c[i].run);
		ASSERT_TRUE(r != 0, "%s exited by itself before the signal: %s", c[i].run,
			    test_excerpt(err_text));
		ran += r == 1;
	}
	ASSERT_TRUE(ran >= 10, "only %d lessons found in %s", ran, test_path("progs"));
	unlink(err_path);
	printf("    (%d lessons and rawbpf runs; %d programs, %d links, %d maps gone after %s)\n", ran,
	       progs_checked, links_checked, maps_checked, strsignal(sig));
}

TEST(fault_sigint_every_lesson_leaves_nothing)
{
	signal_every_lesson(SIGINT);
}

TEST(fault_sigterm_every_lesson_leaves_nothing)
{
	signal_every_lesson(SIGTERM);
}

/* SIGKILL: no handler runs, so the lesson cleans up nothing itself.  The kernel
 * must free what its fds held, and the next run must work: for each lesson that
 * runs until stopped, kill -9 once attached, then run it again for one event. */
TEST(fault_sigkill_then_next_run_succeeds)
{
	struct cmd c[32];
	int n = lessons(c, 32), i, st, killed = 0;
	struct test_held h;
	pid_t pid;
	char *out;

	NEED_TRACE_PIPE();
	test_timeout(110);
	for (i = 0; i < n; i++) {
		pid = spawn(c[i].run);
		if (wait_attached(pid, &h) != -1)
			continue;         /* ran to its end, or trace_pipe busy: not this one */
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		if (h.progs.n == 0)       /* nothing loaded in 10 s: not a fault to inject */
			continue;
		test_all_gone(&h, c[i].run, "SIGKILL");
		out = test_run_cmd(&st, "%s", c[i].again);
		ASSERT_TRUE(st == 0 || strstr(out, "busy"),     /* another trace_pipe reader */
			    "%s after a SIGKILLed run: exit %d:\n%s", c[i].again, st,
			    test_excerpt(out));
		free(out);
		killed++;
	}
	ASSERT_TRUE(killed >= 8, "only %d lessons could be killed once attached", killed);
	printf("    (%d lessons and rawbpf runs killed with SIGKILL, nothing left, each ran again)\n", killed);
}

/* ------------------------------------------ ring buffer: producer and consumer racing */

struct rec { uint64_t seq, inv, triple, x; };

/* XDP program, run by BPF_PROG_TEST_RUN; only this one producer touches cnt:
 *     r = bpf_ringbuf_reserve(&rb, 32, 0);
 *     if (!r) { cnt->drops++; return XDP_PASS; }
 *     seq = cnt->seq++;                 (a number per record that made it in)
 *     r->seq = seq; r->inv = ~seq; r->triple = seq * 3; r->x = seq ^ 0x5555;
 *     bpf_ringbuf_submit(r, 0);
 *     return XDP_PASS;                                                        */
static int load_producer(int rb_fd, int cnt_fd)
{
	struct bpf_insn insns[] = {
		BPF_LD_MAP_VALUE(BPF_REG_7, cnt_fd, 0),             /* r7 = &cnt */
		BPF_LD_MAP_FD(BPF_REG_1, rb_fd),
		BPF_MOV64_IMM(BPF_REG_2, sizeof(struct rec)),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve),
		BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 4),
		BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7, 8),       /* cnt->drops++ */
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, 1),
		BPF_STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_1, 8),
		BPF_JMP_A(17),                                      /* to out */
		BPF_LDX_MEM(BPF_DW, BPF_REG_6, BPF_REG_7, 0),       /* r6 = seq */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, 1),
		BPF_STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_1, 0),       /* cnt->seq = seq + 1 */
		BPF_STX_MEM(BPF_DW, BPF_REG_0, BPF_REG_6, 0),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
		BPF_ALU64_IMM(BPF_XOR, BPF_REG_1, -1),
		BPF_STX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 8),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
		BPF_ALU64_IMM(BPF_MUL, BPF_REG_1, 3),
		BPF_STX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 16),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
		BPF_ALU64_IMM(BPF_XOR, BPF_REG_1, 0x5555),
		BPF_STX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 24),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_0),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_submit),
		BPF_MOV64_IMM(BPF_REG_0, XDP_PASS),                 /* out: */
		BPF_EXIT_INSN(),
	};
	struct rbpf_prog_load_args a = { .type = BPF_PROG_TYPE_XDP, .name = "hard_produce",
		.insns = insns, .insn_cnt = sizeof(insns) / sizeof(insns[0]), .license = "GPL" };
	char *log = NULL;
	int fd = rbpf_load_insns(&a, &log);

	ASSERT_TRUE(fd >= 0, "producer refused: %s\n%s", rbpf_errmsg(), log ? log : "");
	free(log);
	return fd;
}

struct race {
	int prog, cnt_fd;
	double seconds;
	int nap_us;                      /* consumer sleeps this long after each batch */
	volatile int done;
	uint64_t got, torn, out_of_order, next, runs;
	struct rbpf_ringbuf *rb;
};

static int on_rec(void *ctx, int cpu, const void *data, size_t size)
{
	struct race *r = ctx;
	struct rec x;

	(void)cpu;
	if (size != sizeof(x)) {
		r->torn++;
		return 0;
	}
	memcpy(&x, data, sizeof(x));
	if (x.inv != ~x.seq || x.triple != x.seq * 3 || x.x != (x.seq ^ 0x5555))
		r->torn++;
	else if (x.seq != r->next)
		r->out_of_order++;
	r->next = x.seq + 1;
	r->got++;
	return 0;
}

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* CPU 1: run the program in batches of 10,000 until the time is up. */
static void *producer(void *arg)
{
	struct race *r = arg;
	uint8_t pkt[64] = { 0 };
	struct rbpf_test_run_args t = { .data_in = pkt, .data_size_in = sizeof(pkt),
					.repeat = 10000 };
	double end = now() + r->seconds;

	pin_to(1);
	while (now() < end && rbpf_prog_test_run(r->prog, &t) == 0)
		r->runs += t.repeat;
	r->done = 1;
	return NULL;
}

/* CPU 0: consume without a system call, until the producer is done and the ring
 * is empty.  Returns the records the program committed and the drops it counted. */
static void race(struct race *r, uint32_t ring_size, uint64_t *committed, uint64_t *drops)
{
	int rb_fd = -1, k = 0;
	struct rbpf_map_create_args ma = { .type = BPF_MAP_TYPE_RINGBUF, .name = "hard_rb",
					   .max_entries = ring_size };
	struct rbpf_map_create_args ca = { .type = BPF_MAP_TYPE_ARRAY, .name = "hard_cnt",
					   .key_size = 4, .value_size = 16, .max_entries = 1 };
	uint64_t val[2];
	pthread_t th;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP("one CPU online: the race needs two");
	ASSERT_OK(rb_fd = rbpf_map_create(&ma));
	ASSERT_OK(r->cnt_fd = rbpf_map_create(&ca));
	r->prog = load_producer(rb_fd, r->cnt_fd);
	ASSERT_OK(rbpf_ringbuf_open(rb_fd, on_rec, r, &r->rb));
	pin_to(0);
	ASSERT(0, pthread_create(&th, NULL, producer, r));
	while (!r->done || rbpf_ringbuf_consume(r->rb) > 0)
		if (rbpf_ringbuf_consume(r->rb) > 0 && r->nap_us)
			usleep(r->nap_us);
	pthread_join(th, NULL);
	rbpf_ringbuf_consume(r->rb);
	ASSERT(0, rbpf_map_lookup_elem(r->cnt_fd, &k, val, 0));
	*committed = val[0];
	*drops = val[1];
	rbpf_ringbuf_close(r->rb);
	close(r->prog);
	close(r->cnt_fd);
	close(rb_fd);
}

static double fault_seconds(void)
{
	const char *s = getenv("FAULT_SECONDS");

	return s && atof(s) > 0 ? atof(s) : 2;
}

/* A 32 MB ring holds about a million records: at full speed on two CPUs the
 * consumer keeps up, so every reserve succeeds and every record arrives. */
TEST(fault_ringbuf_two_cpus_full_speed_loses_nothing)
{
	struct race r = { .seconds = fault_seconds() };
	uint64_t committed, drops;

	NEED_ROOT();
	test_timeout(60 + 2 * (unsigned)r.seconds);
	race(&r, 32 << 20, &committed, &drops);
	ASSERT(0, r.torn);
	ASSERT(0, r.out_of_order);
	ASSERT(committed, r.got);
	ASSERT(0, drops);
	ASSERT(r.runs, committed + drops);
	printf("    (%.0f s: %llu records, %.1f M/s, none lost, none torn)\n", r.seconds,
	       (unsigned long long)r.got, r.got / r.seconds / 1e6);
}

/* A 16 KB ring and a consumer that naps 1 ms after each batch: the ring fills, the
 * program counts each failed reserve, and the consumer keeps going; nothing that
 * was committed is lost, and committed + dropped = every run. */
TEST(fault_ringbuf_slow_consumer_counts_drops_keeps_going)
{
	struct race r = { .seconds = 1, .nap_us = 1000 };
	uint64_t committed, drops;

	NEED_ROOT();
	race(&r, 16 << 10, &committed, &drops);
	ASSERT(0, r.torn);
	ASSERT(0, r.out_of_order);
	ASSERT(committed, r.got);
	ASSERT_TRUE(drops > 0, "no drops with a 16 KB ring and a napping consumer");
	ASSERT(r.runs, committed + drops);
	ASSERT_TRUE(r.got > 4 * (16 << 10) / 40, "only %llu records: it stopped after the "
		    "first full ring", (unsigned long long)r.got);
	printf("    (%llu received, %llu dropped by the program, %llu runs)\n",
	       (unsigned long long)r.got, (unsigned long long)drops,
	       (unsigned long long)r.runs);
}
