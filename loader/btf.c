/*
 * btf.c -- read BTF, the type information clang -g puts in .BTF and the kernel
 * publishes for itself in /sys/kernel/btf/vmlinux.
 *
 * BTF is a header, a run of variable-length type records (type ids count from 1 in
 * the order they appear) and a string section.  btf_parse walks the records once,
 * checking that each one's kind-specific tail (members, enumerators, parameters...)
 * lies inside the type section, and keeps each record's offset (offs[id]).  After
 * that every record can be read without a bounds check; what still needs checking
 * are the numbers stored inside the records -- type ids and string offsets -- and
 * btf_type() and btf_str() check those at each use.
 *
 * The kernel's BTF is large (5.5 MB, ~130,000 types on 6.18).  Since 6.16 the
 * kernel lets us map it read-only and private, so only the pages we touch cost
 * memory; older kernels need a read() into a buffer.  Object BTF is copied, because
 * the loader fixes DATASEC sizes in it before handing it to the kernel.
 *
 * Sizes and alignments follow C's rules: a struct's size is its record's, an
 * array's is its element's times the count, a pointer is 8 bytes on BPF's targets.
 * The type graph comes from the file, so it can loop: every walk is bounded.
 *
 * The same reader is public (struct rbpf_btf, rawbpf.h) for BTF that comes from the
 * kernel: `rawbpf prog dump` names a program's functions and source lines with it.
 * btf.h stays internal (the loader's and the command's working view); the public
 * API promises only what its functions answer.
 * (Documentation/bpf/btf.rst; the records are in uapi linux/btf.h.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf.h"
#include "rawbpf.h"

#define BTF_MAGIC 0xeB9F
#define MAX_DEPTH 32           /* typedef/modifier chains, nested arrays */

/* Bytes that follow struct btf_type for each kind, or -1 for a kind we do not know. */
static int64_t extra_size(const struct btf_type *t)
{
	uint32_t vlen = btf_vlen(t);

	switch (btf_kind(t)) {
	case BTF_KIND_INT:       return 4;
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC: case BTF_KIND_FLOAT: case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_ARRAY:     return sizeof(struct btf_array);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return (int64_t)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:      return (int64_t)vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:    return (int64_t)vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO: return (int64_t)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:       return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:   return (int64_t)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:  return sizeof(struct btf_decl_tag);
	}
	return -1;
}

/* Walk the type records, recording their offsets (offs may be NULL: just count)
 * and, when heads is set, picking the named types whose names start with two bytes
 * in it.  The pick rides on the walk: each name's bytes are loaded while the walk
 * waits on the next record's size, where a second pass over 126,000 kernel types
 * later cost as much as the walk. */
static int walk_types(struct btf *b, uint32_t *offs, uint32_t *count, const uint8_t *heads)
{
	const uint8_t *p = b->tsec;
	uint32_t off, n, len = b->tsec_len;
	int64_t extra;

	for (off = 0, n = 1; off < len; n++) {
		const struct btf_type *t = (const struct btf_type *)(p + off);

		if (len - off < sizeof(*t))
			return rbpf_error(EINVAL, "btf: %s: type %u at offset %u is cut off "
					  "by the end of the type section", b->file, n, off);
		extra = extra_size(t);
		if (extra < 0)
			return rbpf_error(EINVAL, "btf: %s: type %u has unknown kind %u",
					  b->file, n, btf_kind(t));
		if ((uint64_t)extra > len - off - sizeof(*t))
			return rbpf_error(EINVAL, "btf: %s: type %u at offset %u runs past "
					  "the end of the type section", b->file, n, off);
		if (offs)
			offs[n] = off;
		if (heads && t->name_off && t->name_off < b->str_len &&
		    btf_head_in(heads, b->strs + t->name_off))
			b->picked[b->npicked++] = n;
		off += sizeof(*t) + extra;
	}
	*count = n;
	return 0;
}

