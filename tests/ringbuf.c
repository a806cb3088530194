/*
 * ringbuf.c -- the ring buffer consumer against records the kernel really produced.
 *
 * The producer is an XDP program run with BPF_PROG_TEST_RUN and a large repeat count:
 * each run takes the next sequence number from a counter map, reserves 24 or 32 bytes
 * in the ring, writes {seq, ~seq, seq * 3} (and seq ^ 0x5555 in 32-byte records) and
 * submits (or discards, every 8th in one test).  When the reserve fails (the ring is
 * full) it counts a drop.  A consumer thread drains the
 * ring while the runs go on, checking that sequence numbers only grow, that every
 * record is whole (its three words agree, also for records straddling the end of the
 * data area), and that what is missing is exactly what the program dropped.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "common.h"

struct rec { uint64_t seq, inv, triple, x; };   /* x only in 32-byte records */

static int test_ringbuf_map(uint32_t size)
{
	return test_map_create(BPF_MAP_TYPE_RINGBUF, "t_rb", 0, 0, size);
}

/* Array map, one value {u64 seq, u64 drops}. */
static int counter_map(void)
{
	return test_map_create(BPF_MAP_TYPE_ARRAY, "t_cnt", 4, 16, 1);
}

/*
 *     seq = __sync_fetch_and_add(&cnt->seq, 1);      (cnt->seq++ before 5.12)
 *     r = bpf_ringbuf_reserve(&rb, size, 0);           (size 24 or 32)
 *     if (!r) { __sync_fetch_and_add(&cnt->drops, 1); return XDP_PASS; }
 *     r->seq = seq; r->inv = ~seq; r->triple = seq * 3; (r->x = seq ^ 0x5555;)
 *     if (discard_every8 && (seq & 7) == 3) bpf_ringbuf_discard(r, 0);
 *     else bpf_ringbuf_submit(r, 0);
 *     return XDP_PASS;
 */
static int load_producer(int rb_fd, int cnt_fd, int discard_every8, int size)
{
	int atomic = test_has(RBPF_FEAT_ATOMICS);
	struct bpf_insn insns[] = {
		BPF_LD_MAP_VALUE(BPF_REG_7, cnt_fd, 0),             /* r7 = &cnt */
		TEST_SEQ_NEXT(atomic, BPF_REG_6, BPF_REG_7, BPF_REG_1),   /* r6 = seq++ */
		BPF_LD_MAP_FD(BPF_REG_1, rb_fd),
		BPF_MOV64_IMM(BPF_REG_2, size),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_reserve),
		BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 4),
		BPF_MOV64_IMM(BPF_REG_1, 1),                        /* drop: */
		BPF_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_7, BPF_REG_1, 8),
		BPF_MOV64_IMM(BPF_REG_0, XDP_PASS),
		BPF_EXIT_INSN(),
		BPF_STX_MEM(BPF_DW, BPF_REG_0, BPF_REG_6, 0),       /* r->seq */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
		BPF_ALU64_IMM(BPF_XOR, BPF_REG_1, -1),
		BPF_STX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 8),       /* r->inv */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
		BPF_ALU64_IMM(BPF_MUL, BPF_REG_1, 3),
		BPF_STX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 16),      /* r->triple */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
		BPF_ALU64_IMM(BPF_XOR, BPF_REG_1, 0x5555),
		size == 32 ? BPF_STX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 24)    /* r->x */
			   : BPF_MOV64_REG(BPF_REG_1, BPF_REG_1),
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_0),
		BPF_MOV64_IMM(BPF_REG_2, 0),
		BPF_ALU64_IMM(BPF_AND, BPF_REG_6, 7),
		BPF_JMP_IMM(BPF_JNE, BPF_REG_6, discard_every8 ? 3 : -1, 3),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_discard),
		BPF_MOV64_IMM(BPF_REG_0, XDP_PASS),
		BPF_EXIT_INSN(),
		BPF_EMIT_CALL(BPF_FUNC_ringbuf_submit),
		BPF_MOV64_IMM(BPF_REG_0, XDP_PASS),
		BPF_EXIT_INSN(),
	};

	return TEST_LOAD(BPF_PROG_TYPE_XDP, "t_rb_prod", insns);
}

