/*
 * cmd/load.c -- `rawbpf load OBJ [--log-level N] [--pin DIR]`: load an object and say
 * what the kernel now holds.
 *
 * One line per map (name, type, key/value size, max entries, kernel id) and per
 * program (name, type, section, instruction count, instructions the verifier
 * processed, kernel id), followed by its verifier log when --log-level asked for
 * one.  A rejected program's verifier log goes to stderr.  Without
 * --pin everything is released when the command exits, but for the maps the object
 * asks to pin by name (`__uint(pinning, LIBBPF_PIN_BY_NAME)`): like libbpf, the load
 * pins those at /sys/fs/bpf/NAME, or reuses what is pinned there (lesson 8), and
 * removes the pins it made when a program is refused.  With --pin, maps and programs
 * are pinned under DIR/maps/ and DIR/progs/ (a bpffs) and outlive the command.
 * Exit 0 only when every program loaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "cmd.h"
#include "ref.h"

/* The kernel's id for an fd (what bpftool lists), or 0. */
static uint32_t kernel_id(int fd, int is_prog)
{
	struct bpf_prog_info p = { 0 };
	struct bpf_map_info m = { 0 };
	uint32_t len = is_prog ? sizeof(p) : sizeof(m);

	if (fd < 0 || rbpf_obj_get_info_by_fd(fd, is_prog ? (void *)&p : (void *)&m, &len))
		return 0;
	return is_prog ? p.id : m.id;
}

static void print_maps(const struct rbpf_object *obj)
{
	const struct rbpf_map *m = NULL;
	char tb[16];

	while ((m = rbpf_object_next_map(obj, m)))
		printf("map  %-16s %-18s key %-4u value %-6u max_entries %-6u id %u\n",
		       rbpf_map_name(m), map_type_name(rbpf_map_type(m), tb, sizeof(tb)),
		       rbpf_map_key_size(m),
		       rbpf_map_value_size(m), rbpf_map_max_entries(m),
		       kernel_id(rbpf_map_fd(m), 0));
}

/* Print the programs; rejected ones' logs to stderr.  Returns how many failed. */
static int print_progs(const struct rbpf_object *obj)
{
	struct rbpf_prog *p = NULL;
	char tb[16];
	uint32_t cnt;
	int failed = 0;

	while ((p = rbpf_object_next_prog(obj, p))) {
		rbpf_prog_insns(p, &cnt);
		if (rbpf_prog_fd(p) < 0 && rbpf_prog_autoload(p)) {
			if (*rbpf_prog_log(p))
				fprintf(stderr, "prog %s (%s) was rejected; the verifier said:\n%s\n",
					rbpf_prog_name(p), rbpf_prog_section(p), rbpf_prog_log(p));
			else
				fprintf(stderr, "prog %s (%s) was not loaded\n",
					rbpf_prog_name(p), rbpf_prog_section(p));
			failed++;
			continue;
		}
		printf("prog %-16s %-14s %-38s insns %-5u processed %-6u id %u\n",
		       rbpf_prog_name(p), prog_type_name(rbpf_prog_type(p), tb, sizeof(tb)),
		       rbpf_prog_section(p), cnt, rbpf_prog_verified_insns(p),
		       kernel_id(rbpf_prog_fd(p), 1));
		if (*rbpf_prog_log(p))          /* asked for with --log-level */
			printf("%s\n", rbpf_prog_log(p));
	}
	return failed;
}

static int usage(void)
{
	fprintf(stderr, "usage: rawbpf load OBJ [--log-level N] [--pin DIR]\n");
	return 2;
}

int cmd_load(int argc, char **argv)
{
	const char *path = NULL, *pin = NULL;
	struct rbpf_object *obj;
	uint32_t level = 0;
	int i, r, failed;
	char *end;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--log-level") && i + 1 < argc) {
			level = strtoul(argv[++i], &end, 0);
			if (end == argv[i] || *end)     /* "--log-level x" is not level 0 */
				return usage();
		} else if (!strcmp(argv[i], "--pin") && i + 1 < argc)
			pin = argv[++i];
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else
			return usage();
	}
	if (!path)
		return usage();
	if (rbpf_object_open(path, &obj) < 0)
		return cmd_fail(1);
	r = rbpf_object_load(obj, level);
	if (*rbpf_object_notes(obj))
		fprintf(stderr, "rawbpf: note: %s\n", rbpf_object_notes(obj));
	print_maps(obj);
	failed = print_progs(obj);
	if (r < 0) {
		cmd_fail(1);
		cmd_hint(obj);
		rbpf_object_close(obj);
		return 1;
	}
	if (pin && rbpf_object_pin(obj, pin) < 0) {
		rbpf_object_close(obj);
		return cmd_fail(1);
	}
	rbpf_object_close(obj);
	return failed ? 1 : 0;
}
