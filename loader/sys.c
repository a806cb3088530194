/*
 * sys.c -- the system call boundary.
 *
 * Everything rawbpf asks of the kernel's BPF subsystem goes through one system call,
 * bpf(cmd, attr, size): `cmd` names the command, `attr` is a union bpf_attr with one
 * struct per command (see linux/bpf.h), `size` is how much of the union we filled.
 * Each function below is one command: zero the attr, fill the fields, call, return
 * the result or -errno.  Nothing here allocates, prints or retries; the layers above
 * decide what an error means.
 *
 * Pointers travel in __u64 fields (ptr_to_u64) so that the layout is the same for
 * 32-bit and 64-bit callers.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "rawbpf.h"

static uint64_t ptr_to_u64(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* The one place that calls bpf(). Returns the kernel's result or -errno. */
static int sys_bpf(enum bpf_cmd cmd, void *attr, unsigned size)
{
	long r = syscall(__NR_bpf, cmd, attr, size);
	return r < 0 ? -errno : (int)r;
}

/*
 * BPF_PROG_LOAD's attr grew a `log_true_size` output in 6.4, after core_relo_rec_size;
 * the uapi headers of older distributions (Debian 12 ships 6.1's) do not have it.  We
 * lay the field out ourselves (4 bytes after core_relo_rec_size) and pass the larger
 * size: an older kernel accepts a larger attr as long as the bytes it does not know
 * are zero, which they are on input.
 */

int rbpf_prog_load(struct rbpf_prog_load_args *a)
{
	union {
		union bpf_attr attr;
		unsigned char bytes[sizeof(union bpf_attr) + 16];
	} u;
	size_t true_size_off = offsetof(union bpf_attr, core_relo_rec_size) + 4;
	uint32_t true_size = 0;
	int fd;

	memset(&u, 0, sizeof(u));
	u.attr.prog_type = a->type;
	u.attr.expected_attach_type = a->expected_attach_type;
	u.attr.insns = ptr_to_u64(a->insns);
	u.attr.insn_cnt = a->insn_cnt;
	u.attr.license = ptr_to_u64(a->license ? a->license : "");
	u.attr.kern_version = a->kern_version;
	u.attr.prog_flags = a->prog_flags;
	u.attr.attach_btf_id = a->attach_btf_id;
	if (a->name)
		strncpy(u.attr.prog_name, a->name, sizeof(u.attr.prog_name) - 1);
	if (a->prog_btf_fd > 0) {
		u.attr.prog_btf_fd = a->prog_btf_fd;
		u.attr.func_info = ptr_to_u64(a->func_info);
		u.attr.func_info_cnt = a->func_info_cnt;
		u.attr.func_info_rec_size = a->func_info_rec_size;
		u.attr.line_info = ptr_to_u64(a->line_info);
		u.attr.line_info_cnt = a->line_info_cnt;
		u.attr.line_info_rec_size = a->line_info_rec_size;
	}
	if (a->log_buf && a->log_size) {
		u.attr.log_level = a->log_level;
		u.attr.log_buf = ptr_to_u64(a->log_buf);
		u.attr.log_size = a->log_size;
	}
	fd = sys_bpf(BPF_PROG_LOAD, &u, true_size_off + sizeof(uint32_t));
	memcpy(&true_size, u.bytes + true_size_off, sizeof(true_size));
	a->log_true_size = true_size;
	return fd;
}

int rbpf_map_create(const struct rbpf_map_create_args *a)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = a->type;
	attr.key_size = a->key_size;
	attr.value_size = a->value_size;
	attr.max_entries = a->max_entries;
	attr.map_flags = a->map_flags;
	attr.inner_map_fd = a->inner_map_fd;
	attr.btf_fd = a->btf_fd;
	attr.btf_key_type_id = a->btf_key_type_id;
	attr.btf_value_type_id = a->btf_value_type_id;
	attr.map_extra = a->map_extra;
	if (a->name)
		strncpy(attr.map_name, a->name, sizeof(attr.map_name) - 1);
	return sys_bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
}

/* The four element commands share one attr layout: map_fd, key, value or next_key, flags. */
static int elem_cmd(enum bpf_cmd cmd, int fd, const void *key, const void *value,
		    uint64_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = ptr_to_u64(key);
	attr.value = ptr_to_u64(value);     /* same slot as next_key */
	attr.flags = flags;
	return sys_bpf(cmd, &attr, sizeof(attr));
}

