/*
 * perfbuf.c -- the perf buffer consumer against records the kernel really produced.
 *
 * An XDP program run with BPF_PROG_TEST_RUN (repeat) takes a sequence number and
 * sends {seq, ~seq, seq * 3} with bpf_perf_event_output to the ring of its CPU; when
 * the ring is full the helper fails and the program counts a drop.  A record is
 * 8 (header) + 4 (size) + 24 + 4 (padding) = 40 bytes, so in a 2-page ring records
 * keep wrapping around its end and must be reassembled.  The thread that runs the
 * program is pinned to CPU 0 so that every loss lands in one ring, and one final run
 * after the rings are drained makes the kernel emit the PERF_RECORD_LOST it still owes.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "common.h"

struct rec { uint64_t seq, inv, triple; };

static int perf_map(void)
{
	return test_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "t_perf", 4, 4,
			       (uint32_t)rbpf_num_possible_cpus());
}

/* Array map, one value {u64 seq, u64 drops}. */
static int counter_map(void)
{
	return test_map_create(BPF_MAP_TYPE_ARRAY, "t_cnt", 4, 16, 1);
}

/*
 *     seq = __sync_fetch_and_add(&cnt->seq, 1);
 *     struct rec r = { seq, ~seq, seq * 3 };
 *     if (bpf_perf_event_output(ctx, &perf, BPF_F_CURRENT_CPU, &r, sizeof(r)))
 *             __sync_fetch_and_add(&cnt->drops, 1);
 *     return XDP_PASS;
 */
static int load_producer(int perf_fd, int cnt_fd)
{
	struct bpf_insn insns[] = {
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),                /* r6 = ctx */
		BPF_LD_MAP_VALUE(BPF_REG_7, cnt_fd, 0),             /* r7 = &cnt */
		BPF_MOV64_IMM(BPF_REG_8, 1),
		BPF_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, BPF_REG_7, BPF_REG_8, 0), /* r8 = seq */
		BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_8, -24),    /* r.seq */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_8),
		BPF_ALU64_IMM(BPF_XOR, BPF_REG_1, -1),
		BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -16),    /* r.inv */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_8),
		BPF_ALU64_IMM(BPF_MUL, BPF_REG_1, 3),
		BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -8),     /* r.triple */
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
		BPF_LD_MAP_FD(BPF_REG_2, perf_fd),
		BPF_MOV32_IMM(BPF_REG_3, -1),                       /* BPF_F_CURRENT_CPU */
		BPF_MOV64_REG(BPF_REG_4, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_4, -24),
		BPF_MOV64_IMM(BPF_REG_5, sizeof(struct rec)),
		BPF_EMIT_CALL(BPF_FUNC_perf_event_output),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 2),
		BPF_MOV64_IMM(BPF_REG_1, 1),
		BPF_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_7, BPF_REG_1, 8),  /* drops++ */
		BPF_MOV64_IMM(BPF_REG_0, XDP_PASS),
		BPF_EXIT_INSN(),
	};

	return TEST_LOAD(BPF_PROG_TYPE_XDP, "t_perf_prod", insns);
}

struct check {
	uint64_t got, bad, lost, next[64];
	volatile int done;
	struct rbpf_perfbuf *pb;
	long err;
};

static int on_rec(void *ctx, int cpu, const void *data, size_t size)
{
	struct check *c = ctx;
	struct rec r;

	/* The raw size is padded to 8 with the u32 in front: 24 comes back as 28.
	 * That u32 also leaves the bytes 4 past an 8-byte boundary: copy, do not cast
	 * (UBSan: misaligned access). */
	if (cpu < 0 || cpu >= 64 || size < sizeof(r)) {
		c->bad++;
		return 0;
	}
	memcpy(&r, data, sizeof(r));
	if (r.inv != ~r.seq || r.triple != r.seq * 3 || r.seq < c->next[cpu]) {
		c->bad++;
		return 0;
	}
	c->next[cpu] = r.seq + 1;
	c->got++;
	return 0;
}

static void on_lost(void *ctx, int cpu, uint64_t lost)
{
	struct check *c = ctx;

	(void)cpu;
	c->lost += lost;
}

static void *consumer(void *arg)
{
	struct check *c = arg;

	while (!c->done) {
		long r = rbpf_perfbuf_poll(c->pb, 20);
		if (r < 0 && r != -EINTR) {
			c->err = r;
			break;
		}
	}
	return NULL;
}