struct check {
	uint64_t got, next, bad, gaps;
	int discard_every8;
	size_t size;            /* of a record: 24 or 32 */
	volatile int done;
	struct rbpf_ringbuf *rb;
	long err;
};

static int on_rec(void *ctx, int cpu, const void *data, size_t size)
{
	struct check *c = ctx;
	const struct rec *r = data;

	(void)cpu;
	if (size != c->size || r->inv != ~r->seq || r->triple != r->seq * 3 ||
	    (size == 32 && r->x != (r->seq ^ 0x5555)) ||
	    r->seq < c->next || (c->discard_every8 && (r->seq & 7) == 3)) {
		c->bad++;
		return 0;
	}
	c->gaps += r->seq - c->next;
	c->next = r->seq + 1;
	c->got++;
	return 0;
}

static void *consumer(void *arg)
{
	struct check *c = arg;

	while (!c->done) {
		long r = rbpf_ringbuf_poll(c->rb, 50);
		if (r < 0 && r != -EINTR) {
			c->err = r;
			break;
		}
	}
	return NULL;
}

/* Run the producer repeat times while a thread consumes; return the program's drops. */
static uint64_t produce_and_consume(int rb_fd, int discard_every8, uint32_t repeat,
				    struct check *c)
{
	int cnt = counter_map(), prog = load_producer(rb_fd, cnt, discard_every8, c->size);
	uint64_t val[2];
	uint32_t zero = 0;
	pthread_t th;

	c->discard_every8 = discard_every8;
	ASSERT_OK(rbpf_ringbuf_open(rb_fd, on_rec, c, &c->rb));
	ASSERT(0, pthread_create(&th, NULL, consumer, c));
	test_run_xdp_pass(prog, repeat);
	c->done = 1;
	pthread_join(th, NULL);
	ASSERT(0, c->err);
	ASSERT_OK(rbpf_ringbuf_consume(c->rb));       /* what was left */
	rbpf_ringbuf_close(c->rb);
	ASSERT(0, rbpf_map_lookup_elem(cnt, &zero, val, 0));
	ASSERT(repeat, val[0]);
	close(prog);
	close(cnt);
	return val[1];
}

TEST(ringbuf_2m_records_in_order_none_lost)
{
	struct check c = { .size = 24 };
	uint64_t drops;

	NEED_ROOT();
	test_timeout(120);
	/* 2M records of 32 bytes (8 header + 24) = 64 MB: a 64 MB ring never fills. */
	drops = produce_and_consume(test_ringbuf_map(64 << 20), 0, 2000000, &c);
	ASSERT(0, drops);
	ASSERT(0, c.bad);
	ASSERT(0, c.gaps);
	ASSERT(2000000, c.got);
}

/* 40-byte records (8 + 32) in a 64 KB ring: 65536 / 40 is not whole, so records keep
 * straddling the end of the data area; the ring wraps ~1200 times and fills whenever
 * the reader lags, and each drop must show as a gap. */
TEST(ringbuf_2m_small_ring_straddles_drops_match)
{
	struct check c = { .size = 32 };
	uint64_t drops;

	NEED_ROOT();
	test_timeout(120);
	drops = produce_and_consume(test_ringbuf_map(64 << 10), 0, 2000000, &c);
	ASSERT(0, c.bad);
	ASSERT(drops, c.gaps + (2000000 - c.next));
	ASSERT(2000000, c.got + drops);
	ASSERT_TRUE(c.got > 65536 / 40, "only %llu records: none straddled the end",
		    (unsigned long long)c.got);
	printf("    (%llu of 2000000 dropped with a 64 KB ring)\n", (unsigned long long)drops);
}

