/*
 * vlog.c -- the verifier-log parser on a log of each shape, and on a real one.
 */
#include <stdlib.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "rawbpf.h"
#include "test.h"

/* A 6.18-style level-2 log, cut down: every line shape the parser knows. */
static const char sample[] =
	"func#0 @0\n"
	"Live regs before insn:\n"
	"      0: .1........ (bf) r6 = r1\n"
	"      1: .......... (95) exit\n"
	"0: R1=ctx() R10=fp0\n"
	"; int x = 1; @ t.bpf.c:3\n"
	"0: (bf) r6 = r1                       ; R1=ctx() R6_w=ctx()\n"
	"1: (15) if r0 == 0x0 goto pc+1        ;\n"
	"2: (b7) r0 = 1\n"
	"from 1 to 3: R0=0 R6=ctx() R10=fp0\n"
	"3: safe\n"
	"2: (b7) r0 = 1                        ; R0_w=1\n"
	"R0 !read_ok\n"
	"processed 4 insns (limit 1000000)\n";

TEST(vlog_parse_shapes)
{
	struct rbpf_vlog *v;
	const struct rbpf_vlog_row *r;

	ASSERT(0, rbpf_vlog_parse(sample, &v));
	/* func#0, state 0, insn 0, 1, 2, from, safe, insn 2, reason, processed */
	ASSERT(10, v->n);
	r = &v->rows[0];
	ASSERT(RBPF_VLOG_OTHER, r->kind);
	r = &v->rows[1];
	ASSERT(RBPF_VLOG_STATE, r->kind);
	ASSERT(0, r->insn);
	ASSERT_STREQ("R1=ctx() R10=fp0", r->state);
	r = &v->rows[2];
	ASSERT(RBPF_VLOG_INSN, r->kind);
	ASSERT(0xbf, r->code);
	ASSERT_STREQ("r6 = r1", r->text);
	ASSERT_STREQ("R1=ctx() R6_w=ctx()", r->state);
	r = &v->rows[3];
	ASSERT_STREQ("if r0 == 0x0 goto pc+1", r->text);
	ASSERT_STREQ("", r->state);
	r = &v->rows[5];
	ASSERT(RBPF_VLOG_PATH, r->kind);
	ASSERT(1, r->from);
	ASSERT(3, r->insn);
	ASSERT_STREQ("R0=0 R6=ctx() R10=fp0", r->state);
	ASSERT(RBPF_VLOG_SAFE, v->rows[6].kind);
	ASSERT(3, v->rows[6].insn);
	ASSERT(2, v->rows[7].visit);             /* insn 2, walked the second time */
	ASSERT(7, v->last_insn);
	ASSERT_STREQ("R0 !read_ok", v->rows[8].text);
	rbpf_vlog_free(v);
}

TEST(vlog_parse_empty_and_garbage)
{
	struct rbpf_vlog *v;

	ASSERT(0, rbpf_vlog_parse(NULL, &v));
	ASSERT(0, v->n);
	ASSERT(-1, v->last_insn);
	rbpf_vlog_free(v);
	ASSERT(0, rbpf_vlog_parse("12345678: (zz\n: (\n9: (b7)\n\n\n", &v));
	ASSERT(-1, v->last_insn);
	rbpf_vlog_free(v);
	/* an index no program can have is not an instruction line */
	ASSERT(0, rbpf_vlog_parse("9999999: (b7) r0 = 0\n", &v));
	ASSERT(-1, v->last_insn);
	ASSERT(RBPF_VLOG_OTHER, v->rows[0].kind);
	rbpf_vlog_free(v);
}

/* A real rejection: the last INSN row is the failing instruction. */
TEST(vlog_parse_real_rejection)
{
	struct bpf_insn p[] = {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_1, 0, 1),
		BPF_MOV64_REG(BPF_REG_0, BPF_REG_3),     /* r3 never written */
		BPF_EXIT_INSN(),
	};
	struct rbpf_prog_load_args a = {
		.type = BPF_PROG_TYPE_SOCKET_FILTER, .insns = p, .insn_cnt = 4,
		.license = "GPL", .log_level = 2,
	};
	struct rbpf_vlog *v;
	char *log = NULL;
	int fd;

	NEED_ROOT();
	fd = rbpf_load_insns(&a, &log);
	ASSERT_TRUE(fd < 0, "accepted");
	ASSERT(0, rbpf_vlog_parse(log, &v));
	ASSERT_TRUE(v->last_insn >= 0, "no instruction rows in:\n%s", log);
	ASSERT(2, v->rows[v->last_insn].insn);
	ASSERT_STREQ("r0 = r3", v->rows[v->last_insn].text);
	ASSERT_STREQ("R3 !read_ok", v->rows[v->last_insn + 1].text);
	rbpf_vlog_free(v);
	free(log);
}
