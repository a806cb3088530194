/*
 * vhint.c -- the hints are right or silent: the same words with a different state
 * get a different hint (or none), and a released pointer is seen dying.
 *
 * The catalogue (tests/verify_cases.c) checks that every row gets its own hint.
 * Here the rows are grouped by the words they share, to show the hints apart on
 * real kernel logs; then hand-written logs check the state side alone: the same
 * message with the state unknown gets no conditional hint, a 6.1-style log of a
 * use after submit gets the release hint, and the submit row carries the note.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../asm/verifier_cases.h"
#include "rawbpf.h"
#include "test.h"

static const struct vcase *row_named(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(vcases) / sizeof(vcases[0]); i++)
		if (!strcmp(vcases[i].name, name))
			return &vcases[i];
	FAIL("no row %s in the catalogue", name);
}

/* Does s contain one of the "A|B" alternatives of words? */
static int contains_one(const char *s, const char *words)
{
	char w[128];
	size_t n;

	for (;;) {
		n = strcspn(words, "|");
		snprintf(w, sizeof(w), "%.*s", (int)n, words);
		if (strstr(s, w))
			return 1;
		if (!words[n])
			return 0;
		words += n + 1;
	}
}

/* Rows whose messages share `words` ("A|B": the kernel's older wording B) and must
 * each get their own hint.  A row this kernel cannot try (its program type refused,
 * a helper newer than the kernel) is left out, saying so, as the catalogue does. */
static void check_group(const char *words, const char *const *names, const char *const *ids)
{
	const char *skip;
	int i, j;

	for (i = 0; names[i]; i++) {
		const struct vcase *c = row_named(names[i]);
		char *log = NULL;
		int fd = vcase_load(c, &log);
		struct rbpf_vlog *v;
		const struct rbpf_hint *h;

		if (fd >= 0)
			close(fd);
		skip = vcase_refused(fd, log) ? vcase_refused(fd, log) : vcase_too_new(c, fd, log);
		if (skip) {
			printf("    (row %s skipped here: %s)\n", names[i], skip);
			free(log);
			continue;
		}
		ASSERT_TRUE(fd < 0 && log, "%s was accepted (or no log)", names[i]);
		ASSERT(0, rbpf_vlog_parse(log, &v));
		ASSERT_TRUE(contains_one(v->reason, words), "%s: the message lacks \"%s\": %s",
			    names[i], words, v->reason);
		h = rbpf_vlog_hint(v);
		ASSERT_TRUE(h && !strcmp(h->id, ids[i]), "%s: hint %s, expected %s", names[i],
			    h ? h->id : "(none)", ids[i]);
		for (j = 0; ids[j]; j++)      /* and none of its neighbours' */
			ASSERT_TRUE(j == i || strcmp(h->id, ids[j]) || !strcmp(ids[i], ids[j]),
				    "%s got %s", names[i], ids[j]);
		rbpf_vlog_free(v);
		free(log);
	}
}

TEST(vhint_same_words_other_state)
{
	static const char *const scalar[] = { "deref_scalar", "ctx_field_pointer", "use_after_submit",
		"socket_use_after_release", "packet_after_adjust_head", NULL };
	static const char *const scalar_ids[] = { "scalar_deref", "ctx_field_pointer",
		"use_after_release", "use_after_release", "packet_moved", NULL };
	static const char *const unset[] = { "uninit_register", "no_return_value", "callee_arg_unset", NULL };
	static const char *const unset_ids[] = { "uninit_register", "no_return_value", "callee_arg", NULL };
	static const char *const ctx[] = { "xdp_ctx_past_end", "xdp_ctx_write", "sock_ctx_data",
		"sock_ctx_write", "tp_ctx_write", NULL };
	static const char *const ctx_ids[] = { "ctx_read", "ctx_write", "ctx_read", "ctx_write",
		"ctx_write", NULL };
	static const char *const value[] = { "value_off_by_one", "value_mask_too_wide", NULL };
	static const char *const value_ids[] = { "value_const_off", "value_past_end", NULL };
	static const char *const neg[] = { "value_negative_index", "size_negative", NULL };
	static const char *const neg_ids[] = { "value_negative", "size_negative", NULL };
	static const char *const null[] = { "null_check_missing", "ringbuf_null_check_missing",
		"socket_null_check_missing", "dynptr_data_null", NULL };
	static const char *const null_ids[] = { "null_lookup", "null_ringbuf", "null_socket",
		"null_other", NULL };

	NEED_ROOT();
	/* 'inv' is the verifier's word for a scalar before 5.18 */
	check_group("invalid mem access 'scalar'|invalid mem access 'inv'", scalar, scalar_ids);
	check_group("!read_ok", unset, unset_ids);
	check_group("invalid bpf_context access", ctx, ctx_ids);
	check_group("invalid access to map value", value, value_ids);
	check_group("min value is negative", neg, neg_ids);
	check_group("_or_null'", null, null_ids);
}

