/*
 * attach.c -- attaching raw-instruction programs to real hooks in the running kernel.
 *
 * Each test loads a tiny program that puts the current process's tgid into a hash
 * map (key = value = tgid), attaches it, runs /bin/true, and looks for that pid in the
 * map: the kernel ran our program in that process.  A hash keyed by pid, not a single
 * slot, because other processes exec at the same time (other builds, other tests).
 * After rbpf_link_destroy another /bin/true must leave no trace and no fd behind.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "common.h"

static int pid_map(void)
{
	return test_map_create(BPF_MAP_TYPE_HASH, "t_pids", 4, 4, 4096);
}

/*
 * The program, for any tracing type, fentry included (its context is not read);
 * pid_prog writes its instructions for map map_fd into insns:
 *
 *     u32 pid = bpf_get_current_pid_tgid() >> 32;
 *     bpf_map_update_elem(&pids, &pid, &pid, BPF_ANY);
 *     return 0;
 */
#define PID_PROG_LEN 14                 /* instructions: the map load takes two */
static void pid_prog(int map_fd, struct bpf_insn insns[PID_PROG_LEN])
{
	const struct bpf_insn prog[] = {
		BPF_EMIT_CALL(BPF_FUNC_get_current_pid_tgid),
		BPF_ALU64_IMM(BPF_RSH, BPF_REG_0, 32),          /* r0 = tgid */
		BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_0, -4),  /* key at fp - 4 */
		BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_0, -8),  /* value at fp - 8 */
		BPF_LD_MAP_FD(BPF_REG_1, map_fd),
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4),
		BPF_MOV64_REG(BPF_REG_3, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_3, -8),
		BPF_MOV64_IMM(BPF_REG_4, BPF_ANY),
		BPF_EMIT_CALL(BPF_FUNC_map_update_elem),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};

	_Static_assert(sizeof(prog) == PID_PROG_LEN * sizeof(prog[0]), "PID_PROG_LEN");
	memcpy(insns, prog, sizeof(prog));
}

static int load_pid_prog(enum bpf_prog_type type, int map_fd)
{
	struct bpf_insn insns[PID_PROG_LEN];

	pid_prog(map_fd, insns);
	return TEST_LOAD(type, "t_pid", insns);
}

static int map_has(int map_fd, uint32_t pid)
{
	uint32_t v = 0;

	return rbpf_map_lookup_elem(map_fd, &pid, &v, 0) == 0 && v == pid;
}

/* The kernel id of l's BPF link, or 0 when it has none (ioctl attachment). */
static uint32_t link_id(const struct rbpf_link *l)
{
	struct bpf_link_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (rbpf_link_fd(l) < 0 || rbpf_obj_get_info_by_fd(rbpf_link_fd(l), &info, &len) < 0)
		return 0;
	return info.id;
}

/* Run /bin/true with l attached: its pid must be seen; destroy l: no fd and no link
 * left, and the next /bin/true is not seen. */
static void check_sees_true(int map_fd, struct rbpf_link *l, int fds_before)
{
	pid_t pid = test_run_true();
	uint32_t id = link_id(l);

	ASSERT_TRUE(map_has(map_fd, pid), "the program did not run in /bin/true (pid %d)", pid);
	ASSERT(0, rbpf_link_destroy(l));
	ASSERT(fds_before, test_count_fds());
	if (id)
		ASSERT(-ENOENT, rbpf_link_get_fd_by_id(id));
	pid = test_run_true();
	ASSERT_TRUE(!map_has(map_fd, pid), "still attached after destroy: saw pid %d", pid);
}

TEST(attach_tracepoint_sees_exec_pid)
{
	struct rbpf_link *l;
	int map, prog, fds;

	NEED_TRACEFS();
	map = pid_map();
	prog = load_pid_prog(BPF_PROG_TYPE_TRACEPOINT, map);
	fds = test_count_fds();
	ASSERT_OK(rbpf_attach_tracepoint(prog, "sched", "sched_process_exec", &l));
	if (test_has(RBPF_FEAT_PERF_LINK))
		ASSERT_TRUE(rbpf_link_fd(l) >= 0, "no BPF link on a kernel that has perf links");
	else            /* before 5.15: the fallback, PERF_EVENT_IOC_SET_BPF, no link fd */
		ASSERT(-1, rbpf_link_fd(l));
	check_sees_true(map, l, fds);
}

/* The pre-5.15 path: the program goes on the perf event by ioctl, no link fd. */
TEST(attach_tracepoint_ioctl_path)
{
	struct rbpf_link *l;
	int map, prog, fds;

	NEED_TRACEFS();
	rbpf_perf_ioctl_only = 1;
	map = pid_map();
	prog = load_pid_prog(BPF_PROG_TYPE_TRACEPOINT, map);
	fds = test_count_fds();
	ASSERT_OK(rbpf_attach_tracepoint(prog, "sched", "sched_process_exec", &l));
	ASSERT(-1, rbpf_link_fd(l));
	check_sees_true(map, l, fds);
}

