/*
 * ringbuf.c -- the BPF ring buffer, read straight from the kernel's pages.
 *
 * A BPF_MAP_TYPE_RINGBUF is one ring shared by every CPU.  mmap()ing the map fd
 * shows its pages in this order (kernel/bpf/ringbuf.c; Documentation/bpf/ringbuf.rst):
 *
 *   offset 0          consumer page: consumer_pos, the one word user space writes.
 *                     Mapped read-write.
 *   offset page       producer page: producer_pos, written by the kernel.
 *   offset 2 * page   the data pages, size bytes, and then THE SAME data pages again.
 *                     The producer page and the data are mapped read-only (asking for
 *                     write access to them is EPERM: a reader must not be able to
 *                     corrupt what the kernel trusts).
 *
 * Why twice: a record that starts near the end of the data area continues at its
 * start.  With the pages mapped a second time right behind the first, that record is
 * contiguous in our address space, so the reader hands out a plain pointer, never a
 * copy, whatever the record's position.  The kernel does the same for its own view.
 *
 * Positions are byte counters that only grow; position & (size - 1) is the offset.
 * Each record begins with an 8-byte header: u32 len, whose bit 31 (BUSY) says "reserved,
 * not yet committed" and bit 30 (DISCARD) "committed, but skip me", and u32 pgoff (the
 * kernel's, of no use here).  A record takes round_up(len + 8, 8) bytes.
 *
 * The reader never makes a system call per record: it reads producer_pos, walks the
 * headers up to it, and publishes its consumer_pos.  Sleeping is epoll on the map fd,
 * which the kernel wakes when a record is committed while the reader has caught up.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rawbpf.h"

#define RB_BUSY    (1U << 31)
#define RB_DISCARD (1U << 30)
#define RB_HDR     8

struct rbpf_ringbuf {
	rbpf_sample_fn fn;
	void *ctx;
	unsigned long *consumer_pos;   /* the consumer page (rw) */
	unsigned long *producer_pos;   /* the producer page (ro) */
	const uint8_t *data;           /* size bytes, then the same size bytes again */
	unsigned long mask;            /* size - 1 */
	size_t page, size;
	int map_fd, epoll_fd;
};

/* The map's max_entries is the data size (a power of two, a multiple of the page). */
static int ringbuf_size(int map_fd, size_t *size)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	int r;

	memset(&info, 0, sizeof(info));
	r = rbpf_obj_get_info_by_fd(map_fd, &info, &len);
	if (r < 0)
		return rbpf_error(r, "ringbuf: BPF_OBJ_GET_INFO_BY_FD map fd=%d: %s", map_fd,
				  rbpf_errno_name(r));
	if (info.type != BPF_MAP_TYPE_RINGBUF)
		return rbpf_error(EINVAL, "ringbuf: map fd=%d (%s) is of type %u, not RINGBUF",
				  map_fd, info.name, info.type);
	*size = info.max_entries;
	return 0;
}

static int ringbuf_map(struct rbpf_ringbuf *rb)
{
	void *p;

	p = mmap(NULL, rb->page, PROT_READ | PROT_WRITE, MAP_SHARED, rb->map_fd, 0);
	if (p == MAP_FAILED)
		return rbpf_error(errno, "ringbuf: mmap of the consumer page of map fd=%d: %s",
				  rb->map_fd, strerror(errno));
	rb->consumer_pos = p;
	p = mmap(NULL, rb->page + 2 * rb->size, PROT_READ, MAP_SHARED, rb->map_fd,
		 (off_t)rb->page);
	if (p == MAP_FAILED)
		return rbpf_error(errno, "ringbuf: mmap of the producer page and data of map "
				  "fd=%d (%zu bytes): %s", rb->map_fd, rb->page + 2 * rb->size,
				  strerror(errno));
	rb->producer_pos = p;
	rb->data = (const uint8_t *)p + rb->page;
	return 0;
}

int rbpf_ringbuf_open(int map_fd, rbpf_sample_fn fn, void *ctx, struct rbpf_ringbuf **out)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct rbpf_ringbuf *rb;
	int r;

	*out = NULL;
	rb = calloc(1, sizeof(*rb));
	if (!rb)
		return rbpf_error(ENOMEM, "ringbuf: out of memory");
	rb->fn = fn;
	rb->ctx = ctx;
	rb->map_fd = map_fd;
	rb->page = (size_t)sysconf(_SC_PAGESIZE);
	rb->epoll_fd = -1;
	r = ringbuf_size(map_fd, &rb->size);
	if (r == 0)
		r = ringbuf_map(rb);
	if (r == 0) {
		rb->mask = rb->size - 1;
		rb->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
		if (rb->epoll_fd < 0 || epoll_ctl(rb->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev) < 0)
			r = rbpf_error(errno, "ringbuf: epoll on map fd=%d: %s", map_fd,
				       strerror(errno));
	}
	if (r < 0) {
		rbpf_ringbuf_close(rb);
		return r;
	}
	*out = rb;
	return 0;
}

