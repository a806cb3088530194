/*
 * badinput_cmd.c -- the rawbpf command and the attach calls, given what a learner
 * gets wrong: a missing or malformed argument to every verb, a path that does not
 * exist or is a directory or is not an object, no privilege at all (run as nobody),
 * a tracepoint or kprobe target that does not exist, a map of absurd size, a
 * program the verifier rejects.
 *
 * Usage errors must exit 2 with the usage on stderr and nothing on stdout
 * (loader/cmd.h); other refusals exit 1 or 2 with a message naming what was asked.
 * The verbs are read from `rawbpf --help`, so a verb added later is covered by the
 * generic rows (an unknown option) without touching this file.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "rawbpf.h"
#include "test.h"
#include "hardening.h"

#define OBJ "tests/bpf/elf_btfmap.bpf.o"

/* Run `rawbpf ARGS`; *err gets stderr, *out stdout (caller frees both). */
static int rawbpf(const char *args, char **out, char **err)
{
	int st, st2;

	*err = test_run_cmd(&st, "(%s %s 2>&1 >/dev/null)", test_path("rawbpf"), args);
	*out = test_run_cmd(&st2, "(%s %s 2>/dev/null)", test_path("rawbpf"), args);
	ASSERT_TRUE(st == st2, "rawbpf %s: exit %d, then %d", args, st, st2);
	return st;
}

static void expect_usage(const char *args, const char *usage_word)
{
	char *out, *err;
	int st = rawbpf(args, &out, &err);

	ASSERT_TRUE(st == 2, "rawbpf %s: exit %d, expected 2 (usage); stderr: %s", args, st, err);
	ASSERT_TRUE(strstr(err, usage_word) != NULL, "rawbpf %s: stderr lacks \"%s\": %s",
		    args, usage_word, err);
	ASSERT_TRUE(out[0] == 0, "rawbpf %s: a usage error printed on stdout: %s", args, out);
	free(out);
	free(err);
}

/* A refusal: exit 1 or 2, `want` in stderr. */
static void expect_refusal(const char *args, const char *want)
{
	char *out, *err;
	int st = rawbpf(args, &out, &err);

	ASSERT_TRUE(st == 1 || st == 2, "rawbpf %s: exit %d, expected 1 or 2; stderr: %s",
		    args, st, err);
	ASSERT_TRUE(strstr(err, want) != NULL, "rawbpf %s: stderr lacks \"%s\": %s", args,
		    want, err);
	free(out);
	free(err);
}

/* Every verb `rawbpf --help` lists, with an option nobody has. */
TEST(badinput_cmd_every_verb_unknown_option)
{
	char *help, *line, *save = NULL, verb[64], args[128];
	int st, n = 0;

	help = test_run_cmd(&st, "%s --help", test_path("rawbpf"));
	ASSERT(0, st);
	for (line = strtok_r(help, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "  %63s", verb) != 1 || line[2] == ' ')
			continue;
		snprintf(args, sizeof(args), "%s --no-such-option", verb);
		expect_usage(args, "usage");
		n++;
	}
	free(help);
	ASSERT_TRUE(n >= 7, "only %d verbs in rawbpf --help", n);
	expect_usage("", "usage");
	expect_usage("no-such-verb", "unknown verb 'no-such-verb'");
}

/* Missing and malformed arguments, verb by verb. */
TEST(badinput_cmd_missing_and_malformed_arguments)
{
	static const char *const usage_rows[] = {
		"load", "run", "verify", "disasm", "prog", "map",
		"load " OBJ " --log-level", "load " OBJ " --log-level x",
		"load " OBJ " --pin", "load a.o b.o",
		"run " OBJ " --count", "run " OBJ " --count -5", "run " OBJ " --count 1x",
		"run " OBJ " --timeout abc", "run " OBJ " --ifname",
		"verify " OBJ " --level 9", "verify " OBJ " --level",
		"prog dump", "prog dump abc", "prog dump 1 --no-such", "prog list extra",
		"map dump", "map dump -1", "map list extra", "prog frobnicate",
	};
	char args[512];
	size_t i;

	for (i = 0; i < sizeof(usage_rows) / sizeof(usage_rows[0]); i++) {
		/* OBJ as written above is relative to the build dir */
		const char *at = strstr(usage_rows[i], OBJ);

		if (at)
			snprintf(args, sizeof(args), "%.*s%s%s", (int)(at - usage_rows[i]),
				 usage_rows[i], test_path(OBJ), at + strlen(OBJ));
		else
			snprintf(args, sizeof(args), "%s", usage_rows[i]);
		expect_usage(args, "usage");
	}
}

