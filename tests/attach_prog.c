/*
 * attach_prog.c -- rbpf_prog_attach: a loaded program of an object attached the way
 * its section says, with the fallbacks the library takes (and announces) itself.
 *
 * tests/bpf/attach_run.bpf.o has one program per kind; its tracepoint program sends
 * the pid of each exec to a ring buffer, so the test sees the attachment work, not
 * only succeed.  progs/hello.bpf.o has a ksyscall/execve program and its tracepoint
 * twin: on a kernel without kprobes the twin is what runs, and the link says so.
 */
#include <poll.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common.h"

static struct rbpf_object *load_obj(const char *rel, const char *off)
{
	struct rbpf_object *obj;

	ASSERT_OK(rbpf_object_open(test_path(rel), &obj));
	if (off)
		rbpf_prog_set_autoload(rbpf_object_find_prog(obj, off), 0);
	ASSERT_OK(rbpf_object_load(obj, 0));
	return obj;
}

static int have_kprobes(void)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/kprobe_events", rbpf_tracefs());
	return access("/sys/bus/event_source/devices/kprobe", F_OK) == 0 ||
	       access(path, F_OK) == 0;
}

/* The id of the program a link runs (its BPF link's info), or 0 without a link fd. */
static uint32_t link_prog_id(const struct rbpf_link *l)
{
	struct bpf_link_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (rbpf_link_fd(l) < 0 || rbpf_obj_get_info_by_fd(rbpf_link_fd(l), &info, &len) < 0)
		return 0;
	return info.prog_id;
}

static uint32_t prog_id(const struct rbpf_prog *p)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	ASSERT_OK(rbpf_obj_get_info_by_fd(rbpf_prog_fd(p), &info, &len));
	return info.id;
}

/* exec_ring's records: u32 pid, then a tag. */
static int saw_pid(void *ctx, int cpu, const void *data, size_t size)
{
	uint32_t pid;

	(void)cpu;
	if (size >= 4 && (memcpy(&pid, data, 4), pid == *(uint32_t *)ctx))
		*(uint32_t *)ctx = 0;
	return 0;
}

TEST(attach_prog_as_section_says)
{
	struct rbpf_object *obj;
	struct rbpf_link *tp, *raw, *l = NULL;
	struct rbpf_ringbuf *rb;
	struct rbpf_prog *p;
	uint32_t want;
	int i, r;

	NEED_ROOT();
	NEED_TRACEFS();
	obj = load_obj("tests/bpf/attach_run.bpf.o", NULL);
	p = rbpf_object_find_prog(obj, "exec_ring");
	ASSERT_OK(rbpf_prog_attach(p, NULL, &tp));
	ASSERT_STREQ("tracepoint sched/sched_process_exec", rbpf_link_what(tp));
	ASSERT_STREQ("", rbpf_link_note(tp));
	ASSERT_TRUE(rbpf_link_prog(tp) == p, "the link runs another program");
	ASSERT(prog_id(p), link_prog_id(tp));
	ASSERT_OK(rbpf_prog_attach(rbpf_object_find_prog(obj, "exec_perf"), NULL, &raw));
	ASSERT_STREQ("raw tracepoint sched_process_exec", rbpf_link_what(raw));
	/* the tracepoint program runs: an exec's pid comes back through the ring */
	ASSERT_OK(rbpf_ringbuf_open(rbpf_map_fd(rbpf_object_find_map(obj, "run_ring")),
				    saw_pid, &want, &rb));
	want = test_run_true();
	for (i = 0; i < 50 && want; i++)
		rbpf_ringbuf_poll(rb, 100);
	ASSERT_TRUE(want == 0, "no record of the exec of pid %u", want);
	rbpf_ringbuf_close(rb);
	/* xdp needs an interface; kprobe/do_nanosleep needs kprobes (and has no twin) */
	ASSERT(-EDESTADDRREQ, rbpf_prog_attach(rbpf_object_find_prog(obj, "pass"), NULL, &l));
	ASSERT_CONTAINS(rbpf_errmsg(), "opts->ifname");
	ASSERT_TRUE(l == NULL, "a link after a failure");
	r = rbpf_prog_attach(rbpf_object_find_prog(obj, "nap"), NULL, &l);
	if (have_kprobes()) {
		ASSERT(0, r);
		ASSERT_STREQ("kprobe on do_nanosleep", rbpf_link_what(l));
	} else {
		ASSERT(-EOPNOTSUPP, r);
		ASSERT_CONTAINS(rbpf_errmsg(), "kprobe do_nanosleep: this kernel has no kprobes");
	}
	ASSERT_OK(rbpf_link_destroy(l));
	ASSERT_OK(rbpf_link_destroy(raw));
	ASSERT_OK(rbpf_link_destroy(tp));
	rbpf_object_close(obj);
}

