/*
 * cmd/run_kinds.c -- how `rawbpf run` attaches the program kinds of issue 16:
 * uprobes, iterators, BTF tracepoints, cgroup programs, network namespace and
 * sockmap programs, syscall programs, samplers.  (cmd/run.c keeps the kinds of
 * the chapter's first lessons; it hands the others here.)
 *
 *   uprobe/BIN:FN       the uprobe, in process --pid only when given
 *   iter/NAME           linked; its text is read once and printed (run_print_iters)
 *   tp_btf, fmod_ret,   BPF_RAW_TRACEPOINT_OPEN without a name (the target came
 *   lsm                 with the load)
 *   cgroup..., sockops  the cgroup of --cgroup DIR (absolute, or under the cgroup2
 *                       mount), as the program's expected attach type
 *   sk_lookup,          this network namespace
 *   flow_dissector
 *   sk_msg, sk_skb/...  the object's first SOCKMAP or SOCKHASH map
 *   syscall             run once with BPF_PROG_TEST_RUN; its return value printed
 *   perf_event          a 49 Hz CPU clock on every CPU (or on --pid)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "cmd.h"

#define MAX_ITERS 16

static struct { const char *name; struct rbpf_link *link; } iters[MAX_ITERS];
static int niters;

static const struct rbpf_map *first_sockmap(const struct rbpf_object *obj)
{
	const struct rbpf_map *m = NULL;

	while ((m = rbpf_object_next_map(obj, m)))
		if (rbpf_map_type(m) == BPF_MAP_TYPE_SOCKMAP ||
		    rbpf_map_type(m) == BPF_MAP_TYPE_SOCKHASH)
			return m;
	return NULL;
}

/* perf_event: one link per CPU (or one for --pid); *used says how many. */
static int attach_sampler(int fd, const struct run_opts *o, struct rbpf_link **links,
			  int room, int *used)
{
	int ncpu = rbpf_num_possible_cpus(), i;

	if (o->pid >= 0)
		return rbpf_attach_perf_sample(fd, 49, o->pid, -1, &links[(*used)++]) < 0 ?
			(*used = 0, -1) : 1;
	for (i = 0; i < ncpu && *used < room; i++)
		if (rbpf_attach_perf_sample(fd, 49, -1, i, &links[*used]) == 0)
			(*used)++;
	return *used ? 1 : -1;
}

/* A syscall program reads its arguments from ctx: give it 1 KB of zeroes (the
 * kernel refuses a context shorter than the furthest offset the program reads). */
static int run_once(int fd, char *why, size_t n)
{
	static uint8_t ctx[1024];
	struct rbpf_test_run_args t = { .ctx_in = ctx, .ctx_size_in = sizeof(ctx) };
	int e = rbpf_prog_test_run(fd, &t);

	if (e < 0)
		return rbpf_error(e, "BPF_PROG_TEST_RUN: %s", strerror(-e)), -1;
	snprintf(why, n, "a syscall program is run, not attached: ran once with "
		 "BPF_PROG_TEST_RUN, returned %d", (int)t.retval);
	return 0;
}

int run_attach_kind(const struct rbpf_object *obj, const struct rbpf_prog *p,
		    const struct run_opts *o, struct rbpf_link **links, int room, int *used,
		    char *why, size_t n)
{
	enum bpf_attach_type at = rbpf_prog_expected_attach_type(p);
	const struct rbpf_map *m;
	int fd = rbpf_prog_fd(p);

	*used = 1;                              /* most kinds make one link */
	switch (rbpf_prog_attach_kind(p)) {
	case RBPF_ATTACH_ITER:
		if (rbpf_attach_iter(fd, &links[0]) < 0)
			return -1;
		if (niters < MAX_ITERS)
			iters[niters].name = rbpf_prog_name(p), iters[niters++].link = links[0];
		return 1;
	case RBPF_ATTACH_TP_BTF:
	case RBPF_ATTACH_FMOD_RET:
	case RBPF_ATTACH_LSM:
		return rbpf_attach_fentry(fd, &links[0]) < 0 ? -1 : 1;
	case RBPF_ATTACH_CGROUP:
		if (!o->cgroup)
			return snprintf(why, n, "a cgroup program: give --cgroup DIR"), 0;
		return rbpf_attach_cgroup(fd, o->cgroup, at, &links[0]) < 0 ? -1 : 1;
	case RBPF_ATTACH_NETNS:
		return rbpf_attach_netns(fd, NULL, at, &links[0]) < 0 ? -1 : 1;
	case RBPF_ATTACH_SOCKMAP:
		if (!(m = first_sockmap(obj)))
			return snprintf(why, n, "no SOCKMAP or SOCKHASH map in the object"), 0;
		return rbpf_attach_sockmap(fd, rbpf_map_fd(m), at, &links[0]) < 0 ? -1 : 1;
	case RBPF_ATTACH_TEST_RUN:
		*used = 0;
		return run_once(fd, why, n);
	case RBPF_ATTACH_PERF_EVENT:
		*used = 0;
		return attach_sampler(fd, o, links, room, used);
	case RBPF_ATTACH_KPROBE_MULTI:
	case RBPF_ATTACH_UPROBE_MULTI:
		return snprintf(why, n, "multi-probe links are not attached by rawbpf yet"), 0;
	default:
		return snprintf(why, n, "its section names no attach point (attach it by "
				"hand: a devmap, an LWT route, a reuseport socket...)"), 0;
	}
}

long run_print_iters(void)
{
	long lines = 0;
	size_t len;
	char *text, *s;
	int i;

	for (i = 0; i < niters; i++) {
		if (rbpf_iter_read(iters[i].link, &text, &len) < 0) {
			printf("iter %s: %s\n", iters[i].name, rbpf_errmsg());
			continue;
		}
		printf("iter %s: %zu bytes\n", iters[i].name, len);
		fwrite(text, 1, len, stdout);
		for (s = text; (s = strchr(s, '\n')); s++)
			lines++;
		free(text);
	}
	niters = 0;
	return lines;
}
