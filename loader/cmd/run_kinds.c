/*
 * cmd/run_kinds.c -- what `rawbpf run` does beyond rbpf_prog_attach for the program
 * kinds of issue 16 (the library attaches each by its section; these are the steps
 * a command takes around it):
 *
 *   perf_event     one sampling event per CPU (rbpf_prog_attach takes one CPU a
 *                  call: opts.cpu), or one for --pid
 *   syscall        not attached but run, once, with BPF_PROG_TEST_RUN; its return
 *                  value printed
 *   iter/NAME      after attaching, each iterator is read once and its text printed
 *                  (run_print_iters)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "cmd.h"

/* perf_event on every CPU: links made in l[0..room), *used of them. */
static int sample_every_cpu(const struct rbpf_prog *p, struct rbpf_attach_opts *o,
			    struct rbpf_link **l, int room, int *used)
{
	int ncpu = rbpf_num_possible_cpus(), cpu;

	*used = 0;
	if (o->pid > 0)
		return rbpf_prog_attach(p, o, &l[(*used)++]) < 0 ? (*used = 0, -1) : 1;
	for (cpu = 0; cpu < ncpu && *used < room; cpu++) {
		o->cpu = cpu;
		if (rbpf_prog_attach(p, o, &l[*used]) == 0)
			(*used)++;
	}
	return *used ? 1 : -1;
}

/* A syscall program reads its arguments from ctx: give it 1 KB of zeroes (the
 * kernel refuses a context shorter than the furthest offset the program reads). */
static int run_once(const struct rbpf_prog *p, char *why, size_t n)
{
	static uint8_t ctx[1024];
	struct rbpf_test_run_args t = { .ctx_in = ctx, .ctx_size_in = sizeof(ctx) };
	int e = rbpf_prog_test_run(rbpf_prog_fd(p), &t);

	if (e < 0)
		return rbpf_error(e, "BPF_PROG_TEST_RUN: %s", strerror(-e)), -1;
	snprintf(why, n, "a syscall program is run, not attached: ran once with "
		 "BPF_PROG_TEST_RUN, returned %d", (int)t.retval);
	return 0;
}

int run_attach_more(const struct rbpf_prog *p, struct rbpf_attach_opts *o,
		    struct rbpf_link **l, int room, int *used, char *why, size_t n)
{
	*used = 0;
	switch (rbpf_prog_attach_kind(p)) {
	case RBPF_ATTACH_PERF_EVENT:
		return sample_every_cpu(p, o, l, room, used);
	case RBPF_ATTACH_TEST_RUN:
		return run_once(p, why, n);
	default:
		return -2;                      /* not one of these: rbpf_prog_attach */
	}
}

long run_print_iters(struct rbpf_link *const *links, int n)
{
	long lines = 0;
	size_t len;
	char *text, *s;
	const struct rbpf_prog *p;
	int i;

	for (i = 0; i < n; i++) {
		p = rbpf_link_prog(links[i]);
		if (!p || rbpf_prog_attach_kind(p) != RBPF_ATTACH_ITER)
			continue;
		if (rbpf_iter_read(links[i], &text, &len) < 0) {
			printf("iter %s: %s\n", rbpf_prog_name(p), rbpf_errmsg());
			continue;
		}
		printf("iter %s: %zu bytes\n", rbpf_prog_name(p), len);
		fwrite(text, 1, len, stdout);
		for (s = text; (s = strchr(s, '\n')); s++)
			lines++;
		free(text);
	}
	return lines;
}
