/*
 * load.c -- load one program and keep everything the verifier said.
 *
 * The verifier writes its log into a buffer we hand it.  If the buffer is too small
 * the load fails with ENOSPC -- even for a program the verifier accepted -- and since
 * 6.4 the kernel also says how big the log really was (log_true_size).  So: start with
 * a buffer, and on ENOSPC grow it (to log_true_size when known, else four times) and
 * load again.  The kernel caps a log at 16 MiB - 1 (UINT_MAX >> 8).
 *
 * A program loaded without a log (level 0) and rejected is loaded once more at level 1,
 * so a rejection always comes with its explanation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"

#define LOG_MAX ((UINT32_MAX >> 8) - 1)     /* the kernel's limit on log_size */

uint32_t rbpf_log_start_size = 64 * 1024;

/* The verifier's reason for a rejection: the last log line before the statistics
 * ("processed N insns ...") that the kernel prints at the end.  Copies into out. */
static void last_log_line(const char *log, char *out, size_t n)
{
	const char *end = log + strlen(log), *line = log, *p;
	const char *best = NULL, *best_end = NULL;

	for (p = log; p <= end; p++) {
		if (p != end && *p != '\n')
			continue;
		if (p > line && strncmp(line, "processed ", 10) != 0 &&
		    strncmp(line, "verification time", 17) != 0 &&
		    strncmp(line, "stack depth", 11) != 0) {
			best = line;
			best_end = p;
		}
		line = p + 1;
	}
	if (!best) {
		snprintf(out, n, "(empty log)");
		return;
	}
	snprintf(out, n, "%.*s", (int)(best_end - best), best);
}

/* One BPF_PROG_LOAD with the log in *buf (grown as needed). */
static int load_with_log(struct rbpf_prog_load_args *a, char **buf)
{
	uint32_t size = rbpf_log_start_size < 128 ? 128 : rbpf_log_start_size;
	char *b;
	int fd;

	for (;;) {
		b = realloc(*buf, size);
		if (!b)
			return -ENOMEM;
		*buf = b;
		/* All of it defined, not just b[0]: valgrind marks what the kernel wrote
		 * only after a bpf() that succeeded, and a rejection's log is read. */
		memset(b, 0, size);
		a->log_buf = b;
		a->log_size = size;
		fd = rbpf_prog_load(a);
		if (fd != -ENOSPC || size >= LOG_MAX)
			return fd;
		/* Too small: grow to what the kernel said it needs, or 4x. */
		if (a->log_true_size > size)
			size = a->log_true_size;
		else
			size = size > LOG_MAX / 4 ? LOG_MAX : size * 4;
	}
}

int rbpf_load_prog(struct rbpf_prog_load_args *a, char **log)
{
	const char *name = a->name ? a->name : "(unnamed)";
	char reason[512];
	int fd, fd2;

	*log = NULL;
	if (a->log_level) {
		fd = load_with_log(a, log);
	} else {
		a->log_buf = NULL;
		a->log_size = 0;
		fd = rbpf_prog_load(a);
		if (fd < 0 && fd != -EPERM && fd != -ENOSYS && fd != -ENOMEM &&
		    fd != -EMFILE && fd != -ENFILE) {
			a->log_level = 1;       /* rejected: load again to hear why */
			fd2 = load_with_log(a, log);
			a->log_level = 0;
			if (fd2 >= 0)           /* accepted the second time: keep that */
				return fd2;
			fd = fd2;
		}
	}
	if (fd >= 0)
		return fd;
	/* A log with text means the verifier ran and said why (EACCES mostly; EINVAL,
	 * E2BIG for a call chain too deep or a program too large).  EMFILE/ENFILE come
	 * after a verifier that accepted: no fd was left for the program. */
	if (*log && **log && fd != -ENOSPC && fd != -EMFILE && fd != -ENFILE) {
		const struct rbpf_hint *h = rbpf_verifier_hint(*log);

		last_log_line(*log, reason, sizeof(reason));
		return rbpf_error(fd, "load prog %s: the verifier rejected it (%s): %s%s%s",
				  name, rbpf_errno_name(fd), reason, h ? "\n  hint: " : "",
				  h ? h->hint : "");
	}
	return rbpf_error(fd, "load prog %s: BPF_PROG_LOAD failed: %s (%s)%s%s", name,
			  rbpf_errno_name(fd), strerror(-fd),
			  *rbpf_errno_hint(fd) ? ": " : "", rbpf_errno_hint(fd));
}

int rbpf_num_possible_cpus(void)
{
	/* The file holds ranges like "0-3" or "0,2-5"; the count is the highest + 1,
	 * because per-CPU maps have a slot for every CPU number up to the highest. */
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	int a, b, max = -1, n;
	char sep;

	if (!f)
		return rbpf_error(errno, "cpus: cannot open /sys/devices/system/cpu/possible: %s",
				  strerror(errno));
	while ((n = fscanf(f, "%d", &a)) == 1) {
		b = a;
		if (fscanf(f, "%c", &sep) == 1 && sep == '-' && fscanf(f, "%d", &b) == 1)
			(void)fscanf(f, "%c", &sep);
		if (b > max)
			max = b;
	}
	fclose(f);
	if (max < 0)
		return rbpf_error(EINVAL, "cpus: cannot parse /sys/devices/system/cpu/possible");
	return max + 1;
}
