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
	uint32_t i;

	for (i = 0; i < b->nonly; i++)
		free(b->only[i]);
	free(b->only), free(b->bucket), free(b->chain);
	b->only = NULL, b->bucket = b->chain = NULL;
	b->nonly = b->nbucket = 0;
}

/* The two bytes a name starts with, as a bitmap index (the partial index's filter). */
static uint32_t head2(const char *s)
{
	return (uint8_t)s[0] | (s[0] ? (uint32_t)(uint8_t)s[1] << 8 : 0);
}

/* Is name (essential length len) one of b->only? */
static int wanted(const struct btf *b, const char *name, size_t len)
{
	uint32_t i;

	for (i = 0; i < b->nonly; i++)
		if (strlen(b->only[i]) == len && !memcmp(b->only[i], name, len))
			return 1;
	return 0;
}

/* Build the index of b->only's names (all named types when only is NULL). */
static int build(struct btf *b, const uint8_t *filter)
{
	const char *name;
	uint32_t id, n = 16, h;
	size_t len;

	while (n < (b->only ? 4 * b->nonly : b->ntypes))
		n *= 2;
	b->bucket = calloc(n, sizeof(*b->bucket));
	b->chain = calloc(b->ntypes ? b->ntypes : 1, sizeof(*b->chain));
	if (!b->bucket || !b->chain) {
		drop_index(b);
		return rbpf_error(ENOMEM, "btf: %s: out of memory for the name index", b->file);
	}
	for (id = b->ntypes; id-- > 1;) {    /* backwards: chains come out in id order */
		name = btf_name(b, id);
		if (!*name || (filter && !(filter[head2(name) / 8] & 1 << head2(name) % 8)))
			continue;
		len = btf_essential_len(name);
		if (b->only && !wanted(b, name, len))
			continue;
		h = hash(name, len) & (n - 1);
		b->chain[id] = b->bucket[h];
		b->bucket[h] = id;
	}
	b->nbucket = n;
	return 0;
}

int btf_index(struct btf *b)
{
	if (b->nbucket && !b->only)
		return 0;
	drop_index(b);
	return build(b, NULL);
}

int btf_index_only(struct btf *b, const char *const *names, uint32_t n)
{
	uint8_t filter[65536 / 8];
	uint32_t i;

	drop_index(b);
	memset(filter, 0, sizeof(filter));
	if (!(b->only = calloc(n ? n : 1, sizeof(*b->only))))
		return rbpf_error(ENOMEM, "btf: %s: out of memory", b->file);
	for (i = 0; i < n; i++, b->nonly++) {
		if (!(b->only[i] = strndup(names[i], btf_essential_len(names[i])))) {
			drop_index(b);
			return rbpf_error(ENOMEM, "btf: %s: out of memory", b->file);
		}
		filter[head2(b->only[i]) / 8] |= 1 << head2(b->only[i]) % 8;
	}
	return build(b, filter);
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
