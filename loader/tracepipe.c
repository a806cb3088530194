/*
 * tracepipe.c -- reading bpf_trace_printk's output from tracefs trace_pipe.
 *
 * bpf_trace_printk writes into the kernel's trace ring buffer, the same one ftrace
 * uses; trace_pipe is that buffer as a stream of text lines, one per event:
 *
 *       true-4242    [001] d..31  1234.567890: bpf_trace_printk: Hello World!
 *       \__/ \__/     \_/  \___/  \_________/  \______________/  \__________/
 *       task  pid     cpu  flags   timestamp    event name          message
 *
 * Reading consumes: each line goes to one reader.  (6.18 goes further: while one
 * process has the top-level trace_pipe open, opening it again is EBUSY.)  We open the
 * pipe non-blocking so a caller can poll it together with other sources; a read gives
 * whatever whole and partial lines are ready, so a partial line is kept in the buffer
 * until its newline arrives.  The flags column is absent when the tracing option
 * "irq-info" is off, and the task may contain spaces and dashes: the parser anchors on
 * the "[CPU]" column and takes the pid from the last dash before it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rawbpf.h"

/* trace_pipe hands out at most a page or so per read; a line is < 4 KiB (the trace
 * buffer's sub-buffer size bounds an event), so 64 KiB holds many lines. */
#define TP_BUF 65536

struct rbpf_tracepipe {
	int fd;
	size_t len;          /* bytes in buf not yet handed out (a partial line) */
	char buf[TP_BUF + 1];   /* + 1 for the NUL put after each line */
};

/* Which process holds path open?  Scans /proc/PID/fd; fills comm, returns the pid
 * or 0.  Only on the error path. */
static int find_holder(const char *path, char *comm, size_t n)
{
	char link[512], fdpath[600];
	struct dirent *p, *f;
	DIR *proc = opendir("/proc"), *fds;
	int pid = 0;

	while (proc && !pid && (p = readdir(proc))) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9' || atoi(p->d_name) == getpid())
			continue;
		snprintf(fdpath, sizeof(fdpath), "/proc/%s/fd", p->d_name);
		if (!(fds = opendir(fdpath)))
			continue;
		while (!pid && (f = readdir(fds))) {
			ssize_t k;

			snprintf(fdpath, sizeof(fdpath), "/proc/%s/fd/%s", p->d_name, f->d_name);
			k = readlink(fdpath, link, sizeof(link) - 1);
			if (k > 0 && (link[k] = '\0', strcmp(link, path) == 0))
				pid = atoi(p->d_name);
		}
		closedir(fds);
	}
	if (proc)
		closedir(proc);
	snprintf(fdpath, sizeof(fdpath), "/proc/%d/comm", pid);
	comm[0] = '\0';
	if (pid) {
		FILE *c = fopen(fdpath, "re");
		if (c && fgets(comm, (int)n, c))
			comm[strcspn(comm, "\n")] = '\0';
		if (c)
			fclose(c);
	}
	return pid;
}

/* This kernel lets one reader at a time open trace_pipe: say who has it. */
static int busy_error(const char *path)
{
	char comm[64];
	int pid = find_holder(path, comm, sizeof(comm));

	if (pid)
		return rbpf_error(EBUSY, "tracepipe: %s is busy: process %d (%s) is reading it, "
				  "and the kernel allows one reader at a time", path, pid, comm);
	return rbpf_error(EBUSY, "tracepipe: %s is busy: another process is reading it, and "
			  "the kernel allows one reader at a time", path);
}

int rbpf_tracepipe_open_path(const char *path, struct rbpf_tracepipe **out)
{
	struct rbpf_tracepipe *tp;
	int fd;

	*out = NULL;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == EBUSY)
		return busy_error(path);
	if (fd < 0)
		return rbpf_error(errno, "tracepipe: cannot open %s: %s (%s)", path,
				  rbpf_errno_name(errno), strerror(errno));
	tp = malloc(sizeof(*tp));
	if (!tp) {
		close(fd);
		return rbpf_error(ENOMEM, "tracepipe: out of memory");
	}
	tp->fd = fd;
	tp->len = 0;
	*out = tp;
	return 0;
}

int rbpf_tracepipe_open(struct rbpf_tracepipe **out)
{
	const char *tfs = rbpf_tracefs();
	char path[256];

	*out = NULL;
	if (!tfs)
		return rbpf_error_prefix(-ENOENT, "tracepipe: ");
	snprintf(path, sizeof(path), "%s/trace_pipe", tfs);
	return rbpf_tracepipe_open_path(path, out);
}

int rbpf_tracepipe_fd(const struct rbpf_tracepipe *tp)
{
	return tp->fd;
}

int rbpf_tracepipe_pending(const struct rbpf_tracepipe *tp)
{
	return memchr(tp->buf, '\n', tp->len) != NULL;
}

void rbpf_tracepipe_close(struct rbpf_tracepipe *tp)
{
	if (!tp)
		return;
	close(tp->fd);
	free(tp);
}

/* Parse "123.456789" as seconds.  Returns the end, or NULL. */
static const char *parse_ts(const char *p, double *ts)
{
	char *end;

	*ts = strtod(p, &end);
	return end == p ? NULL : end;
}