TEST(attach_tracepoint_missing_names_it)
{
	struct rbpf_link *l = (void *)1;
	int map, prog;

	NEED_TRACEFS();
	map = pid_map();
	prog = load_pid_prog(BPF_PROG_TYPE_TRACEPOINT, map);
	ASSERT(-ENOENT, rbpf_attach_tracepoint(prog, "nosuchcat", "nosuch_event", &l));
	ASSERT_TRUE(l == NULL, "*out not cleared");
	ASSERT_CONTAINS(rbpf_errmsg(), "nosuchcat/nosuch_event");
	ASSERT(-ENOENT, rbpf_tracepoint_id("sched", "nosuch_event"));
	ASSERT_CONTAINS(rbpf_errmsg(), "sched/nosuch_event");
}

TEST(attach_tracepoint_id_matches_tracefs)
{
	char path[256], *out;
	int st, id;

	NEED_TRACEFS();
	id = rbpf_tracepoint_id("sched", "sched_process_exec");
	ASSERT_OK(id);
	snprintf(path, sizeof(path), "%s/events/sched/sched_process_exec/id", rbpf_tracefs());
	out = test_run_cmd(&st, "cat %s", path);
	ASSERT(0, st);
	ASSERT(atoi(out), id);
	free(out);
}

TEST(attach_raw_tracepoint_sees_exec_pid)
{
	struct rbpf_link *l;
	int map, prog, fds;

	NEED_ROOT();
	map = pid_map();
	prog = load_pid_prog(BPF_PROG_TYPE_RAW_TRACEPOINT, map);
	fds = test_count_fds();
	ASSERT_OK(rbpf_attach_raw_tracepoint(prog, "sched_process_exec", &l));
	check_sees_true(map, l, fds);
}

TEST(attach_raw_tracepoint_missing_names_it)
{
	struct rbpf_link *l;
	int map, prog;

	NEED_ROOT();
	map = pid_map();
	prog = load_pid_prog(BPF_PROG_TYPE_RAW_TRACEPOINT, map);
	ASSERT(-ENOENT, rbpf_attach_raw_tracepoint(prog, "no_such_raw_tp", &l));
	ASSERT_CONTAINS(rbpf_errmsg(), "no_such_raw_tp");
}

TEST(attach_syscall_fnname)
{
	char buf[128];

	NEED_ROOT();        /* /proc/kallsyms lists symbols to everyone, but keep it simple */
	ASSERT(0, rbpf_syscall_fnname("execve", buf, sizeof(buf)));
#if defined(__x86_64__)
	ASSERT_STREQ("__x64_sys_execve", buf);
#endif
	ASSERT(-ENOENT, rbpf_syscall_fnname("no_such_syscall", buf, sizeof(buf)));
	ASSERT_CONTAINS(rbpf_errmsg(), "no_such_syscall");
	ASSERT(-ENAMETOOLONG, rbpf_syscall_fnname("execve", buf, 5));
}

/* Does this kernel have kprobes at all?  (The same two places attach.c looks.) */
static int kernel_has_kprobes(void)
{
	char path[256];

	if (access("/sys/bus/event_source/devices/kprobe/type", F_OK) == 0)
		return 1;
	snprintf(path, sizeof(path), "%s/kprobe_events", rbpf_tracefs());
	return access(path, F_OK) == 0;
}

TEST(attach_kprobe_unsupported_says_so)
{
	struct rbpf_link *l = (void *)1;
	int map, prog;

	NEED_TRACEFS();
	if (kernel_has_kprobes())
		SKIP("this kernel has kprobes: attach_kprobe_sees_exec_pid tests them");
	map = pid_map();
	prog = load_pid_prog(BPF_PROG_TYPE_KPROBE, map);
	ASSERT(-EOPNOTSUPP, rbpf_attach_kprobe(prog, "do_sys_openat2", 0, &l));
	ASSERT_TRUE(l == NULL, "*out not cleared");
	ASSERT_CONTAINS(rbpf_errmsg(), "no kprobes");
	ASSERT_CONTAINS(rbpf_errmsg(), "do_sys_openat2");
	ASSERT_TRUE(!strchr(rbpf_errmsg(), '\n'), "message is not one line: %s", rbpf_errmsg());
}

