/*
 * libbpf/open.c -- open and parse an object file K times, without loading it
 * (bpf_object__open_file + bpf_object__close), counting its programs and maps.
 *
 *     open OBJ K NPROGS NMAPS
 *
 * Prints "open_us X": the mean per open+close.  Exit 1 if the counts are not
 * NPROGS and NMAPS.
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
	uint64_t t0, t1;

	if (argc != 5)
		return fprintf(stderr, "usage: open OBJ K NPROGS NMAPS\n"), 2;
	k = atoi(argv[2]);
	t0 = now_ns();
	for (int i = 0; i < k; i++) {
		struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);

		if (!obj)
			return fprintf(stderr, "open: cannot open %s\n", argv[1]), 1;
		count(obj, &np, &nm);
		bpf_object__close(obj);
	}
	t1 = now_ns();
	if (np != atoi(argv[3]) || nm != atoi(argv[4]))
		return fprintf(stderr, "open: %d programs, %d maps\n", np, nm), 1;
	printf("open_us %.1f\n", (t1 - t0) / 1e3 / k);
	return 0;
}
