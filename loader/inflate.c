/*
 * inflate.c -- decompress gzip (RFC 1952) holding deflate data (RFC 1951), for
 * /proc/config.gz.  No zlib: the loader depends on libc and the kernel only.
 *
 * Deflate is a run of blocks.  Each is stored (raw bytes), or Huffman-coded with the
 * fixed code tables of the RFC, or with tables sent at the start of the block (which
 * are themselves Huffman-coded).  A code's symbols are literal bytes (0-255), the end
 * of the block (256), or a length (257-285) followed by a distance code: "copy N
 * bytes from D bytes back".  Codes are canonical: a table is fully described by the
 * bit length of each symbol, so we keep, per length, how many codes there are and the
 * symbols in code order, and decode one bit at a time (slow, short, and fast enough
 * for 25 KB).
 *
 * Every read is checked against the input; output grows as needed up to a cap.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kconfig.h"

#define MAX_BITS 15
#define MAX_OUT (64u << 20)      /* a kernel config is ~250 KB; refuse absurd sizes */

struct in {
	const uint8_t *p;
	size_t n, pos;               /* pos in bytes */
	uint32_t bitbuf, bitcnt;
	int err;
};

struct out {
	uint8_t *p;
	size_t n, cap;
	int err;
};

struct huff {
	uint16_t count[MAX_BITS + 1];    /* codes of each length */
	uint16_t sym[320];               /* symbols, ordered by code */
};

