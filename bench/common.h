/*
 * common.h -- what both sides of every bench share, so that the only code that
 * differs between a rawbpf run and a libbpf run is the library's: the clock, the
 * child /bin/true, the peak RSS report, the record and walk checks, the drain's
 * arguments and ring sizes, the median.  libc only.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

/* CLOCK_MONOTONIC in nanoseconds. */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* CPU time this process has used so far, user + system, in microseconds: printed by
 * the CO-RE bench as "cpu_us N" beside its wall-clock time, which on a shared
 * machine also counts the time other processes held the CPU. */
static inline long cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L +
	       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* fork + exec /bin/true; its pid, or -1. */
static inline int spawn_true(void)
{
	int pid = fork();

	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Peak resident set of this process (VmHWM of /proc/self/status), in KiB; -1 if
 * unreadable.  Printed last by the startup programs as "hwm_kb N": the harness
 * cannot take it from wait4, which folds in the /bin/true child's. */
static inline long hwm_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* What every drain checks: n records came, and their sequence numbers base ..
 * base+n-1 sum to what they should (a lost, doubled or torn record changes one or
 * the other). */
struct seq_check {
	uint64_t count, sum;
};

static inline int seq_check_ok(const struct seq_check *c, uint64_t base, uint64_t n)
{
	return c->count == n && c->sum == n * base + n * (n - 1) / 2;
}

/* The packet every XDP test run gets: an Ethernet header's worth and a bit. */
static __attribute__((unused)) unsigned char bench_pkt[64] = { [12] = 0x08, [13] = 0x00 };

/* Run on CPU 0 only: an XDP test run writes to the perf ring of the CPU it runs on,
 * so all N records land in one ring (both sides allocate one per CPU regardless). */
static inline void pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Data pages per CPU for a perf ring that holds n records of `payload` bytes: each
 * is an 8-byte perf_event_header, a u32 size and the payload, padded to 8 bytes.
 * A power of two, as perf requires, with room to spare. */
static inline unsigned perf_pages_for(uint64_t n, unsigned payload)
{
	uint64_t bytes = n * ((8 + 4 + payload + 7) / 8 * 8);
	unsigned pages = 1;

	while ((uint64_t)pages * 4096 < bytes + bytes / 16)
		pages *= 2;
	return pages;
}

/* The arguments of drain OBJ ring|perf SIZE N WAKE REPS, as both sides parse them. */
struct drain_args {
	int perf;                /* 0 ring buffer, 1 perf buffer */
	unsigned size;           /* 16 or 64 */
	uint32_t n;
	const char *wake;        /* perf: "default", "watermark" or "each" */
	const char *obj;
	int reps;                /* fill + drain this many times; report the medians */
};

static inline int drain_parse(int argc, char **argv, struct drain_args *a)
{
	if (argc != 7)
		return -1;
	a->obj = argv[1];
	a->perf = !strcmp(argv[2], "perf");
	a->size = atoi(argv[3]);
	a->n = strtoul(argv[4], NULL, 0);
	a->wake = argv[5];
	a->reps = atoi(argv[6]);
	if ((!a->perf && strcmp(argv[2], "ring")) || (a->size != 16 && a->size != 64) ||
	    !a->n || a->reps < 1 || a->reps > 100)
		return -1;
	return 0;
}

#define DRAIN_USAGE "usage: drain OBJ ring|perf 16|64 N default|watermark|each REPS\n"

/* The program that writes one record of a's kind: "rb16", "pb64", ... */
static inline const char *drain_prog_name(const struct drain_args *a)
{
	return a->perf ? (a->size == 16 ? "pb16" : "pb64") : (a->size == 16 ? "rb16" : "rb64");
}

/* The map walk: N entries key i -> value 3i in a hash map, then two full walks. */
#define WALK_VALUE(k) ((uint64_t)(k) * 3)

static inline int walk_ok(uint64_t count, uint64_t sum, uint32_t n)
{
	return count == n && sum == WALK_VALUE((uint64_t)n * (n - 1) / 2);
}

/* The median of n timings (sorts them). */
static inline int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static inline double median_ns(uint64_t *t, int n)
{
	qsort(t, n, sizeof(*t), cmp_u64);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2.0;
}

#endif
