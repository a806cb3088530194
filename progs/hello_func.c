/*
 * hello_func.c -- the user side of the BPF-to-BPF call lesson: load the program,
 * show the call instruction as the kernel holds it, attach, print trace_pipe.
 *
 * Concept:     the loader appends get_opcode after the program and points the call
 *              at it: `call pc+N`, src_reg 1 (BPF_PSEUDO_CALL), N counted from the next
 *              instruction (the listing names the callee from the object's records);
 *              a helper call is `call NAME#NUMBER`, src_reg 0.  After loading,
 *              BPF_OBJ_GET_INFO_BY_FD returns the kernel's copy ("xlated"), where
 *              the call to get_opcode is still there: a real call, its own frame.
 * Prog type:   raw tracepoint sys_enter (every system call of every process).
 * Kernel:      4.17+; the course's floor is 5.10.
 * Prints:      the loaded program's instructions, then trace_pipe lines:
 *                  bash-1234    [001] 5678.123456: Syscall: 59
 * Privilege:   root (trace_pipe is in tracefs).
 *
 * Usage: hello_func [--count N] [--timeout S] [--trigger]
 */
#include "lesson.h"

static int is_bpf_call(const struct bpf_insn *i)
{
	return i->code == (BPF_JMP | BPF_CALL) && i->src_reg == BPF_PSEUDO_CALL;
}

/* The name of the function at instruction `at`, as the object records it. */
static const char *callee(const struct rbpf_prog *p, int64_t at)
{
	const char *name = at >= 0 ? rbpf_prog_func_at(p, (uint32_t)at) : NULL;

	return name ? name : "(a function the object does not name)";
}

/* Print the instructions we loaded (the function, then get_opcode appended after it
 * by the loader), then the call as the kernel kept it. */
static int show_program(struct rbpf_prog *p)
{
	struct bpf_prog_info info = { 0 };
	struct bpf_insn kept[256];
	const struct bpf_insn *insns = rbpf_prog_insns(p, &(uint32_t){ 0 });
	uint32_t n, i, len = sizeof(info);
	char text[128];
	int r;

	rbpf_prog_insns(p, &n);
	printf("program hello, as loaded (%u instructions):\n", n);
	for (i = 0; i < n; i += r) {
		r = rbpf_disasm_insn(&insns[i], n - i, text, sizeof(text), NULL);
		if (r < 0)
			break;
		if (is_bpf_call(&insns[i]))     /* the callee: next instruction + imm */
			printf("  %3u: %s      <- BPF-to-BPF call: %s\n", i, text,
			       callee(p, i + 1 + insns[i].imm));
		else
			printf("  %3u: %s\n", i, text);
	}
	/* The kernel's copy after verification ("xlated"): the call is still there. */
	memset(kept, 0, sizeof(kept));   /* (valgrind does not know the kernel fills it) */
	info.xlated_prog_len = sizeof(kept);
	info.xlated_prog_insns = (uint64_t)(unsigned long)kept;
	r = rbpf_obj_get_info_by_fd(rbpf_prog_fd(p), &info, &len);
	if (r < 0)
		return rbpf_error(r, "BPF_OBJ_GET_INFO_BY_FD prog fd=%d: %s", rbpf_prog_fd(p),
				  strerror(-r));
	n = info.xlated_prog_len / sizeof(kept[0]);
	for (i = 0; i < n && i < 256; i++)
		if (is_bpf_call(&kept[i]) &&
		    rbpf_disasm_insn(&kept[i], n - i, text, sizeof(text), NULL) > 0)
			printf("the kernel's copy (BPF_OBJ_GET_INFO_BY_FD) keeps it: %u: %s\n", i,
			       text);
	return 0;
}

struct seen {
	long n, limit;
};

static int print_line(void *ctx, const struct rbpf_trace_line *l)
{
	struct seen *s = ctx;

	/* Our own system calls -- the write(2) of each line we print -- would each print
	 * another line: a loop that never drains.  Skip them. */
	if (l->pid == getpid())
		return lesson_stop;
	printf("%16s-%-7d [%03d] %.6f: %s\n", l->task, l->pid, l->cpu, l->ts, l->msg);
	s->n++;
	return lesson_stop || (s->limit && s->n >= s->limit);   /* Ctrl-C, --count */
}

int main(int argc, char **argv)
{
	struct lesson_opts o;
	struct rbpf_object *obj;
	struct rbpf_link *link = NULL;
	struct rbpf_tracepipe *tp = NULL;
	struct seen seen = { 0, 0 };
	struct rbpf_prog *p;

	if (lesson_args(argc, argv, &o, "hello_func [--count N] [--timeout S] [--trigger]",
			NULL))
		return 2;
	if (lesson_open_tracepipe(&tp) < 0) {
		fprintf(stderr, "hello_func: %s\n", rbpf_errmsg());
		return 1;
	}
	seen.limit = o.count;
	obj = lesson_open(argv[0], "hello_func");
	if (!obj || lesson_load(obj, "hello_func", NULL) < 0)
		return 1;
	rbpf_tracepipe_discard(tp);     /* lines left by earlier programs */
	p = rbpf_object_find_prog(obj, "hello");
	if (show_program(p) < 0 ||
	    rbpf_attach_raw_tracepoint(rbpf_prog_fd(p), "sys_enter", &link) < 0) {
		fprintf(stderr, "hello_func: %s\n", rbpf_errmsg());
		rbpf_object_close(obj);
		return 1;
	}
	printf("attached: raw tracepoint sys_enter -- Ctrl-C to stop\n");
	lesson_read_tracepipe("hello_func", &o, tp, print_line, &seen, &seen.n);
	rbpf_link_destroy(link);
	rbpf_object_close(obj);
	rbpf_tracepipe_close(tp);
	printf("detached\n");
	return 0;
}