/* Check the header and find the two sections inside data[0..size). */
static int read_header(struct btf *b, const uint8_t *data, uint64_t size)
{
	struct btf_header h;

	if (size < sizeof(h) || size > UINT32_MAX)
		return rbpf_error(EINVAL, "btf: %s: .BTF is %llu bytes, too short for its header",
				  b->file, (unsigned long long)size);
	memcpy(&h, data, sizeof(h));
	if (h.magic != BTF_MAGIC || h.version != 1)
		return rbpf_error(EINVAL, "btf: %s: bad .BTF magic 0x%x or version %u",
				  b->file, h.magic, h.version);
	if (h.hdr_len < sizeof(h) || h.hdr_len > size ||
	    h.hdr_len % 4 || h.type_off % 4 ||      /* types are read as u32s in place */
	    (uint64_t)h.type_off + h.type_len > size - h.hdr_len ||
	    (uint64_t)h.str_off + h.str_len > size - h.hdr_len || h.str_len == 0)
		return rbpf_error(EINVAL, "btf: %s: .BTF header places its types (%u+%u) or "
				  "strings (%u+%u) outside the %llu-byte section", b->file,
				  h.type_off, h.type_len, h.str_off, h.str_len,
				  (unsigned long long)size);
	b->data = data;
	b->size = size;
	b->tsec = data + h.hdr_len + h.type_off;
	b->tsec_len = h.type_len;
	b->strs = (const char *)data + h.hdr_len + h.str_off;
	b->str_len = h.str_len;
	if (b->strs[b->str_len - 1] != 0)
		return rbpf_error(EINVAL, "btf: %s: the string section does not end in NUL",
				  b->file);
	return 0;
}

/* Index the blob at data (already owned or mapped by b): one walk, into arrays
 * sized for the most types the section could hold (their untouched tails cost no
 * memory: the pages are never written).  heads: pick types by name (walk_types). */
static int index_blob(struct btf *b, const uint8_t *data, uint64_t size, const uint8_t *heads)
{
	uint32_t n;
	int r;

	if ((r = read_header(b, data, size)) < 0)
		return r;
	n = b->tsec_len / sizeof(struct btf_type) + 2;
	if (!(b->offs = malloc(n * sizeof(*b->offs))) ||
	    (heads && !(b->picked = malloc(n * sizeof(*b->picked)))))
		return rbpf_error(ENOMEM, "btf: %s: out of memory for %u types", b->file, n);
	b->offs[0] = 0;
	if ((r = walk_types(b, b->offs, &n, heads)) < 0)
		return r;
	b->ntypes = n;
	return 0;
}

static int parse(struct btf *b, const uint8_t *data, uint64_t size, const char *file,
		 const uint8_t *heads)
{
	int r;

	memset(b, 0, sizeof(*b));
	b->file = file;
	if (size > UINT32_MAX)
		return rbpf_error(EINVAL, "btf: %s: %llu bytes is too large for BTF", file,
				  (unsigned long long)size);
	if (!(b->owned = malloc(size ? size : 1)))
		return rbpf_error(ENOMEM, "btf: %s: out of memory", file);
	memcpy(b->owned, data, size);
	if ((r = index_blob(b, b->owned, size, heads)) < 0)
		btf_free(b);
	return r;
}

int btf_parse(struct btf *b, const uint8_t *data, uint64_t size, const char *file)
{
	return parse(b, data, size, file, NULL);
}

/* The bytes of a file: mapped read-only and private where the kernel allows it
 * (*map = 1), else read into a malloc'd buffer (sysfs reports the true size). */
static int file_bytes(const char *path, uint8_t **p, size_t *len, int *map)
{
	struct stat st;
	size_t n = 0;
	ssize_t r = 1;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0 || fstat(fd, &st) < 0)
		err = -errno;
	else if (st.st_size == 0 || st.st_size > UINT32_MAX)
		err = -EINVAL;
	*len = err ? 0 : st.st_size;
	*map = 0;
	if (!err && (*p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0)) != MAP_FAILED)
		*map = 1;
	else if (!err && !(*p = malloc(*len)))
		err = -ENOMEM;
	while (!err && !*map && n < *len && (r = read(fd, *p + n, *len - n)) > 0)
		n += r;
	if (!err && !*map && n < *len) {
		err = r < 0 ? -errno : -EIO;
		free(*p);
	}
	if (fd >= 0)
		close(fd);
	return err;
}

/* The .BTF section of an ELF file, parsed (copied). */
static int elf_btf(struct btf *b, const uint8_t *p, size_t len, const char *path,
		   const uint8_t *heads)
{
	struct elf e;
	int sec, r;

	if ((r = elf_parse(&e, p, len, path)) < 0)
		return r;
	sec = elf_find_sec(&e, ".BTF");
	r = sec < 0 ? rbpf_error(ENOENT, "btf: %s: an ELF file without a .BTF section", path) :
		      parse(b, e.secs[sec].data, e.secs[sec].size, path, heads);
	elf_free(&e);
	return r;
}