TEST(attach_kprobe_sees_exec_pid)
{
	char fn[128];
	struct rbpf_link *l;
	int map, prog, fds, retprobe;

	NEED_TRACEFS();
	if (!kernel_has_kprobes())
		SKIP("this kernel has no kprobes (no kprobe PMU, no kprobe_events); "
		     "runs in the lab VM");
	ASSERT(0, rbpf_syscall_fnname("execve", fn, sizeof(fn)));
	for (retprobe = 0; retprobe <= 1; retprobe++) {
		map = pid_map();
		prog = load_pid_prog(BPF_PROG_TYPE_KPROBE, map);
		fds = test_count_fds();
		ASSERT_OK(rbpf_attach_kprobe(prog, fn, retprobe, &l));
		check_sees_true(map, l, fds);
		close(prog);
		close(map);
	}
}

/* The text of tracefs kprobe_events (malloc'd). */
static char *kprobe_events(void)
{
	int st;

	return test_run_cmd(&st, "cat %s/kprobe_events", rbpf_tracefs());
}

static int kprobe_events_writable(void)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/kprobe_events", rbpf_tracefs());
	return access(path, W_OK) == 0;
}

/* The kprobe_events path, forced: a uniquely named probe appears while attached and
 * is gone after destroy; the program runs in /bin/true. */
TEST(attach_kprobe_events_fallback_cleans_up)
{
	char fn[128], mine[64], *ev;
	struct rbpf_link *l;
	int map, prog, fds;

	NEED_TRACEFS();
	if (!kprobe_events_writable())
		SKIP("no kprobe_events in tracefs (kernel without CONFIG_KPROBE_EVENTS); "
		     "runs in the lab VM");
	rbpf_kprobe_legacy_only = 1;
	ASSERT(0, rbpf_syscall_fnname("execve", fn, sizeof(fn)));
	map = pid_map();
	prog = load_pid_prog(BPF_PROG_TYPE_KPROBE, map);
	fds = test_count_fds();
	ASSERT_OK(rbpf_attach_kprobe(prog, fn, 0, &l));
	snprintf(mine, sizeof(mine), "rawbpf/rbpf_%d_", getpid());
	ev = kprobe_events();
	ASSERT_CONTAINS(ev, mine);
	free(ev);
	check_sees_true(map, l, fds);
	ev = kprobe_events();
	ASSERT_TRUE(!strstr(ev, mine), "probe left behind:\n%s", ev);
	free(ev);
}

/* A probe left by a process that died (written here by hand, with a dead pid) is
 * swept away by the next process's first legacy attach; nothing else is touched. */
TEST(attach_kprobe_events_sweeps_stale)
{
	char fn[128], stale[128], cmd[300], *ev, *out;
	struct rbpf_link *l;
	pid_t dead = test_run_true();     /* reaped: that pid is free */
	int map, prog, st;

	NEED_TRACEFS();
	if (!kprobe_events_writable())
		SKIP("no kprobe_events in tracefs; runs in the lab VM");
	rbpf_kprobe_legacy_only = 1;
	ASSERT(0, rbpf_syscall_fnname("execve", fn, sizeof(fn)));
	snprintf(stale, sizeof(stale), "rawbpf/rbpf_%d_0_stale", dead);
	snprintf(cmd, sizeof(cmd), "echo 'p:%s %s' >> %s/kprobe_events", stale, fn,
		 rbpf_tracefs());
	out = test_run_cmd(&st, "%s", cmd);
	ASSERT_TRUE(st == 0, "%s: %s", cmd, out);
	free(out);
	ev = kprobe_events();
	ASSERT_CONTAINS(ev, stale);
	free(ev);
	map = pid_map();
	prog = load_pid_prog(BPF_PROG_TYPE_KPROBE, map);
	ASSERT_OK(rbpf_attach_kprobe(prog, fn, 1, &l));
	ev = kprobe_events();
	ASSERT_TRUE(!strstr(ev, stale), "stale probe still there:\n%s", ev);
	free(ev);
	ASSERT(0, rbpf_link_destroy(l));
}

TEST(attach_kprobe_missing_function_names_it)
{
	struct rbpf_link *l;
	int map, prog;

	NEED_TRACEFS();
	if (!kernel_has_kprobes())
		SKIP("this kernel has no kprobes; runs in the lab VM");
	map = pid_map();
	prog = load_pid_prog(BPF_PROG_TYPE_KPROBE, map);
	ASSERT(-ENOENT, rbpf_attach_kprobe(prog, "no_such_function_xyz", 0, &l));
	ASSERT_CONTAINS(rbpf_errmsg(), "no_such_function_xyz");
}

/* ------------------------------------------------------------------ fentry / fexit */

