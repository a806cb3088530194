/*
 * libbpf/drain.c -- fill a ring buffer or a perf buffer with N records from an XDP
 * program run N times by BPF_PROG_TEST_RUN, then drain them with one libbpf consume
 * call, checking every record.
 *
 *     drain OBJ ring|perf 16|64 N default|watermark|each REPS
 *
 * Fills and drains REPS times and prints the medians: "produce_ns X" (test_run's
 * mean per run: the producer's cost per record, wake-ups included) and "drain_ns X"
 * (the consume call / N).  Perf buffer wake-ups:
 * "default" and "each" are libbpf's perf_buffer__new (wakeup_events = 1: an
 * interrupt per record); "watermark" is perf_buffer__new_raw with wake-up at a
 * quarter of the ring, as a libbpf user would write it to avoid that.
 */
#include "../common.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>

static struct seq_check chk;
static uint64_t lost;

static int ring_sample(void *ctx, void *data, size_t size)
{
	(void)ctx;
	if (size >= 8) {
		chk.count++;
		chk.sum += *(uint64_t *)data;
	}
	return 0;
}

static void perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	(void)ctx, (void)cpu;
	if (size >= 8) {
		chk.count++;
		chk.sum += *(uint64_t *)data;
	}
}

static void perf_lost(void *ctx, int cpu, __u64 n)
{
	(void)ctx, (void)cpu;
	lost += n;
}

/* perf_buffer__new_raw hands over whole perf records. */
static enum bpf_perf_event_ret perf_raw(void *ctx, int cpu, struct perf_event_header *h)
{
	struct raw { struct perf_event_header h; __u32 size; char data[]; } *r = (void *)h;

	if (h->type == PERF_RECORD_SAMPLE)
		perf_sample(ctx, cpu, r->data, r->size);
	else if (h->type == PERF_RECORD_LOST)
		perf_lost(ctx, cpu, ((__u64 *)(h + 1))[1]);
	return LIBBPF_PERF_EVENT_CONT;
}

static struct perf_buffer *perf_open(int map_fd, const struct drain_args *a)
{
	unsigned pages = perf_pages_for(a->n, a->size);
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.watermark = 1,
		.wakeup_watermark = pages * 4096 / 4,
	};

	if (strcmp(a->wake, "watermark"))
		return perf_buffer__new(map_fd, pages, perf_sample, perf_lost, NULL, NULL);
	return perf_buffer__new_raw(map_fd, pages, &attr, perf_raw, NULL, NULL);
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = bench_pkt,
		    .data_size_in = sizeof(bench_pkt));
	struct ring_buffer *rb = NULL;
	struct perf_buffer *pb = NULL;
	struct bpf_object *obj;
	struct drain_args a;
	uint64_t t0, t1, produce[100], drain[100];
	int map_fd, prog_fd, err;

	if (drain_parse(argc, argv, &a))
		return fprintf(stderr, DRAIN_USAGE), 2;
	pin_cpu0();
	obj = bpf_object__open_file(a.obj, NULL);
	if (!obj || bpf_object__load(obj))
		return fprintf(stderr, "drain: cannot load %s\n", a.obj), 1;
	map_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, a.perf ? "perf" : "ring"));
	if (a.perf)
		pb = perf_open(map_fd, &a);
	else
		rb = ring_buffer__new(map_fd, ring_sample, NULL, NULL);
	if (!pb && !rb)
		return fprintf(stderr, "drain: cannot open the buffer\n"), 1;

	prog_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, drain_prog_name(&a)));
	for (int r = 0; r < a.reps; r++) {
		run.repeat = a.n;
		err = bpf_prog_test_run_opts(prog_fd, &run);
		if (err || run.retval != 2 /* XDP_PASS */)
			return fprintf(stderr, "drain: test run: %d, retval %u\n", err, run.retval), 1;
		memset(&chk, 0, sizeof(chk));
		t0 = now_ns();
		err = a.perf ? perf_buffer__consume(pb) : ring_buffer__consume(rb);
		t1 = now_ns();
		if (err < 0 || lost || !seq_check_ok(&chk, (uint64_t)r * a.n, a.n))
			return fprintf(stderr, "drain: %lu records (sum %lu), %lu lost, want %u\n",
				       chk.count, chk.sum, lost, a.n), 1;
		produce[r] = run.duration;
		drain[r] = t1 - t0;
	}
	printf("produce_ns %.0f\ndrain_ns %.2f\n", median_ns(produce, a.reps),
	       median_ns(drain, a.reps) / a.n);
	perf_buffer__free(pb);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return 0;
}