static int load(struct btf *b, const char *path, const uint8_t *heads)
{
	uint8_t *p = NULL;
	size_t len;
	int map, r;

	memset(b, 0, sizeof(*b));
	b->file = path;
	if ((r = file_bytes(path, &p, &len, &map)) < 0)
		return rbpf_error(r, "btf: cannot read %s: %s", path, strerror(-r));
	if (len >= 4 && memcmp(p, ELFMAG, SELFMAG) == 0) {
		r = elf_btf(b, p, len, path, heads);
		if (map)
			munmap(p, len);
		else
			free(p);
		return r;
	}
	if (map)
		b->map = p, b->map_len = len;
	else
		b->owned = p;
	if ((r = index_blob(b, p, len, heads)) < 0)
		btf_free(b);
	return r;
}

int btf_load_file(struct btf *b, const char *path)
{
	return load(b, path, NULL);
}

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

int btf_load_picking(struct btf *b, const char *path, const uint8_t *heads)
{
	int r = load(b, path ? path : VMLINUX_BTF, heads);

	if (r == -ENOENT && !path)
		return rbpf_error(r, "btf: %s does not exist: the kernel was built without "
				  "CONFIG_DEBUG_INFO_BTF, so there are no kernel types to "
				  "relocate against", VMLINUX_BTF);
	return r;
}

int btf_load_vmlinux(struct btf *b)
{
	return btf_load_picking(b, NULL, NULL);
}

void btf_free(struct btf *b)
{
	if (b->map)
		munmap(b->map, b->map_len);
	free(b->owned);
	free(b->offs);
	free(b->bucket);
	free(b->chain);
	free(b->only);
	free(b->picked);
	memset(b, 0, sizeof(*b));
}

/* Append a type record: a new blob laid out header, types, strings. */
int btf_add_type(struct btf *b, const void *rec, uint32_t len)
{
	struct btf_header h;
	uint8_t *n;
	uint32_t size;
	int r;

	if (!b->owned || b->data != b->owned || len % 4 || len > UINT32_MAX / 2 - b->size)
		return rbpf_error(EINVAL, "btf: %s: cannot add a type to a BTF not our own",
				  b->file);
	memcpy(&h, b->data, sizeof(h));
	size = h.hdr_len + b->tsec_len + len + b->str_len;
	if (!(n = malloc(size)))
		return rbpf_error(ENOMEM, "btf: %s: out of memory", b->file);
	memcpy(n, b->data, h.hdr_len);
	memcpy(n + h.hdr_len, b->tsec, b->tsec_len);
	memcpy(n + h.hdr_len + b->tsec_len, rec, len);
	memcpy(n + h.hdr_len + b->tsec_len + len, b->strs, b->str_len);
	h.type_off = 0, h.type_len = b->tsec_len + len;
	h.str_off = h.type_len;
	memcpy(n, &h, sizeof(h));
	free(b->owned), free(b->offs), free(b->bucket), free(b->chain);
	free(b->only), free(b->picked);
	b->owned = n, b->offs = NULL, b->bucket = b->chain = NULL, b->nbucket = 0;
	b->only = NULL, b->nonly = 0, b->picked = NULL, b->npicked = 0;
	if ((r = index_blob(b, n, size, NULL)) < 0)
		return r;
	return b->ntypes - 1;
}

/* ------------------------------------------------------------------ accessors */

const struct btf_type *btf_type(const struct btf *b, uint32_t id)
{
	return id && id < b->ntypes ? (const struct btf_type *)(b->tsec + b->offs[id]) : NULL;
}

struct btf_type *btf_type_mut(struct btf *b, uint32_t id)
{
	return b->owned && b->data == b->owned ? (struct btf_type *)btf_type(b, id) : NULL;
}

const char *btf_str(const struct btf *b, uint32_t off)
{
	return off < b->str_len ? b->strs + off : NULL;
}

const char *btf_name(const struct btf *b, uint32_t id)
{
	const struct btf_type *t = btf_type(b, id);
	const char *s = t ? btf_str(b, t->name_off) : NULL;

	return s ? s : "";
}

