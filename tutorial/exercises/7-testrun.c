/*
 * 7-testrun.c -- what lesson 7's checkers use to see a fixed program do its job.
 *
 * The verifier accepting a program proves it is safe, not that it still works: a
 * "fix" that deletes the faulty line is accepted too.  So the checkers run the
 * learner's XDP program once on a made-up packet with BPF_PROG_TEST_RUN (no network
 * interface needed: the kernel calls the program on a buffer we hand it) and look at
 * what it returned and what it left in its maps.
 *
 *   7-testrun OBJ PROG [-s MAP KEY VALUE]... [-p HEX] [-g MAP KEY]...
 *
 *   -s  before the run, store VALUE (a u64) at KEY (a u32) in MAP
 *   -p  the packet, as hex bytes ("ffffffffffff0000000000000806": 14 bytes);
 *       default: 64 zero bytes
 *   -g  after the run, print MAP's value at KEY as u64 words
 *
 * Prints "retval N" (XDP_DROP 1, XDP_PASS 2), then one "MAP[KEY] = w0 w1 ..." line
 * per -g.  Exit 0 when the program loaded and ran, 1 otherwise (the reason on stdout,
 * where the checker shows it to the learner).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"

static int fail(const char *what)
{
	printf("%s: %s\n", what, rbpf_errmsg());
	return 1;
}

/* Parse hex bytes into buf; returns the count, or -1 on a bad digit or overflow. */
static int parse_hex(const char *s, unsigned char *buf, int room)
{
	int n = 0;
	unsigned v;

	for (; s[0] && s[1]; s += 2) {
		if (n == room || sscanf(s, "%2x", &v) != 1)
			return -1;
		buf[n++] = v;
	}
	return s[0] ? -1 : n;
}

static int map_fd(struct rbpf_object *obj, const char *name)
{
	struct rbpf_map *m = rbpf_object_find_map(obj, name);

	if (!m)
		printf("no map named %s in the object\n", name);
	return m ? rbpf_map_fd(m) : -1;
}

/* -s MAP KEY VALUE: the value is a u64 followed by zeros up to the map's value size. */
static int set_value(struct rbpf_object *obj, char **arg)
{
	unsigned char value[4096] = { 0 };
	uint32_t key = strtoul(arg[1], NULL, 0);
	uint64_t v = strtoull(arg[2], NULL, 0);
	int fd = map_fd(obj, arg[0]);

	memcpy(value, &v, sizeof(v));
	if (fd < 0)
		return 1;
	return rbpf_map_update_elem(fd, &key, value, 0) < 0 ? fail("map update") : 0;
}

static int get_value(struct rbpf_object *obj, char **arg)
{
	struct rbpf_map *m = rbpf_object_find_map(obj, arg[0]);
	uint64_t value[512] = { 0 };
	uint32_t key = strtoul(arg[1], NULL, 0), i;

	if (!m || rbpf_map_value_size(m) > sizeof(value))
		return printf("no map named %s with a value of at most 4096 bytes\n", arg[0]), 1;
	printf("%s[%u] =", arg[0], key);
	if (rbpf_map_lookup_elem(rbpf_map_fd(m), &key, value, 0) < 0) {
		printf(" (no entry)\n");
		return 0;
	}
	for (i = 0; i < rbpf_map_value_size(m) / 8; i++)
		printf(" %llu", (unsigned long long)value[i]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char pkt[1500] = { 0 };
	struct rbpf_test_run_args run = { .data_in = pkt, .data_size_in = 64, .repeat = 1 };
	struct rbpf_object *obj;
	struct rbpf_prog *p;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: %s OBJ PROG [-s MAP KEY VALUE]... [-p HEX] [-g MAP KEY]...\n",
			argv[0]);
		return 2;
	}
	if (rbpf_object_open(argv[1], &obj) < 0 || rbpf_object_load(obj, 0) < 0)
		return fail("load");
	if (!(p = rbpf_object_find_prog(obj, argv[2])))
		return printf("no program named %s in %s\n", argv[2], argv[1]), 1;
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 3 < argc) {
			if (set_value(obj, argv + i + 1))
				return 1;
			i += 3;
		} else if (!strcmp(argv[i], "-p") && i + 1 < argc) {
			int n = parse_hex(argv[++i], pkt, sizeof(pkt));
			if (n < 0)
				return printf("bad packet hex: %s\n", argv[i]), 1;
			run.data_size_in = n;
		} else if (!strcmp(argv[i], "-g") && i + 2 < argc) {
			i += 2;
		} else {
			return fprintf(stderr, "bad argument: %s\n", argv[i]), 2;
		}
	}
	if (rbpf_prog_test_run(rbpf_prog_fd(p), &run) < 0)
		return fail("test run");
	printf("retval %u\n", run.retval);
	for (i = 3; i < argc; i++)
		if (!strcmp(argv[i], "-g") && get_value(obj, argv + i + 1))
			return 1;
	rbpf_object_close(obj);
	return 0;
}
