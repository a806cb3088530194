/*
 * exercises.h -- what tests/exercises.c (each checker on the learner's start and on
 * the reference solution) and tests/exercise_wrong.c (each checker on wrong attempts)
 * share: the record of one "not yet" message and the attempt that triggers it, and
 * the helpers that make a private copy of the project and run a checker on it.
 *
 * Every message a checker can print is a record, so that tests/exercise_wrong.c can
 * hold the checkers' sources against the records: a not_yet call with no record (a
 * message no attempt triggers) fails the suite.
 */
#ifndef EXERCISES_H
#define EXERCISES_H

enum ex_from {
	EX_START,       /* the unmodified project, the learner's start: no edit */
	EX_PROJECT,     /* the project with `sed` applied to `file` */
	EX_SOLVED,      /* the reference solution with `sed` applied to `file` */
	EX_PINNED,      /* the project, after another map was pinned at the exercise's pin */
	EX_NEVER,       /* no attempt can trigger it: `says` says why */
};

struct ex_msg {
	const char *name;       /* the test: exercise_wrong_NAME (or exercise_L_N) */
	int l, n;               /* exercise L-N: tutorial/exercises/L-N.sh */
	enum ex_from from;
	const char *file, *sed; /* the wrong attempt: sed -e SED on FILE */
	const char *src;        /* the message as the checker's source writes it: a piece of
				 * one not_yet call (or retval call) in L-N.sh, lib.sh or
				 * 7-lib.inc, found in exactly one of them */
	const char *says;       /* what the one line must contain (NULL: src) */
	struct ex_msg *next;
};

/* All records, in the order of their constructors. */
extern struct ex_msg *ex_msgs;
void ex_msg_register(struct ex_msg *m);

#define EX_MSG_REGISTER(VAR)                                                      \
	__attribute__((constructor)) static void ex_reg_##VAR(void) { ex_msg_register(&VAR); }

/* Skip unless this machine has what exercise L-N's checker needs (root, trace_pipe's
 * queue, ip/ping, dynamic ls/cat); sets the test's timeout. */
void ex_need(int l, int n);

/* A copy of the learner's files (asm/, progs/, include/) in a new directory (dir: a
 * mkdtemp template), with the solution L-N applied if `solved`. */
void ex_copy_project(char *dir, int l, int n, int solved);

/* Run exercise L-N's checker on dir (NULL: the project itself) as the learner does,
 * `make exercise LESSON=L N=N TREE=dir` (directly where there is no make: the lab VM);
 * the output (stdout and stderr) in a malloc'd string, the status in *st. */
char *ex_run_checker(int l, int n, const char *dir, int *st);

/* Assert that out/st is a checker's "not yet" containing `says`: one line, a failing
 * status (1 when run directly), and nothing of make's. */
void ex_assert_not_yet(const char *out, int st, const char *says, const char *what);

#endif
