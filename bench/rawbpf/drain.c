/*
 * rawbpf/drain.c -- fill a ring buffer or a perf buffer with N records from an XDP
 * program run N times by BPF_PROG_TEST_RUN, then drain them with one rawbpf consume
 * call, checking every record.  The libbpf twin is bench/libbpf/drain.c.
 *
 *     drain OBJ ring|perf 16|64 N default|watermark|each REPS
 *
 * Fills and drains REPS times and prints the medians: "produce_ns X" (test_run's
 * mean per run: the producer's cost per record, wake-ups included) and "drain_ns X"
 * (the consume call / N).  Perf buffer wake-ups:
 * "default" and "watermark" are rawbpf's default (wake at a quarter of the ring),
 * "each" is wakeup_each = 1 (an interrupt per record, libbpf's default).
 */
#include "../common.h"

#include "rawbpf.h"

static struct seq_check chk;
static uint64_t lost;

static int on_sample(void *ctx, int cpu, const void *data, size_t size)
{
	(void)ctx, (void)cpu;
	if (size >= 8) {
		chk.count++;
		chk.sum += *(const uint64_t *)data;
	}
	return 0;
}

static void on_lost(void *ctx, int cpu, uint64_t n)
{
	(void)ctx, (void)cpu;
	lost += n;
}

static int fail(const char *what)
{
	fprintf(stderr, "drain: %s: %s\n", what, rbpf_errmsg());
	return 1;
}

int main(int argc, char **argv)
{
	struct rbpf_test_run_args run = { .data_in = bench_pkt,
					  .data_size_in = sizeof(bench_pkt) };
	struct rbpf_perfbuf_opts opts = { 0 };
	struct rbpf_ringbuf *rb = NULL;
	struct rbpf_perfbuf *pb = NULL;
	struct rbpf_object *obj;
	struct drain_args a;
	uint64_t t0, t1, produce[100], drain[100];
	long got;
	int map_fd, prog_fd, err;

	if (drain_parse(argc, argv, &a))
		return fprintf(stderr, DRAIN_USAGE), 2;
	pin_cpu0();
	if (rbpf_object_open(a.obj, &obj) < 0 || rbpf_object_load(obj, 0) < 0)
		return fail("load");
	map_fd = rbpf_map_fd(rbpf_object_find_map(obj, a.perf ? "perf" : "ring"));
	opts.pages = perf_pages_for(a.n, a.size);
	opts.wakeup_each = !strcmp(a.wake, "each");
	err = a.perf ? rbpf_perfbuf_open(map_fd, &opts, on_sample, on_lost, NULL, &pb)
		     : rbpf_ringbuf_open(map_fd, on_sample, NULL, &rb);
	if (err < 0)
		return fail("open the buffer");

	prog_fd = rbpf_prog_fd(rbpf_object_find_prog(obj, drain_prog_name(&a)));
	for (int r = 0; r < a.reps; r++) {
		run.repeat = a.n;
		err = rbpf_prog_test_run(prog_fd, &run);
		if (err < 0 || run.retval != XDP_PASS)
			return fprintf(stderr, "drain: test run: %d, retval %u\n", err, run.retval), 1;
		memset(&chk, 0, sizeof(chk));
		t0 = now_ns();
		got = a.perf ? rbpf_perfbuf_consume(pb) : rbpf_ringbuf_consume(rb);
		t1 = now_ns();
		if (got < 0 || lost || !seq_check_ok(&chk, (uint64_t)r * a.n, a.n))
			return fprintf(stderr, "drain: %lu records (sum %lu), %lu lost, want %u\n",
				       chk.count, chk.sum, lost, a.n), 1;
		produce[r] = run.duration;
		drain[r] = t1 - t0;
	}
	printf("produce_ns %.0f\ndrain_ns %.2f\n", median_ns(produce, a.reps),
	       median_ns(drain, a.reps) / a.n);
	rbpf_perfbuf_close(pb);
	rbpf_ringbuf_close(rb);
	rbpf_object_close(obj);
	return 0;
}
