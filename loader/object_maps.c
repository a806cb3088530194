/*
 * object_maps.c -- the maps an object declares, found before anything is loaded.
 *
 * Three places declare maps, and each becomes one struct rbpf_map:
 *
 *   `maps`    the legacy section: five u32s {type, key_size, value_size,
 *             max_entries, map_flags} per symbol, at the symbol's offset.
 *   `.maps`   BTF-defined maps: each variable of the .maps DATASEC is a struct whose
 *             fields encode the attributes (__uint, __type; read by btf_map_def).
 *   data      .data, .rodata*, .bss*: one single-entry ARRAY map per section, its
 *             value the section's bytes; programs address globals inside it.
 *
 * A map's index in o->maps is what linking writes into the instructions that refer
 * to it (BPF_PSEUDO_MAP_IDX); object_load.c swaps in the fd once the map exists.
 */
#include <stdlib.h>
#include <string.h>

#include "map_in_map.h"
#include "object.h"

static struct rbpf_map *new_map(struct rbpf_object *o, const char *name, int sec,
				uint64_t off)
{
	struct rbpf_map *m = realloc(o->maps, (o->nmaps + 1) * sizeof(*m));

	if (!m)
		return NULL;
	o->maps = m;
	m += o->nmaps;
	memset(m, 0, sizeof(*m));
	m->name = strdup(name);
	if (!m->name)
		return NULL;
	o->nmaps++;
	m->sec = sec;
	m->sec_off = off;
	m->values_off = -1;
	m->fd = -1;
	return m;
}

/* Legacy `maps` section: {u32 type, key_size, value_size, max_entries, map_flags}
 * per symbol, at the symbol's offset; any longer definition must be zero after. */
static int legacy_maps(struct rbpf_object *o)
{
	const struct elf_sec *s = &o->elf.secs[o->maps_sec];
	const Elf64_Sym *sym;
	struct rbpf_map *m;
	uint32_t i, def[5];
	uint64_t j;
	const char *n;

	if (!s->data)
		return rbpf_error(EINVAL, "object %s: section 'maps' has no bytes", o->name);
	for (i = 1; i < o->elf.nsym; i++) {
		sym = &o->elf.syms[i];
		if (sym->st_shndx != o->maps_sec || ELF64_ST_TYPE(sym->st_info) == STT_SECTION)
			continue;
		n = elf_sym_name(&o->elf, sym);
		if (sym->st_size < sizeof(def) || sym->st_value > s->size ||
		    sym->st_size > s->size - sym->st_value)
			return rbpf_error(EINVAL, "object %s: map %s: definition at offset %llu, "
					  "size %llu, does not fit section 'maps' (%llu bytes; "
					  "need at least 20)", o->name, n,
					  (unsigned long long)sym->st_value,
					  (unsigned long long)sym->st_size,
					  (unsigned long long)s->size);
		for (j = sizeof(def); j < sym->st_size; j++)
			if (s->data[sym->st_value + j])
				return rbpf_error(EINVAL, "object %s: map %s: legacy definition has "
						  "non-zero fields after map_flags (offset %llu); "
						  "rawbpf reads only the first five", o->name, n,
						  (unsigned long long)j);
		memcpy(def, s->data + sym->st_value, sizeof(def));
		if (!(m = new_map(o, n, o->maps_sec, sym->st_value)))
			return obj_oom(o);
		m->type = def[0], m->key_size = def[1], m->value_size = def[2];
		m->max_entries = def[3], m->flags = def[4];
	}
	return 0;
}