TEST(attach_prog_not_loaded)
{
	struct rbpf_object *obj;
	struct rbpf_link *l = NULL;

	NEED_ROOT();
	obj = load_obj("tests/bpf/attach_run.bpf.o", "exec_print");
	ASSERT(-EBADF, rbpf_prog_attach(rbpf_object_find_prog(obj, "exec_print"), NULL, &l));
	ASSERT_CONTAINS(rbpf_errmsg(), "program exec_print (tp/sched/sched_process_exec) is "
			"not loaded");
	ASSERT_TRUE(l == NULL, "a link for a program that is not loaded");
	rbpf_object_close(obj);
}

/* ksyscall/execve: a kprobe where the kernel has them, else the twin, announced. */
TEST(attach_prog_ksyscall_or_its_twin)
{
	const struct rbpf_attach_opts no_twin = { .no_twin = 1 };
	struct rbpf_object *obj;
	struct rbpf_link *l = NULL;
	struct rbpf_prog *p, *twin;

	NEED_ROOT();
	NEED_TRACEFS();
	obj = load_obj("progs/hello.bpf.o", NULL);
	p = rbpf_object_find_prog(obj, "hello");
	twin = rbpf_object_find_prog(obj, "hello_tp");
	ASSERT_OK(rbpf_prog_attach(p, NULL, &l));
	if (have_kprobes()) {
		ASSERT_CONTAINS(rbpf_link_what(l), "kprobe on ");
		ASSERT_CONTAINS(rbpf_link_what(l), "sys_execve");
		ASSERT_STREQ("", rbpf_link_note(l));
		ASSERT_TRUE(rbpf_link_prog(l) == p, "the link runs another program");
		ASSERT_OK(rbpf_link_destroy(l));
		rbpf_object_close(obj);
		return;
	}
	ASSERT_STREQ("this kernel has no kprobes: using the tracepoint "
		     "syscalls/sys_enter_execve", rbpf_link_note(l));
	ASSERT_STREQ("tracepoint syscalls/sys_enter_execve", rbpf_link_what(l));
	ASSERT_TRUE(rbpf_link_prog(l) == twin, "the twin is not the program that runs");
	ASSERT(prog_id(twin), link_prog_id(l));
	ASSERT_OK(rbpf_link_destroy(l));
	/* asked not to, or with no twin loaded, it fails as the kprobe does */
	l = NULL;
	ASSERT(-EOPNOTSUPP, rbpf_prog_attach(p, &no_twin, &l));
	ASSERT_CONTAINS(rbpf_errmsg(), "this kernel has no kprobes");
	rbpf_object_close(obj);
	obj = load_obj("progs/hello.bpf.o", "hello_tp");
	ASSERT(-EOPNOTSUPP, rbpf_prog_attach(rbpf_object_find_prog(obj, "hello"), NULL, &l));
	ASSERT_TRUE(l == NULL, "a link without kprobes or twin");
	rbpf_object_close(obj);
}

/* rawbpf run attaches through rbpf_prog_attach: the ksyscall program's twin runs once,
 * not once for itself and once more as the other's fallback. */
TEST(attach_prog_run_twin_once)
{
	char out[64];
	const char *text;
	pid_t run;
	int st;

	NEED_ROOT();
	NEED_TRACE_PIPE();
	snprintf(out, sizeof(out), "/tmp/rbpf_twin_%d.out", getpid());
	run = test_start_rawbpf(out, (const char *[]){ "run",
				test_path("progs/hello.bpf.o"), "--timeout", "1", NULL });
	ASSERT(run, waitpid(run, &st, 0));
	text = test_slurp(out);
	unlink(out);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d:\n%s", st,
		    test_excerpt(text));
	if (have_kprobes()) {
		ASSERT_CONTAINS(text, "ksyscall/execve                  attached\n");
		ASSERT_CONTAINS(text, "tracepoint/syscalls/sys_enter_execve attached\n");
		return;
	}
	ASSERT_CONTAINS(text, "ksyscall/execve                  attached; this kernel has no "
			"kprobes: using the tracepoint syscalls/sys_enter_execve\n");
	ASSERT_CONTAINS(text, "tracepoint/syscalls/sys_enter_execve attached (the twin of a "
			"kprobe above)\n");
	ASSERT_CONTAINS(text, "detached");
}