int rbpf_map_lookup_elem(int fd, const void *key, void *value, uint64_t flags)
{
	return elem_cmd(BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
}

int rbpf_map_update_elem(int fd, const void *key, const void *value, uint64_t flags)
{
	return elem_cmd(BPF_MAP_UPDATE_ELEM, fd, key, value, flags);
}

int rbpf_map_delete_elem(int fd, const void *key)
{
	return elem_cmd(BPF_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

int rbpf_map_get_next_key(int fd, const void *key, void *next_key)
{
	return elem_cmd(BPF_MAP_GET_NEXT_KEY, fd, key, next_key, 0);
}

int rbpf_map_lookup_and_delete_elem(int fd, const void *key, void *value)
{
	return elem_cmd(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, 0);
}

int rbpf_map_lookup_batch(int fd, void *in_batch, void *out_batch, void *keys,
			  void *values, uint32_t *count, uint64_t flags)
{
	union bpf_attr attr;
	int r;

	memset(&attr, 0, sizeof(attr));
	attr.batch.map_fd = fd;
	attr.batch.in_batch = ptr_to_u64(in_batch);
	attr.batch.out_batch = ptr_to_u64(out_batch);
	attr.batch.keys = ptr_to_u64(keys);
	attr.batch.values = ptr_to_u64(values);
	attr.batch.count = *count;
	attr.batch.elem_flags = flags;
	r = sys_bpf(BPF_MAP_LOOKUP_BATCH, &attr, sizeof(attr));
	*count = attr.batch.count;      /* the kernel writes it back, also with ENOENT */
	return r;
}

int rbpf_map_freeze(int fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	return sys_bpf(BPF_MAP_FREEZE, &attr, sizeof(attr));
}

int rbpf_obj_pin(int fd, const char *path)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.bpf_fd = fd;
	attr.pathname = ptr_to_u64(path);
	return sys_bpf(BPF_OBJ_PIN, &attr, sizeof(attr));
}

int rbpf_obj_get(const char *path)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.pathname = ptr_to_u64(path);
	return sys_bpf(BPF_OBJ_GET, &attr, sizeof(attr));
}

int rbpf_prog_test_run(int prog_fd, struct rbpf_test_run_args *a)
{
	union bpf_attr attr;
	int r;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog_fd;
	attr.test.data_in = ptr_to_u64(a->data_in);
	attr.test.data_size_in = a->data_size_in;
	attr.test.data_out = ptr_to_u64(a->data_out);
	attr.test.data_size_out = a->data_size_out;
	attr.test.ctx_in = ptr_to_u64(a->ctx_in);
	attr.test.ctx_size_in = a->ctx_size_in;
	attr.test.ctx_out = ptr_to_u64(a->ctx_out);
	attr.test.ctx_size_out = a->ctx_size_out;
	attr.test.repeat = a->repeat;
	attr.test.flags = a->flags;
	attr.test.cpu = a->cpu;
	r = sys_bpf(BPF_PROG_TEST_RUN, &attr, sizeof(attr));
	a->retval = attr.test.retval;
	a->duration = attr.test.duration;
	a->data_size_out = attr.test.data_size_out;
	a->ctx_size_out = attr.test.ctx_size_out;
	return r;
}

int rbpf_raw_tracepoint_open(const char *name, int prog_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.raw_tracepoint.name = ptr_to_u64(name);
	attr.raw_tracepoint.prog_fd = prog_fd;
	return sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr));
}

/* uprobe_multi's fields (6.6), after link_create's first 16 bytes; the uapi headers
 * of Debian 12 (6.1) do not have them yet. */
struct uprobe_multi_attr {
	uint64_t path, offsets, ref_ctr_offsets, cookies;
	uint32_t cnt, flags, pid;
};
#define ATTACH_UPROBE_MULTI 48          /* BPF_TRACE_UPROBE_MULTI */

int rbpf_link_create(int prog_fd, int target, enum bpf_attach_type type,
		     const struct rbpf_link_opts *o)
{
	union bpf_iter_link_info iter = { .map = { .map_fd = o ? o->iter_map_fd : 0 } };
	struct uprobe_multi_attr um = { 0 };
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = prog_fd;
	attr.link_create.target_fd = target;     /* same slot as target_ifindex */
	attr.link_create.attach_type = type;
	if (o && (int)type == ATTACH_UPROBE_MULTI) {
		um.path = ptr_to_u64(o->path), um.offsets = ptr_to_u64(o->offsets);
		um.cnt = o->cnt, um.flags = o->flags, um.pid = o->pid;
		memcpy((char *)&attr.link_create + 16, &um, sizeof(um));
	} else if (o) {
		attr.link_create.flags = o->flags;
		if (type == BPF_PERF_EVENT)
			attr.link_create.perf_event.bpf_cookie = o->bpf_cookie;
		if (type == BPF_TRACE_ITER && o->iter_map_fd > 0) {
			attr.link_create.iter_info = ptr_to_u64(&iter);
			attr.link_create.iter_info_len = sizeof(iter);
		}
	}
	return sys_bpf(BPF_LINK_CREATE, &attr, sizeof(attr));
}

