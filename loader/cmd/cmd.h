/*
 * cmd.h -- what the verbs of the rawbpf command share (loader/cmd/: main.c and one file per verb).
 * A verb is `int cmd_NAME(int argc, char **argv)` with argv[0] the verb; it returns
 * the exit status: 0 success, 1 failure (the thing asked failed), 2 usage or could
 * not run.  Usage errors go to stderr.
 */
#ifndef CMD_H
#define CMD_H

int cmd_doctor(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_sym(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_prog(int argc, char **argv);
int cmd_map(int argc, char **argv);

struct rbpf_object;
struct rbpf_prog;
struct rbpf_link;

/* rawbpf run's options the kinds of cmd/run_kinds.c need. */
struct run_opts {
	int pid;                 /* --pid, or -1 */
	const char *cgroup;      /* --cgroup DIR, or NULL */
};
/* Attach p if it is of a kind cmd/run_kinds.c knows: 1 attached (*used links in
 * links[0..room)), 0 not meant to be (why), -1 failed (rbpf_errmsg). */
int run_attach_kind(const struct rbpf_object *obj, const struct rbpf_prog *p,
		    const struct run_opts *o, struct rbpf_link **links, int room, int *used,
		    char *why, size_t n);
/* Read each attached iterator once and print its text; returns the lines printed. */
long run_print_iters(void);
/* rawbpf run: print the non-zero entries of the object's counting maps (cmd/run_maps.c). */
void run_print_maps(const struct rbpf_object *obj);

/* Print "rawbpf: " + the library's last message to stderr; return status. */
int cmd_fail(int status);

#endif