TEST(ringbuf_discarded_skipped)
{
	struct check c = { .size = 24 };
	uint64_t drops;

	NEED_ROOT();
	drops = produce_and_consume(test_ringbuf_map(64 << 20), 1, 100000, &c);
	ASSERT(0, drops);
	ASSERT(0, c.bad);
	ASSERT(100000 / 8, c.gaps + (100000 - c.next));     /* seq & 7 == 3: one in 8 */
	ASSERT(100000 - 100000 / 8, c.got);
}

/* Records whose size changes in runs of 1-3 (24 and 32 bytes, two programs sharing
 * one counter), drained by one call: the consumer guesses each record starts one
 * previous length on and must notice every change of length. */
struct mixed {
	uint8_t size_of[1200];  /* by seq: 24 or 32 */
	uint64_t next, bad;
};

static int on_mixed(void *ctx, int cpu, const void *data, size_t size)
{
	struct mixed *m = ctx;
	const struct rec *r = data;

	(void)cpu;
	if (m->next >= sizeof(m->size_of) || r->seq != m->next ||
	    size != m->size_of[m->next] || r->inv != ~r->seq || r->triple != r->seq * 3 ||
	    (size == 32 && r->x != (r->seq ^ 0x5555)))
		m->bad++;
	m->next++;
	return 0;
}

TEST(ringbuf_mixed_sizes_in_one_drain)
{
	static struct mixed m;
	struct rbpf_ringbuf *rb;
	int fd, cnt, prog[2], k, i;
	uint32_t seq = 0, run;

	NEED_ROOT();
	fd = test_ringbuf_map(1 << 20);
	cnt = counter_map();
	prog[0] = load_producer(fd, cnt, 0, 24);
	prog[1] = load_producer(fd, cnt, 0, 32);
	ASSERT_OK(rbpf_ringbuf_open(fd, on_mixed, &m, &rb));
	for (k = 0; seq + 3 <= sizeof(m.size_of); k++) {
		run = 1 + (uint32_t)k % 3;
		for (i = 0; i < (int)run; i++)
			m.size_of[seq + i] = k % 2 ? 32 : 24;
		test_run_xdp_pass(prog[k % 2], run);
		seq += run;
	}
	ASSERT(seq, rbpf_ringbuf_consume(rb));
	ASSERT(0, m.bad);
	ASSERT(seq, m.next);
	rbpf_ringbuf_close(rb);
	close(prog[0]), close(prog[1]), close(cnt), close(fd);
}

TEST(ringbuf_wrong_map_type_says_so)
{
	struct rbpf_ringbuf *rb;
	struct rbpf_map_create_args a = {
		.type = BPF_MAP_TYPE_ARRAY, .name = "t_arr",
		.key_size = 4, .value_size = 4, .max_entries = 1,
	};
	int fd;

	NEED_ROOT();
	fd = rbpf_map_create(&a);
	ASSERT_OK(fd);
	ASSERT(-EINVAL, rbpf_ringbuf_open(fd, on_rec, NULL, &rb));
	ASSERT_CONTAINS(rbpf_errmsg(), "not RINGBUF");
}

/* ------------------------------------------------------------------ the poll loop */

struct lines { int n; };

static int on_trace(void *ctx, const struct rbpf_trace_line *t)
{
	struct lines *l = ctx;

	if (t->pid == getpid())
		l->n++;
	return 0;
}