TEST(attach_fentry_btf_id_and_wrappers)
{
	char fn[128];

	NEED_ROOT();
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		SKIP("no /sys/kernel/btf/vmlinux (kernel without CONFIG_DEBUG_INFO_BTF)");
	ASSERT_TRUE(rbpf_fentry_btf_id("vfs_read") > 0, "vfs_read: %s", rbpf_errmsg());
	ASSERT(0, rbpf_syscall_fnname("getpid", fn, sizeof(fn)));
	ASSERT(-ENOENT, rbpf_fentry_btf_id(fn));
	ASSERT_CONTAINS(rbpf_errmsg(), fn);
	ASSERT_CONTAINS(rbpf_errmsg(), "no BTF entry");
	ASSERT(-ENOENT, rbpf_fentry_btf_id("no_such_function_xyz"));
	ASSERT_CONTAINS(rbpf_errmsg(), "no_such_function_xyz");
}

/* fentry on vfs_read records the reader's pid; our own read() must show up.  This
 * kernel refuses tracing programs with EPERM: then the message must explain it, and
 * the test skips (the lab VM runs it). */
TEST(attach_fentry_sees_read_pid)
{
	struct bpf_insn insns[PID_PROG_LEN];
	struct rbpf_link *l;
	char *log, buf[16];
	int map, prog, fds, fd;

	NEED_ROOT();
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		SKIP("no /sys/kernel/btf/vmlinux");
	map = pid_map();
	pid_prog(map, insns);
	prog = rbpf_load_fentry("vfs_read", 0, insns, PID_PROG_LEN, "GPL", &log);
	free(log);
	if (prog == -EPERM) {
		ASSERT_CONTAINS(rbpf_errmsg(), "vfs_read");
		ASSERT_CONTAINS(rbpf_errmsg(), "refuses tracing programs");
		SKIP("this kernel refuses fentry programs with EPERM (explained); "
		     "runs in the lab VM");
	}
	ASSERT_OK(prog);
	fds = test_count_fds();
	ASSERT_OK(rbpf_attach_fentry(prog, &l));
	ASSERT_TRUE(rbpf_link_fd(l) >= 0, "no link fd");
	fd = open("/proc/self/stat", O_RDONLY);
	ASSERT_TRUE(read(fd, buf, sizeof(buf)) > 0, "read");
	close(fd);
	ASSERT_TRUE(map_has(map, getpid()), "fentry did not see our read (pid %d)", getpid());
	ASSERT(0, rbpf_link_destroy(l));
	ASSERT(fds, test_count_fds());
}

/* ------------------------------------------------------------------ socket filter */

/*
 *     cnt->packets++; cnt->bytes += skb->len;
 *     return accept ? skb->len : 0;         (bytes to keep; 0 drops the packet)
 */
static int load_sock_prog(int cnt_fd, int accept)
{
	struct bpf_insn insns[] = {
		BPF_LDX_MEM(BPF_W, BPF_REG_6, BPF_REG_1, offsetof(struct __sk_buff, len)),
		BPF_LD_MAP_VALUE(BPF_REG_7, cnt_fd, 0),
		BPF_MOV64_IMM(BPF_REG_1, 1),
		BPF_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_7, BPF_REG_1, 0),
		BPF_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_7, BPF_REG_6, 8),
		accept ? BPF_MOV64_REG(BPF_REG_0, BPF_REG_6) : BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};

	return TEST_LOAD(BPF_PROG_TYPE_SOCKET_FILTER, "t_sock", insns);
}

static int recv_all(int s)
{
	char buf[64];
	int n = 0;

	while (recv(s, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		n++;
	return n;
}

TEST(attach_socket_filter_sees_and_drops)
{
	struct rbpf_link *l;
	uint64_t cnt[2];
	uint32_t zero = 0;
	int s[2], map, accept;

	NEED_ROOT();
	for (accept = 1; accept >= 0; accept--) {
		map = test_map_create(BPF_MAP_TYPE_ARRAY, "t_sockcnt", 4, 16, 1);
		ASSERT(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, s));
		ASSERT_OK(rbpf_attach_socket(load_sock_prog(map, accept), s[1], &l));
		ASSERT(5, send(s[0], "hello", 5, 0));
		ASSERT(7, send(s[0], "hello!!", 7, 0));
		ASSERT(accept ? 2 : 0, recv_all(s[1]));
		ASSERT(0, rbpf_map_lookup_elem(map, &zero, cnt, 0));
		ASSERT(2, cnt[0]);
		ASSERT(12, cnt[1]);
		ASSERT(-1, rbpf_link_fd(l));
		ASSERT(0, rbpf_link_destroy(l));
		ASSERT(3, send(s[0], "bye", 3, 0));        /* detached: passes, not counted */
		ASSERT(1, recv_all(s[1]));
		ASSERT(0, rbpf_map_lookup_elem(map, &zero, cnt, 0));
		ASSERT(2, cnt[0]);
		close(s[0]);
		close(s[1]);
	}
}
