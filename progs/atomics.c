/*
 * atomics.c -- the user side of the atomics lesson: run the plain and the atomic
 * counter at the same time on two CPUs and count what each lost.
 *
 * Concept:     BPF_PROG_TEST_RUN with `repeat` runs a program many times in one
 *              system call, on the calling CPU.  Two processes, one pinned to each
 *              CPU, run add_plain and add_atomic over and over; the map's two
 *              counters then say how many adds arrived.  The plain one usually
 *              falls short (lost updates); the atomic one never does.
 * Prog type:   socket filter (BPF_PROG_TYPE_SOCKET_FILTER), test run only.
 * Kernel:      5.15+ (the course's floor).
 * Prints:      the atomic instruction as loaded, then per counter the adds that arrived:
 *                  plain  *v += 1:                  1873020 of 2000000 (126980 lost)
 *                  atomic __sync_fetch_and_add:     2000000 of 2000000
 * Privilege:   root, or CAP_BPF (test runs of socket filters need no more).
 *
 * Usage: atomics [--runs N]   (N test runs per CPU per round; 20 rounds)
 */
#include <sched.h>
#include <sys/wait.h>

#include "lesson.h"

#define ROUNDS 20

/* Print each atomic instruction of program `name`, as the verifier will read it. */
static void show_atomic(struct rbpf_object *obj, const char *name)
{
	uint32_t n, i;
	const struct bpf_insn *in = rbpf_prog_insns(rbpf_object_find_prog(obj, name), &n);
	char text[128];

	for (i = 0; i < n; i++)
		if (BPF_CLASS(in[i].code) == BPF_STX && BPF_MODE(in[i].code) == BPF_ATOMIC &&
		    rbpf_disasm_insn(&in[i], n - i, text, sizeof(text), NULL) > 0)
			printf("%s, instruction %u: %s   (code 0x%02x = BPF_STX | BPF_%s | "
			       "BPF_ATOMIC, imm 0x%02x = %s)\n", name, i, text, in[i].code,
			       BPF_SIZE(in[i].code) == BPF_DW ? "DW" : "W", in[i].imm,
			       in[i].imm == BPF_ADD ? "BPF_ADD" :
			       in[i].imm == (BPF_ADD | BPF_FETCH) ? "BPF_ADD | BPF_FETCH" : "...");
}

/* In a child pinned to `cpu`: test-run prog `runs` times, ROUNDS times over.  The
 * child closes its copies of the object's fds before it ends (the parent's stay). */
static pid_t race_on(struct rbpf_object *obj, int cpu, int prog_fd, uint32_t runs)
{
	unsigned char pkt[64] = { 0 };          /* an Ethernet frame's worth of zeros */
	pid_t pid = fork();
	cpu_set_t set;
	int r;

	if (pid != 0)
		return pid;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	for (r = 0; r < ROUNDS; r++) {
		struct rbpf_test_run_args t = { .data_in = pkt, .data_size_in = sizeof(pkt),
						.repeat = runs };
		if (rbpf_prog_test_run(prog_fd, &t) < 0)
			break;
	}
	rbpf_object_close(obj);
	_exit(r == ROUNDS ? 0 : 1);
}

/* Run both programs on CPUs 0 and 1 at once: four children, two per program. */
static int race(struct rbpf_object *obj, uint32_t runs)
{
	const char *progs[2] = { "add_plain", "add_atomic" };
	pid_t kids[4];
	int i, st, bad = 0;

	for (i = 0; i < 4; i++)
		kids[i] = race_on(obj, i % 2, lesson_fd(obj, progs[i / 2]), runs);
	for (i = 0; i < 4; i++)
		if (kids[i] < 0 || waitpid(kids[i], &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			bad = 1;
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	int fd, ncpu = rbpf_num_possible_cpus();
	uint32_t runs = 50000, key;
	uint64_t got[2] = { 0, 0 }, want;
	struct rbpf_object *obj;

	if (argc == 3 && strcmp(argv[1], "--runs") == 0)
		runs = (uint32_t)strtoul(argv[2], NULL, 0);
	else if (argc != 1) {
		fprintf(stderr, "usage: atomics [--runs N]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ncpu < 2) {
		printf("atomics: one CPU only: nothing races here\n");
		return 0;
	}
	obj = lesson_open(argv[0], "atomics");
	if (!obj || lesson_load(obj, "atomics", NULL) < 0)
		return 1;
	show_atomic(obj, "add_atomic");
	if (race(obj, runs) < 0) {
		fprintf(stderr, "atomics: BPF_PROG_TEST_RUN failed in a child\n");
		rbpf_object_close(obj);
		return 1;
	}
	fd = rbpf_map_fd(rbpf_object_find_map(obj, "counts"));
	for (key = 0; key < 2; key++)
		rbpf_map_lookup_elem(fd, &key, &got[key], 0);
	want = 2ULL * ROUNDS * runs;
	printf("two CPUs, %u runs each, 20 rounds: %llu adds per counter\n", runs,
	       (unsigned long long)want);
	printf("plain  *v += 1:               %llu arrived (%llu lost)\n",
	       (unsigned long long)got[0], (unsigned long long)(want - got[0]));
	printf("atomic __sync_fetch_and_add:  %llu arrived (%llu lost)\n",
	       (unsigned long long)got[1], (unsigned long long)(want - got[1]));
	rbpf_object_close(obj);
	return 0;
}
