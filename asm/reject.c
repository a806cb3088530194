/*
 * asm/reject.c -- the verifier's catalogue of refusals, one small program each.
 *
 * Concept:     the verifier reads every path of a program before it runs; when it
 *              refuses, its log's last lines say why.  Each row of verifier_cases.h
 *              is a program that makes it say one typical thing, and most have a
 *              twin (NAME_fixed) that differs by one instruction and is accepted.
 * Prog type:   socket filter (needs no attach point), XDP for the packet cases.
 * Kernel:      5.15+ (messages are matched on substrings stable since then).
 * Prints:      per row: `#3 uninit_register  REJECT as expected`, the kernel's
 *              reason verbatim, and the hint; at the end `N as expected, N not`.
 *
 * Usage: reject [-v] [NAME...]   -v prints the whole verifier log of each row
 *                                Exit 0 when every row behaved as catalogued.
 *        reject -f               the families and how many rows each has (no loads)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier_cases.h"

/* The verifier's reason, by the loader's one rule (rbpf_log_reason). */
static void print_reason(const char *log)
{
	char reason[512];

	if (rbpf_log_reason(log, reason, sizeof(reason)))
		printf("    kernel: %s\n", reason);
}

static int wanted(const char *name, int argc, char **argv)
{
	int i;

	if (argc == 0)
		return 1;
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

/* Load one row and say whether it behaved as catalogued (1) or not (0). */
static int run_case(int num, const struct vcase *c, int verbose)
{
	char *log = NULL;
	int fd = vcase_load(c, &log), ok;
	const struct rbpf_hint *h = rbpf_verifier_hint(log);

	if (vcase_refused(fd, log)) {          /* no verdict to check on this kernel */
		printf("#%-2d %-30s SKIP: %s\n", num, c->name, vcase_refused(fd, log));
		free(log);
		return 1;
	}
	if (c->result == ACCEPT) {
		ok = fd >= 0;
		printf("#%-2d %-30s %s\n", num, c->name, ok ? "ACCEPT as expected" : "REJECTED (expected ACCEPT)");
		if (!ok)
			printf("    %s\n", rbpf_errmsg());
	} else {
		const char *missing = fd < 0 ? vcase_missing(c, log) : NULL;

		ok = fd < 0 && !missing && vcase_hint_ok(c, h);
		printf("#%-2d %-30s %s\n", num, c->name,
		       ok ? "REJECT as expected" : fd >= 0 ? "ACCEPTED (expected REJECT)" : "REJECT, but not as catalogued");
		print_reason(log);
		if (h)
			printf("    hint:   %s\n", h->hint);
		if (missing)
			printf("    expected the log to contain: %s\n", missing);
	}
	if (verbose && log)
		printf("%s\n", log);
	if (fd >= 0)
		close(fd);
	free(log);
	return ok;
}

/* -f: one line per family: its rows, how many are refused, how many are fixes. */
static int families(void)
{
	size_t i, n = sizeof(vcases) / sizeof(vcases[0]);
	int rows = 0, bad = 0, total = 0;

	for (i = 0; i < n; i++) {
		rows++;
		bad += vcases[i].result == REJECT;
		if (i + 1 == n || strcmp(vcases[i + 1].family, vcases[i].family)) {
			printf("%-8s %2d rows: %2d rejected, %2d fixed twins\n", vcases[i].family, rows,
			       bad, rows - bad);
			total += rows;
			rows = bad = 0;
		}
	}
	printf("%d rows\n", total);
	return 0;
}

int main(int argc, char **argv)
{
	int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	size_t i;
	int good = 0, bad = 0;

	if (argc > 1 && strcmp(argv[1], "-f") == 0)
		return families();
	if (verbose) {
		argc--;
		argv++;
	}
	for (i = 0; i < sizeof(vcases) / sizeof(vcases[0]); i++) {
		if (!wanted(vcases[i].name, argc - 1, argv + 1))
			continue;
		if (run_case(i, &vcases[i], verbose))
			good++;
		else
			bad++;
	}
	printf("%d as expected, %d not\n", good, bad);
	return bad ? 1 : 0;
}
