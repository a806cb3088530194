/*
 * nullsys.c -- the cost of entering and leaving the kernel on this machine: N
 * getppid() system calls, the median of 11 batches, in ns per call.  Printed beside
 * the map walk, which makes two bpf() calls per entry and so is bounded by this.
 *
 *     nullsys N          prints "nullsys_ns X"
 */
#include "common.h"

#include <sys/syscall.h>

int main(int argc, char **argv)
{
	uint64_t t[11];
	long n = argc > 1 ? atol(argv[1]) : 100000;

	if (n < 1)
		return fprintf(stderr, "usage: nullsys N\n"), 2;
	for (int b = 0; b < 11; b++) {
		t[b] = now_ns();
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		t[b] = now_ns() - t[b];
	}
	printf("nullsys_ns %.1f\n", median_ns(t, 11) / n);
	return 0;
}
