/*
 * poll.c -- one loop that serves several event sources: ring buffers, perf buffers,
 * trace_pipe.
 *
 * Each source has an fd the kernel makes readable when it has something: a ring
 * buffer's map fd, a perf buffer's own epoll fd (an epoll fd can sit in another
 * epoll), trace_pipe's fd.  The loop puts them all in one epoll set and sleeps in
 * epoll_pwait.  After each wake-up it drains every ring and perf buffer -- that costs
 * a few memory loads and no system call -- and reads trace_pipe only when it is
 * readable, since reading it is a system call.  Perf buffers announce themselves by
 * watermark, so while one is in the set the loop never sleeps more than TICK_MS.
 *
 * Stopping on a signal without a race: SIGINT and SIGTERM are blocked while the loop
 * runs and unblocked only inside epoll_pwait, atomically with the sleep.  A signal
 * that arrives while we are draining therefore waits until the next epoll_pwait,
 * which returns EINTR at once, instead of being handled just before we sleep.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "rawbpf.h"

#define MAX_SOURCES 32
#define TICK_MS 100

enum kind { SRC_RINGBUF, SRC_PERFBUF, SRC_TRACEPIPE };

struct source {
	enum kind kind;
	void *obj;                 /* struct rbpf_ringbuf / rbpf_perfbuf / rbpf_tracepipe */
	rbpf_trace_fn fn;          /* trace_pipe only */
	void *ctx;
};

