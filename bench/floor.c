/*
 * floor.c -- the startup bench without BPF: the same prints and the same child,
 * so that (time to "attached") - (this one's) is what loading and attaching cost.
 */
#include "common.h"

int main(void)
{
	int pid, status;

	printf("attached\n");
	fflush(stdout);
	pid = spawn_true();
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	printf("event pid=%d tid=%d comm=true\n", pid, pid);
	fflush(stdout);
	printf("hwm_kb %ld\n", hwm_kb());
	return 0;
}