/* A ring buffer and a private trace_pipe in one loop: 10 records + 5 lines = 15. */
TEST(ringbuf_poll_two_sources_count)
{
	char dir[256], path[300];
	struct check c = { .size = 24 };
	struct lines l = {0};
	struct rbpf_tracepipe *tp;
	struct rbpf_poll *p;
	int rb_fd, cnt, prog, i, fd;
	long r;

	NEED_TRACEFS();
	rb_fd = test_ringbuf_map(1 << 16);
	cnt = counter_map();
	prog = load_producer(rb_fd, cnt, 0, 24);
	test_tracefs_instance("rbpf_poll", dir, sizeof(dir), &tp);
	ASSERT_OK(rbpf_ringbuf_open(rb_fd, on_rec, &c, &c.rb));
	ASSERT_OK(rbpf_poll_new(&p));
	ASSERT_OK(rbpf_poll_add_ringbuf(p, c.rb));
	ASSERT_OK(rbpf_poll_add_tracepipe(p, tp, on_trace, &l));
	test_run_xdp_pass(prog, 10);
	snprintf(path, sizeof(path), "%s/trace_marker", dir);
	for (i = 0; i < 5; i++) {
		char x[] = "x";     /* on the stack: a trace_marker write cannot fault pages in */

		fd = open(path, O_WRONLY);
		ASSERT_TRUE(fd >= 0 && write(fd, x, 1) == 1, "trace_marker: %s", strerror(errno));
		close(fd);
	}
	r = rbpf_poll_run(p, 15, 5000);
	ASSERT(RBPF_POLL_COUNT, rbpf_poll_stopped_by(p));
	rbpf_poll_free(p);
	rbpf_ringbuf_close(c.rb);
	rbpf_tracepipe_close(tp);
	rmdir(dir);
	ASSERT(15, r);
	ASSERT(10, c.got);
	ASSERT(5, l.n);
}

static int64_t elapsed_ns(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000000000LL + (t1.tv_nsec - t0->tv_nsec);
}

/* The contract of a timeout: never back before it, and not hours after (anything
 * finer about speed belongs in make bench). */
TEST(ringbuf_poll_timeout)
{
	struct check c = { .size = 24 };
	struct rbpf_poll *p;
	struct timespec t0;
	int64_t ns;

	NEED_ROOT();
	ASSERT_OK(rbpf_ringbuf_open(test_ringbuf_map(4096), on_rec, &c, &c.rb));
	ASSERT_OK(rbpf_poll_new(&p));
	ASSERT_OK(rbpf_poll_add_ringbuf(p, c.rb));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT(0, rbpf_poll_run(p, 0, 200));
	ns = elapsed_ns(&t0);
	ASSERT(RBPF_POLL_TIMEOUT, rbpf_poll_stopped_by(p));
	ASSERT_TRUE(ns >= 200000000LL && ns < 60000000000LL, "took %lld ns", (long long)ns);
	rbpf_poll_free(p);
	rbpf_ringbuf_close(c.rb);
}

/* Short waits, each started in the last 1.5 us of a millisecond: a deadline kept in
 * milliseconds cut from the clock ends them as soon as that millisecond turns (199 ms
 * for 200 was seen in CI); each must last its full time. */
TEST(poll_short_timeouts_never_end_early)
{
	struct rbpf_poll *p;
	struct timespec t0;
	int64_t ns;
	int i, ms;

	ASSERT_OK(rbpf_poll_new(&p));
	for (i = 0; i < 200; i++) {
		ms = 1 + i % 3;
		do
			clock_gettime(CLOCK_MONOTONIC, &t0);
		while (t0.tv_nsec % 1000000 < 998500);
		ASSERT(0, rbpf_poll_run(p, 0, ms));
		ns = elapsed_ns(&t0);
		ASSERT(RBPF_POLL_TIMEOUT, rbpf_poll_stopped_by(p));
		ASSERT_TRUE(ns >= ms * 1000000LL, "wait %d of %d ms ended after %lld ns",
			    i, ms, (long long)ns);
	}
	rbpf_poll_free(p);
}

struct sigint_to { pthread_t thread; void (*before)(int); };

/* Send SIGINT to the polling thread once rbpf_poll_run has its own handler in place
 * (not after a fixed delay: on a loaded machine the test thread may not have got
 * there yet, and the signal would meet the disposition from before). */
static void *send_sigint(void *arg)
{
	struct sigint_to *to = arg;
	struct sigaction now;
	int i;

	for (i = 0; i < 10000; i++) {           /* 10 s at most */
		sigaction(SIGINT, NULL, &now);
		if (now.sa_handler != to->before)
			break;
		usleep(1000);
	}
	usleep(50000);                          /* well inside the loop by now, usually */
	pthread_kill(to->thread, SIGINT);
	return NULL;
}

