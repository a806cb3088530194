/*
 * rawbpf/coreload.c -- the CO-RE bench with rawbpf: open an object whose programs
 * carry CO-RE relocations (build/bench/core.bpf.o, the shape of a libbpf-tools
 * tool), load it -- which reads the kernel's BTF and relocates -- and stop.  The
 * libbpf twin is bench/libbpf/coreload.c.
 *
 *     coreload OBJ NPROGS
 *
 * Prints "attached" once every program is loaded (spawn's marker: here it means
 * loaded, nothing is attached), "event progs=N", then "hwm_kb N".
 */
#include "../common.h"

#include "rawbpf.h"

int main(int argc, char **argv)
{
	struct rbpf_object *obj;
	struct rbpf_prog *p = NULL;
	int n = 0;

	if (argc != 3)
		return fprintf(stderr, "usage: coreload OBJ NPROGS\n"), 2;
	if (rbpf_object_open(argv[1], &obj) < 0 || rbpf_object_load(obj, 0) < 0)
		return fprintf(stderr, "coreload: %s\n", rbpf_errmsg()), 1;
	while ((p = rbpf_object_next_prog(obj, p)))
		n += rbpf_prog_fd(p) >= 0;
	printf("attached\n");
	printf("event progs=%d\n", n);
	printf("hwm_kb %ld\n", hwm_kb());
	rbpf_object_close(obj);
	return n == atoi(argv[2]) ? 0 : 1;
}
