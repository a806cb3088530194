/*
 * perfbuf.c -- the perf buffer: one perf event ring per CPU, read by hand.
 *
 * Before the BPF ring buffer (5.8) a program sent records to user space with
 * bpf_perf_event_output() into a BPF_MAP_TYPE_PERF_EVENT_ARRAY.  The map holds, per
 * CPU, the fd of a perf event of a special software kind (PERF_COUNT_SW_BPF_OUTPUT);
 * the helper writes a PERF_RECORD_SAMPLE into the ring of the CPU it runs on.  So
 * user space opens one such event per CPU, mmaps its ring, stores the fd in the map at
 * key = cpu, and reads all the rings.
 *
 * A ring is 1 + 2^n pages: a metadata page (struct perf_event_mmap_page, with
 * data_head, which the kernel advances, and data_tail, which we advance), then the
 * data pages.  Mapping it writable tells the kernel we maintain data_tail, so it never
 * overwrites unread records; when the ring is full the helper fails (-ENOSPC), the
 * kernel counts the loss and later writes a PERF_RECORD_LOST saying how many.
 *
 * Unlike the BPF ring buffer the data is mapped once, so a record may wrap: it starts
 * near the end and continues at the beginning.  Such a record is copied, in its two
 * pieces, into a scratch buffer before the caller sees it.  Records are 8-byte
 * aligned and the data size is a multiple of 8, so a header never wraps.
 *
 * Wake-ups: by default the kernel wakes the reader when wakeup_bytes are waiting
 * (watermark), not per record: a wake-up per record costs the traced program an
 * interrupt each time.  Measured here with bench/rawbpf/drain (an XDP program under
 * BPF_PROG_TEST_RUN sending 16-byte records): ~200 ns per record with the
 * watermark, ~5.4 us with a wake-up per record.
 * Records under the watermark are not lost, just not announced: every poll drains
 * every ring after it waits, so a reader polling with a timeout sees them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rawbpf.h"

struct ring {
	int cpu;
	int fd;                            /* the perf event, or -1 (CPU offline) */
	struct perf_event_mmap_page *meta; /* metadata page, then the data */
	uint8_t *data;
	uint64_t size;                     /* data bytes, a power of two */
};

struct rbpf_perfbuf {
	rbpf_sample_fn fn;
	rbpf_lost_fn lost;
	void *ctx;
	int map_fd, epoll_fd, nrings;
	size_t page, pages;                /* data pages per ring */
	uint8_t *scratch;                  /* one ring's size: for records that wrap */
	struct ring *rings;
};

/* The layout of the records we read (include/uapi/linux/perf_event.h, enum
 * perf_event_type): SAMPLE with only PERF_SAMPLE_RAW, and LOST. */
struct sample_rec {
	struct perf_event_header hdr;
	uint32_t size;                     /* raw bytes that follow (padded) */
	uint8_t data[];
};
struct lost_rec {
	struct perf_event_header hdr;
	uint64_t id, lost;
};