/* An object path that does not exist, is a directory, is not ELF. */
TEST(badinput_cmd_bad_object_paths)
{
	static const char *const verbs[] = { "load", "run", "verify", "disasm" };
	char args[256], longname[400];
	size_t i;

	for (i = 0; i < 4; i++) {
		snprintf(args, sizeof(args), "%s /nonexistent/x.bpf.o", verbs[i]);
		expect_refusal(args, "/nonexistent/x.bpf.o: cannot read: No such file");
		snprintf(args, sizeof(args), "%s tests", verbs[i]);
		expect_refusal(args, "tests: cannot read: not a regular file");
		snprintf(args, sizeof(args), "%s Makefile", verbs[i]);
		expect_refusal(args, "Makefile: not an ELF file");
		snprintf(args, sizeof(args), "%s %s no_such_prog", verbs[i], test_path(OBJ));
		if (i >= 2)
			expect_refusal(args, "no program named no_such_prog");
	}
	expect_refusal("prog dump 4000000000", "4000000000");
	expect_refusal("map dump 4000000000", "4000000000");
	expect_refusal("load /dev/zero", "/dev/zero: cannot read: not a regular file");
	memset(longname, 'a', sizeof(longname));     /* one name of 300 bytes (max 255) */
	memcpy(longname, "load /tmp/", 10);
	strcpy(longname + 310, "/x.bpf.o");
	expect_refusal(longname, "cannot read: File name too long");
}

/* An empty file, and one the user may not read. */
TEST(badinput_cmd_empty_and_unreadable_objects)
{
	char path[64], args[128];
	int fd;

	snprintf(path, sizeof(path), "/tmp/rbpf_empty_%d.o", (int)getpid());
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0);
	ASSERT_TRUE(fd >= 0, "%s: %s", path, strerror(errno));
	close(fd);
	snprintf(args, sizeof(args), "disasm %s", path);
	expect_refusal(args, "the file is empty");
	if (geteuid() == 0 && access("/usr/bin/setpriv", X_OK) == 0) {
		char *out;
		int st;

		out = test_run_cmd(&st, "setpriv --reuid=nobody --regid=nogroup --clear-groups "
				   "%s disasm %s", test_path("rawbpf"), path);
		ASSERT_TRUE(st == 1 || st == 2, "as nobody, mode 000: exit %d: %s", st, out);
		ASSERT_CONTAINS(out, "cannot read: Permission denied");
		free(out);
	}
	unlink(path);
}

/* No privilege at all: every verb that needs the kernel says what is missing. */
TEST(badinput_cmd_as_nobody)
{
	static const char *const rows[] = { "load", "run", "verify" };
	char args[512];
	size_t i;

	NEED_ROOT();
	NEED_CMD("setpriv");
	for (i = 0; i < 3; i++) {
		snprintf(args, sizeof(args), "%s %s", rows[i], test_path(OBJ));
		char *out, *err, *cmd = strdup(test_fmt("(setpriv --reuid=nobody --regid=nogroup "
			"--clear-groups --inh-caps=-all %s %s 2>&1 >/dev/null)",
			test_path("rawbpf"), args));
		int st;

		err = test_run_cmd(&st, "%s", cmd);
		ASSERT_TRUE(st == 1 || st == 2, "as nobody: rawbpf %s: exit %d: %s", args, st, err);
		ASSERT_CONTAINS(err, "EPERM");
		ASSERT_CONTAINS(err, "needs root, or CAP_BPF");
		ASSERT_CONTAINS(err, "map counts");       /* which object part was refused */
		(void)out;
		free(err);
		free(cmd);
	}
}

/* ---------------------------------------------------- attach targets that do not exist */

static struct bpf_insn ret0[] = { BPF_MOV64_IMM(BPF_REG_0, 0), BPF_EXIT_INSN() };

static int load_ret0(enum bpf_prog_type type)
{
	struct rbpf_prog_load_args a = { .type = type, .name = "hard_ret0", .insns = ret0,
					 .insn_cnt = 2, .license = "GPL" };
	char *log = NULL;
	int fd = rbpf_load_insns(&a, &log);

	free(log);
	ASSERT_OK(fd);
	return fd;
}

struct attach_ctx {
	int tp_fd, kp_fd, raw_fd;
};

static void attach_missing(void *arg)
{
	struct attach_ctx *c = arg;
	struct rbpf_link *l = NULL;
	int r;

	r = rbpf_attach_tracepoint(c->tp_fd, "no_such_cat", "no_such_event", &l);
	ASSERT_TRUE(r < 0 && !l, "tracepoint no_such_cat/no_such_event attached (%d)", r);
	ASSERT_CONTAINS(rbpf_errmsg(), "no_such_cat/no_such_event");
	r = rbpf_attach_raw_tracepoint(c->raw_fd, "no_such_raw_tp", &l);
	ASSERT_TRUE(r < 0 && !l, "raw tracepoint no_such_raw_tp attached (%d)", r);
	ASSERT_CONTAINS(rbpf_errmsg(), "no_such_raw_tp");
	r = rbpf_attach_kprobe(c->kp_fd, "no_such_function_hard", 0, &l);
	ASSERT_TRUE(r < 0 && !l, "kprobe no_such_function_hard attached (%d)", r);
	/* named, or (no kprobes in this kernel) the reason it cannot be tried */
	ASSERT_TRUE(strstr(rbpf_errmsg(), "no_such_function_hard") ||
		    strstr(rbpf_errmsg(), "kprobe"), "kprobe message: %s", rbpf_errmsg());
}