int rbpf_iter_create(int link_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.iter_create.link_fd = link_fd;
	return sys_bpf(BPF_ITER_CREATE, &attr, sizeof(attr));
}

/* BPF_PROG_ATTACH (rbpf_prog_attach is the attach-by-section of attach.c). */
int rbpf_bpf_prog_attach(int prog_fd, int target_fd, enum bpf_attach_type type, uint32_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.attach_bpf_fd = prog_fd;
	attr.target_fd = target_fd;
	attr.attach_type = type;
	attr.attach_flags = flags;
	return sys_bpf(BPF_PROG_ATTACH, &attr, sizeof(attr));
}

int rbpf_bpf_prog_detach(int prog_fd, int target_fd, enum bpf_attach_type type)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.attach_bpf_fd = prog_fd;
	attr.target_fd = target_fd;
	attr.attach_type = type;
	return sys_bpf(BPF_PROG_DETACH, &attr, sizeof(attr));
}

int rbpf_btf_load(const void *btf, uint32_t size, char *log_buf, uint32_t log_size,
		  uint32_t log_level, uint32_t *log_true_size)
{
	/* btf_log_true_size (6.4+) follows btf_log_level; see rbpf_prog_load above. */
	union {
		union bpf_attr attr;
		unsigned char bytes[sizeof(union bpf_attr) + 16];
	} u;
	size_t true_size_off = offsetof(union bpf_attr, btf_log_level) + 4;
	int fd;

	memset(&u, 0, sizeof(u));
	u.attr.btf = ptr_to_u64(btf);
	u.attr.btf_size = size;
	if (log_buf && log_size) {
		u.attr.btf_log_buf = ptr_to_u64(log_buf);
		u.attr.btf_log_size = log_size;
		u.attr.btf_log_level = log_level;
	}
	fd = sys_bpf(BPF_BTF_LOAD, &u, true_size_off + sizeof(uint32_t));
	if (log_true_size)
		memcpy(log_true_size, u.bytes + true_size_off, sizeof(*log_true_size));
	return fd;
}

int rbpf_obj_get_info_by_fd(int fd, void *info, uint32_t *len)
{
	union bpf_attr attr;
	int r;

	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = *len;
	attr.info.info = ptr_to_u64(info);
	r = sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr));
	*len = attr.info.info_len;
	return r;
}

/* GET_NEXT_ID for programs, maps and links share one layout. */
static int get_next_id(enum bpf_cmd cmd, uint32_t start_id, uint32_t *next_id)
{
	union bpf_attr attr;
	int r;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = start_id;
	r = sys_bpf(cmd, &attr, sizeof(attr));
	if (r == 0)
		*next_id = attr.next_id;
	return r;
}

int rbpf_prog_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	return get_next_id(BPF_PROG_GET_NEXT_ID, start_id, next_id);
}

int rbpf_map_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	return get_next_id(BPF_MAP_GET_NEXT_ID, start_id, next_id);
}

int rbpf_link_get_next_id(uint32_t start_id, uint32_t *next_id)
{
	return get_next_id(BPF_LINK_GET_NEXT_ID, start_id, next_id);
}

/* GET_FD_BY_ID likewise: the id goes in a field of the same union slot. */
static int get_fd_by_id(enum bpf_cmd cmd, uint32_t id)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;      /* shares its place with map_id, btf_id and link_id */
	return sys_bpf(cmd, &attr, sizeof(attr));
}

int rbpf_prog_get_fd_by_id(uint32_t id) { return get_fd_by_id(BPF_PROG_GET_FD_BY_ID, id); }
int rbpf_map_get_fd_by_id(uint32_t id)  { return get_fd_by_id(BPF_MAP_GET_FD_BY_ID, id); }
int rbpf_link_get_fd_by_id(uint32_t id) { return get_fd_by_id(BPF_LINK_GET_FD_BY_ID, id); }
int rbpf_btf_get_fd_by_id(uint32_t id)  { return get_fd_by_id(BPF_BTF_GET_FD_BY_ID, id); }

int rbpf_perf_event_open(struct perf_event_attr *attr, int pid, int cpu, int group_fd,
			 unsigned long flags)
{
	long r = syscall(__NR_perf_event_open, attr, pid, cpu, group_fd, flags);
	return r < 0 ? -errno : (int)r;
}