static uint32_t bits(struct in *s, uint32_t need)
{
	uint32_t v;

	while (s->bitcnt < need) {
		if (s->pos >= s->n) {
			s->err = 1;
			return 0;
		}
		s->bitbuf |= (uint32_t)s->p[s->pos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	v = s->bitbuf & ((1u << need) - 1);
	s->bitbuf >>= need;
	s->bitcnt -= need;
	return v;
}

static void put(struct out *o, uint8_t c)
{
	uint8_t *p;

	if (o->n == o->cap) {
		if (o->cap >= MAX_OUT || !(p = realloc(o->p, o->cap ? o->cap * 2 : 65536))) {
			o->err = 1;
			return;
		}
		o->p = p, o->cap = o->cap ? o->cap * 2 : 65536;
	}
	o->p[o->n++] = c;
}

/* Build a table from n code lengths; 0, or -1 if the lengths over-subscribe. */
static int build(struct huff *h, const uint8_t *len, uint32_t n)
{
	uint16_t offs[MAX_BITS + 2];
	int left = 1;
	uint32_t i;

	memset(h->count, 0, sizeof(h->count));
	for (i = 0; i < n; i++)
		h->count[len[i]]++;
	for (i = 1; i <= MAX_BITS; i++) {
		left = left * 2 - h->count[i];
		if (left < 0)
			return -1;
	}
	offs[1] = 0;
	for (i = 1; i <= MAX_BITS; i++)
		offs[i + 1] = offs[i] + h->count[i];
	for (i = 0; i < n; i++)
		if (len[i])
			h->sym[offs[len[i]]++] = i;
	return 0;
}

/* One symbol: read bits MSB-first into code until it falls within a length's range. */
static int decode(struct in *s, const struct huff *h)
{
	int code = 0, first = 0, index = 0, len;

	for (len = 1; len <= MAX_BITS; len++) {
		code |= bits(s, 1);
		if (s->err)
			return -1;
		if (code - h->count[len] < first)
			return h->sym[index + (code - first)];
		index += h->count[len];
		first = (first + h->count[len]) << 1;
		code <<= 1;
	}
	return -1;
}

static const uint16_t len_base[] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27,
	31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3,
	3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
	193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7,
	8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

/* The symbols of one Huffman-coded block, until end-of-block. */
static int codes(struct in *s, struct out *o, const struct huff *lit, const struct huff *dist)
{
	int sym, d;
	uint32_t len, back;

	for (;;) {
		if ((sym = decode(s, lit)) < 0 || sym > 285)
			return -1;
		if (sym < 256) {
			put(o, sym);
		} else if (sym == 256) {
			return o->err ? -1 : 0;
		} else {
			sym -= 257;
			len = len_base[sym] + bits(s, len_extra[sym]);
			if ((d = decode(s, dist)) < 0 || d > 29)
				return -1;
			back = dist_base[d] + bits(s, dist_extra[d]);
			if (s->err || back > o->n)
				return -1;
			while (len-- && !o->err)
				put(o, o->p[o->n - back]);
		}
		if (o->err || s->err)
			return -1;
	}
}

static int fixed(struct in *s, struct out *o)
{
	uint8_t len[288];
	struct huff lit, dist;
	int i;

	for (i = 0; i < 288; i++)
		len[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
	build(&lit, len, 288);
	memset(len, 5, 30);
	build(&dist, len, 30);
	return codes(s, o, &lit, &dist);
}

/* A dynamic block: the code-length code, then the two tables' lengths, then codes. */
static int dynamic(struct in *s, struct out *o)
{
	static const uint8_t order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3,
		13, 2, 14, 1, 15 };
	uint8_t len[320] = { 0 };
	struct huff lencode, lit, dist;
	uint32_t nlen = bits(s, 5) + 257, ndist = bits(s, 5) + 1, ncode = bits(s, 4) + 4, i, rep;
	int sym;

	if (s->err || nlen > 286 || ndist > 30)
		return -1;
	for (i = 0; i < ncode; i++)
		len[order[i]] = bits(s, 3);
	if (s->err || build(&lencode, len, 19) < 0)
		return -1;
	for (i = 0; i < nlen + ndist;) {
		if ((sym = decode(s, &lencode)) < 0)
			return -1;
		if (sym < 16) {
			len[i++] = sym;
			continue;
		}
		if (sym == 16 && i == 0)
			return -1;
		rep = sym == 16 ? 3 + bits(s, 2) : sym == 17 ? 3 + bits(s, 3) : 11 + bits(s, 7);
		if (s->err || i + rep > nlen + ndist)
			return -1;
		for (sym = sym == 16 ? len[i - 1] : 0; rep--;)
			len[i++] = sym;
	}
	if (build(&lit, len, nlen) < 0 || build(&dist, len + nlen, ndist) < 0)
		return -1;
	return codes(s, o, &lit, &dist);
}

static int stored(struct in *s, struct out *o)
{
	uint16_t len, nlen;

	s->bitbuf = s->bitcnt = 0;                 /* to the byte boundary */
	if (s->n - s->pos < 4)
		return -1;
	len = s->p[s->pos] | s->p[s->pos + 1] << 8;
	nlen = s->p[s->pos + 2] | s->p[s->pos + 3] << 8;
	s->pos += 4;
	if ((uint32_t)len + nlen != 0xffff || s->n - s->pos < len)
		return -1;
	while (len-- && !o->err)
		put(o, s->p[s->pos++]);
	return o->err ? -1 : 0;
}

/* The gzip header: magic, method 8, flags; skip the optional fields it announces. */
static int gzip_header(struct in *s)
{
	uint8_t flg;

	if (s->n < 18 || s->p[0] != 0x1f || s->p[1] != 0x8b || s->p[2] != 8)
		return -1;
	flg = s->p[3];
	s->pos = 10;
	if (flg & 4) {                              /* FEXTRA */
		if (s->n - s->pos < 2)
			return -1;
		s->pos += 2 + (s->p[s->pos] | s->p[s->pos + 1] << 8);
	}
	for (int f = 8; f <= 16; f <<= 1)           /* FNAME, FCOMMENT: NUL-terminated */
		if (flg & f) {
			while (s->pos < s->n && s->p[s->pos])
				s->pos++;
			s->pos++;
		}
	if (flg & 2)                                /* FHCRC */
		s->pos += 2;
	return s->pos < s->n ? 0 : -1;
}

int gunzip(const uint8_t *in, size_t n, uint8_t **out, size_t *out_len)
{
	struct in s = { .p = in, .n = n };
	struct out o = { 0 };
	uint32_t last, type;
	int r = gzip_header(&s);

	do {
		last = bits(&s, 1), type = bits(&s, 2);
		if (r < 0 || s.err || type == 3)
			r = -1;
		else
			r = type == 0 ? stored(&s, &o) : type == 1 ? fixed(&s, &o) : dynamic(&s, &o);
	} while (r == 0 && !last);
	if (r == 0)
		put(&o, 0);                             /* a NUL: the text is a C string */
	if (r < 0 || o.err) {
		free(o.p);
		return -EINVAL;
	}
	*out = o.p;
	*out_len = o.n - 1;
	return 0;
}