static int ring_open(struct rbpf_perfbuf *pb, struct ring *r, const struct rbpf_perfbuf_opts *o)
{
	struct perf_event_attr attr;
	size_t len = (1 + pb->pages) * pb->page;
	void *p;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.size = sizeof(attr);
	attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	attr.sample_type = PERF_SAMPLE_RAW;
	attr.sample_period = 1;
	if (o && o->wakeup_each) {
		attr.wakeup_events = 1;
	} else {
		attr.watermark = 1;
		attr.wakeup_watermark = o && o->wakeup_bytes ? o->wakeup_bytes
				       : (uint32_t)(pb->pages * pb->page / 4);
	}
	r->fd = rbpf_perf_event_open(&attr, -1, r->cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (r->fd == -ENODEV)       /* possible but offline CPU: nothing will run there */
		return 0;
	if (r->fd < 0)
		return rbpf_error(r->fd, "perfbuf: perf_event_open(SW_BPF_OUTPUT) on cpu %d: "
				  "%s (%s); %s", r->cpu, rbpf_errno_name(r->fd),
				  strerror(-r->fd), rbpf_errno_hint(r->fd));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (p == MAP_FAILED)
		return rbpf_error(errno, "perfbuf: mmap of %zu bytes for cpu %d: %s (perf "
				  "rings are limited by /proc/sys/kernel/perf_event_mlock_kb)",
				  len, r->cpu, strerror(errno));
	r->meta = p;
	r->data = (uint8_t *)p + pb->page;
	r->size = pb->pages * pb->page;
	return 0;
}

/* Enable the ring's event, store it in the map at key = cpu, watch it with epoll. */
static int ring_plug(struct rbpf_perfbuf *pb, struct ring *r, int idx)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)idx };
	uint32_t key = (uint32_t)r->cpu;
	int fd = r->fd, e;

	if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0)
		return rbpf_error(errno, "perfbuf: enabling the event of cpu %d: %s", r->cpu,
				  strerror(errno));
	e = rbpf_map_update_elem(pb->map_fd, &key, &fd, BPF_ANY);
	if (e < 0)
		return rbpf_error(e, "perfbuf: storing cpu %d's event in map fd=%d: %s (%s); is "
				  "it a PERF_EVENT_ARRAY with a slot per CPU?", r->cpu,
				  pb->map_fd, rbpf_errno_name(e), strerror(-e));
	if (epoll_ctl(pb->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return rbpf_error(errno, "perfbuf: epoll_ctl: %s", strerror(errno));
	return 0;
}

/* Check the map and fill pb->rings' count: one per possible CPU, up to max_entries. */
static int perfbuf_size(struct rbpf_perfbuf *pb)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	int r, ncpu = rbpf_num_possible_cpus();

	memset(&info, 0, sizeof(info));
	r = rbpf_obj_get_info_by_fd(pb->map_fd, &info, &len);
	if (r < 0)
		return rbpf_error(r, "perfbuf: BPF_OBJ_GET_INFO_BY_FD map fd=%d: %s",
				  pb->map_fd, rbpf_errno_name(r));
	if (info.type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return rbpf_error(EINVAL, "perfbuf: map fd=%d (%s) is of type %u, not "
				  "PERF_EVENT_ARRAY", pb->map_fd, info.name, info.type);
	if (ncpu < 0)
		return ncpu;
	pb->nrings = ncpu < (int)info.max_entries ? ncpu : (int)info.max_entries;
	return 0;
}

int rbpf_perfbuf_open(int map_fd, const struct rbpf_perfbuf_opts *opts, rbpf_sample_fn fn,
		      rbpf_lost_fn lost, void *ctx, struct rbpf_perfbuf **out)
{
	struct rbpf_perfbuf *pb;
	int i, r;

	*out = NULL;
	pb = calloc(1, sizeof(*pb));
	if (!pb)
		return rbpf_error(ENOMEM, "perfbuf: out of memory");
	pb->fn = fn;
	pb->lost = lost;
	pb->ctx = ctx;
	pb->map_fd = map_fd;
	pb->page = (size_t)sysconf(_SC_PAGESIZE);
	pb->pages = opts && opts->pages ? opts->pages : 16;
	pb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	r = pb->epoll_fd < 0 ? rbpf_error(errno, "perfbuf: epoll_create1: %s", strerror(errno))
			     : perfbuf_size(pb);
	if (r == 0 && (pb->pages & (pb->pages - 1)))
		r = rbpf_error(EINVAL, "perfbuf: %zu pages per CPU: must be a power of two",
			       pb->pages);
	if (r == 0) {
		pb->rings = calloc((size_t)pb->nrings, sizeof(*pb->rings));
		pb->scratch = malloc(pb->pages * pb->page);
		if (!pb->rings || !pb->scratch)
			r = rbpf_error(ENOMEM, "perfbuf: out of memory");
		for (i = 0; pb->rings && i < pb->nrings; i++)
			pb->rings[i].fd = -1;
	}
	for (i = 0; r == 0 && i < pb->nrings; i++) {
		pb->rings[i].cpu = i;
		r = ring_open(pb, &pb->rings[i], opts);
		if (r == 0 && pb->rings[i].fd >= 0)
			r = ring_plug(pb, &pb->rings[i], i);
	}
	if (r < 0) {
		pb->nrings = i;        /* close what was opened */
		rbpf_perfbuf_close(pb);
		return r;
	}
	*out = pb;
	return 0;
}

/* A record that is not a sample: LOST is reported, anything else skipped. */
static void other_record(struct rbpf_perfbuf *pb, int cpu, const struct perf_event_header *h)
{
	if (h->type == PERF_RECORD_LOST && h->size >= sizeof(struct lost_rec) && pb->lost)
		pb->lost(pb->ctx, cpu, ((const struct lost_rec *)h)->lost);
}

/* A record that runs past the end of the data: its two pieces, joined in scratch. */
static const struct perf_event_header *reassemble(struct rbpf_perfbuf *pb,
						  const struct ring *r, uint64_t off,
						  uint32_t len)
{
	size_t first = r->size - off;

	memcpy(pb->scratch, r->data + off, first);
	memcpy(pb->scratch + first, r->data, len - first);
	return (const void *)pb->scratch;
}

/* Where the lap holding position pos ends (the end of the data, in positions), or
 * head if sooner: a record that starts at pos and ends by then is whole and in place. */
static uint64_t lap_end(const struct ring *r, uint64_t pos, uint64_t head)
{
	uint64_t end = (pos & ~(r->size - 1)) + r->size;

	return end < head ? end : head;
}

static long bad_header(const struct ring *r, uint32_t len, uint64_t tail, uint64_t head)
{
	return rbpf_error(EBADMSG, "perfbuf: cpu %d: record of %u bytes at %llu, head %llu",
			  r->cpu, len, (unsigned long long)tail, (unsigned long long)head);
}

static long bad_sample(const struct ring *r, uint32_t size, uint32_t len)
{
	return rbpf_error(EBADMSG, "perfbuf: cpu %d: sample of %u bytes in a record of %u",
			  r->cpu, size, len);
}

/*
 * Drain one ring.  Ordering (kernel/events/ring_buffer.c, the comment above
 * perf_output_put_handle names the four barriers A-D):
 *  - acquire-load data_head: pairs with the kernel's smp_wmb before it stores
 *    data_head (its "B"): records below head are fully written.  (Our "A".)
 *  - release-store data_tail: pairs with the smp_mb after perf_output_begin reads
 *    data_tail (its "D"): our reads of the records happen before the kernel may
 *    reuse their space.  (Our "C".)
 * data_tail is published once per batch, as in ringbuf.c.
 *
 * The loop is the per-record cost of the perf buffer (bench/README.md has the
 * figures), so:
 *  - what it needs lives in locals: the callback is opaque to the compiler, which
 *    would otherwise reload pb->fn, pb->ctx, r->data and r->cpu after every call.
 *  - "lap": up to lap (the end of the data, or head if sooner) records lie whole and
 *    in place, so one comparison per record checks both "within head" and "does not
 *    wrap"; only a record that fails it takes the slow path (a wrap, a bad size, or
 *    the first record of the next lap).
 *  - "step": where the next record starts depends on a load from this one, and that
 *    chain of loads, not the instruction count, sets the pace.  The loop advances by
 *    the previous record's length and checks it against this one's: while records
 *    are all one size the branch is predicted, the CPU runs ahead without waiting
 *    for the load, and the check still catches every change.  (The empty asm hides
 *    from the compiler that step == len after the branch; without it, it would
 *    fold the branch away and with it the gain.)
 * Returns the samples delivered, or -errno (data_tail still covers what was read).
 */
static long ring_drain(struct rbpf_perfbuf *pb, struct ring *r, int *stop)
{
	const rbpf_sample_fn fn = pb->fn;
	void *const ctx = pb->ctx;
	const uint8_t *const data = r->data;
	const uint64_t mask = r->size - 1;
	const int cpu = r->cpu;
	uint64_t head = __atomic_load_n(&r->meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = r->meta->data_tail;
	uint64_t lap = lap_end(r, tail, head);
	uint64_t step = 0;
	long n = 0;

	while (tail < head) {
		uint64_t off = tail & mask;
		const struct perf_event_header *h = (const void *)(data + off);
		const struct sample_rec *s = (const void *)h;
		uint32_t len = h->size;

		if (len < sizeof(*h) || len > lap - tail) {     /* see "lap" above */
			if (len < sizeof(*h) || len > head - tail) {
				n = bad_header(r, len, tail, head);
				break;
			}
			if (off + len > r->size)                 /* wraps: reassemble */
				h = reassemble(pb, r, off, len), s = (const void *)h;
			lap = lap_end(r, tail + len, head);
		}
		if (len != step) {                               /* see "step" above */
			step = len;
			__asm__ volatile("" : "+r"(step));
		}
		tail += step;
		if (h->type != PERF_RECORD_SAMPLE) {
			other_record(pb, cpu, h);
			continue;
		}
		if (len < sizeof(*s) || s->size > len - sizeof(*s)) {
			n = bad_sample(r, s->size, len);
			break;
		}
		if (fn(ctx, cpu, s->data, s->size)) {
			*stop = 1;
			break;
		}
		n++;
	}
	__atomic_store_n(&r->meta->data_tail, tail, __ATOMIC_RELEASE);
	return n;
}

long rbpf_perfbuf_consume(struct rbpf_perfbuf *pb)
{
	long n = 0, r;
	int i, stop = 0;

	for (i = 0; i < pb->nrings && !stop; i++) {
		if (pb->rings[i].fd < 0)
			continue;
		r = ring_drain(pb, &pb->rings[i], &stop);
		if (r < 0)
			return r;
		n += r;
	}
	return n;
}

long rbpf_perfbuf_poll(struct rbpf_perfbuf *pb, int timeout_ms)
{
	struct epoll_event ev[64];

	if (epoll_wait(pb->epoll_fd, ev, 64, timeout_ms) < 0)
		return -errno;
	return rbpf_perfbuf_consume(pb);
}

int rbpf_perfbuf_fd(const struct rbpf_perfbuf *pb)
{
	return pb->epoll_fd;
}

void rbpf_perfbuf_close(struct rbpf_perfbuf *pb)
{
	int i;

	if (!pb)
		return;
	for (i = 0; pb->rings && i < pb->nrings; i++) {
		struct ring *r = &pb->rings[i];
		uint32_t key = (uint32_t)r->cpu;

		if (r->meta)
			munmap(r->meta, (1 + pb->pages) * pb->page);
		if (r->fd >= 0) {
			rbpf_map_delete_elem(pb->map_fd, &key);
			close(r->fd);
		}
	}
	if (pb->epoll_fd >= 0)
		close(pb->epoll_fd);
	free(pb->rings);
	free(pb->scratch);
	free(pb);
}
