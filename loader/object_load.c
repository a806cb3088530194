/*
 * object_load.c -- handing an opened object to the kernel, and pinning it.
 *
 * rbpf_object_load: the object's BTF first (BPF_BTF_LOAD; if the kernel refuses it,
 * a note says why and everything loads without it), then each map (BPF_MAP_CREATE;
 * global data filled and, for .rodata, frozen; maps with pinning reused from bpffs),
 * then each program: map indices in its instructions become the maps' fds, and it is
 * loaded with its own verifier log (rbpf_load_insns, load.c).  Last, prog arrays
 * declared with initial values get their programs.  A load that fails takes back
 * the by-name pins it made.
 *
 * rbpf_object_pin puts every loaded map and program in a bpffs directory, all or
 * nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "map_in_map.h"
#include "object.h"

/* ------------------------------------------------------------ creating maps */

static int map_error(const struct rbpf_object *o, const struct rbpf_map *m, int err,
		     const char *what)
{
	const char *hint = rbpf_errno_hint(err);

	return rbpf_error(err, "object %s: map %s (type %u, key %u, value %u, max_entries "
			  "%u, flags 0x%x): %s failed: %s (%s)%s%s", o->name, m->name, m->type,
			  m->key_size, m->value_size, m->max_entries, m->flags, what,
			  rbpf_errno_name(err), strerror(-err), *hint ? ": " : "", hint);
}

/* Rules the kernel answers with a bare EINVAL, checked here first so that the
 * message names the parameter that is wrong. */
static int check_map_shape(const struct rbpf_object *o, const struct rbpf_map *m)
{
	long page = sysconf(_SC_PAGESIZE);

	if (m->type == BPF_MAP_TYPE_RINGBUF && (m->key_size || m->value_size))
		return rbpf_error(EINVAL, "object %s: map %s: a ring buffer has no keys or "
				  "values, so its key and value sizes must be 0 (it declares "
				  "key %u, value %u): drop __type(key/value) and key_size/"
				  "value_size", o->name, m->name, m->key_size, m->value_size);
	if (m->type == BPF_MAP_TYPE_RINGBUF &&
	    (m->max_entries == 0 || (m->max_entries & (m->max_entries - 1)) ||
	     m->max_entries % page))
		return rbpf_error(EINVAL, "object %s: map %s: a ring buffer's max_entries "
				  "(its size in bytes, %u here) must be a power of 2 and a "
				  "multiple of the page size (%ld)", o->name, m->name,
				  m->max_entries, page);
	if (mim_is_outer(m->type) && !m->inner)       /* a legacy `maps` definition */
		return rbpf_error(ENOTSUP, "object %s: map %s is a map of maps (%s): the kernel "
				  "needs an inner map to copy its shape from, which only a "
				  "BTF-defined map declares (__array(values, struct {...}) in "
				  ".maps)", o->name, m->name,
				  m->type == BPF_MAP_TYPE_ARRAY_OF_MAPS ? "ARRAY_OF_MAPS" :
				  "HASH_OF_MAPS");
	return 0;
}

/* The kernel's name for a map: 15 characters of [A-Za-z0-9_.]; global data gets a
 * short object prefix ("hello.rodata") so bpftool's list says whose it is. */
static void kernel_map_name(const struct rbpf_object *o, const struct rbpf_map *m,
			    char out[BPF_OBJ_NAME_LEN])
{
	const char *base = strrchr(o->name, '/') ? strrchr(o->name, '/') + 1 : o->name;
	size_t i, pfx = m->data ? strcspn(base, ".") : 0;

	if (pfx > 7)
		pfx = 7;
	snprintf(out, BPF_OBJ_NAME_LEN, "%.*s%s", (int)pfx, base, m->name);
	for (i = 0; out[i]; i++)
		if (!(out[i] == '_' || out[i] == '.' || (out[i] >= '0' && out[i] <= '9') ||
		      ((out[i] | 0x20) >= 'a' && (out[i] | 0x20) <= 'z')))
			out[i] = '_';
}

/* A map with __uint(pinning, 1): reuse PIN_ROOT/NAME if it exists (1), else it is
 * to be created and pinned there (0).  A pinned map of another shape is an error. */
