/*
 * rawbpf/coreload.c -- the CO-RE bench with rawbpf: open an object whose programs
 * carry CO-RE relocations (build/bench/core.bpf.o, the shape of a libbpf-tools
 * tool), load it -- which reads the kernel's BTF and relocates -- and stop.  The
 * libbpf twin is bench/libbpf/coreload.c.
 *
 *     coreload OBJ NPROGS
 *
 * Prints "attached" once every program is loaded (spawn's marker: here it means
 * loaded, nothing is attached), "event progs=N", "hwm_kb N", "cpu_us N" (the CPU
 * time it took to get there) -- and, after
 * that, "kernel_us X": the same relocated instructions loaded again, each by one
 * bare BPF_PROG_LOAD (no BTF, no CO-RE), timed: what the kernel's verifier costs
 * for this object, which both loaders pay.
 */
#include "../common.h"

#include "rawbpf.h"

/* Each program's final instructions through one bare BPF_PROG_LOAD; microseconds. */
static double kernel_floor(struct rbpf_object *obj)
{
	struct rbpf_prog *p = NULL;
	uint64_t t, total = 0;

	while ((p = rbpf_object_next_prog(obj, p))) {
		struct bpf_prog_info info = { 0 };
		uint32_t len = sizeof(info);
		struct rbpf_prog_load_args a = { 0 };
		int fd;

		rbpf_obj_get_info_by_fd(rbpf_prog_fd(p), &info, &len);
		a.type = rbpf_prog_type(p);
		a.expected_attach_type = rbpf_prog_expected_attach_type(p);
		a.insns = rbpf_prog_insns(p, &a.insn_cnt);
		a.license = "GPL";
		a.attach_btf_id = info.attach_btf_id;
		t = now_ns();
		fd = rbpf_prog_load(&a);
		total += now_ns() - t;
		if (fd < 0)
			return -1;
		close(fd);
	}
	return total / 1e3;
}

int main(int argc, char **argv)
{
	struct rbpf_object *obj;
	struct rbpf_prog *p = NULL;
	long cpu;
	int n = 0;

	if (argc != 3)
		return fprintf(stderr, "usage: coreload OBJ NPROGS\n"), 2;
	if (rbpf_object_open(argv[1], &obj) < 0 || rbpf_object_load(obj, 0) < 0)
		return fprintf(stderr, "coreload: %s\n", rbpf_errmsg()), 1;
	cpu = cpu_us();
	while ((p = rbpf_object_next_prog(obj, p)))
		n += rbpf_prog_fd(p) >= 0;
	printf("attached\n");
	printf("event progs=%d\n", n);
	printf("hwm_kb %ld\n", hwm_kb());
	printf("cpu_us %ld\n", cpu);
	fflush(stdout);
	printf("kernel_us %.1f\n", kernel_floor(obj));
	rbpf_object_close(obj);
	return n == atoi(argv[2]) ? 0 : 1;
}