/* Find the " [NNN] " cpu column: the first '[' followed by digits and ']'. */
static const char *find_cpu(const char *line, int *cpu)
{
	const char *p;

	for (p = strchr(line, '['); p; p = strchr(p + 1, '[')) {
		int n = 0, c = 0;

		while (p[1 + n] >= '0' && p[1 + n] <= '9') {
			if (c < 100000000)      /* "[99999999999]" must not overflow c */
				c = c * 10 + (p[1 + n] - '0');
			n++;
		}
		if (n > 0 && p[1 + n] == ']' && p > line && p[-1] == ' ') {
			*cpu = c;
			return p;
		}
	}
	return NULL;
}

/* Fill task and pid from "   some task-4242    " (the text before the cpu column). */
static int parse_task_pid(const char *s, const char *end, struct rbpf_trace_line *out)
{
	const char *dash;
	size_t n;

	while (s < end && *s == ' ')
		s++;
	while (end > s && end[-1] == ' ')
		end--;
	for (dash = end - 1; dash > s && *dash != '-'; dash--)
		;
	if (dash <= s || dash == end - 1)
		return -EINVAL;
	out->pid = (int)strtol(dash + 1, NULL, 10);
	n = (size_t)(dash - s);
	if (n >= sizeof(out->task))
		n = sizeof(out->task) - 1;
	memcpy(out->task, s, n);
	out->task[n] = '\0';
	return 0;
}

int rbpf_trace_parse(const char *line, struct rbpf_trace_line *out)
{
	static const char printk[] = "bpf_trace_printk: ";
	const char *cpu, *p, *ts_end;

	memset(out, 0, sizeof(*out));
	out->pid = out->cpu = -1;
	out->msg = line;
	cpu = find_cpu(line, &out->cpu);
	if (!cpu || parse_task_pid(line, cpu, out) < 0)
		goto bad;
	p = strchr(cpu, ']') + 1;
	while (*p == ' ')
		p++;
	/* Optional flags column ("d..31", "....."): one word before the timestamp. */
	ts_end = parse_ts(p, &out->ts);
	if (!ts_end || *ts_end != ':') {
		p = strchr(p, ' ');
		if (!p)
			goto bad;
		while (*p == ' ')
			p++;
	}
	p = parse_ts(p, &out->ts);
	if (!p || p[0] != ':' || p[1] != ' ')
		goto bad;
	p += 2;
	if (strncmp(p, printk, sizeof(printk) - 1) == 0)
		p += sizeof(printk) - 1;
	out->msg = p;
	return 0;
bad:
	out->pid = out->cpu = -1;
	out->task[0] = '\0';
	out->ts = 0;
	out->msg = line;
	return -EINVAL;
}

/* Hand out every complete line in tp->buf; keep the partial one.  Returns lines
 * handed, and sets *stop when fn asked to stop. */
static int deliver_lines(struct rbpf_tracepipe *tp, rbpf_trace_fn fn, void *ctx, int *stop)
{
	struct rbpf_trace_line tl;
	char *start = tp->buf, *nl, *end = tp->buf + tp->len;
	int n = 0;

	while (!*stop && (nl = memchr(start, '\n', (size_t)(end - start)))) {
		*nl = '\0';
		rbpf_trace_parse(start, &tl);      /* an odd line still reaches fn, whole */
		*stop = fn(ctx, &tl) != 0;
		n++;
		start = nl + 1;
	}
	tp->len = (size_t)(end - start);
	memmove(tp->buf, start, tp->len);
	return n;
}

/*
 * "What is there now" is bounded: at most MAX_READS read()s per call.  Reading until
 * EAGAIN would never return when the reader itself makes the lines -- a program on
 * sys_enter prints a line for every write() the callback does to show the last one.
 */
#define MAX_READS 16

int rbpf_tracepipe_read(struct rbpf_tracepipe *tp, rbpf_trace_fn fn, void *ctx)
{
	int handled = 0, stop = 0, reads;
	ssize_t r;

	/* Lines left over from a call whose callback stopped come first. */
	handled += deliver_lines(tp, fn, ctx, &stop);
	for (reads = 0; !stop && reads < MAX_READS; reads++) {
		if (tp->len == TP_BUF) {    /* a "line" longer than the buffer: cut it */
			tp->buf[TP_BUF - 1] = '\n';
			handled += deliver_lines(tp, fn, ctx, &stop);
			continue;
		}
		r = read(tp->fd, tp->buf + tp->len, TP_BUF - tp->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			break;
		if (r < 0)
			return rbpf_error(errno, "tracepipe: read fd=%d: %s", tp->fd,
					  strerror(errno));
		if (r == 0)
			break;
		tp->len += (size_t)r;
		handled += deliver_lines(tp, fn, ctx, &stop);
	}
	return handled;
}

/* Lines that wait before the caller attached were written by some earlier program
 * (the kernel keeps unread lines for the next reader, whoever it is): read and drop
 * them.  Bounded to about 0.2 s, in case something keeps writing. */
static int drop_line(void *ctx, const struct rbpf_trace_line *l)
{
	(void)l;
	(*(int *)ctx)++;
	return 0;
}

int rbpf_tracepipe_discard(struct rbpf_tracepipe *tp)
{
	struct timespec t0, t;
	int dropped = 0, r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		r = rbpf_tracepipe_read(tp, drop_line, &dropped);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (r > 0 && (t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 200000000L);
	return r < 0 ? r : dropped;
}
