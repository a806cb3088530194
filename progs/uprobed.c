/*
 * uprobed.c -- lesson 10's target: a small program with a function worth probing.
 *
 * It calls add_to_total(1), add_to_total(2), ... add_to_total(N) (N from the
 * command line, 5 by default) and prints the total.  add_to_total is kept out of
 * line (noinline) so that it exists as a function in the binary, with a symbol:
 * that is what a uprobe needs.  Nothing here knows about BPF.
 *
 * Usage: uprobed [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The function lesson 10 probes: adds n to a running total, returns the total. */
__attribute__((noinline)) long add_to_total(long n)
{
	static long total;

	total += n;
	__asm__ volatile("" ::: "memory");      /* keep the calls: no folding at -O2 */
	return total;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 5, i, total = 0;

	for (i = 1; i <= n; i++)
		total = add_to_total(i);
	printf("uprobed (pid %d): add_to_total called %ld times, total %ld\n", getpid(), n,
	       total);
	return 0;
}