TEST(badinput_attach_missing_targets_named_nothing_left)
{
	struct attach_ctx c;

	NEED_TRACEFS();
	c.tp_fd = load_ret0(BPF_PROG_TYPE_TRACEPOINT);
	c.kp_fd = load_ret0(BPF_PROG_TYPE_KPROBE);
	c.raw_fd = load_ret0(BPF_PROG_TYPE_RAW_TRACEPOINT);
	hard_no_leak("attaching to targets that do not exist", 8, 4, attach_missing, &c);
	close(c.tp_fd);
	close(c.kp_fd);
	close(c.raw_fd);
}

/* ---------------------------------------------------------- maps of absurd sizes */

/* The bytes of section `name` in an ELF image (FAILs if there is none). */
static void *elf_section(uint8_t *b, const char *name)
{
	Elf64_Ehdr *e = (Elf64_Ehdr *)b;
	Elf64_Shdr *sh = (Elf64_Shdr *)(b + e->e_shoff);
	const char *names = (char *)b + sh[e->e_shstrndx].sh_offset;
	unsigned i;

	for (i = 1; i < e->e_shnum; i++)
		if (!strcmp(names + sh[i].sh_name, name))
			return b + sh[i].sh_offset;
	FAIL("no section %s", name);
}

/* Map `second` of elf_legacy (a hash, the section's second definition) given
 * sizes the kernel cannot accept: load must fail naming the map, its sizes, the
 * command and the kernel's errno -- and release the map it did create. */
static void absurd_maps(void *arg)
{
	static const uint32_t rows[][3] = {   /* key_size, value_size, max_entries */
		{ 4, 0, 8 }, { 0, 8, 8 }, { 4, 8, 0 }, { 4, 0xffffff00, 8 },
		{ 0xffffff00, 8, 8 }, { 4, 8, 0xffffffff },
	};
	struct { uint8_t *orig, *copy; size_t size; } *o = arg;
	struct rbpf_object *obj;
	uint32_t *def;
	char want[128];
	size_t i;
	int r;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memcpy(o->copy, o->orig, o->size);
		def = (uint32_t *)elf_section(o->copy, "maps") + 5;      /* second */
		memcpy(def + 1, rows[i], sizeof(rows[i]));
		ASSERT_OK(rbpf_object_open_mem(o->copy, o->size, "absurd.bpf.o", &obj));
		r = rbpf_object_load(obj, 0);
		rbpf_object_close(obj);
		ASSERT_TRUE(r < 0, "map second with key %u value %u entries %u: loaded",
			    rows[i][0], rows[i][1], rows[i][2]);
		snprintf(want, sizeof(want), "map second (type 1, key %u, value %u, "
			 "max_entries %u", rows[i][0], rows[i][1], rows[i][2]);
		ASSERT_CONTAINS(rbpf_errmsg(), want);
		ASSERT_CONTAINS(rbpf_errmsg(), "BPF_MAP_CREATE failed: E");
	}
}

TEST(badinput_absurd_map_sizes_refused_named)
{
	struct { uint8_t *orig, *copy; size_t size; } o;

	NEED_ROOT();
	o.orig = hard_read_file(test_path("tests/bpf/elf_legacy.bpf.o"), &o.size);
	o.copy = malloc(o.size);
	hard_no_leak("maps of absurd sizes", 4, 2, absurd_maps, &o);
	free(o.orig);
	free(o.copy);
}

/* ------------------------------------------------ a program the verifier rejects */

/* elf_reject: bad_null dereferences a map value without the NULL check.  Load
 * fails naming the program and the verifier's reason; the good program beside it
 * still loads; closing releases everything, 1,000 times over (fds and heap). */
static void reject_cycle(void *arg)
{
	struct rbpf_object *obj;
	const char *path = arg;

	ASSERT_OK(rbpf_object_open(path, &obj));
	ASSERT(-EACCES, rbpf_object_load(obj, 0));
	ASSERT_CONTAINS(rbpf_errmsg(), "bad_null");
	ASSERT_CONTAINS(rbpf_errmsg(), "invalid mem access 'map_value_or_null'");
	ASSERT_CONTAINS(rbpf_prog_log(rbpf_object_find_prog(obj, "bad_null")), "R0");
	ASSERT_TRUE(rbpf_prog_fd(rbpf_object_find_prog(obj, "good")) >= 0, "good not loaded");
	rbpf_object_close(obj);
}

TEST(badinput_verifier_rejection_named_nothing_leaked)
{
	char path[256];

	NEED_ROOT();
	snprintf(path, sizeof(path), "%s", test_path("tests/bpf/elf_reject.bpf.o"));
	hard_no_leak("a rejected program, loaded and closed", 16, 1000, reject_cycle, path);
	printf("    (1,000 rejected loads: fds and heap unchanged)\n");
}

/* And through the command: exit 1, the program, the reason, the failing line. */
TEST(badinput_cmd_verifier_rejection)
{
	char args[300];

	NEED_ROOT();
	snprintf(args, sizeof(args), "load %s", test_path("tests/bpf/elf_reject.bpf.o"));
	expect_refusal(args, "bad_null");
	expect_refusal(args, "invalid mem access 'map_value_or_null'");
}
