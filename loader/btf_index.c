/*
 * btf_index.c -- find BTF types by name.
 *
 * Two kinds of questions are asked by name: "which kernel type is btf_trace_sched_switch"
 * (an exact name and kind) and, for CO-RE, "which kernel types could stand for my local
 * `struct task_struct___old`" (every type whose *essential* name -- the name without a
 * `___flavour` suffix -- is task_struct).  One index answers both: a hash table keyed by
 * the essential name, each bucket a chain of type ids in increasing order (chain[id] is
 * the next id in the same bucket).  An exact lookup walks the chain of its essential
 * name and compares whole names.
 *
 * The index is built once, on the first lookup, in one pass over the types: two arrays
 * of 32-bit ids, about 1 MB for the kernel's 130,000 types.  Names are compared where
 * they lie in the string section; nothing is copied.
 *
 * A loader knows before it reads the kernel's BTF every name it will ask for (its
 * relocations' types, its attach points, its externs), so it can ask for a partial
 * index instead (btf_load_only): the walk that reads the types keeps the few thousand
 * whose names start with the same two bytes as a wanted one, and only those are
 * compared and hashed.  A question about any other name builds the whole index.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "rawbpf.h"

/* A flavour separator: "___" with a character other than '_' on each side. */
static int flavour_sep(const char *s)
{
	return s[0] != '_' && s[1] == '_' && s[2] == '_' && s[3] == '_' && s[4] && s[4] != '_';
}

/* btf_essential_len("task_struct___old") is 11; ("a___b___c") is 4 ("a___b"). */
size_t btf_essential_len(const char *name)
{
	size_t n, i;

	if (!strstr(name, "___"))            /* most names: one fast scan */
		return strlen(name);
	n = strlen(name);
	for (i = n >= 5 ? n - 5 + 1 : 0; i-- > 0;)
		if (flavour_sep(name + i))
			return i + 1;
	return n;
}

/* A hash of s[0..len) from its length and its first and last 8 bytes: O(1), and
 * enough to tell the kernel's names apart (they share prefixes, rarely both ends).
 * Hashing every byte was a third of the index's cost. */
