/*
 * libbpf/open.c -- open and parse an object file K times, without loading it
 * (bpf_object__open_file + bpf_object__close), counting its programs and maps.
 *
 *     open OBJ K NPROGS NMAPS
 *
 * Prints "open_us X": the median of the K open+close times (a median, not a mean,
 * so that a run preempted once by another process still reports the usual cost).
 * Exit 1 if the counts are not NPROGS and NMAPS.
 */
#include "../common.h"

#include <bpf/libbpf.h>

static int count(struct bpf_object *obj, int *nprogs, int *nmaps)
{
	struct bpf_program *p;
	struct bpf_map *m;

	*nprogs = *nmaps = 0;
	bpf_object__for_each_program(p, obj)
		++*nprogs;
	bpf_object__for_each_map(m, obj)
		++*nmaps;
	return 0;
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
		uint64_t t0 = now_ns();
		struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);

		if (!obj)
			return fprintf(stderr, "open: cannot open %s\n", argv[1]), 1;
		count(obj, &np, &nm);
		bpf_object__close(obj);
		t[i] = now_ns() - t0;
	}
	if (np != atoi(argv[3]) || nm != atoi(argv[4]))
		return fprintf(stderr, "open: %d programs, %d maps\n", np, nm), 1;
	printf("open_us %.1f\n", median_ns(t, k) / 1e3);
	return 0;
}
