/*
 * common.c -- the shared test helpers of common.h.  No TEST() here: the runner links
 * every .c file of tests/, and the tests that use these live with their subsystems.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "common.h"

int test_map_create(enum bpf_map_type type, const char *name, uint32_t key_size,
		    uint32_t value_size, uint32_t max_entries)
{
	struct rbpf_map_create_args a = {
		.type = type, .name = name, .key_size = key_size,
		.value_size = value_size, .max_entries = max_entries,
	};
	int fd = rbpf_map_create(&a);

	ASSERT_OK(fd);
	return fd;
}

int test_load_insns(enum bpf_prog_type type, const char *name,
		    const struct bpf_insn *insns, uint32_t insn_cnt)
{
	struct rbpf_prog_load_args a = {
		.type = type, .name = name, .insns = insns,
		.insn_cnt = insn_cnt, .license = "GPL",
	};
	char *log;
	int fd = rbpf_load_insns(&a, &log);

	free(log);
	ASSERT_OK(fd);
	return fd;
}

int test_load_map_user(const char *name, int map_fd, int key)
{
	struct bpf_insn p[] = {
		BPF_ST_MEM(BPF_W, BPF_REG_10, -4, key),         /* u32 key on the stack */
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4),
		BPF_LD_MAP_FD(BPF_REG_1, map_fd),
		BPF_EMIT_CALL(BPF_FUNC_map_lookup_elem),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};

	return TEST_LOAD(BPF_PROG_TYPE_SOCKET_FILTER, name, p);
}

void test_run_xdp_pass(int prog, uint32_t repeat)
{
	uint8_t pkt[64] = {0};
	struct rbpf_test_run_args t = { .data_in = pkt, .data_size_in = sizeof(pkt),
					.repeat = repeat };

	ASSERT(0, rbpf_prog_test_run(prog, &t));
	ASSERT(XDP_PASS, t.retval);
}

void test_tracefs_instance(const char *name, char *dir, size_t n, struct rbpf_tracepipe **tp)
{
	char path[4096];
	int r;

	snprintf(dir, n, "%s/instances/%s_%d", rbpf_tracefs(), name, getpid());
	ASSERT_TRUE(mkdir(dir, 0755) == 0, "mkdir %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/trace_pipe", dir);
	r = rbpf_tracepipe_open_path(path, tp);
	if (r < 0)
		rmdir(dir);
	ASSERT_OK(r);
}

const char *test_slurp(const char *path)
{
	static char buf[1 << 20];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

pid_t test_start_rawbpf(const char *out, const char *const args[])
{
	const char *argv[16] = { "rawbpf" };
	pid_t pid;
	int i, fd;

	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	ASSERT_TRUE(!args[i], "test_start_rawbpf: more than %d arguments", i);
	pid = fork();
	ASSERT_TRUE(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(test_path("rawbpf"), (char *const *)argv);
		_exit(127);
	}
	for (i = 0; i < 100 && !strstr(test_slurp(out), "running:"); i++)
		usleep(50000);
	return pid;
}

static void add_id(struct test_ids *ids, uint32_t id)
{
	int i;

	for (i = 0; i < ids->n; i++)
		if (ids->id[i] == id)
			return;
	if (ids->n < TEST_MAX_IDS)
		ids->id[ids->n++] = id;
}

/* A link's fdinfo names its program as well: both are kept. */
void test_held_by(pid_t pid, struct test_held *h)
{
	char path[64], line[128];
	struct dirent *e;
	unsigned id;
	FILE *f;
	DIR *d;

	memset(h, 0, sizeof(*h));
	snprintf(path, sizeof(path), "/proc/%d/fdinfo", (int)pid);
	if (!(d = opendir(path)))
		return;                 /* gone */
	while ((e = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%.16s", (int)pid, e->d_name);
		if (e->d_name[0] == '.' || !(f = fopen(path, "r")))
			continue;
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "link_id: %u", &id) == 1)
				add_id(&h->links, id);
			else if (sscanf(line, "prog_id: %u", &id) == 1)
				add_id(&h->progs, id);
			else if (sscanf(line, "map_id: %u", &id) == 1)
				add_id(&h->maps, id);
		}
		fclose(f);
	}
	closedir(d);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

uint32_t test_still_there(const struct test_ids *ids, int (*get_fd)(uint32_t))
{
	double end = now_s() + TEST_GONE_S;
	int i, fd;

	for (i = 0; i < ids->n; i++) {
		while ((fd = get_fd(ids->id[i])) >= 0) {
			close(fd);
			if (now_s() > end)
				return ids->id[i];
			usleep(20000);
		}
	}
	return 0;
}

void test_all_gone(const struct test_held *h, const char *who, const char *what)
{
	uint32_t left;

	ASSERT_TRUE(!(left = test_still_there(&h->progs, rbpf_prog_get_fd_by_id)),
		    "%s: program id %u still loaded %d s after %s", who, left, TEST_GONE_S,
		    what);
	ASSERT_TRUE(!(left = test_still_there(&h->links, rbpf_link_get_fd_by_id)),
		    "%s: link id %u still there %d s after %s", who, left, TEST_GONE_S, what);
	ASSERT_TRUE(!(left = test_still_there(&h->maps, rbpf_map_get_fd_by_id)),
		    "%s: map id %u still there %d s after %s", who, left, TEST_GONE_S, what);
}

const char *test_kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u) != 0)
		snprintf(u.release, sizeof(u.release), "?");
	return u.release;
}

int test_has(enum rbpf_feature f)
{
	int r = rbpf_feature(f);

	if (r == -EPERM || r == -EACCES)
		SKIP("cannot probe for %s without privilege", rbpf_feature_info(f)->name);
	if (r < 0)
		FAIL("cannot tell whether the kernel has %s: %s", rbpf_feature_info(f)->name,
		     strerror(-r));
	return r;
}

void NEED_FEATURE(enum rbpf_feature f)
{
	const struct rbpf_feature_info *i = rbpf_feature_info(f);

	if (!test_has(f))
		SKIP("no %s: %s came in Linux %s; this is %s", i->name, i->what, i->since,
		     test_kernel_release());
}

void test_memlock_for_users(void)
{
	struct rlimit all = { RLIM_INFINITY, RLIM_INFINITY };

	if (!test_has(RBPF_FEAT_MEMCG) && setrlimit(RLIMIT_MEMLOCK, &all) != 0)
		FAIL("setrlimit(RLIMIT_MEMLOCK, unlimited): %s", strerror(errno));
}

struct rbpf_object *test_open_load(const char *path)
{
	struct rbpf_object *obj;

	NEED_ROOT();
	ASSERT_OK(rbpf_object_open(test_path(path), &obj));
	ASSERT_OK(rbpf_object_load(obj, 0));
	return obj;
}

int test_prog_fd(struct rbpf_object *obj, const char *name)
{
	struct rbpf_prog *p = rbpf_object_find_prog(obj, name);

	ASSERT_TRUE(p && rbpf_prog_fd(p) >= 0, "program %s not loaded", name);
	return rbpf_prog_fd(p);
}