static int pinned_map(struct rbpf_object *o, struct rbpf_map *m, char *path, size_t n)
{
	struct bpf_map_info i = { 0 };
	uint32_t len = sizeof(i);
	int fd;

	if (o->no_pin_by_name)
		return 0;
	snprintf(path, n, "%s/%s", o->pin_root ? o->pin_root : "/sys/fs/bpf", m->name);
	if ((fd = rbpf_obj_get(path)) < 0)
		return 0;
	if (rbpf_obj_get_info_by_fd(fd, &i, &len) < 0 || i.type != m->type ||
	    i.key_size != m->key_size || i.value_size != m->value_size ||
	    i.max_entries != m->max_entries) {
		close(fd);
		return rbpf_error(EEXIST, "object %s: map %s: %s holds a pinned map of another "
				  "type or size (remove it, or rename the map)", o->name,
				  m->name, path);
	}
	m->fd = fd;
	return 1;
}

static int create_map(struct rbpf_object *o, struct rbpf_map *m)
{
	struct rbpf_map_create_args a = { 0 };
	char name[BPF_OBJ_NAME_LEN], path[512];
	uint32_t zero = 0;
	int r;

	if ((r = check_map_shape(o, m)) < 0)
		return r;
	if (m->pinning == 1 && (r = pinned_map(o, m, path, sizeof(path))) != 0)
		return r < 0 ? r : 0;
	kernel_map_name(o, m, name);
	if (m->inner && (a.inner_map_fd = mim_template_create(m->inner, o->name, m->name)) < 0)
		return a.inner_map_fd;
	a.type = m->type, a.name = name, a.key_size = m->key_size;
	a.value_size = m->value_size, a.max_entries = m->max_entries;
	a.map_flags = m->flags, a.map_extra = m->map_extra;
	if (o->btf_fd >= 0 && m->btf_key + m->btf_value) {
		/* with the types, bpftool can print keys and values as structs */
		a.btf_fd = o->btf_fd, a.btf_key_type_id = m->btf_key;
		a.btf_value_type_id = m->btf_value;
		if ((m->fd = rbpf_map_create(&a)) >= 0)
			goto created;
		a.btf_fd = a.btf_key_type_id = a.btf_value_type_id = 0;
	}
	m->fd = rbpf_map_create(&a);
created:
	if (m->inner)
		close(a.inner_map_fd);          /* the kernel kept its description */
	if (m->fd < 0)
		return r = m->fd, m->fd = -1, map_error(o, m, r, "BPF_MAP_CREATE");
	if (m->data && (r = rbpf_map_update_elem(m->fd, &zero, m->data, 0)) < 0)
		return map_error(o, m, r, "writing its initial value");
	if (m->data && (m->flags & BPF_F_RDONLY_PROG) && (r = rbpf_map_freeze(m->fd)) < 0)
		return map_error(o, m, r, "BPF_MAP_FREEZE");
	if (m->pinning != 1 || o->no_pin_by_name)
		return 0;
	if ((r = rbpf_obj_pin(m->fd, path)) < 0)
		return rbpf_error(r, "object %s: map %s: pinning at %s failed: %s (%s)%s",
				  o->name, m->name, path, rbpf_errno_name(r), strerror(-r),
				  r == -ENOENT || r == -EPERM ? ": is a bpffs mounted there? "
				  "(mount -t bpf bpf /sys/fs/bpf)" : "");
	if (!(m->pinned_here = strdup(path))) {
		unlink(path);
		return obj_oom(o);
	}
	return 0;
}

/* A load that fails takes back the by-name pins it made: they would outlive the
 * process and hand a half-loaded object's map to the next run.  Pins that were
 * there before (reused maps) are left alone. */
static void unpin_made_here(struct rbpf_object *o)
{
	uint32_t i;

	for (i = 0; i < o->nmaps; i++) {
		if (!o->maps[i].pinned_here)
			continue;
		unlink(o->maps[i].pinned_here);
		free(o->maps[i].pinned_here);
		o->maps[i].pinned_here = NULL;
	}
}

/* Load the object's BTF; if the kernel refuses it, note why and go on without. */
static void load_btf(struct rbpf_object *o)
{
	char log[4096] = "", reason[320];
	struct btf copy = { 0 };
	const struct btf *b;
	int r;

	if (!o->btf.data || o->btf_fd >= 0)
		return;
	if (obj_kernel_btf(o, &copy, &b) < 0) {    /* externs' DATASECs fixed (object_core.c) */
		obj_add_note(o, "the object's BTF could not be prepared for its externs (%s): "
			     "programs loaded without it", rbpf_errmsg());
		return;
	}
	r = rbpf_btf_load(b->data, b->size, NULL, 0, 0, NULL);
	if (r >= 0) {
		o->btf_fd = r;
		btf_free(&copy);
		return;
	}
	rbpf_btf_load(b->data, b->size, log, sizeof(log), 1, NULL);
	btf_free(&copy);
	log[sizeof(log) - 1] = 0;
	if (!rbpf_log_reason(log, reason, sizeof(reason)))   /* no log (EPERM, say) */
		snprintf(reason, sizeof(reason), "%s", strerror(-r));
	obj_add_note(o, "the kernel refused the object's BTF (%s: %.300s); programs loaded "
		     "without it, so the verifier log has no source lines", rbpf_errno_name(r),
		     reason);
}

