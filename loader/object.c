/*
 * object.c -- an ELF object, opened: the steps in order, and the accessors.
 *
 * rbpf_object_open reads everything and links; nothing touches the kernel yet:
 *
 *   1. elf_parse checks the file (elf.c); .BTF and .BTF.ext are read (btf.c).
 *   2. maps: legacy `maps`, BTF `.maps`, then global data (object_maps.c); the
 *      externs, and a `.kconfig` map for the __kconfig ones (object_core.c).
 *   3. code: each executable section copied, its relocations indexed (object_link.c).
 *   4. programs: each function of each executable section other than .text; the
 *      section name gives the program type and attach point (object_sec.c).
 *   5. each program linked with the subprograms it calls (object_link.c).
 *
 * rbpf_object_load (object_load.c) then hands maps and programs to the kernel.  The
 * model itself -- struct rbpf_object, rbpf_prog, rbpf_map -- is in object.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "object.h"

static void read_license(struct rbpf_object *o)
{
	int i = elf_find_sec(&o->elf, "license");
	const struct elf_sec *s = i > 0 ? &o->elf.secs[i] : NULL;

	if (s && s->data)
		snprintf(o->license, sizeof(o->license), "%.*s",
			 (int)(s->size < sizeof(o->license) ? s->size : sizeof(o->license) - 1),
			 s->data);
	i = elf_find_sec(&o->elf, "version");
	if (i > 0 && o->elf.secs[i].data && o->elf.secs[i].size == 4)
		memcpy(&o->kversion, o->elf.secs[i].data, 4);
}

static int read_btf(struct rbpf_object *o)
{
	int i = elf_find_sec(&o->elf, ".BTF"), r;
	const struct elf_sec *s;

	if (i < 0)
		return 0;
	s = &o->elf.secs[i];
	if ((r = btf_parse(&o->btf, s->data, s->data ? s->size : 0, o->name)) < 0)
		return r;
	btf_fixup_datasecs(&o->btf, &o->elf);
	i = elf_find_sec(&o->elf, ".BTF.ext");
	if (i < 0 || !o->elf.secs[i].data)
		return 0;
	s = &o->elf.secs[i];
	return btf_ext_parse(&o->ext, s->data, s->size, &o->btf, o->name);
}

/* Everything open does once the bytes are in o->buf. */
static int build(struct rbpf_object *o)
{
	uint32_t i;
	int r;

	if ((r = elf_parse(&o->elf, o->buf, o->size, o->name)) < 0)
		return r;
	read_license(o);
	if ((r = read_btf(o)) < 0 || (r = obj_index_ext(o)) < 0 ||
	    (r = obj_find_maps(o)) < 0 || (r = obj_extern_maps(o)) < 0 ||
	    (r = obj_read_code(o)) < 0)
		return r;
	for (i = 1; i < o->elf.nsec; i++)
		if (o->code[i].insns && strcmp(o->elf.secs[i].name, ".text") &&
		    (r = obj_section_progs(o, i)) < 0)
			return r;
	for (i = 0; i < o->nprogs; i++)
		if ((r = obj_link_prog(o, &o->progs[i])) < 0)
			return r;
	return 0;
}

/* Open from buf, which the object takes over (freed on failure too): a file's bytes
 * are used where they were read, not copied again (179 KB for the bench's object). */
static int open_owned(uint8_t *buf, size_t size, const char *name, struct rbpf_object **obj)
{
	struct rbpf_object *o = calloc(1, sizeof(*o));
	int r;

	*obj = NULL;
	if (o) {
		o->btf_fd = -1;
		o->buf = buf;
		o->size = size;
	}
	if (!o || !(o->name = strdup(name))) {
		if (!o)
			free(buf);
		rbpf_object_close(o);
		return rbpf_error(ENOMEM, "object %s: out of memory", name);
	}
	if ((r = build(o)) < 0) {
		rbpf_object_close(o);
		return r;
	}
	*obj = o;
	return 0;
}