/* repeat runs + 1 flush run; returns the program's drop count. */
static uint64_t produce_and_consume(unsigned pages, uint32_t repeat, struct check *c)
{
	struct rbpf_perfbuf_opts o = { .pages = pages };
	int map = perf_map(), cnt = counter_map(), prog = load_producer(map, cnt);
	uint64_t val[2];
	uint32_t zero = 0;
	cpu_set_t set;
	pthread_t th;

	ASSERT_OK(rbpf_perfbuf_open(map, &o, on_rec, on_lost, c, &c->pb));
	ASSERT(0, pthread_create(&th, NULL, consumer, c));
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	ASSERT(0, sched_setaffinity(0, sizeof(set), &set));     /* this thread only */
	test_run_xdp_pass(prog, repeat);
	c->done = 1;
	pthread_join(th, NULL);
	ASSERT(0, c->err);
	ASSERT_OK(rbpf_perfbuf_consume(c->pb));
	test_run_xdp_pass(prog, 1);        /* emits the pending LOST record, then a sample */
	ASSERT_OK(rbpf_perfbuf_consume(c->pb));
	rbpf_perfbuf_close(c->pb);
	ASSERT(0, rbpf_map_lookup_elem(cnt, &zero, val, 0));
	ASSERT(repeat + 1, val[0]);
	close(prog);
	close(cnt);
	close(map);
	return val[1];
}

TEST(perfbuf_2m_small_ring_wraps_lost_match)
{
	struct check c = {0};
	uint64_t drops;

	NEED_ROOT();
	test_timeout(120);
	drops = produce_and_consume(2, 2000000, &c);
	ASSERT(0, c.bad);
	ASSERT(2000001, c.got + drops);
	ASSERT(drops, c.lost);
	ASSERT_TRUE(c.got > 8192 / 40, "only %llu records: none wrapped",
		    (unsigned long long)c.got);
	printf("    (%llu of 2000001 lost with 2-page rings)\n", (unsigned long long)drops);
}

TEST(perfbuf_500k_big_ring_none_lost)
{
	struct check c = {0};
	uint64_t drops;

	NEED_ROOT();
	test_timeout(120);
	/* 500001 * 40 bytes = 20 MB: 8192 pages (32 MB) per CPU hold it all. */
	drops = produce_and_consume(8192, 500000, &c);
	ASSERT(0, c.bad);
	ASSERT(0, drops);
	ASSERT(0, c.lost);
	ASSERT(500001, c.got);
}

TEST(perfbuf_wrong_map_type_says_so)
{
	struct rbpf_perfbuf *pb;

	NEED_ROOT();
	ASSERT(-EINVAL, rbpf_perfbuf_open(counter_map(), NULL, on_rec, NULL, NULL, &pb));
	ASSERT_CONTAINS(rbpf_errmsg(), "not PERF_EVENT_ARRAY");
	ASSERT(-EINVAL, rbpf_perfbuf_open(perf_map(), &(struct rbpf_perfbuf_opts){ .pages = 3 },
					  on_rec, NULL, NULL, &pb));
	ASSERT_CONTAINS(rbpf_errmsg(), "power of two");
}

/* One record stays under the watermark, so no wake-up comes; the poll loop must still
 * find it on its 100 ms drain: it ends by count, not by its 10 s timeout. */
TEST(perfbuf_poll_finds_record_below_watermark)
{
	struct check c = {0};
	struct rbpf_poll *p;
	int map = perf_map(), cnt = counter_map(), prog = load_producer(map, cnt);

	NEED_ROOT();
	ASSERT_OK(rbpf_perfbuf_open(map, NULL, on_rec, on_lost, &c, &c.pb));
	ASSERT_OK(rbpf_poll_new(&p));
	ASSERT_OK(rbpf_poll_add_perfbuf(p, c.pb));
	test_run_xdp_pass(prog, 1);
	ASSERT(1, rbpf_poll_run(p, 1, 10000));
	ASSERT(RBPF_POLL_COUNT, rbpf_poll_stopped_by(p));
	ASSERT(1, c.got);
	rbpf_poll_free(p);
	rbpf_perfbuf_close(c.pb);
}

/* close unmaps every ring, closes every event and empties the map's slots. */
TEST(perfbuf_close_leaves_nothing)
{
	struct rbpf_perfbuf *pb;
	uint32_t key = 0;
	int map, fds;

	NEED_ROOT();
	map = perf_map();
	fds = test_count_fds();
	ASSERT_OK(rbpf_perfbuf_open(map, NULL, on_rec, NULL, NULL, &pb));
	ASSERT(rbpf_num_possible_cpus() + 1, test_count_fds() - fds);   /* + epoll */
	rbpf_perfbuf_close(pb);
	ASSERT(fds, test_count_fds());
	ASSERT(-ENOENT, rbpf_map_delete_elem(map, &key));      /* the slot is empty */
}