static int create_maps(struct rbpf_object *o)
{
	uint32_t i;
	int r;

	if (o->maps_created)
		return 0;
	if (o->struct_ops_sec)
		return rbpf_error(ENOTSUP, "object %s: section %s declares struct_ops maps (a "
				  "sched_ext scheduler, a TCP congestion control...): rawbpf "
				  "does not load struct_ops yet, and without them the object "
				  "would load and do nothing", o->name, o->struct_ops_sec);
	if ((r = obj_prepare_kernel(o)) < 0)        /* names to index, extern values */
		return r;
	load_btf(o);
	for (i = 0; i < o->nmaps; i++)
		if (o->maps[i].fd < 0 && (r = create_map(o, &o->maps[i])) < 0) {
			unpin_made_here(o);
			return r;
		}
	o->maps_created = 1;
	return 0;
}

/* -------------------------------------------------------- loading programs */

/* Map indices -> fds (BPF_PSEUDO_MAP_IDX -> BPF_PSEUDO_MAP_FD and _VALUE). */
static void patch_map_fds(struct rbpf_prog *p)
{
	struct bpf_insn *in;
	uint32_t i;

	for (i = 0; i + 1 < p->cnt; i++) {
		in = &p->insns[i];
		if (in->code != LD_IMM64)
			continue;
		if ((in->src_reg == BPF_PSEUDO_MAP_IDX || in->src_reg == BPF_PSEUDO_MAP_IDX_VALUE) &&
		    (uint32_t)in->imm < p->obj->nmaps) {     /* else the file's own: the kernel judges */
			in->src_reg = in->src_reg == BPF_PSEUDO_MAP_IDX ? BPF_PSEUDO_MAP_FD :
									  BPF_PSEUDO_MAP_VALUE;
			in->imm = p->obj->maps[in->imm].fd;
		}
		i++;
	}
}

/* The verifier's count: bpf_prog_info.verified_insns (5.16+), else from the log. */
static uint32_t verified_insns(int fd, const char *log)
{
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info), n = 0;
	const char *s;

	if (fd >= 0 && rbpf_obj_get_info_by_fd(fd, &info, &len) == 0 && info.verified_insns)
		return info.verified_insns;
	if (log && (s = strstr(log, "processed ")))
		sscanf(s, "processed %u insns", &n);
	return n;
}