int rbpf_object_open_mem(const void *buf, size_t size, const char *name,
			 struct rbpf_object **obj)
{
	uint8_t *copy = malloc(size ? size : 1);

	*obj = NULL;
	name = name ? name : "(memory)";
	if (!copy)
		return rbpf_error(ENOMEM, "object %s: out of memory", name);
	memcpy(copy, buf, size);
	return open_owned(copy, size, name, obj);
}

int rbpf_object_open(const char *path, struct rbpf_object **obj)
{
	uint8_t *buf;
	size_t size;
	int r;

	*obj = NULL;
	if ((r = elf_read_file(path, &buf, &size)) < 0)
		return rbpf_error(r, "object %s: cannot read: %s", path,
				  r == -EINVAL ? "not a regular file" : strerror(-r));
	return open_owned(buf, size, path, obj);
}

void rbpf_object_close(struct rbpf_object *o)
{
	uint32_t i;

	if (!o)
		return;
	for (i = 0; i < o->nprogs; i++) {
		struct rbpf_prog *p = &o->progs[i];

		if (p->fd >= 0)
			close(p->fd);
		free(p->insns);
		free(p->log);
		free(p->core), free(p->core_res), free(p->ext_at), free(p->ext_idx);
		free(p->attach_name);
	}
	for (i = 0; i < o->nmaps; i++) {
		if (o->maps[i].fd >= 0)
			close(o->maps[i].fd);
		free(o->maps[i].name), free(o->maps[i].data), free(o->maps[i].pinned_here);
		free(o->maps[i].inner);
	}
	for (i = 0; o->code && i < o->elf.nsec; i++)
		free(o->code[i].insns), free(o->code[i].rel_at);
	if (o->btf_fd >= 0)
		close(o->btf_fd);
	free(o->code), free(o->progs), free(o->maps), free(o->pin_root);
	free(o->xfunc.sorted), free(o->xline.sorted);
	free(o->xfunc.of_sec), free(o->xline.of_sec);
	core_ctx_free(o->core);
	ext_free(&o->exts);
	btf_ext_free(&o->ext);
	btf_free(&o->btf);
	elf_free(&o->elf);
	free(o->buf), free(o->name);
	free(o);
}

/* ------------------------------------------------------------ accessors */

const char *rbpf_object_name(const struct rbpf_object *o) { return o->name; }
const char *rbpf_object_license(const struct rbpf_object *o) { return o->license; }
uint32_t rbpf_object_kversion(const struct rbpf_object *o) { return o->kversion; }
int rbpf_object_btf_fd(const struct rbpf_object *o) { return o->btf_fd; }
const char *rbpf_object_notes(const struct rbpf_object *o) { return o->notes; }

struct rbpf_prog *rbpf_object_next_prog(const struct rbpf_object *o, const struct rbpf_prog *prev)
{
	size_t i = prev ? (size_t)(prev - o->progs) + 1 : 0;

	return i < o->nprogs ? &o->progs[i] : NULL;
}

struct rbpf_prog *rbpf_object_find_prog(const struct rbpf_object *o, const char *name)
{
	uint32_t i;

	for (i = 0; i < o->nprogs; i++)
		if (!strcmp(o->progs[i].name, name))
			return &o->progs[i];
	return NULL;
}

const char *rbpf_prog_name(const struct rbpf_prog *p) { return p->name; }
const char *rbpf_prog_section(const struct rbpf_prog *p) { return p->sec_name; }
enum bpf_prog_type rbpf_prog_type(const struct rbpf_prog *p) { return p->type; }
enum bpf_attach_type rbpf_prog_expected_attach_type(const struct rbpf_prog *p) { return p->expected; }
enum rbpf_attach_kind rbpf_prog_attach_kind(const struct rbpf_prog *p) { return p->kind; }
const char *rbpf_prog_attach_target(const struct rbpf_prog *p) { return p->target; }
int rbpf_prog_fd(const struct rbpf_prog *p) { return p->fd; }
const char *rbpf_prog_log(const struct rbpf_prog *p) { return p->log ? p->log : ""; }
void rbpf_prog_set_autoload(struct rbpf_prog *p, int on) { p->autoload = !!on; }
int rbpf_prog_autoload(const struct rbpf_prog *p) { return p->autoload; }