struct rbpf_poll {
	int epoll_fd, n, has_perfbuf;
	volatile int stop;
	enum rbpf_poll_why why;
	struct source src[MAX_SOURCES];
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

int rbpf_poll_new(struct rbpf_poll **out)
{
	struct rbpf_poll *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return rbpf_error(ENOMEM, "poll: out of memory");
	p->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (p->epoll_fd < 0) {
		free(p);
		return rbpf_error(errno, "poll: epoll_create1: %s", strerror(errno));
	}
	*out = p;
	return 0;
}

static int add(struct rbpf_poll *p, enum kind kind, void *obj, int fd, rbpf_trace_fn fn,
	       void *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)p->n };

	if (p->n == MAX_SOURCES)
		return rbpf_error(E2BIG, "poll: more than %d sources", MAX_SOURCES);
	if (epoll_ctl(p->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return rbpf_error(errno, "poll: epoll_ctl ADD fd=%d: %s", fd, strerror(errno));
	p->src[p->n++] = (struct source){ kind, obj, fn, ctx };
	p->has_perfbuf |= kind == SRC_PERFBUF;
	return 0;
}

int rbpf_poll_add_ringbuf(struct rbpf_poll *p, struct rbpf_ringbuf *rb)
{
	return add(p, SRC_RINGBUF, rb, rbpf_ringbuf_fd(rb), NULL, NULL);
}

int rbpf_poll_add_perfbuf(struct rbpf_poll *p, struct rbpf_perfbuf *pb)
{
	return add(p, SRC_PERFBUF, pb, rbpf_perfbuf_fd(pb), NULL, NULL);
}

int rbpf_poll_add_tracepipe(struct rbpf_poll *p, struct rbpf_tracepipe *tp,
			    rbpf_trace_fn fn, void *ctx)
{
	return add(p, SRC_TRACEPIPE, tp, rbpf_tracepipe_fd(tp), fn, ctx);
}

void rbpf_poll_stop(struct rbpf_poll *p)
{
	p->stop = 1;
}

enum rbpf_poll_why rbpf_poll_stopped_by(const struct rbpf_poll *p)
{
	return p->why;
}

void rbpf_poll_free(struct rbpf_poll *p)
{
	if (!p)
		return;
	close(p->epoll_fd);
	free(p);
}

/* Did epoll report source i readable? */
static int readable(int i, const struct epoll_event *ev, int nev)
{
	int k;

	for (k = 0; k < nev; k++)
		if (ev[k].data.u32 == (uint32_t)i)
			return 1;
	return 0;
}

/* Drain the buffers, and trace_pipe if epoll said it is readable, until a callback
 * calls rbpf_poll_stop.  Events or -errno. */
static long serve(struct rbpf_poll *p, const struct epoll_event *ev, int nev)
{
	long n = 0, r = 0;
	int i;

	for (i = 0; i < p->n && r >= 0 && !p->stop; i++) {
		struct source *s = &p->src[i];

		if (s->kind == SRC_RINGBUF)
			r = rbpf_ringbuf_consume(s->obj);
		else if (s->kind == SRC_PERFBUF)
			r = rbpf_perfbuf_consume(s->obj);
		else
			r = 0;
		n += r > 0 ? r : 0;
	}
	for (i = 0; i < p->n && r >= 0 && !p->stop; i++) {
		struct source *s = &p->src[i];

		if (s->kind == SRC_TRACEPIPE && (readable(i, ev, nev) ||
						 rbpf_tracepipe_pending(s->obj))) {
			r = rbpf_tracepipe_read(s->obj, s->fn, s->ctx);
			n += r > 0 ? r : 0;
		}
	}
	return r < 0 ? r : n;
}

/* Lines already in a trace_pipe buffer: do not sleep on the fd, which is not
 * readable for them. */
static int any_pending(const struct rbpf_poll *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (p->src[i].kind == SRC_TRACEPIPE && rbpf_tracepipe_pending(p->src[i].obj))
			return 1;
	return 0;
}

/* The deadline is kept in nanoseconds: one kept in whole milliseconds, cut from the
 * clock, could end a wait up to 1 ms before the time it was given. */
static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* How long the next sleep may be: until the deadline, rounded UP to the next whole
 * millisecond (epoll counts in ms; rounding down would wake us early), and at most
 * TICK_MS when a perf buffer may hold records below its watermark.  -1: no limit. */
static int sleep_ms(const struct rbpf_poll *p, int64_t deadline)
{
	int64_t left = -1;

	if (deadline >= 0) {
		left = deadline - now_ns();
		left = left <= 0 ? 0 : (left + 999999) / 1000000;
	}
	if (p->has_perfbuf && (left < 0 || left > TICK_MS))
		left = TICK_MS;
	return (int)left;
}

static long loop(struct rbpf_poll *p, long max, int64_t deadline, const sigset_t *waitmask)
{
	struct epoll_event ev[MAX_SOURCES];
	long total = 0, r;
	int nev;

	for (;;) {
		if (got_signal) {
			p->why = RBPF_POLL_SIGNAL;
			return total;
		}
		if (p->stop) {
			p->why = RBPF_POLL_STOPPED;
			return total;
		}
		if (max > 0 && total >= max) {
			p->why = RBPF_POLL_COUNT;
			return total;
		}
		if (deadline >= 0 && now_ns() >= deadline) {
			p->why = RBPF_POLL_TIMEOUT;
			return total;
		}
		nev = epoll_pwait(p->epoll_fd, ev, MAX_SOURCES,
				  any_pending(p) ? 0 : sleep_ms(p, deadline), waitmask);
		if (nev < 0 && errno != EINTR) {
			p->why = RBPF_POLL_ERROR;
			return rbpf_error(errno, "poll: epoll_pwait: %s", strerror(errno));
		}
		r = serve(p, ev, nev < 0 ? 0 : nev);
		if (r < 0) {
			p->why = RBPF_POLL_ERROR;
			return r;
		}
		total += r;
	}
}

long rbpf_poll_run(struct rbpf_poll *p, long max_events, int timeout_ms)
{
	struct sigaction sa, old_int, old_term;
	sigset_t block, oldmask;
	int64_t deadline = timeout_ms < 0 ? -1 : now_ns() + timeout_ms * 1000000LL;
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;          /* no SA_RESTART: epoll_pwait must see EINTR */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &oldmask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	got_signal = 0;
	p->stop = 0;
	r = loop(p, max_events, deadline, &oldmask);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	return r;
}