static int gpl_compatible(const char *l)
{
	static const char *ok[] = { "GPL", "GPL v2", "GPL and additional rights",
		"Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(l, ok[i]))
			return 1;
	return 0;
}

static void fill_args(struct rbpf_prog *p, struct rbpf_prog_load_args *a, uint32_t level)
{
	struct rbpf_object *o = p->obj;

	memset(a, 0, sizeof(*a));
	a->prog_flags = sec_prog_flags(p->sec_name);   /* sleepable, XDP frags */
	a->type = p->type, a->expected_attach_type = p->expected, a->name = p->name;
	a->insns = p->insns, a->insn_cnt = p->cnt;
	a->license = o->license, a->kern_version = o->kversion;
	a->log_level = level;
	if (o->btf_fd >= 0) {
		a->prog_btf_fd = o->btf_fd;
		a->func_info = p->func_info, a->func_info_cnt = p->nfunc;
		a->func_info_rec_size = p->nfunc ? o->ext.func_rec : 0;
		a->line_info = p->line_info, a->line_info_cnt = p->nline;
		a->line_info_rec_size = p->nline ? o->ext.line_rec : 0;
	}
}

/* Kernels before 5.16 have no verified_insns: the count is only in the log's
 * statistics line.  Load once more with just that (level 4), read it, close. */
static uint32_t verified_from_stats(struct rbpf_prog *p)
{
	struct rbpf_prog_load_args a;
	char *log = NULL;
	uint32_t n;
	int fd;

	if (p->kind == RBPF_ATTACH_FENTRY || p->kind == RBPF_ATTACH_FEXIT)
		return 0;
	fill_args(p, &a, 4);
	fd = rbpf_load_insns(&a, &log);
	n = verified_insns(-1, log);
	if (fd >= 0)
		close(fd);
	free(log);
	return n;
}

/* Asked when first wanted, not after every load: a loader that never asks should not
 * pay a bpf() call per program, nor, before 5.16, a second verification of each. */
uint32_t rbpf_prog_verified_insns(struct rbpf_prog *p)
{
	if (p->verified_known || p->fd < 0)
		return p->verified;
	p->verified = verified_insns(p->fd, p->log);
	if (!p->verified && !p->log_level)
		p->verified = verified_from_stats(p);
	p->verified_known = 1;
	return p->verified;
}

int rbpf_object_load_prog(struct rbpf_prog *p, uint32_t log_level)
{
	struct rbpf_object *o = p->obj;
	const char *target;
	const struct sec_row *row = sec_find(p->sec_name, &target);
	struct rbpf_prog_load_args a;
	int r;

	if (p->fd >= 0)
		return p->fd;
	if ((r = create_maps(o)) < 0 || (r = obj_relocate_prog(p)) < 0)   /* CO-RE, externs */
		return r;
	patch_map_fds(p);
	fill_args(p, &a, log_level);
	if (row && (r = obj_attach_btf_id(p, row, p->target)) != 0) {   /* fentry, iter, lsm.. */
		if (r < 0)
			return rbpf_error_prefix(r, "object %s: program %s (%s): ", o->name,
						 p->name, p->sec_name);
		a.attach_btf_id = r;
	}
	if (p->kind == RBPF_ATTACH_FREPLACE)
		return rbpf_error(ENOTSUP, "object %s: program %s (%s): freplace programs are "
				  "loaded against the program whose function they replace "
				  "(attach_prog_fd); rawbpf does not take one yet", o->name,
				  p->name, p->sec_name);
	free(p->log);
	r = rbpf_load_insns(&a, &p->log);
	p->log_level = log_level;
	p->verified = 0, p->verified_known = r < 0;     /* (rbpf_prog_verified_insns) */
	if (r >= 0)
		return p->fd = r;
	p->verified = verified_insns(-1, p->log);
	if (obj_explain_refusal(p, r))               /* a poisoned CO-RE insn, a __ksym */
		return r;
	if (p->log && strstr(p->log, "GPL") && !gpl_compatible(o->license))
		return rbpf_error_prefix(r, "object %s: program %s (%s): it calls a GPL-only "
					 "helper, and the license section says \"%s\" (declare "
					 "char LICENSE[] SEC(\"license\") = \"GPL\";): ", o->name,
					 p->name, p->sec_name, o->license);
	if (r == -EPERM && a.attach_btf_id && p->kind != RBPF_ATTACH_ITER &&
	    p->kind != RBPF_ATTACH_TP_BTF)     /* seen on 6.18 development machines */
		return rbpf_error_prefix(r, "object %s: program %s (%s): some kernels refuse "
					 "fentry/fexit programs even to root (a lockdown or "
					 "security policy); use a kprobe or a tracepoint: ",
					 o->name, p->name, p->sec_name);
	return rbpf_error_prefix(r, "object %s: program %s (%s): ", o->name, p->name,
				 p->sec_name);
}

/* Prog arrays declared with __array(values, ...) = { [i] = prog }: each slot is a
 * .rel.maps entry at the map's offset + values_off + 8 * i, naming the program. */
static int fill_prog_arrays(struct rbpf_object *o)
{
	int i = elf_find_sec(&o->elf, ".rel.maps"), r;
	const struct elf_sec *s = i > 0 ? &o->elf.secs[i] : NULL;
	const Elf64_Rel *rel;
	struct rbpf_prog *p;
	struct rbpf_map *m;
	uint32_t k, j, slot;
	uint64_t off;

	for (k = 0; s && s->data && k < s->size / sizeof(*rel); k++) {
		rel = (const Elf64_Rel *)s->data + k;
		if (ELF64_R_SYM(rel->r_info) >= o->elf.nsym)
			continue;
		p = rbpf_object_find_prog(o, elf_sym_name(&o->elf,
					  &o->elf.syms[ELF64_R_SYM(rel->r_info)]));
		for (j = 0; j < o->nmaps; j++) {
			m = &o->maps[j];
			off = m->sec_off + m->values_off;
			if (m->sec != o->btf_maps_sec || m->values_off < 0 || rel->r_offset < off ||
			    (rel->r_offset - off) / 8 >= m->max_entries)
				continue;
			slot = (rel->r_offset - off) / 8;
			if (m->inner) {         /* a map of maps (map_in_map.c) */
				if ((r = mim_fill_slot(o, m, slot, rel)) < 0)
					return r;
				break;
			}
			if (!p || p->fd < 0 || m->fd < 0)
				break;
			if ((r = rbpf_map_update_elem(m->fd, &slot, &p->fd, 0)) < 0)
				return map_error(o, m, r, "setting its initial values");
			break;
		}
	}
	return 0;
}

int rbpf_object_load(struct rbpf_object *o, uint32_t log_level)
{
	char first_msg[1024] = "";
	uint32_t i;
	int r, first = 0;

	if ((r = create_maps(o)) < 0)
		return r;
	for (i = 0; i < o->nprogs; i++) {
		if (!o->progs[i].autoload || o->progs[i].fd >= 0)
			continue;
		r = rbpf_object_load_prog(&o->progs[i], log_level);
		if (r < 0 && !first) {          /* keep going: every program gets its log */
			first = r;
			snprintf(first_msg, sizeof(first_msg), "%s", rbpf_errmsg());
		}
	}
	r = fill_prog_arrays(o);                /* the programs that did load */
	if (first < 0 || r < 0)
		unpin_made_here(o);
	if (first < 0)
		return rbpf_error(first, "%s", first_msg);
	return r;
}

/* -------------------------------------------------------------- pinning */

/* DIR/KIND/NAME with the leading dots dropped and the others made '_' (bpffs
 * refuses names with a dot): .rodata.str1.1 is DIR/maps/rodata_str1_1. */
static void pin_path(char *path, size_t n, const char *dir, const char *kind,
		     const char *name)
{
	char *p;

	while (*name == '.')
		name++;
	snprintf(path, n, "%s/%s/%s", dir, kind, name);
	for (p = path + strlen(path) - strlen(name); *p; p++)
		if (*p == '.')
			*p = '_';
}

static int pin_one(const char *dir, const char *kind, const char *name, int fd)
{
	char path[512];
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, kind);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return rbpf_error(errno, "pin: cannot create %s: %s (is %s on a bpffs? "
				  "mount -t bpf bpf /sys/fs/bpf)", path, strerror(errno), dir);
	pin_path(path, sizeof(path), dir, kind, name);
	if ((r = rbpf_obj_pin(fd, path)) < 0)
		return rbpf_error(r, "pin: BPF_OBJ_PIN at %s failed: %s (%s)%s", path,
				  rbpf_errno_name(r), strerror(-r), r == -EEXIST ?
				  ": something is pinned there already" : r == -EPERM ?
				  ": the directory must be on a bpffs" : "");
	return 0;
}

