/*
 * tutorial.c -- the course is tested like code.
 *
 * Each lesson in tutorial/ is Markdown with two kinds of checked block:
 *
 * 1. A ```console block is a session: a line starting "# " is a command (run as root,
 *    from the project's root, with sh -c), the lines after it are its output as the
 *    lesson shows it: real output, as a learner saw it.  The test runs every command
 *    and compares, line by line, matching the parts that differ from run to run by
 *    rule rather than by marks on the page:
 *      - a number of three digits or more (a pid, an id, a timestamp's parts, a CPU
 *        as [001]) matches any number; so does 0x and three hex digits or more, and
 *        a hex string of 8 or more (a program's tag).  Shorter numbers must be equal;
 *      - two spaces or more (a column's padding) match one space or more;
 *      - a line of tab-separated fields (a hash map's entries) matches the same
 *        fields in any order;
 *      - the words of a "<!-- varies: WORD... -->" line just before the block (a
 *        process's name, a kernel's release) each match any word there (the last
 *        word of a line: the rest of the line);
 *      - a line of KERNEL_LINES matches its twin on a kernel with kprobes (the lab
 *        VM) or on an older kernel (5.10's task_struct), or is absent there, or is
 *        several lines there (5.10's log, a state on a line of its own); a `rawbpf doctor` line matches a line about the
 *        same feature with another verdict ([--] here, [ok] there);
 *      - a line that is just "..." matches any number of lines, including none;
 *      - "{...}" inside a line matches any text: kept only where the text differs
 *        between kernel versions (the verifier's wording in lesson 5, the LRU map's
 *        eviction in lesson 3), never for a value of one run;
 *      - a block after a line "<!-- kernel: 6.18 -->" shows the verifier's words as
 *        that kernel writes them (lesson 7), and is compared as it stands there; on
 *        another kernel each line is first loosened (loosen() below): the verifier's
 *        states (a table row's third column, what follows " ; " or " @ " in a raw
 *        log, a "N: R..." line), a folded loop's list of changes, and every number of
 *        a line that is not an instruction match any text;
 *      - anything else must be equal (trailing spaces ignored).
 *    A word starting "build/" in a command is redirected to the build directory
 *    under test (build-asan/, say).
 *    A command whose program is not installed (strace in the lab VM, say) is skipped
 *    with a note; a lesson whose commands were all skipped is a SKIP.
 *
 * 2. A code block right after a line "<!-- excerpt: PATH -->" must appear, line for
 *    line, in the file PATH: the lesson quotes the real code, so it cannot drift.
 *
 * 3. Diagrams (figures) are checked by tests/tutorial_figures.c.
 *
 * One test per lesson; adding a lesson adds one TEST line at the bottom.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "common.h"

/* The words of the block's "<!-- varies: ... -->" line (set by check_lesson). */
static char varies[512];
/* The kernel of the block's "<!-- kernel: ... -->" line (set by check_lesson). */
static char block_kernel[32];

#include "tutorial_twins.h"