/*
 * The hot loop.  Memory ordering, each load/store paired with its kernel side
 * (kernel/bpf/ringbuf.c, 6.x):
 *
 *  (1) acquire-load producer_pos  <->  __bpf_ringbuf_reserve's smp_store_release of
 *      producer_pos, made after it wrote the new record's header (len | BUSY).  So
 *      every header below prod is at least that BUSY header.
 *  (2) acquire-load each header   <->  bpf_ringbuf_commit's xchg of the header (BUSY
 *      cleared; a full barrier), made after the program wrote the record.  Seeing
 *      BUSY clear therefore means the record's bytes are visible too.  Seeing BUSY
 *      set means "not committed yet": stop, and retry on the next call; records are
 *      handed out in order, so a later committed one waits for it.
 *  (3) release-store consumer_pos <->  __bpf_ringbuf_reserve's smp_load_acquire of
 *      consumer_pos (may the producer reuse this space?) and bpf_ringbuf_commit's
 *      read of it (is the reader caught up, so wake it?).  Release orders our reads
 *      of the records before the kernel can see the space free and overwrite it.
 *
 * NAMED CHOICE -- publish once per batch: consumer_pos is stored once, after the
 * sweep up to the producer position read in (1), not after each record as libbpf
 * does.  Per-record stores write a cache line that producers read on every reserve;
 * one store per batch does not.  The price: space frees a batch later, at most one
 * ring's worth, so a nearly full ring drops sooner.  Measured here (6.18, 2 CPUs, a
 * busy machine), the gain is below the noise: draining 2M filled 16-byte records
 * took 2.8-4.8 ns each either way, and a producer racing a consumer on the other
 * CPU paid 57-75 ns per record either way.  It stays because it is never slower
 * and one store is simpler to reason about than one per record.
 *
 * SPECULATED STEP: where the next record starts depends on a load from this one, and
 * that chain of loads sets the pace, not the instruction count (a version with fewer
 * instructions drained no faster).  The loop advances cons by the previous record's
 * rounded length and checks it against this one's: while records are all one size
 * the branch is predicted, the CPU runs ahead to the next header without waiting for
 * this load, and the check still catches every change of size.  The empty asm hides
 * from the compiler that step == next after the branch (it would otherwise fold the
 * branch into a plain copy and restore the chain).  Draining 2M 16-byte records:
 * 2.9 -> 2.0 ns each, libbpf 3.1 (bench/README.md).
 *
 * One sweep per call, up to the position read in (1), never "until empty": a
 * callback whose own work makes records (printing, under a program on sys_enter)
 * would otherwise never get control back.  The poll loop calls again on the next
 * wake-up, which comes at once when records are waiting.
 */
long rbpf_ringbuf_consume(struct rbpf_ringbuf *rb)
{
	unsigned long cons = *rb->consumer_pos;        /* only we write it: plain load */
	unsigned long prod = __atomic_load_n(rb->producer_pos, __ATOMIC_ACQUIRE);   /* (1) */
	unsigned long step = 0, next;
	long n = 0;

	while (cons < prod) {
		const uint32_t *hdr = (const uint32_t *)(rb->data + (cons & rb->mask));
		uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);             /* (2) */

		if (len & RB_BUSY)
			break;
		next = ((len & ~RB_DISCARD) + RB_HDR + 7) & ~7UL;
		if (next != step) {                     /* see SPECULATED STEP above */
			step = next;
			__asm__ volatile("" : "+r"(step));
		}
		cons += step;
		if (len & RB_DISCARD)
			continue;
		if (len > rb->size - RB_HDR) {            /* the kernel never writes this */
			n = rbpf_error(EBADMSG, "ringbuf: map fd=%d: record of %u bytes in a "
				       "ring of %zu", rb->map_fd, len, rb->size);
			break;
		}
		n++;
		if (rb->fn(rb->ctx, -1, hdr + 2, len))
			break;
	}
	__atomic_store_n(rb->consumer_pos, cons, __ATOMIC_RELEASE);                 /* (3) */
	return n;
}

long rbpf_ringbuf_poll(struct rbpf_ringbuf *rb, int timeout_ms)
{
	struct epoll_event ev;
	int r = epoll_wait(rb->epoll_fd, &ev, 1, timeout_ms);

	if (r < 0)
		return -errno;
	return rbpf_ringbuf_consume(rb);
}

int rbpf_ringbuf_fd(const struct rbpf_ringbuf *rb)
{
	return rb->map_fd;
}

void rbpf_ringbuf_close(struct rbpf_ringbuf *rb)
{
	if (!rb)
		return;
	if (rb->consumer_pos)
		munmap(rb->consumer_pos, rb->page);
	if (rb->producer_pos)
		munmap(rb->producer_pos, rb->page + 2 * rb->size);
	if (rb->epoll_fd >= 0)
		close(rb->epoll_fd);
	free(rb);
}