static uint32_t hash(const char *s, size_t len)
{
	uint64_t a = 0, b = 0, h;

	memcpy(&a, s, len < 8 ? len : 8);
	if (len > 8)
		memcpy(&b, s + len - (len < 16 ? len - 8 : 8), len < 16 ? len - 8 : 8);
	h = (a ^ (b * 0x9e3779b97f4a7c15ull) ^ len) * 0xff51afd7ed558ccdull;
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

static void drop_index(struct btf *b)
{
	free(b->only), free(b->bucket), free(b->chain);
	b->only = NULL, b->bucket = b->chain = NULL;
	b->nonly = b->nbucket = 0;
}

/* Is the essential name name[0..len) one of b->only? */
static int wanted(const struct btf *b, const char *name, size_t len)
{
	uint32_t i;

	for (i = 0; i < b->nonly; i++)
		if (b->only[i].len == len && !memcmp(b->only[i].name, name, len))
			return 1;
	return 0;
}

/* The essential length of the type name `name` if its essential name is one of
 * b->only, else 0.  It compares in place and measures nothing first (taking each
 * name's length was half the cost of the partial index), and only with the wanted
 * names that start with the same two bytes. */
static size_t wanted_len(const struct btf *b, const char *name)
{
	const struct btf_want *w;
	uint32_t i, head = btf_head2(name);

	for (i = 0; i < b->nonly; i++) {
		w = &b->only[i];
		if (w->head != head || strncmp(name, w->name, w->len) != 0)
			continue;
		if (!name[w->len] || (name[w->len] == '_' && btf_essential_len(name) == w->len))
			return w->len;          /* the name itself, or a ___flavour of it */
	}
	return 0;
}

/* Put type id, whose essential name is name[0..len), in the index of n buckets. */
static void insert(struct btf *b, uint32_t n, uint32_t id, const char *name, size_t len)
{
	uint32_t h = hash(name, len) & (n - 1);

	b->chain[id] = b->bucket[h];
	b->bucket[h] = id;
}

/* Build the index: of b->only's names from the types the load picked, or of every
 * named type.  Ids go in from the highest down, so that chains come out in id order. */
static int build(struct btf *b)
{
	const char *name;
	uint32_t id, i, n = 16;
	size_t len;

	while (n < (b->only ? 4 * b->nonly : b->ntypes))
		n *= 2;
	b->bucket = calloc(n, sizeof(*b->bucket));
	b->chain = calloc(b->ntypes ? b->ntypes : 1, sizeof(*b->chain));
	if (!b->bucket || !b->chain) {
		drop_index(b);
		return rbpf_error(ENOMEM, "btf: %s: out of memory for the name index", b->file);
	}
	for (i = b->only ? b->npicked : 0; i-- > 0;)
		if ((len = wanted_len(b, name = btf_name(b, b->picked[i]))))
			insert(b, n, b->picked[i], name, len);
	for (id = b->only ? 0 : b->ntypes; id-- > 1;)
		if (*(name = btf_name(b, id)))
			insert(b, n, id, name, btf_essential_len(name));
	free(b->picked);                     /* served its purpose */
	b->picked = NULL, b->npicked = 0;
	b->nbucket = n;
	return 0;
}

int btf_index(struct btf *b)
{
	if (b->nbucket && !b->only)
		return 0;
	drop_index(b);
	return build(b);
}

/* names' essential parts, each once (a loader says task_struct once per relocation),
 * in one allocation: the array first, the names' bytes after it; and the set of
 * their first two bytes. */
static int want_set(const char *const *names, uint32_t n, struct btf *w, uint8_t *heads)
{
	size_t bytes = 1, len;
	uint32_t i;
	char *text;

	memset(heads, 0, 65536 / 8);
	for (i = 0; i < n; i++)
		bytes += btf_essential_len(names[i]) + 1;
	if (!(w->only = malloc((n ? n : 1) * sizeof(*w->only) + bytes)))
		return rbpf_error(ENOMEM, "btf: out of memory for %u names", n);
	text = (char *)(w->only + (n ? n : 1));
	for (i = 0; i < n; i++) {
		len = btf_essential_len(names[i]);
		if (!len || wanted(w, names[i], len))
			continue;
		memcpy(text, names[i], len);
		text[len] = 0;
		w->only[w->nonly++] = (struct btf_want){ text, len, btf_head2(text) };
		heads[btf_head2(text) / 8] |= 1 << btf_head2(text) % 8;
		text += len + 1;
	}
	return 0;
}

int btf_load_only(struct btf *b, const char *path, const char *const *names, uint32_t n)
{
	uint8_t heads[65536 / 8];
	struct btf w = { 0 };
	int r;

	if ((r = want_set(names, n, &w, heads)) < 0)
		return r;
	if ((r = btf_load_picking(b, path, heads)) < 0) {
		free(w.only);
		return r;
	}
	b->only = w.only, b->nonly = w.nonly;
	return build(b);
}

uint32_t btf_find_next(struct btf *b, const char *name, size_t len, uint32_t prev)
{
	const char *n;
	uint32_t id;

	if ((!b->nbucket || (b->only && !wanted(b, name, len))) && btf_index(b) < 0)
		return 0;
	id = prev ? b->chain[prev] : b->bucket[hash(name, len) & (b->nbucket - 1)];
	for (; id; id = b->chain[id]) {
		n = btf_name(b, id);
		if (btf_essential_len(n) == len && memcmp(n, name, len) == 0)
			return id;
	}
	return 0;
}

uint32_t btf_find(struct btf *b, const char *name, int kind)
{
	size_t len = btf_essential_len(name);
	uint32_t id = 0;

	while ((id = btf_find_next(b, name, len, id)))
		if (strcmp(btf_name(b, id), name) == 0 &&
		    (kind < 0 || btf_kind(btf_type(b, id)) == (uint32_t)kind))
			return id;
	return 0;
}

/* Object BTF is small and DATASECs few: a scan, no index needed (b is const). */
uint32_t btf_find_datasec(const struct btf *b, const char *name)
{
	uint32_t id;

	for (id = 1; id < b->ntypes; id++)
		if (btf_kind(btf_type(b, id)) == BTF_KIND_DATASEC &&
		    strcmp(btf_name(b, id), name) == 0)
			return id;
	return 0;
}

/* ------------------------------------------------------------ vmlinux lookup */

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

int rbpf_vmlinux_btf_id(const char *name, int kind)
{
	struct btf b;
	uint32_t id;
	int r;

	if ((r = btf_load_vmlinux(&b)) < 0)
		return r;
	id = btf_find(&b, name, kind);
	btf_free(&b);
	if (id)
		return id;
	return rbpf_error(ENOENT, "btf: no %s named '%s' in %s", kind == BTF_KIND_FUNC ?
			  "function" : "type of that kind", name, VMLINUX_BTF);
}