const char *btf_kind_str(uint32_t kind)
{
	static const char *names[] = {
		"void", "int", "ptr", "array", "struct", "union", "enum", "fwd", "typedef",
		"volatile", "const", "restrict", "func", "func_proto", "var", "datasec",
		"float", "decl_tag", "type_tag", "enum64",
	};

	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

/* ------------------------------------------------------- sizes and alignments */

static int is_mod(uint32_t kind, int typedefs)
{
	return kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE ||
	       kind == BTF_KIND_RESTRICT || kind == BTF_KIND_TYPE_TAG ||
	       (typedefs && kind == BTF_KIND_TYPEDEF);
}

static uint32_t skip(const struct btf *b, uint32_t id, int typedefs)
{
	const struct btf_type *t;
	int depth;

	for (depth = 0; depth < MAX_DEPTH && (t = btf_type(b, id)); depth++) {
		if (!is_mod(btf_kind(t), typedefs))
			break;
		id = t->type;
	}
	return id;
}

uint32_t btf_skip_mods(const struct btf *b, uint32_t id) { return skip(b, id, 0); }
uint32_t btf_resolve(const struct btf *b, uint32_t id) { return skip(b, id, 1); }

/* Arrays nest: depth bounds a malicious cycle of arrays. */
static int64_t type_size(const struct btf *b, uint32_t id, int depth)
{
	const struct btf_type *t = btf_type(b, btf_resolve(b, id));
	int64_t elem;

	if (!t || depth > MAX_DEPTH)
		return -EINVAL;
	switch (btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_STRUCT: case BTF_KIND_UNION:
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64: case BTF_KIND_FLOAT:
	case BTF_KIND_DATASEC:
		return t->size;
	case BTF_KIND_PTR:
		return 8;
	case BTF_KIND_ARRAY:
		elem = type_size(b, btf_array(t)->type, depth + 1);
		if (elem < 0 || elem * btf_array(t)->nelems > UINT32_MAX)
			return -EINVAL;
		return elem * btf_array(t)->nelems;
	}
	return -EINVAL;
}

int64_t btf_type_size(const struct btf *b, uint32_t id)
{
	return type_size(b, id, 0);
}

void btf_member_bits(const struct btf *b, const struct btf_type *t, uint32_t i,
		     uint32_t *bit_off, uint32_t *bits)
{
	const struct btf_type *mt;

	*bit_off = btf_member_bit_offset(t, i);
	*bits = btf_member_bitfield_size(t, i);
	if (*bits || btf_kflag(t))
		return;
	/* Old encoding (no kind_flag): a bitfield is an INT narrower than its size. */
	mt = btf_type(b, btf_resolve(b, btf_members(t)[i].type));
	if (mt && btf_kind(mt) == BTF_KIND_INT && btf_int_bits(mt) != mt->size * 8)
		*bits = btf_int_bits(mt);
}

static int64_t type_align(const struct btf *b, uint32_t id, int depth)
{
	const struct btf_type *t = btf_type(b, btf_resolve(b, id));
	uint32_t i, off, bits;
	int64_t a, max = 1;

	if (!t || depth > MAX_DEPTH)
		return -EINVAL;
	switch (btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_ENUM: case BTF_KIND_ENUM64: case BTF_KIND_FLOAT:
		return t->size < 8 ? (t->size ? t->size : 1) : 8;
	case BTF_KIND_PTR:
		return 8;
	case BTF_KIND_ARRAY:
		return type_align(b, btf_array(t)->type, depth + 1);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		for (i = 0; i < btf_vlen(t); i++) {
			a = type_align(b, btf_members(t)[i].type, depth + 1);
			if (a < 0)
				return a;
			btf_member_bits(b, t, i, &off, &bits);
			if (!bits && off % (a * 8))
				return 1;               /* a misplaced member: packed */
			max = a > max ? a : max;
		}
		return t->size % max ? 1 : max;
	}
	return -EINVAL;
}

int64_t btf_type_align(const struct btf *b, uint32_t id)
{
	return type_align(b, id, 0);
}

/* ------------------------------------------------------------ the public reader */

/* The API's handle: the same reader, for BTF that did not come from an ELF file. */
struct rbpf_btf {
	struct btf b;
};

int rbpf_btf_open_mem(const void *data, size_t size, const char *name,
		      struct rbpf_btf **out)
{
	struct rbpf_btf *h = calloc(1, sizeof(*h));
	int r;

	*out = NULL;
	if (!h)
		return rbpf_error(ENOMEM, "btf: %s: out of memory", name);
	if ((r = btf_parse(&h->b, data, size, name)) < 0) {
		free(h);
		return r;
	}
	*out = h;
	return 0;
}

void rbpf_btf_free(struct rbpf_btf *h)
{
	if (h)
		btf_free(&h->b);
	free(h);
}

const char *rbpf_btf_str(const struct rbpf_btf *h, uint32_t off)
{
	return btf_str(&h->b, off);
}

const char *rbpf_btf_type_name(const struct rbpf_btf *h, uint32_t id)
{
	const struct btf_type *t = btf_type(&h->b, id);

	return t ? btf_str(&h->b, t->name_off) : NULL;
}
