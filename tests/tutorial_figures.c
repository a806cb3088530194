/*
 * tutorial_figures.c -- the course's diagrams and its troubleshooting page, checked.
 *
 * A diagram is a ```text block right after a line "<!-- figure L.N: what -->".  The
 * prose names it ("Figure 4.2 is that mapping"): every figure must be named within
 * FIGURE_NEAR lines before it or after it, every name must have its figure in the
 * same lesson, and no line of a figure may be wider than 80 columns (a terminal).
 * Each lesson's table row lists the figures it must have (tutorial_figures).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

/* The lines of the file at path (in place in *text); the count.  FAILs if unreadable. */
static int read_lines(const char *path, char **text, char ***out)
{
	FILE *f = fopen(path, "r");
	size_t cap = 0;
	int n = 0, room = 64;
	char **v, *p;

	*text = NULL;
	if (!f || getdelim(text, &cap, 0, f) < 0)
		FAIL("cannot read %s", path);
	fclose(f);
	v = malloc(room * sizeof(*v));
	for (p = *text; p && *p; ) {
		if (n == room)
			v = realloc(v, (room *= 2) * sizeof(*v));
		v[n++] = p;
		if ((p = strchr(p, '\n')))
			*p++ = 0;
	}
	*out = v;
	return n;
}

#define FIGURE_NEAR 30

struct figure {
	char label[16];          /* "4.2" */
	int line;                /* where its comment is (0-based) */
	int named;               /* named in the prose within FIGURE_NEAR lines */
};

/* The label named at p ("Figure 4.2 is" -> "4.2", "figure 6.2." -> "6.2"): 1, or 0. */
static int figure_name(const char *p, char *label)
{
	size_t n;

	if (sscanf(p, "%*[Ff]igure %15[0-9.]", label) != 1)
		return 0;
	for (n = strlen(label); n > 0 && label[n - 1] == '.'; )
		label[--n] = 0;                  /* a sentence's full stop */
	return n > 0;
}

/* Collect the figures of a lesson's lines; check each block.  Returns the count. */
static int collect_figures(const char *path, char **l, int n, struct figure *f, int max)
{
	int nf = 0, i, k;

	for (i = 0; i < n; i++) {
		if (strncmp(l[i], "<!-- figure ", 12) != 0)
			continue;
		if (nf == max)
			FAIL("%s: more than %d figures", path, max);
		if (sscanf(l[i], "<!-- figure %15[0-9.]: ", f[nf].label) != 1)
			FAIL("%s:%d: a figure comment without \"L.N: \": %s", path, i + 1, l[i]);
		f[nf].line = i;
		f[nf].named = 0;
		if (i + 1 >= n || strcmp(l[i + 1], "```text") != 0)
			FAIL("%s:%d: figure %s is not followed by a ```text block", path, i + 1,
			     f[nf].label);
		for (k = i + 2; k < n && strncmp(l[k], "```", 3) != 0; k++)
			if (strlen(l[k]) > 80)
				FAIL("%s:%d: figure %s is %zu columns wide here (80 at most)", path,
				     k + 1, f[nf].label, strlen(l[k]));
		if (k == i + 2)
			FAIL("%s:%d: figure %s is empty", path, i + 1, f[nf].label);
		nf++;
	}
	return nf;
}

/* Every figure named near it, every name a figure of this lesson, every required
 * label (space-separated) present. */
static void check_figures(const char *path, const char *required)
{
	char *text, **l, label[16], want[64];
	struct figure f[16];
	int n, nf, i, j, in_code = 0;
	const char *p;

	n = read_lines(path, &text, &l);
	nf = collect_figures(path, l, n, f, 16);
	for (i = 0; i < n; i++) {
		if (strncmp(l[i], "```", 3) == 0)
			in_code = !in_code;
		if (in_code || strncmp(l[i], "<!--", 4) == 0)
			continue;
		for (p = l[i]; (p = strcasestr(p, "figure ")); p++) {
			if (!figure_name(p, label))
				continue;
			for (j = 0; j < nf && strcmp(f[j].label, label); j++)
				;
			if (j == nf)
				FAIL("%s:%d: the text names figure %s, which this lesson does not have",
				     path, i + 1, label);
			if (i >= f[j].line - FIGURE_NEAR && i <= f[j].line + FIGURE_NEAR)
				f[j].named = 1;
		}
	}
	for (j = 0; j < nf; j++)
		if (!f[j].named)
			FAIL("%s:%d: figure %s is not named by the text within %d lines of it", path,
			     f[j].line + 1, f[j].label, FIGURE_NEAR);
	for (p = required; sscanf(p, "%63s", want) == 1; p += strspn(p, " ") + strlen(want)) {
		for (j = 0; j < nf && strcmp(f[j].label, want); j++)
			;
		if (j == nf)
			FAIL("%s: no figure %s (the lesson must draw it)", path, want);
		p += strspn(p, " ");
	}
	free(l);
	free(text);
}

/* The diagrams each lesson must draw, as issue 19 lists them. */
TEST(tutorial_figures)
{
	static const struct { const char *path, *figures; } want[] = {
		{ "tutorial/01-the-bpf-syscall.md", "1.1" },          /* bpf() and its objects */
		{ "tutorial/02-hello-from-c.md", "2.1" },             /* ELF sections -> kernel */
		{ "tutorial/03-maps.md", "3.1" },                     /* a map from both sides */
		{ "tutorial/04-perf-and-ring-buffers.md", "4.1 4.2" }, /* perf rings, ringbuf pages */
		{ "tutorial/05-bpf-to-bpf-calls.md", "5.1" },         /* frames, 512-byte stack */
		{ "tutorial/06-tail-calls.md", "6.1 6.2" },           /* prog array, the chain */
		{ "tutorial/07-reading-the-verifier.md", "7.1" },     /* both branches of an if */
		{ "tutorial/11-packets.md", "11.1 11.2" },            /* the wire; XDP's places */
		{ "tutorial/12-your-own-program.md", "12.1" },        /* rawbpf run vs a main */
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		check_figures(want[i].path, want[i].figures);
}

/* How the prose names a figure, as cases. */
TEST(tutorial_figures_rules)
{
	char label[16];

	ASSERT(1, figure_name("Figure 4.2 is that mapping", label));
	ASSERT_STREQ("4.2", label);
	ASSERT(1, figure_name("figure 6.2.", label));          /* the sentence's full stop */
	ASSERT_STREQ("6.2", label);
	ASSERT(0, figure_name("figure out", label));
}


/* The troubleshooting page answers each failure issue 19 lists, under a heading. */
TEST(tutorial_troubleshooting_covers)
{
	static const char *const heads[] = {
		"## The BPF programs do not compile", "## No BTF", "## No kprobes", "## Lockdown",
		"## No tracefs", "## perf_event_open refused", "## trace_pipe is busy",
		"## The verifier rejects the program", "## It loads, but nothing is printed",
	};
	FILE *f = fopen("tutorial/troubleshooting.md", "r");
	char *text = NULL;
	size_t cap = 0;

	ASSERT_TRUE(f && getdelim(&text, &cap, 0, f) > 0, "cannot read the page");
	fclose(f);
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		ASSERT_CONTAINS(text, heads[i]);
	free(text);
}
