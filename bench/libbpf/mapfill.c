/*
 * libbpf/mapfill.c -- leave a filled hash map behind for the map dump bench: N
 * entries u32 -> u64 (key i -> 3i), pinned at PATH, so that `rawbpf map dump ID`
 * and `bpftool map dump pinned PATH` can read the same map.  Prints "map_id ID".
 * (Which library fills it does not matter: only the dumps are timed.)
 *
 *     mapfill N PATH        the caller removes PATH afterwards
 */
#include "../common.h"

#include <bpf/bpf.h>

int main(int argc, char **argv)
{
	struct bpf_map_info info = { 0 };
	uint32_t n, len = sizeof(info);
	int fd;

	if (argc != 3)
		return fprintf(stderr, "usage: mapfill N PATH\n"), 2;
	n = strtoul(argv[1], NULL, 0);
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "bench_dump", 4, 8, n, NULL);
	if (fd < 0)
		return fprintf(stderr, "mapfill: map create: %d\n", fd), 1;
	for (uint32_t k = 0; k < n; k++) {
		uint64_t v = WALK_VALUE(k);

		if (bpf_map_update_elem(fd, &k, &v, BPF_NOEXIST))
			return fprintf(stderr, "mapfill: update %u failed\n", k), 1;
	}
	if (bpf_obj_pin(fd, argv[2]) || bpf_obj_get_info_by_fd(fd, &info, &len))
		return fprintf(stderr, "mapfill: pin at %s failed\n", argv[2]), 1;
	printf("map_id %u\n", info.id);
	return 0;
}
