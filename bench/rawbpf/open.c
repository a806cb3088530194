/*
 * rawbpf/open.c -- open and parse an object file K times, without loading it
 * (rbpf_object_open + rbpf_object_close), counting its programs and maps.  The
 * libbpf twin is bench/libbpf/open.c.
 *
 *     open OBJ K NPROGS NMAPS
 *
 * Prints "open_us X": the median of the K open+close times (a median, not a mean,
 * so that a run preempted once by another process still reports the usual cost).
 * Exit 1 if the counts are not NPROGS and NMAPS.
 */
#include "../common.h"

#include "rawbpf.h"

static void count(const struct rbpf_object *obj, int *nprogs, int *nmaps)
{
	struct rbpf_prog *p = NULL;
	struct rbpf_map *m = NULL;

	*nprogs = *nmaps = 0;
	while ((p = rbpf_object_next_prog(obj, p)))
		++*nprogs;
	while ((m = rbpf_object_next_map(obj, m)))
		++*nmaps;
}

int main(int argc, char **argv)
{
	int k, np = 0, nm = 0;
	uint64_t t[1000];

	if (argc != 5)
		return fprintf(stderr, "usage: open OBJ K NPROGS NMAPS\n"), 2;
	k = atoi(argv[2]);
	if (k < 1 || k > 1000)
		return fprintf(stderr, "open: K is 1..1000\n"), 2;
	for (int i = 0; i < k; i++) {
		struct rbpf_object *obj;

		t[i] = now_ns();
		if (rbpf_object_open(argv[1], &obj) < 0)
			return fprintf(stderr, "open: %s\n", rbpf_errmsg()), 1;
		count(obj, &np, &nm);
		rbpf_object_close(obj);
		t[i] = now_ns() - t[i];
	}
	if (np != atoi(argv[3]) || nm != atoi(argv[4]))
		return fprintf(stderr, "open: %d programs, %d maps\n", np, nm), 1;
	printf("open_us %.1f\n", median_ns(t, k) / 1e3);
	return 0;
}