/* Take back the first nmaps map pins and nprogs program pins rbpf_object_pin made,
 * then the directories if that left them empty (rmdir removes nothing else). */
static void unpin_some(const struct rbpf_object *o, const char *dir, uint32_t nmaps,
		       uint32_t nprogs)
{
	char path[512];
	uint32_t i;

	for (i = 0; i < nmaps; i++)
		if (o->maps[i].fd >= 0) {
			pin_path(path, sizeof(path), dir, "maps", o->maps[i].name);
			unlink(path);
		}
	for (i = 0; i < nprogs; i++)
		if (o->progs[i].fd >= 0) {
			pin_path(path, sizeof(path), dir, "progs", o->progs[i].name);
			unlink(path);
		}
	snprintf(path, sizeof(path), "%s/maps", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/progs", dir);
	rmdir(path);
	rmdir(dir);
}

/* All or nothing: a pin that fails takes back the ones made before it. */
int rbpf_object_pin(struct rbpf_object *o, const char *dir)
{
	uint32_t i, j;
	int r;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return rbpf_error(errno, "pin: cannot create %s: %s", dir, strerror(errno));
	for (i = 0; i < o->nmaps; i++)
		if (o->maps[i].fd >= 0 &&
		    (r = pin_one(dir, "maps", o->maps[i].name, o->maps[i].fd)) < 0)
			return unpin_some(o, dir, i, 0), r;
	for (j = 0; j < o->nprogs; j++)
		if (o->progs[j].fd >= 0 &&
		    (r = pin_one(dir, "progs", o->progs[j].name, o->progs[j].fd)) < 0)
			return unpin_some(o, dir, i, j), r;
	return 0;
}

int rbpf_object_set_pin_root(struct rbpf_object *o, const char *dir)
{
	char *d;

	o->no_pin_by_name = !dir;
	if (!dir)
		return 0;
	if (!(d = strdup(dir)))
		return obj_oom(o);
	free(o->pin_root);
	o->pin_root = d;
	return 0;
}

