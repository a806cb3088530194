/*
 * sysfs.c -- small text files the kernel writes for us: one number (a PMU's type,
 * a tracepoint's id), a list of CPUs.
 *
 * The files are tiny and generated on read, so one read() gets all of it; nothing is
 * cached, because what they say can change (a CPU comes online, a probe is added).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel.h"
#include "rawbpf.h"

int kfile_read(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = read(fd, buf, n - 1);
	if (r < 0)
		r = -errno;
	else
		buf[r] = '\0';
	close(fd);
	return (int)r;
}

long kfile_number(const char *path)
{
	char buf[64], *end;
	long v;
	int r = kfile_read(path, buf, sizeof(buf));

	if (r < 0)
		return r;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (end == buf || errno || v < 0)
		return -EINVAL;
	return v;
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
