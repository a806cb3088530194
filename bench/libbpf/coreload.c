/*
 * libbpf/coreload.c -- the CO-RE bench with libbpf: bpf_object__open_file +
 * bpf_object__load of build/bench/core.bpf.o (libbpf reads the kernel's BTF and
 * relocates), then stop.  The rawbpf twin is bench/rawbpf/coreload.c.
 *
 *     coreload OBJ NPROGS
 *
 * Prints "attached" once every program is loaded, "event progs=N", "hwm_kb N" and
 * "cpu_us N" (the CPU time it took to get there).
 */
#include "../common.h"

#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj = bpf_object__open_file(argc == 3 ? argv[1] : "", NULL);
	struct bpf_program *p;
	long cpu;
	int n = 0;

	if (argc != 3)
		return fprintf(stderr, "usage: coreload OBJ NPROGS\n"), 2;
	if (!obj || bpf_object__load(obj))
		return fprintf(stderr, "coreload: cannot load %s\n", argv[1]), 1;
	cpu = cpu_us();
	bpf_object__for_each_program(p, obj)
		n += bpf_program__fd(p) >= 0;
	printf("attached\n");
	printf("event progs=%d\n", n);
	printf("hwm_kb %ld\n", hwm_kb());
	printf("cpu_us %ld\n", cpu);
	bpf_object__close(obj);
	return n == atoi(argv[2]) ? 0 : 1;
}
