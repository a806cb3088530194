/*
 * cmd.h -- what the verbs of the rawbpf command share (loader/cmd/: main.c and one file per verb).
 * A verb is `int cmd_NAME(int argc, char **argv)` with argv[0] the verb; it returns
 * the exit status: 0 success, 1 failure (the thing asked failed), 2 usage or could
 * not run.  Usage errors go to stderr.
 */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>

struct rbpf_object;

int cmd_doctor(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_sym(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_prog(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_btf(int argc, char **argv);
int cmd_core(int argc, char **argv);

struct rbpf_prog;
struct rbpf_link;
struct rbpf_attach_opts;

/* rawbpf run, the kinds that need more than one rbpf_prog_attach (cmd/run_kinds.c):
 * perf_event on every CPU, syscall run once.  1 attached (*used links in
 * l[0..room)), 0 not meant to be (why), -1 failed (rbpf_errmsg), -2 not one of
 * these kinds. */
int run_attach_more(const struct rbpf_prog *p, struct rbpf_attach_opts *o,
		    struct rbpf_link **l, int room, int *used, char *why, size_t n);
/* Read each iterator among links once and print its text; the lines printed. */
long run_print_iters(struct rbpf_link *const *links, int n);
/* rawbpf run: print the non-zero entries of the object's counting maps (cmd/run_maps.c). */
void run_print_maps(const struct rbpf_object *obj);

/* Print "rawbpf: " + the library's last message to stderr; return status. */
int cmd_fail(int status);
/* After a failed load: the hint (vlog.c) for the first rejected program's log, if
 * one matches -- the library's message says what the verifier said, not the hint. */
void cmd_hint(const struct rbpf_object *obj);

/* The verbs that take OBJ [PROG] (disasm, core): a word that is not one of the verb's
 * own options is the object's path, then the program's name; -1 for a third word or
 * an unknown option. */
int cmd_obj_prog_word(const char *word, const char **path, const char **name);
/* Open the object at path and call fn on each program (only the one named, when name
 * is not NULL), a blank line between two; the sum of what fn returned, or -2 (said on
 * stderr) when the object does not open or has no such program. */
int cmd_each_prog(const char *path, const char *name,
		  int (*fn)(struct rbpf_object *obj, struct rbpf_prog *p, void *ctx), void *ctx);

#endif
