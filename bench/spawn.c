/*
 * spawn.c -- time one process from fork to its marker lines.
 *
 *     spawn CMD [ARG...]
 *
 * Forks, execs CMD with its stdout on a pipe, and timestamps (CLOCK_MONOTONIC, taken
 * just before fork) the arrival of the first line starting "attached" and of the
 * first line starting "event" after it; the end is when wait4 returns.  The line
 * "hwm_kb N" is the child's own peak RSS (see common.h), "cpu_us N" the CPU time it
 * says it used to get to "attached" (the CO-RE bench).  Prints one line:
 *
 *     attached_us event_us exit_us hwm_kb exit_status cpu_us
 *
 * (-1 for a marker that never came).  Lines from the child are echoed to stderr
 * when SPAWN_ECHO is set.  stdio reads a pipe line by line as it arrives, so the
 * timestamps are the child's write + one wake-up.
 */
#include "common.h"

#include <sys/resource.h>

static double us_since(uint64_t t0)
{
	return (now_ns() - t0) / 1e3;
}

int main(int argc, char **argv)
{
	double t_att = -1, t_ev = -1, t_exit;
	long hwm = -1, cpu = -1;
	int fds[2], status = 0, echo = getenv("SPAWN_ECHO") != NULL;
	char line[512];
	struct rusage ru;
	FILE *in;
	uint64_t t0;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: spawn CMD [ARG...]\n");
		return 2;
	}
	if (pipe(fds))
		return perror("spawn: pipe"), 2;
	t0 = now_ns();
	pid = fork();
	if (pid < 0)
		return perror("spawn: fork"), 2;
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[1], argv + 1);
		perror("spawn: exec");
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	while (fgets(line, sizeof(line), in)) {
		if (t_att < 0 && !strncmp(line, "attached", 8))
			t_att = us_since(t0);
		else if (t_att >= 0 && t_ev < 0 && !strncmp(line, "event", 5))
			t_ev = us_since(t0);
		sscanf(line, "hwm_kb %ld", &hwm);
		sscanf(line, "cpu_us %ld", &cpu);
		if (echo)
			fputs(line, stderr);
	}
	wait4(pid, &status, 0, &ru);
	t_exit = us_since(t0);
	printf("%.1f %.1f %.1f %ld %d %ld\n", t_att, t_ev, t_exit, hwm,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), cpu);
	return 0;
}
