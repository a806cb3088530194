/*
 * neighbour.c -- another BPF user on the machine, for `make check-noisy`.
 *
 *   build/tests/noisy/neighbour [SECONDS]      (root; 0 or none: until killed)
 *
 * In a loop, as fast as it can: create a hash map and an array, load a small raw
 * tracepoint program that uses the map, attach it to sys_enter (so every system
 * call of the suite runs it), pin the map and the program in a bpffs directory of
 * its own (/sys/fs/bpf/noisy_neighbour_PID), read the map, then unpin, detach and
 * close everything.  Every object it makes carries "noisy" in its name, never
 * "rbpf", so the suite's guard never takes it for its own.  SIGINT/SIGTERM end it
 * cleanly (its directory removed).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "rawbpf.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* r1 = &key (0 on the stack); v = lookup(map, &key); if (v) (*v)++; return 0 */
static int load_counter(int map_fd)
{
	struct bpf_insn insns[] = {
		BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 0),
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4),
		BPF_LD_MAP_FD(BPF_REG_1, map_fd),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 2),
		BPF_MOV64_IMM(BPF_REG_1, 1),
		BPF_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_0, BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_RAW_TRACEPOINT, .name = "noisy_prog",
		.insns = insns, .insn_cnt = sizeof(insns) / sizeof(insns[0]), .license = "GPL",
	};

	return rbpf_prog_load(&a);
}

/* One round; returns 0, or -errno with the message kept. */
static int round_trip(const char *dir, unsigned n)
{
	struct rbpf_map_create_args h = { .type = BPF_MAP_TYPE_HASH, .name = "noisy_hash",
		.key_size = 4, .value_size = 8, .max_entries = 64 };
	struct rbpf_map_create_args a = { .type = BPF_MAP_TYPE_ARRAY, .name = "noisy_array",
		.key_size = 4, .value_size = 8, .max_entries = 1 };
	char mpath[256], ppath[256];
	struct rbpf_link *l = NULL;
	int hfd = rbpf_map_create(&h), afd = rbpf_map_create(&a), pfd = -1, r = 0;
	uint32_t key = n % 64;
	uint64_t val = n;

	if (hfd < 0 || afd < 0) {
		r = hfd < 0 ? hfd : afd;
		goto out;
	}
	rbpf_map_update_elem(hfd, &key, &val, 0);
	if ((pfd = r = load_counter(afd)) < 0 ||
	    (r = rbpf_attach_raw_tracepoint(pfd, "sys_enter", &l)) < 0)
		goto out;
	snprintf(mpath, sizeof(mpath), "%s/map_%u", dir, n);
	snprintf(ppath, sizeof(ppath), "%s/prog_%u", dir, n);
	if ((r = rbpf_obj_pin(afd, mpath)) == 0) {
		rbpf_obj_pin(pfd, ppath);
		usleep(2000);
		key = 0;
		rbpf_map_lookup_elem(afd, &key, &val, 0);
		unlink(ppath);
		unlink(mpath);
	}
out:
	rbpf_link_destroy(l);
	if (pfd >= 0)
		close(pfd);
	if (afd >= 0)
		close(afd);
	if (hfd >= 0)
		close(hfd);
	return r < 0 ? r : 0;
}

int main(int argc, char **argv)
{
	long seconds = argc > 1 ? atol(argv[1]) : 0;
	time_t end = time(NULL) + seconds;
	unsigned n, errors = 0;
	char dir[128];

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/noisy_neighbour_%d", (int)getpid());
	if (mkdir(dir, 0700) < 0) {
		fprintf(stderr, "neighbour: mkdir %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (n = 0; !stop && (!seconds || time(NULL) < end); n++)
		if (round_trip(dir, n) < 0 && errors++ < 3)
			fprintf(stderr, "neighbour: round %u: %s\n", n, rbpf_errmsg());
	rmdir(dir);
	printf("neighbour: %u rounds (map + program + raw tracepoint + pins each), "
	       "%u failed\n", n, errors);
	return 0;
}