int rbpf_prog_set_type(struct rbpf_prog *p, enum bpf_prog_type type,
		       enum bpf_attach_type expected)
{
	if (p->fd >= 0)
		return rbpf_error(EBUSY, "object %s: program %s is already loaded; set its "
				  "type before loading", p->obj->name, p->name);
	p->type = type;
	p->expected = expected;
	return 0;
}

const struct bpf_insn *rbpf_prog_insns(const struct rbpf_prog *p, uint32_t *cnt)
{
	*cnt = p->cnt;
	return p->insns;
}

int rbpf_prog_line(const struct rbpf_prog *p, uint32_t insn, struct rbpf_line *out)
{
	const struct btf *b = &p->obj->btf;
	uint32_t rec = p->obj->ext.line_rec, i, li[4];
	int found = -1;

	for (i = 0; i < p->nline; i++) {        /* records are sorted by instruction */
		memcpy(li, p->line_info + i * rec, sizeof(li));
		if (li[0] > insn)
			break;
		found = i;
	}
	if (found < 0)
		return -ENOENT;
	memcpy(li, p->line_info + found * rec, sizeof(li));
	out->file = btf_str(b, li[1]) ? btf_str(b, li[1]) : "";
	out->text = btf_str(b, li[2]) ? btf_str(b, li[2]) : "";
	out->line = li[3] >> 10;                /* line_col: line << 10 | column */
	out->col = li[3] & 0x3ff;
	return li[0] == insn;
}

const char *rbpf_prog_func_at(const struct rbpf_prog *p, uint32_t insn)
{
	const struct btf *b = &p->obj->btf;
	uint32_t rec = p->obj->ext.func_rec, i, fi[2];   /* insn_off, type_id */
	const struct btf_type *t;

	for (i = 0; i < p->nfunc; i++) {
		memcpy(fi, p->func_info + i * rec, sizeof(fi));
		if (fi[0] == insn && (t = btf_type(b, fi[1])))
			return btf_str(b, t->name_off);
	}
	return NULL;
}

struct rbpf_map *rbpf_object_next_map(const struct rbpf_object *o, const struct rbpf_map *prev)
{
	size_t i = prev ? (size_t)(prev - o->maps) + 1 : 0;

	return i < o->nmaps ? &o->maps[i] : NULL;
}

struct rbpf_map *rbpf_object_find_map(const struct rbpf_object *o, const char *name)
{
	uint32_t i;

	for (i = 0; i < o->nmaps; i++)
		if (!strcmp(o->maps[i].name, name))
			return &o->maps[i];
	return NULL;
}

struct rbpf_map *rbpf_object_map_at(const struct rbpf_object *o, uint32_t i)
{
	return i < o->nmaps ? &o->maps[i] : NULL;
}

const char *rbpf_map_name(const struct rbpf_map *m) { return m->name; }
enum bpf_map_type rbpf_map_type(const struct rbpf_map *m) { return m->type; }
uint32_t rbpf_map_key_size(const struct rbpf_map *m) { return m->key_size; }
uint32_t rbpf_map_value_size(const struct rbpf_map *m) { return m->value_size; }
uint32_t rbpf_map_max_entries(const struct rbpf_map *m) { return m->max_entries; }
uint32_t rbpf_map_flags(const struct rbpf_map *m) { return m->flags; }
int rbpf_map_fd(const struct rbpf_map *m) { return m->fd; }

void *rbpf_map_initial_value(struct rbpf_map *m, size_t *size)
{
	*size = m->data ? m->value_size : 0;
	return m->data;
}

