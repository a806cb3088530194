/*
 * cmd.h -- what the verbs of the rawbpf command share (loader/cmd/: main.c and one file per verb).
 * A verb is `int cmd_NAME(int argc, char **argv)` with argv[0] the verb; it returns
 * the exit status: 0 success, 1 failure (the thing asked failed), 2 usage or could
 * not run.  Usage errors go to stderr.
 */
#ifndef CMD_H
#define CMD_H

struct rbpf_object;

int cmd_doctor(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_prog(int argc, char **argv);
int cmd_map(int argc, char **argv);

/* Print "rawbpf: " + the library's last message to stderr; return status. */
int cmd_fail(int status);
/* After a failed load: the hint (vlog.c) for the first rejected program's log, if
 * one matches -- the library's message says what the verifier said, not the hint. */
void cmd_hint(const struct rbpf_object *obj);

#endif
