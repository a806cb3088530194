/*
 * asm/hello.c -- the chapter's Hello World, written as eight-byte instructions.
 *
 * Concept:     a BPF program is an array of struct bpf_insn handed to bpf(BPF_PROG_LOAD);
 *              attaching it is a perf event (kprobe or tracepoint); its output is a
 *              line in tracefs's trace_pipe.
 * Prog type:   BPF_PROG_TYPE_KPROBE on the kernel's execve function (__x64_sys_execve);
 *              on a kernel without kprobes, BPF_PROG_TYPE_TRACEPOINT on
 *              syscalls/sys_enter_execve -- the same instructions, since they ignore ctx.
 * Kernel:      4.17+ for the kprobe PMU, 5.15+ as the course's floor.
 * Prints:      one trace_pipe line per execve:  bash-1234 [001] ... Hello World!
 *
 * The program, in C:
 *
 *     int hello(void *ctx)
 *     {
 *         char msg[] = "Hello World!";
 *         bpf_trace_printk(msg, sizeof(msg));
 *         return 0;
 *     }
 *
 * Usage: hello [--count N] [--timeout S] [--trigger]
 *   --count N    stop after N lines      --timeout S   stop after S seconds
 *   --trigger    run /bin/true every half second, so there is an execve to see
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "bpf_insn.h"
#include "rawbpf.h"

static struct bpf_insn hello_insns[] = {
	/* "Hello Wo" as a little-endian u64: 'H' (0x48) is the lowest byte */
	BPF_LD_IMM64(BPF_REG_1, 0x6f57206f6c6c6548ULL),         /* 16-byte insn */
	BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, -16),        /* *(u64 *)(r10 - 16) = r1 */
	BPF_ST_MEM(BPF_W, BPF_REG_10, -8, 0x21646c72),          /* "rld!" at r10 - 8 */
	BPF_ST_MEM(BPF_B, BPF_REG_10, -4, 0),                   /* the '\0' at r10 - 4 */
	BPF_MOV64_REG(BPF_REG_1, BPF_REG_10),
	BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, -16),                 /* r1 = msg (fp - 16) */
	BPF_MOV64_IMM(BPF_REG_2, 13),                           /* r2 = sizeof(msg) */
	BPF_EMIT_CALL(BPF_FUNC_trace_printk),                   /* r0 = bpf_trace_printk(r1, r2) */
	BPF_MOV64_IMM(BPF_REG_0, 0),
	BPF_EXIT_INSN(),                                        /* return 0 */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Load the instructions as `type`; print the verifier's one-line verdict. */
static int load(enum bpf_prog_type type)
{
	struct rbpf_prog_load_args a = {
		.type = type, .name = "hello", .license = "GPL", .log_level = 1,
		.insns = hello_insns, .insn_cnt = sizeof(hello_insns) / sizeof(hello_insns[0]),
	};
	char *log = NULL, *last, *end;
	int fd = rbpf_load_insns(&a, &log);

	/* The level-1 log of an accepted program ends with its statistics line. */
	if (fd >= 0 && log && (last = strstr(log, "processed "))) {
		end = strstr(last, " (");
		printf("verifier: accepted %u instructions as %s (%.*s)\n", a.insn_cnt,
		       type == BPF_PROG_TYPE_KPROBE ? "a kprobe program" : "a tracepoint program",
		       end ? (int)(end - last) : (int)strcspn(last, "\n"), last);
	}
	free(log);
	return fd;
}

/* Attach to execve: a kprobe on the syscall's kernel function, else the tracepoint.
 * Returns the program fd that ended up attached, or -errno. */
static int attach(struct rbpf_link **link)
{
	char fn[128];
	int fd, err;

	err = rbpf_syscall_fnname("execve", fn, sizeof(fn));
	if (err < 0)
		return err;
	fd = load(BPF_PROG_TYPE_KPROBE);
	if (fd < 0)
		return fd;
	err = rbpf_attach_kprobe(fd, fn, 0, link);
	if (err == 0) {
		printf("attached: kprobe on %s\n", fn);
		return fd;
	}
	close(fd);
	if (err != -EOPNOTSUPP)
		return err;
	printf("%s\nfalling back to the tracepoint syscalls/sys_enter_execve (same moment, "
	       "same program)\n", rbpf_errmsg());
	fd = load(BPF_PROG_TYPE_TRACEPOINT);
	if (fd < 0)
		return fd;
	err = rbpf_attach_tracepoint(fd, "syscalls", "sys_enter_execve", link);
	if (err < 0) {
		close(fd);
		return err;
	}
	printf("attached: tracepoint syscalls/sys_enter_execve\n");
	return fd;
}

struct seen {
	long count, limit;
};

/* One trace_pipe line: print it as the chapter's trace_print() does. */
static int print_line(void *ctx, const struct rbpf_trace_line *l)
{
	struct seen *s = ctx;

	printf("%16s-%-7d [%03d] %.6f: %s\n", l->task, l->pid, l->cpu, l->ts, l->msg);
	return s->limit && ++s->count >= s->limit;
}

static void run_true(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: hello [--count N] [--timeout S] [--trigger]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct seen seen = { 0, 0 };
	struct rbpf_link *link = NULL;
	struct rbpf_tracepipe *tp = NULL;
	double timeout = 0, start, next_trigger;
	int i, trigger = 0, prog_fd, err = 0, n, tries;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--count") && i + 1 < argc)
			seen.limit = atol(argv[++i]);
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout = atof(argv[++i]);
		else if (!strcmp(argv[i], "--trigger"))
			trigger = 1;
		else
			return usage();
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* The kernel gives trace_pipe to one reader at a time (EBUSY for the others):
	 * wait up to 10 s for another reader to finish before giving up. */
	for (tries = 0; (err = rbpf_tracepipe_open(&tp)) == -EBUSY && tries < 50; tries++)
		usleep(200000);
	if (err < 0) {
		fprintf(stderr, "hello: %s\n", rbpf_errmsg());
		return 1;
	}
	rbpf_tracepipe_discard(tp);     /* what waits now is not ours */
	prog_fd = attach(&link);
	if (prog_fd < 0) {
		fprintf(stderr, "hello: %s\n", rbpf_errmsg());
		rbpf_tracepipe_close(tp);
		return 1;
	}
	printf("waiting for execve -- Ctrl-C to stop\n");
	start = next_trigger = now();
	while (!stop && (!timeout || now() - start < timeout)) {
		struct pollfd p = { .fd = rbpf_tracepipe_fd(tp), .events = POLLIN };

		if (trigger && now() >= next_trigger) {
			run_true();
			next_trigger += 0.5;
		}
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = rbpf_tracepipe_read(tp, print_line, &seen);
		if (n < 0) {
			fprintf(stderr, "hello: %s\n", rbpf_errmsg());
			err = 1;
			break;
		}
		if (seen.limit && seen.count >= seen.limit)
			break;
	}
	rbpf_link_destroy(link);
	close(prog_fd);
	rbpf_tracepipe_close(tp);
	printf("detached\n");
	return err;
}