/* SIGINT stops the loop (long before its 10 s), and the disposition from before comes
 * back (the default, or "ignored" when the suite runs as a shell's background job). */
TEST(ringbuf_poll_stops_on_sigint)
{
	struct check c = { .size = 24 };
	struct rbpf_poll *p;
	struct sigaction old;
	struct timespec t0;
	struct sigint_to to = { .thread = pthread_self() };
	pthread_t th;
	int64_t ns;

	NEED_ROOT();
	sigaction(SIGINT, NULL, &old);
	to.before = old.sa_handler;
	ASSERT_OK(rbpf_ringbuf_open(test_ringbuf_map(4096), on_rec, &c, &c.rb));
	ASSERT_OK(rbpf_poll_new(&p));
	ASSERT_OK(rbpf_poll_add_ringbuf(p, c.rb));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT(0, pthread_create(&th, NULL, send_sigint, &to));
	ASSERT(0, rbpf_poll_run(p, 0, 10000));
	ns = elapsed_ns(&t0);
	pthread_join(th, NULL);
	ASSERT(RBPF_POLL_SIGNAL, rbpf_poll_stopped_by(p));
	ASSERT_TRUE(ns < 10000000000LL, "took %lld ns: the 10 s timeout, not the signal, "
		    "ended it", (long long)ns);
	sigaction(SIGINT, NULL, &old);
	ASSERT_TRUE(old.sa_handler == to.before, "SIGINT's disposition not restored");
	rbpf_poll_free(p);
	rbpf_ringbuf_close(c.rb);
}

struct feeder { int prog; long seen; };

/* Every record handled makes another (like printing under a program on sys_enter). */
static int feed_back(void *ctx, int cpu, const void *data, size_t size)
{
	struct feeder *f = ctx;
	uint8_t pkt[64] = {0};
	struct rbpf_test_run_args t = { .data_in = pkt, .data_size_in = sizeof(pkt),
					.repeat = 1 };

	(void)cpu, (void)data, (void)size;
	f->seen++;
	return rbpf_prog_test_run(f->prog, &t) != 0;
}

/* consume takes one sweep up to the producer position it read, so it returns even
 * when the callback keeps the ring from ever being empty. */
TEST(ringbuf_consume_returns_when_callback_feeds_it)
{
	struct rbpf_ringbuf *rb;
	struct feeder f;
	int rb_fd, i;

	NEED_ROOT();
	test_timeout(20);
	rb_fd = test_ringbuf_map(1 << 16);
	f.prog = load_producer(rb_fd, counter_map(), 0, 24);
	f.seen = 0;
	test_run_xdp_pass(f.prog, 10);
	ASSERT_OK(rbpf_ringbuf_open(rb_fd, feed_back, &f, &rb));
	for (i = 0; i < 3; i++)
		ASSERT(10, rbpf_ringbuf_consume(rb));
	ASSERT(30, f.seen);
	rbpf_ringbuf_close(rb);
}

/* Lines in /proc/self/maps: one per mapping.  Read with no allocation, which could
 * itself add a mapping. */
static int count_mappings(void)
{
	static char buf[4096];
	int fd = open("/proc/self/maps", O_RDONLY), n = 0;
	ssize_t r, i;

	while (fd >= 0 && (r = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < r; i++)
			n += buf[i] == '\n';
	if (fd >= 0)
		close(fd);
	return n;
}

TEST(ringbuf_close_leaves_nothing)
{
	struct rbpf_ringbuf *rb;
	int map, fds, maps;

	NEED_ROOT();
	map = test_ringbuf_map(1 << 16);
	fds = test_count_fds();
	maps = count_mappings();
	ASSERT_OK(rbpf_ringbuf_open(map, on_rec, NULL, &rb));
	ASSERT(maps + 2, count_mappings());          /* consumer page; producer + data */
	rbpf_ringbuf_close(rb);
	ASSERT(fds, test_count_fds());
	ASSERT(maps, count_mappings());
}