/* BTF-defined maps: the variables of the .maps DATASEC. */
static int btf_maps(struct rbpf_object *o)
{
	const struct btf_type *ds, *var;
	const struct btf_var_secinfo *v;
	struct btf_map_def d;
	struct rbpf_map *m;
	const char *n;
	int64_t off;
	uint32_t i;
	int r;

	if (!o->btf.data)
		return rbpf_error(EINVAL, "object %s: section '.maps' needs the object's BTF, "
				  "but there is no .BTF section (compile with clang -g)", o->name);
	ds = btf_type(&o->btf, btf_find_datasec(&o->btf, ".maps"));
	if (!ds)
		return rbpf_error(EINVAL, "object %s: no DATASEC '.maps' in .BTF", o->name);
	v = (const struct btf_var_secinfo *)(ds + 1);
	for (i = 0; i < BTF_INFO_VLEN(ds->info); i++) {
		if ((r = btf_map_def(&o->btf, v[i].type, o->name, &d)) < 0)
			return r;
		var = btf_type(&o->btf, v[i].type);
		n = btf_str(&o->btf, var->name_off);
		off = n ? elf_sym_value(&o->elf, o->btf_maps_sec, n) : -1;
		if (off < 0)
			return rbpf_error(EINVAL, "object %s: map %s: no symbol in section '.maps'",
					  o->name, n ? n : "?");
		if (!(m = new_map(o, n, o->btf_maps_sec, off)))
			return obj_oom(o);
		m->type = d.type, m->key_size = d.key_size, m->value_size = d.value_size;
		m->btf_key = d.key_type, m->btf_value = d.value_type;
		m->max_entries = d.max_entries, m->flags = d.map_flags;
		m->pinning = d.pinning, m->map_extra = d.map_extra;
		m->values_off = d.values_off;
		if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
			/* libbpf's convention: one slot per possible CPU, int keys and values */
			if (!m->max_entries && (r = rbpf_num_possible_cpus()) > 0)
				m->max_entries = r;
			m->key_size = m->key_size ? m->key_size : 4;
			m->value_size = m->value_size ? m->value_size : 4;
		}
		if (m->type == BPF_MAP_TYPE_PROG_ARRAY && !m->value_size)
			m->value_size = 4;      /* __array(values, ...) gives no size: an fd */
		if (mim_is_outer(m->type)) {    /* maps of maps: map_in_map.c */
			m->value_size = m->value_size ? m->value_size : 4;
			if (!(m->inner = malloc(sizeof(*m->inner))))
				return obj_oom(o);
			if ((r = mim_inner_def(&o->btf, &d, o->name, n, m->inner)) < 0)
				return r;
		}
	}
	return 0;
}

static int is_data_sec(const struct elf_sec *s)
{
	static const char *pfx[] = { ".data", ".rodata", ".bss" };
	size_t i, n;

	if (s->flags & SHF_EXECINSTR || !(s->flags & SHF_ALLOC) || s->size == 0)
		return 0;
	for (i = 0; i < 3; i++) {
		n = strlen(pfx[i]);
		if (!strncmp(s->name, pfx[i], n) && (s->name[n] == 0 || s->name[n] == '.'))
			return 1;
	}
	return 0;
}

/* Every loaded section is code, maps, global data, the license or the version;
 * any other is said, never dropped in silence.  .struct_ops* holds struct_ops maps
 * (a sched_ext scheduler, a TCP congestion control): loading without them would
 * load an object that does nothing, so load refuses it (create_maps). */
static void note_skipped_sections(struct rbpf_object *o)
{
	const struct elf_sec *s;
	uint32_t i;

	for (i = 1; i < o->elf.nsec; i++) {
		s = &o->elf.secs[i];
		if (!(s->flags & SHF_ALLOC) || s->flags & SHF_EXECINSTR || is_data_sec(s) ||
		    (int)i == o->maps_sec || (int)i == o->btf_maps_sec ||
		    !strcmp(s->name, "license") || !strcmp(s->name, "version"))
			continue;
		if (!strncmp(s->name, ".struct_ops", 11)) {
			o->struct_ops_sec = s->name;
			obj_add_note(o, "section %s (struct_ops maps) is not supported", s->name);
		} else {
			obj_add_note(o, "section %s (%llu bytes) was skipped: it is not code, "
				     "maps, global data, license or version", s->name,
				     (unsigned long long)s->size);
		}
	}
}

/* Global data: one ARRAY map of one value per section; .rodata* read-only. */
static int data_maps(struct rbpf_object *o)
{
	const struct elf_sec *s;
	struct rbpf_map *m;
	uint32_t i;

	for (i = 1; i < o->elf.nsec; i++) {
		s = &o->elf.secs[i];
		if (!is_data_sec(s))
			continue;
		if (s->size > UINT32_MAX / 2)
			return rbpf_error(EINVAL, "object %s: section %s is %llu bytes, too big "
					  "for a map value", o->name, s->name,
					  (unsigned long long)s->size);
		if (!(m = new_map(o, s->name, i, 0)) || !(m->data = calloc(1, s->size)))
			return obj_oom(o);
		if (s->data)                /* NOBITS (.bss) stays zero */
			memcpy(m->data, s->data, s->size);
		m->type = BPF_MAP_TYPE_ARRAY;
		m->btf_value = o->btf.data ? btf_find_datasec(&o->btf, s->name) : 0;
		m->key_size = 4;
		m->value_size = s->size;
		m->max_entries = 1;
		if (!strncmp(s->name, ".rodata", 7))
			m->flags = BPF_F_RDONLY_PROG;
	}
	return 0;
}

int obj_find_maps(struct rbpf_object *o)
{
	int r;

	o->maps_sec = elf_find_sec(&o->elf, "maps");
	o->btf_maps_sec = elf_find_sec(&o->elf, ".maps");
	if ((o->maps_sec > 0 && (r = legacy_maps(o)) < 0) ||
	    (o->btf_maps_sec > 0 && (r = btf_maps(o)) < 0) || (r = data_maps(o)) < 0)
		return r;
	note_skipped_sections(o);
	return 0;
}