TEST(vhint_packet_bounds_short_or_missing)
{
	static const char *const pkt[] = { "packet_unchecked", "packet_past_check", NULL };
	static const char *const pkt_ids[] = { "packet_unchecked", "packet_short_check", NULL };

	NEED_ROOT();
	check_group("packet", pkt, pkt_ids);
}

/* The message alone, with no rows to follow: only hints that need no state. */
TEST(vhint_no_state_no_conditional_hint)
{
	static const char *const quiet[] = {
		"R7 invalid mem access 'scalar'\n",
		"R2 !read_ok\n",
		"invalid bpf_context access off=0 size=4\n",
		"R2 offset is outside of the packet\n",
	};
	size_t i;

	for (i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
		const struct rbpf_hint *h = rbpf_verifier_hint(quiet[i]);

		ASSERT_TRUE(h == NULL, "\"%s\" got hint %s without a state to check", quiet[i], h->id);
	}
	/* a message that needs no state keeps its hint */
	ASSERT_STREQ("null_lookup", rbpf_verifier_hint("R0 invalid mem access 'map_value_or_null'\n")->id);
	/* 6.1 says how far the packet was proven in the message itself */
	ASSERT_STREQ("packet_short_check", rbpf_verifier_hint(
		"invalid access to packet, off=14 size=1, R2(id=0,off=0,r=14)\n")->id);
	ASSERT_STREQ("packet_unchecked", rbpf_verifier_hint(
		"invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0)\n")->id);
}

/* 6.1's wording of a write after submit (alloc_mem, R1_w=): the release is seen at
 * the call, the note names both registers, the hint is the release one. */
static const char log61[] =
	"0: R1=ctx(off=0,imm=0) R10=fp0\n"
	"0: (18) r1 = 0xffff8881\n"
	"2: (b7) r2 = 8                        ; R2_w=8\n"
	"3: (b7) r3 = 0                        ; R3_w=0\n"
	"4: (85) call bpf_ringbuf_reserve#131  ; R0_w=alloc_mem_or_null(id=2,ref_obj_id=2,off=0,imm=0) refs=2\n"
	"5: (bf) r7 = r0                       ; R0_w=alloc_mem_or_null(id=2,ref_obj_id=2,off=0,imm=0) R7_w=alloc_mem_or_null(id=2,ref_obj_id=2,off=0,imm=0) refs=2\n"
	"6: (15) if r7 == 0x0 goto pc+6        ; R7_w=alloc_mem(id=0,ref_obj_id=2,off=0,imm=0) refs=2\n"
	"7: (bf) r1 = r7                       ; R1_w=alloc_mem(id=0,ref_obj_id=2,off=0,imm=0) R7_w=alloc_mem(id=0,ref_obj_id=2,off=0,imm=0) refs=2\n"
	"8: (b7) r2 = 0                        ; R2_w=0 refs=2\n"
	"9: (85) call bpf_ringbuf_submit#132   ;\n"
	"10: (7a) *(u64 *)(r7 +0) = 1\n"
	"R7 invalid mem access 'scalar'\n"
	"processed 10 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 1\n";

TEST(vhint_release_seen_at_the_call)
{
	struct rbpf_vlog *v;
	const struct rbpf_hint *h;
	int i, noted = 0;

	ASSERT(0, rbpf_vlog_parse(log61, &v));
	h = rbpf_vlog_hint(v);
	ASSERT_TRUE(h && !strcmp(h->id, "use_after_release"), "hint %s", h ? h->id : "(none)");
	ASSERT(7, v->fail.reg);
	ASSERT(9, v->fail.killed_at);
	ASSERT_STREQ("bpf_ringbuf_submit#132", v->fail.killed_by);
	for (i = 0; i < v->n; i++)
		if (v->rows[i].note) {
			ASSERT(9, v->rows[i].insn);
			ASSERT_CONTAINS(v->rows[i].note, "R1 R7 released");
			noted++;
		}
	ASSERT(1, noted);
	rbpf_vlog_free(v);
	/* the same log without the submit: the register was a number all along? no --
	 * it was a pointer the log never saw die, so no hint rather than a wrong one */
	{
		char *cut = strdup(log61), *p = strstr(cut, "9: (85) call bpf_ringbuf_submit");

		memcpy(p, "9: (b7) r0 = 0                        ", 38);
		h = rbpf_verifier_hint(cut);
		ASSERT_TRUE(!h || strcmp(h->id, "use_after_release"), "release hint with no release");
		ASSERT_TRUE(!h || strcmp(h->id, "scalar_deref"), "'a plain number' for a pointer");
		free(cut);
	}
}