/* Length of the word of `varies` that starts at p (a whole word there), or 0. */
static size_t varies_at(const char *p)
{
	const char *w = varies;
	size_t n;

	while (*w) {
		n = strcspn(w, " ");
		if (n && strncmp(p, w, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_')
			return n;
		w += n + strspn(w + n, " ");
	}
	return 0;
}

/* At p (the start of a word), a number that may differ from run to run?  Returns its
 * kind -- 1 decimal of `min` digits or more, 2 "0x" and `min` hex digits or more,
 * 3 a hex string of 8 or more with a digit in it -- and its length in *len; 0 when
 * the text there must be equal. */
static int number_at(const char *p, size_t *len, size_t min)
{
	size_t hex = strspn(p, "0123456789abcdef"), dec = strspn(p, "0123456789");

	if (p[0] == '0' && p[1] == 'x' && strspn(p + 2, "0123456789abcdef") >= min) {
		*len = 2 + strspn(p + 2, "0123456789abcdef");
		return 2;
	}
	if (hex >= 8 && hex > dec && strcspn(p, "0123456789") < hex &&
	    !isalnum((unsigned char)p[hex])) {
		*len = hex;
		return 3;
	}
	*len = dec;
	return dec >= min && dec > 0 ? 1 : 0;
}

/* The length of what matches a number of the given kind at o, or 0. */
static size_t number_in_output(const char *o, int kind)
{
	size_t m;

	if (kind == 2)
		return o[0] == '0' && o[1] == 'x' && (m = strspn(o + 2, "0123456789abcdef")) ? m + 2 : 0;
	return strspn(o, kind == 3 ? "0123456789abcdef" : "0123456789");
}

/* Does the rest of output line o match the rest of the lesson's line e by the rules
 * above (e has no holes)?  e0 and o0 are where the lines start. */
static int match_from(const char *e0, const char *e, const char *o0, const char *o)
{
	size_t n, m;
	int kind;

	if (e == e0 && *e != ' ')
		o += strspn(o, " ");     /* a right-aligned column ("    88  kprobe") */
	while (*e) {
		int word = e == e0 || (!isalnum((unsigned char)e[-1]) && e[-1] != '_');
		int oword = o == o0 || (!isalnum((unsigned char)o[-1]) && o[-1] != '_');

		if (word && (n = varies_at(e))) {
			/* any word, up to the next space (at the line's end: the rest), and
			 * where it ends is tried every way ("qemu-system-x86-9650") */
			m = e[n] ? strcspn(o, " ") : strlen(o);
			for (; m > 0; m--)
				if (match_from(e0, e + n, o0, o + m))
					return 1;
			return 0;
		} else if (word && oword && (kind = number_at(e, &n, 3)) &&
			   (m = number_in_output(o, kind))) {
			e += n;
			o += m;
		} else if (e[0] == ' ' && (e[1] == ' ' || e == e0)) {
			if (*o != ' ' && e != e0)  /* a line's padding may be gone */
				return 0;
			e += strspn(e, " ");
			o += strspn(o, " ");
		} else if (*e++ != *o++) {
			return 0;
		}
	}
	return *o == 0;
}

/* Does output line o match the lesson's line e by the rules above (e has no holes)? */
static int match_real(const char *e, const char *o)
{
	return match_from(e, e, o, o);
}

/* Two `rawbpf doctor` lines about the same feature with different verdicts ("[--]
 * kprobes ..." here, "[ok] kprobes ..." in the lab VM): the page shows this machine's,
 * another machine may say otherwise.  Same verdicts are compared as usual. */
static int doctor_twins(const char *p, const char *s)
{
	size_t n = strcspn(p + 5, " ");

	return p[0] == '[' && p[3] == ']' && p[4] == ' ' && s[0] == '[' && s[3] == ']' &&
	       strncmp(p, s, 4) != 0 && n > 0 && strncmp(p + 5, s + 5, n) == 0 &&
	       (s[5 + n] == ' ' || s[5 + n] == 0);
}

/* Can pattern fields p[i..n) each match a different unused field of s?  (Tries
 * every assignment: a loose field must not take the one a strict field needs.) */
static int assign_fields(char **p, char **s, int *used, int i, int n)
{
	if (i == n)
		return 1;
	for (int j = 0; j < n; j++) {
		if (used[j] || !match_real(p[i], s[j]))
			continue;
		used[j] = 1;
		if (assign_fields(p, s, used, i + 1, n))
			return 1;
		used[j] = 0;
	}
	return 0;
}

/* Tab-separated fields (a hash map's entries, in the hash's order): the same fields
 * in any order, each matched by the rules above. */
static int match_fields(const char *p, const char *s)
{
	char pc[1024], sc[1024], *pf[16], *sf[16], *save;
	int np = 0, ns = 0, used[16] = { 0 };

	snprintf(pc, sizeof(pc), "%s", p);
	snprintf(sc, sizeof(sc), "%s", s);
	for (char *t = strtok_r(pc, "\t", &save); t && np < 16; t = strtok_r(NULL, "\t", &save))
		pf[np++] = t;
	for (char *t = strtok_r(sc, "\t", &save); t && ns < 16; t = strtok_r(NULL, "\t", &save))
		sf[ns++] = t;
	return np == ns && assign_fields(pf, sf, used, 0, np);
}

/* Does `s` match pattern `p`: by the rules above, or, where p has "{...}", with
 * each hole matching any text? */
static int match_line(const char *p, const char *s)
{
	const char *hole = strstr(p, "{...}");
	size_t n, i;

	for (i = 0; i < sizeof(KERNEL_LINES) / sizeof(KERNEL_LINES[0]); i++)
		if (KERNEL_LINES[i][1][0] && strcmp(p, KERNEL_LINES[i][0]) == 0 &&
		    match_line(KERNEL_LINES[i][1], s))
			return 1;
	if (!hole && doctor_twins(p, s))
		return 1;
	if (!hole && strchr(p, '\t'))
		return match_fields(p, s);
	if (!hole)
		return match_real(p, s);

	n = (size_t)(hole - p);
	if (strncmp(p, s, n) != 0)
		return 0;
	for (s += n; ; s++) {              /* try every place the rest could start */
		if (match_line(hole + 5, s))
			return 1;
		if (!*s)
			return 0;
	}
}

/* Split text into lines (in place); trailing spaces dropped. Returns the count. */
static int split_lines(char *text, char ***out)
{
	int n = 0, cap = 16;
	char **v = malloc(cap * sizeof(*v)), *p = text, *e;

	while (*p) {
		e = strchr(p, '\n');
		if (e)
			*e = 0;
		if (n == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = p;
		for (char *t = p + strlen(p); t > p && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r'); )
			*--t = 0;
		if (!e)
			break;
		p = e + 1;
	}
	*out = v;
	return n;
}

static int count_nl(const char *s)
{
	int n = 0;

	while ((s = strchr(s, '\n')))
		n++, s++;
	return n;
}

/* A twin of several lines ("a\nb"): does each match the next output line? */
static int match_twin_lines(const char *twin, char **o, int no)
{
	char buf[1024], *line, *save;
	int k = 0;

	snprintf(buf, sizeof(buf), "%s", twin);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save), k++)
		if (k >= no || !match_line(line, o[k]))
			return 0;
	return 1;
}

/* Match output lines o[0..no) against expected e[0..ne), with "..." lines. */
static int match_lines(char **e, int ne, char **o, int no)
{
	if (ne == 0)
		return no == 0;
	if (strcmp(e[0], "...") == 0) {
		for (int k = 0; k <= no; k++)
			if (match_lines(e + 1, ne - 1, o + k, no - k))
				return 1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(KERNEL_LINES) / sizeof(KERNEL_LINES[0]); i++) {
		if (strcmp(e[0], KERNEL_LINES[i][0]) != 0)
			continue;
		if (!KERNEL_LINES[i][1][0] && match_lines(e + 1, ne - 1, o, no))
			return 1;                /* a line this kernel prints, another not */
		if (strchr(KERNEL_LINES[i][1], '\n') && match_twin_lines(KERNEL_LINES[i][1], o, no) &&
		    match_lines(e + 1, ne - 1, o + 1 + count_nl(KERNEL_LINES[i][1]),
				no - 1 - count_nl(KERNEL_LINES[i][1])))
			return 1;                /* one line here, several there */
	}
	return no > 0 && match_line(e[0], o[0]) && match_lines(e + 1, ne - 1, o + 1, no - 1);
}

/* Copy cmd to out with every word that starts "build/" moved to test_build. */
static void redirect_build(const char *cmd, char *out, size_t n)
{
	size_t o = 0;
	const char *p;

	for (p = cmd; *p && o + 1 < n; p++) {
		if (strncmp(p, "build/", 6) == 0 && (p == cmd || p[-1] == ' ')) {
			o += snprintf(out + o, n - o, "%s/", test_build);
			p += 5;
			continue;
		}
		out[o++] = *p;
	}
	out[o < n ? o : n - 1] = 0;
}

/* Is the program that `cmd` starts with installed?  (build/ ones are ours.) */
static int have_program(const char *cmd)
{
	char *out;
	int st;

	if (strncmp(cmd, "build/", 6) == 0)
		return 1;
	out = test_run_cmd(&st, "command -v %.*s", (int)strcspn(cmd, " "), cmd);
	free(out);
	return st == 0;
}

/* Run one command of a lesson and compare its output with the expected lines.
 * Returns 0 when checked, -1 when skipped. */
static int check_command(const char *lesson, int line, const char *cmd, char **exp, int ne)
{
	char run[4096], *out, *shown, **got, **loose = NULL;
	int st, ng, i;

	if (!have_program(cmd)) {
		printf("    %s:%d: skipped, %.*s is not installed\n", lesson, line,
		       (int)strcspn(cmd, " "), cmd);
		return -1;
	}

	redirect_build(cmd, run, sizeof(run));
	out = test_run_cmd(&st, "%s", run);
	if (other_kernel(test_kernel_release())) {    /* the lines as patterns for this kernel */
		loose = calloc(ne ? ne : 1, sizeof(*loose));
		for (i = 0; i < ne; i++)
			loosen(exp[i], loose[i] = malloc(1024), 1024);
		exp = loose;
	}
	shown = strdup(out);               /* split_lines cuts out into lines */
	ng = split_lines(out, &got);
	while (ng > 0 && got[ng - 1][0] == 0)
		ng--;
	if (!match_lines(exp, ne, got, ng)) {
		char want[8192] = "";
		for (i = 0; i < ne; i++)
			snprintf(want + strlen(want), sizeof(want) - strlen(want), "      %s\n", exp[i]);
		FAIL("%s:%d: `%s` (exit %d) printed what the lesson does not show.\n"
		     "    the lesson shows:\n%s    it printed:\n%s", lesson, line, cmd, st, want,
		     test_excerpt(shown));
	}
	free(got);
	free(out);
	free(shown);
	for (i = 0; loose && i < ne; i++)
		free(loose[i]);
	free(loose);
	return 0;
}

/* Is every line of `block` in the file `path`, consecutively? */
static void check_excerpt(const char *lesson, int line, const char *path, char **b, int nb)
{
	FILE *f = fopen(path, "r");
	char *text = NULL, **l;
	size_t cap = 0;
	int nl, i, j;

	if (!f)
		FAIL("%s:%d: excerpt from %s, which cannot be opened", lesson, line, path);
	if (getdelim(&text, &cap, 0, f) < 0)
		FAIL("%s:%d: cannot read %s", lesson, line, path);
	fclose(f);
	nl = split_lines(text, &l);
	for (i = 0; i + nb <= nl; i++) {
		for (j = 0; j < nb && strcmp(l[i + j], b[j]) == 0; j++)
			;
		if (j == nb) {
			free(l);
			free(text);
			return;
		}
	}
	FAIL("%s:%d: the excerpt is not in %s any more (first line: \"%s\")", lesson, line,
	     path, nb ? b[0] : "");
}

/* Walk a lesson: find console blocks and excerpts, check each. */
static void check_lesson(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL, **l, excerpt[512] = "";
	size_t cap = 0;
	int n, i, start, k, cmds = 0, skipped = 0;

	if (!f)
		FAIL("cannot open %s", path);
	if (getdelim(&text, &cap, 0, f) < 0)
		FAIL("cannot read %s", path);
	fclose(f);
	n = split_lines(text, &l);
	for (i = 0; i < n; i++) {
		if (sscanf(l[i], "<!-- excerpt: %511s -->", excerpt) == 1)
			continue;
		if (sscanf(l[i], "<!-- kernel: %31[0-9.] -->", block_kernel) == 1)
			continue;
		if (sscanf(l[i], "<!-- varies: %511[^>]", varies) == 1) {
			char *end = strstr(varies, " --");

			if (end)
				*end = 0;                         /* up to " -->" */
			continue;
		}
		if (strncmp(l[i], "```", 3) != 0) {
			if (l[i][0])
				excerpt[0] = 0;
			continue;
		}
		start = ++i;
		while (i < n && strncmp(l[i], "```", 3) != 0)
			i++;
		if (excerpt[0]) {
			check_excerpt(path, start, excerpt, l + start, i - start);
			excerpt[0] = 0;
		} else if (strcmp(l[start - 1], "```console") == 0) {
			for (k = start; k < i; ) {
				int c = k++;
				if (strncmp(l[c], "# ", 2) != 0)
					FAIL("%s:%d: console block line is not a command: %s", path,
					     c + 1, l[c]);
				while (k < i && strncmp(l[k], "# ", 2) != 0)
					k++;
				if (check_command(path, c + 1, l[c] + 2, l + c + 1, k - c - 1) < 0)
					skipped++;
				else
					cmds++;
			}
		}
		if (strncmp(l[i], "```", 3) == 0)
			varies[0] = block_kernel[0] = 0;   /* each is for one block */
	}
	free(l);
	free(text);
	if (cmds == 0 && skipped)
		SKIP("%s: all %d commands need programs that are not installed", path, skipped);
	printf("    %s: %d commands checked\n", path, cmds);
}

/* The matcher itself: the rules above, as cases. */
TEST(tutorial_matcher)
{
	char *a[] = { "x", "...", "z" }, *o1[] = { "x", "y1", "y2", "z" }, *o2[] = { "x", "z" };
	char *o3[] = { "x", "y" };

	ASSERT(1, match_line("pid {...} cpu [{...}]", "pid 42 cpu [001]"));
	ASSERT(0, match_line("pid {...} cpu", "pid 42 cpus"));
	ASSERT(1, match_line("{...}", ""));
	ASSERT(1, match_lines(a, 3, o1, 4));
	ASSERT(1, match_lines(a, 3, o2, 2));
	ASSERT(0, match_lines(a, 3, o3, 2));
}

/* The rules for real output: numbers, padding, varying words, kernel twins. */
TEST(tutorial_matcher_real_output)
{
	char *k[] = { "this kernel has no kprobes: using the tracepoint syscalls/sys_enter_execve",
		      "attached: tracepoint syscalls/sys_enter_execve", "done" };
	char *vm[] = { "attached: kprobe on __x64_sys_execve", "done" };
	const char *trace = "            true-4242    [001] 5312.108307: Hello World!";

	strcpy(varies, "true");
	ASSERT(1, match_line(trace, "              sh-31337  [000] 661.697613: Hello World!"));
	ASSERT(0, match_line(trace, "              sh-31337  [000] 661.697613: Hello World?"));
	ASSERT(0, match_line(trace, "              sh-      [000] 661.697613: Hello World!"));
	ASSERT(1, match_line(trace, " qemu-system-x86-9650    [001] 3862.220266: Hello World!"));
	ASSERT(1, match_line(trace, "qemu-system-x86_6-9650 [001] 3862.220266: Hello World!"));
	varies[0] = 0;
	ASSERT(0, match_line(trace, "              sh-4242    [001] 5312.108307: Hello World!"));
	ASSERT(1, match_line("accepted 11 instructions", "accepted 11 instructions"));
	ASSERT(0, match_line("accepted 11 instructions", "accepted 12 instructions"));
	ASSERT(1, match_line("map[id:1234] at 0xffff8881 tag 3b185187f1855c4c",
			     "map[id:7] at 0xffffa0c2 tag 0a1b2c3d4e5f6071"));
	ASSERT(0, match_line("id 1234", "id x1"));
	ASSERT(0, match_line("id 1234", "id 12a"));
	ASSERT(1, match_line("a  b", "a b"));
	ASSERT(1, match_line("206673  kprobe", "    88  kprobe"));
	ASSERT(1, match_line("ID 65534: 2\tID 0: 3", "ID 0: 3\tID 65534: 2"));
	ASSERT(0, match_line("ID 65534: 2\tID 0: 3", "ID 0: 3\tID 0: 3"));
	strcpy(varies, "2 3");
	ASSERT(1, match_line("ID 65534: 2\tID 0: 3", "ID 0: 10\tID 65534: 2"));
	varies[0] = 0;
	ASSERT(0, match_line("a  b", "ab"));
	ASSERT(1, match_lines(k, 3, k, 3));
	ASSERT(1, match_lines(k, 3, vm, 2));
	ASSERT(0, match_lines(k + 1, 2, (char *[]){ "attached: raw tracepoint sys_enter", "done" }, 2));
	ASSERT(1, match_line("[--] kprobes        this kernel has no kprobes",
			     "[ok] kprobes        kprobe PMU (perf_event_open type 6)"));
	ASSERT(0, match_line("[--] kprobes        this kernel has no kprobes",
			     "[--] kprobes        something else"));
	ASSERT(0, match_line("[--] kprobes        x", "[ok] fentry         x"));
	ASSERT(1, match_line("no tracepoint without tracefs, which is root's: using the raw "
			     "tracepoint sys_enter, filtered on execve", "perf_event_open refused "
			     "(kernel.perf_event_paranoid=3; above 2, Debian's and Ubuntu's kernels "
			     "want CAP_SYS_ADMIN): using the raw tracepoint sys_enter, filtered on "
			     "execve"));
	/* a twin whose lesson form has holes (5.10's task_struct, lesson 8) */
	ASSERT(1, match_line("\t'__state' type_id={...} bits_offset={...}",
			     "\t'state' type_id=37 bits_offset=128"));
	ASSERT(0, match_line("\t'__state' type_id={...} bits_offset={...}",
			     "\t'stack' type_id=85 bits_offset=192"));
	/* a twin of two lines (5.10's raw log, the state on a line of its own) */
	{
		char *e[] = { "6: (85) call bpf_map_lookup_elem#1    ; {...}", "; *count += 1;" };
		char *o510[] = { "6: (85) call bpf_map_lookup_elem#1", "7: R0_w=map_value_or_null"
				 "(id=1,off=0,ks=4,vs=8,imm=0) R10=fp0 fp-8=mmmm????", "; *count += 1;" };
		char *o61[] = { "6: (85) call bpf_map_lookup_elem#1    ; R0_w=map_value_or_null"
				"(id=1,off=0,ks=4,vs=8,imm=0)", "; *count += 1;" };

		ASSERT(1, match_lines(e, 2, o510, 3));
		ASSERT(1, match_lines(e, 2, o61, 2));
		ASSERT(0, match_lines(e, 2, o510, 2));
	}
}

/* A block that shows 6.18's verifier, on another kernel: 6.1's words for the same
 * walk match, another instruction or source line does not. */
TEST(tutorial_matcher_other_kernel)
{
	const char *row = "  29: bpf_printk(\"Hello World!\");    |    0: r1 = map[.rodata.str1.1]"
			  "[0]+0      | ";
	char b[1024], s[1024];

	ASSERT(0, other_kernel("5.10.0"));             /* a block with no kernel line */
	strcpy(block_kernel, "6.18");
	ASSERT(0, other_kernel("6.18.44"));
	ASSERT(1, other_kernel("6.1.0-28-amd64") && other_kernel("6.180.1"));
	block_kernel[0] = 0;
	snprintf(s, sizeof(s), "%sR1=map_value(map=hello.rodata.st,ks=4,vs=13)", row);
	loosen(s, b, sizeof(b));
	snprintf(s, sizeof(s), "%sR1_w=map_value(off=0,ks=4,vs=13,imm=0)", row);
	ASSERT(1, match_line(b, s));
	strstr(s, "r1 = map")[1] = '2';                  /* another instruction: r2 = ... */
	ASSERT(0, match_line(b, s));
	loosen("0: (61) r1 = *(u32 *)(r1 +16)         ; R1=scalar(smin=0)", b, sizeof(b));
	ASSERT(1, match_line(b, "0: (61) r1 = *(u32 *)(r1 +16)         ; R1_w=scalar()"));
	ASSERT(0, match_line(b, "0: (61) r1 = *(u32 *)(r1 +20)         ; R1_w=scalar()"));
	loosen("; u32 key = ctx->rx_queue_index; @ bad_null_check.bpf.c:23", b, sizeof(b));
	ASSERT(1, match_line(b, "; u32 key = ctx->rx_queue_index;"));
	ASSERT(0, match_line(b, "; u64 *count = bpf_map_lookup_elem(&seen, &key);"));
	loosen("0: R1=ctx() R10=fp0", b, sizeof(b));
	ASSERT(1, match_line(b, "0: R1=ctx(off=0,imm=0) R10=fp0"));
	loosen("(10 lines of the log are not in the table: mark_precise 10; --all prints them)",
	       b, sizeof(b));
	ASSERT(1, match_line(b, "(8 lines of the log are not in the table: mark_precise 8; "
			     "--all prints them)"));
	loosen("  ... these 70 rows repeated 13 more times (1711 rows folded); what changed: R3 "
	       "2 -> 16, R7 2 -> 16 (--all shows them)", b, sizeof(b));
	ASSERT(1, match_line(b, "  ... these 17 rows repeated 15 more times (255 rows folded); "
			     "what changed: R7 2 -> 16 (--all shows them)"));
	ASSERT(0, match_line(b, "  ... these 17 rows repeated 15 more times"));
}

/* test_memlock_for_users: lessons 3 and 4 run a command as nobody; before 5.11 root
 * must raise nobody's ulimit -l first, as those lessons say. */
#define LESSON(NAME, FILE) \
	TEST(tutorial_##NAME) { NEED_TRACE_PIPE(); test_memlock_for_users(); check_lesson(FILE); }

LESSON(00_your_machine, "tutorial/00-your-machine.md")
LESSON(01_the_bpf_syscall, "tutorial/01-the-bpf-syscall.md")
LESSON(02_hello_from_c, "tutorial/02-hello-from-c.md")
LESSON(03_maps, "tutorial/03-maps.md")
LESSON(04_perf_and_ring_buffers, "tutorial/04-perf-and-ring-buffers.md")
LESSON(05_bpf_to_bpf_calls, "tutorial/05-bpf-to-bpf-calls.md")
LESSON(06_tail_calls, "tutorial/06-tail-calls.md")
LESSON(07_reading_the_verifier, "tutorial/07-reading-the-verifier.md")
LESSON(08_what_the_kernel_holds, "tutorial/08-what-the-kernel-holds.md")
LESSON(09_one_object_every_kernel, "tutorial/09-one-object-every-kernel.md")
LESSON(10_tracing_user_space, "tutorial/10-tracing-user-space.md")
LESSON(11_packets, "tutorial/11-packets.md")
LESSON(12_your_own_program, "tutorial/12-your-own-program.md")
LESSON(troubleshooting, "tutorial/troubleshooting.md")
