/*
 * verify_cases.c -- the rejection catalogue (asm/verifier_cases.h) under make check.
 *
 * Every row is loaded into the running kernel: REJECT rows must fail with the
 * catalogued message substrings in order and produce the catalogued hint; ACCEPT rows
 * (the one-instruction fixes) must load.  And every entry of the hint table must be
 * the expected hint of some row, so no hint goes untested.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../asm/verifier_cases.h"
#include "rawbpf.h"
#include "test.h"
#include "verify_progs.h"

#define NCASES (sizeof(vcases) / sizeof(vcases[0]))

/* "" if the row behaved as catalogued, else what went wrong; *skipped the reason a
 * row could not be tried here (its program type or kfunc refused before the verifier). */
static const char *check_case(const struct vcase *c, const char **skipped)
{
	char *log = NULL;
	int fd = vcase_load(c, &log);
	const struct rbpf_hint *h = rbpf_verifier_hint(log);
	const char *missing = log ? vcase_missing(c, log) : "(no log)";
	const char *why = "";

	*skipped = vcase_refused(fd, log) ? test_fmt("%s", vcase_refused(fd, log)) : NULL;
	if (*skipped)
		;
	else if (c->result == ACCEPT && fd < 0)
		why = test_fmt("rejected: %s", rbpf_errmsg());
	else if (c->result == REJECT && fd >= 0)
		why = "accepted";
	else if (c->result == REJECT && missing)
		why = test_fmt("log lacks \"%s\":\n%s", missing, test_excerpt(log ? log : ""));
	else if (c->result == REJECT && !vcase_hint_ok(c, h))
		why = test_fmt("hint \"%s\", expected \"%s\"", h ? h->id : "(none)", c->hint);
	if (fd >= 0)
		close(fd);
	free(log);
	return why;
}

TEST(verify_catalogue)
{
	char report[8192] = "";
	size_t i;
	int bad = 0;

	NEED_ROOT();
	test_timeout(300);
	for (i = 0; i < NCASES; i++) {
		const char *skipped, *why = check_case(&vcases[i], &skipped);

		if (skipped)
			printf("    (row %s skipped here: %s)\n", vcases[i].name, skipped);
		else if (*why) {
			bad++;
			snprintf(report + strlen(report), sizeof(report) - strlen(report),
				 "\n  #%zu %s: %s", i, vcases[i].name, why);
		}
	}
	if (bad)
		FAIL("%d of %zu rows not as catalogued:%s", bad, NCASES, report);
}

/* The catalogue's logs are one more oracle for the disassembler: every instruction
 * line the kernel printed equals our text (map loads: the kernel prints an address). */
TEST(verify_catalogue_disasm_matches_kernel)
{
	size_t i;
	int lines = 0, k;

	NEED_ROOT();
	test_timeout(300);
	for (i = 0; i < NCASES; i++) {
		const struct vcase *c = &vcases[i];
		int cnt = vcase_len(c), fd;
		char *log = NULL, ours[256];
		struct rbpf_vlog *v;

		fd = vcase_load(c, &log);
		if (fd > 0)
			close(fd);
		ASSERT(0, rbpf_vlog_parse(log, &v));
		for (k = 0; k < v->n; k++) {
			const struct rbpf_vlog_row *r = &v->rows[k];
			const struct bpf_insn *in;

			if (r->kind != RBPF_VLOG_INSN)
				continue;       /* (other rows have insn -1: no pointer to it) */
			ASSERT_TRUE(r->insn >= 0 && r->insn < cnt, "%s: log names insn %d of %d",
				    c->name, r->insn, cnt);
			in = &c->insns[r->insn];
			if (in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_KFUNC_CALL)
				continue;       /* the kernel names the kfunc; we only have its id */
			rbpf_disasm_insn(in, cnt - r->insn, ours, sizeof(ours), NULL);
			if (in->code == (BPF_LD | BPF_DW | BPF_IMM) && in->src_reg)
				ASSERT_TRUE(!strncmp(r->text, ours, 5), "%s insn %d: kernel \"%s\", ours \"%s\"",
					    c->name, r->insn, r->text, ours);
			else if (strcmp(r->text, ours))
				FAIL("%s insn %d: kernel \"%s\", ours \"%s\"", c->name, r->insn, r->text, ours);
			lines++;
		}
		rbpf_vlog_free(v);
		free(log);
	}
	ASSERT_TRUE(lines > 40, "only %d lines compared", lines);
}

TEST(verify_every_hint_has_a_case)
{
	size_t n, i, j, k;
	const struct rbpf_hint *hints = rbpf_verifier_hints(&n);

	for (i = 0; i < n; i++) {
		for (j = 0; j < NCASES; j++)
			if (vcases[j].result == REJECT &&
			    vcase_alt_is(vcases[j].hint, hints[i].id))
				break;
		for (k = 0; j == NCASES && k < N_BAD_PROGS; k++)
			if (!strcmp(bad_progs[k].hint, hints[i].id))
				j = 0;
		ASSERT_TRUE(j < NCASES, "hint \"%s\" has no program in asm/vcases_*.h nor progs/bad_*",
			    hints[i].id);
	}
}

TEST(verify_hint_picks_the_reason)
{
	/* the reason is after the last instruction line; specific beats general */
	const char *log =
		"0: R1=ctx() R10=fp0\n"
		"0: (95) exit\n"
		"R0 !read_ok\n"
		"processed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0\n";
	const struct rbpf_hint *h = rbpf_verifier_hint(log);

	ASSERT_TRUE(h != NULL, "no hint");
	ASSERT_STREQ("no_return_value", h->id);
	ASSERT_TRUE(rbpf_verifier_hint("0: (b7) r0 = 0\nall fine\n") == NULL, "hint for nothing");
	/* a message text inside an instruction line is not the reason */
	ASSERT_TRUE(rbpf_verifier_hint("; if (x) // unbounded memory access\n0: (95) exit\n") == NULL,
		    "matched a source comment before the last instruction");
}
