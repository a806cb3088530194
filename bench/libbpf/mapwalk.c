/*
 * libbpf/mapwalk.c -- walk a hash map of N entries (u32 -> u64) twice with libbpf's
 * bpf.h wrappers: key by key (bpf_map_get_next_key + bpf_map_lookup_elem), then by
 * batches (bpf_map_lookup_batch, BATCH entries per call).
 *
 *     mapwalk N BATCH REPS
 *
 * Walks REPS times each way and prints the medians, "next_lookup_ns X" and
 * "batch_ns X": ns per entry, each walk checked (count and sum of values).
 */
#include "../common.h"

#include <errno.h>
#include <bpf/bpf.h>

static int walk_keys(int fd, uint32_t n)
{
	uint32_t key, next;
	uint64_t value, count = 0, sum = 0;
	void *prev = NULL;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		if (bpf_map_lookup_elem(fd, &next, &value))
			return -1;
		count++;
		sum += value;
		key = next;
		prev = &key;
	}
	return walk_ok(count, sum, n) ? 0 : -1;
}

static int walk_batch(int fd, uint32_t n, uint32_t batch)
{
	uint32_t *keys = calloc(batch, sizeof(*keys)), out, cnt;
	uint64_t *values = calloc(batch, sizeof(*values)), count = 0, sum = 0;
	void *in = NULL;
	int err;

	do {
		cnt = batch;
		err = bpf_map_lookup_batch(fd, in, &out, keys, values, &cnt, NULL);
		if (err && errno != ENOENT)
			return -1;
		for (uint32_t i = 0; i < cnt; i++) {
			count++;
			sum += values[i];
		}
		in = &out;
	} while (!err);
	free(keys);
	free(values);
	return walk_ok(count, sum, n) ? 0 : -1;
}

int main(int argc, char **argv)
{
	uint64_t keys_ns[100], batch_ns[100];
	uint32_t n, batch;
	int fd, reps;

	if (argc != 4 || (reps = atoi(argv[3])) < 1 || reps > 100)
		return fprintf(stderr, "usage: mapwalk N BATCH REPS (1..100)\n"), 2;
	n = strtoul(argv[1], NULL, 0);
	batch = strtoul(argv[2], NULL, 0);
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "walk", 4, 8, n, NULL);
	if (fd < 0)
		return fprintf(stderr, "mapwalk: map create: %d\n", fd), 1;
	for (uint32_t k = 0; k < n; k++) {
		uint64_t v = WALK_VALUE(k);

		if (bpf_map_update_elem(fd, &k, &v, BPF_NOEXIST))
			return fprintf(stderr, "mapwalk: update %u failed\n", k), 1;
	}
	for (int r = 0; r < reps; r++) {
		keys_ns[r] = now_ns();
		if (walk_keys(fd, n))
			return fprintf(stderr, "mapwalk: key walk wrong\n"), 1;
		batch_ns[r] = now_ns();
		if (walk_batch(fd, n, batch))
			return fprintf(stderr, "mapwalk: batch walk wrong\n"), 1;
		keys_ns[r] = batch_ns[r] - keys_ns[r];
		batch_ns[r] = now_ns() - batch_ns[r];
	}
	printf("next_lookup_ns %.1f\nbatch_ns %.1f\n", median_ns(keys_ns, reps) / n,
	       median_ns(batch_ns, reps) / n);
	return 0;
}
