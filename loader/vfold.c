/*
 * vfold.c -- folding a long verifier log into a view a person can read.
 *
 * A program the verifier refuses as "too large" has a log of a million rows, and
 * nearly all of them say the same thing: the verifier walking one loop's body
 * again and again, with a counter one higher each round.  The interesting rows
 * are few: the walk up to the loop, one round of its body, what changes from
 * round to round, and the last round, where the walk stopped.
 *
 * So this file looks at the instruction rows as a sequence of (kind, instruction)
 * keys.  Where the walk comes back to an instruction it has passed (a back-edge),
 * it measures the round (the rows until the walk is back there again) and counts
 * how many rounds in a row have exactly the same keys.  From three on, the rounds
 * between the first and the last are folded: one fold says how many rows, how
 * many rounds, and which registers changed between the first round and the last
 * ("R7 1 -> 83332").  Loops inside loops fold at the inner level first, as they
 * come.  If the view is still longer than the caller allows, the middle of it is
 * folded too, marked as cut for length.  Nothing is lost: the command's --all
 * prints every row.
 *
 * The work is linear in the log, with a bound on how far ahead a round is looked
 * for (MAX_ROUND keys), so a million-row log folds in a fraction of a second.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "vlog.h"

enum { MAX_ROUND = 4000, MIN_ROUNDS = 3 };

struct keys {
	int *row;        /* the row each key stands for */
	long *key;
	int n;
};

static long key_of(const struct rbpf_vlog_row *r)
{
	return ((long)r->kind << 40) | ((long)(r->from & 0xfffff) << 20) | (r->insn & 0xfffff);
}

static int collect(const struct rbpf_vlog *v, struct keys *k)
{
	int i, end = v->last_insn;

	k->n = 0;
	k->row = malloc((end + 2) * sizeof(int));
	k->key = malloc((end + 2) * sizeof(long));
	if (!k->row || !k->key)
		return -1;
	for (i = 0; i <= end; i++) {
		const struct rbpf_vlog_row *r = &v->rows[i];

		if (r->kind != RBPF_VLOG_INSN && r->kind != RBPF_VLOG_PATH && r->kind != RBPF_VLOG_SAFE)
			continue;
		k->row[k->n] = i;
		k->key[k->n++] = key_of(r);
	}
	return 0;
}

/* The value of "Rn=" in the first row of rows[a..b) that shows it, in buf. */
static int reg_value(const struct rbpf_vlog *v, int a, int b, int reg, char *buf, size_t size)
{
	char pat[8];
	int i, n = snprintf(pat, sizeof(pat), "R%d", reg);

	for (i = a; i < b; i++) {
		const char *s = v->rows[i].state;

		while (s && (s = strstr(s, pat)) != NULL) {
			const char *eq = s + n;

			if ((s == v->rows[i].state || s[-1] == ' ') && (*eq == '=' || *eq == '_')) {
				eq = strchr(eq, '=');
				if (eq) {
					size_t len = strcspn(eq + 1, " ");

					snprintf(buf, size, "%.*s", (int)(len > 40 ? 40 : len), eq + 1);
					return 1;
				}
			}
			s += n;
		}
	}
	return 0;
}

/* Equal but for the ids ("scalar(id=3)" and "scalar(id=166663)")? */
static int same_but_ids(const char *a, const char *b)
{
	while (*a && *b) {
		if (!strncmp(a, "id=", 3) && !strncmp(b, "id=", 3)) {
			a += 3 + strspn(a + 3, "0123456789");
			b += 3 + strspn(b + 3, "0123456789");
			continue;
		}
		if (*a++ != *b++)
			return 0;
	}
	return *a == *b;
}

/* "R7 1 -> 83332, R1 ..." for the registers that differ between two rounds. */
static void what_changed(const struct rbpf_vlog *v, int a0, int a1, int b0, int b1, char *out,
			 size_t size)
{
	char x[48], y[48];
	int reg, n = 0;

	*out = 0;
	for (reg = 0; reg <= 10 && n < 4; reg++) {
		if (!reg_value(v, a0, a1, reg, x, sizeof(x)) || !reg_value(v, b0, b1, reg, y, sizeof(y)) ||
		    same_but_ids(x, y))
			continue;
		snprintf(out + strlen(out), size - strlen(out), "%sR%d %s -> %s", n++ ? ", " : "", reg, x, y);
	}
	if (!n)
		snprintf(out, size, "no register the log shows");
}

static int add(struct rbpf_vlog_fold **f, int *n, const struct rbpf_vlog_fold *one)
{
	struct rbpf_vlog_fold *nf = realloc(*f, (*n + 1) * sizeof(**f));

	if (!nf)
		return -1;
	*f = nf;
	nf[(*n)++] = *one;
	return 0;
}

/* Rounds of identical keys starting at key i, each l keys long. */
static int rounds(const struct keys *k, int i, int l)
{
	int r = 1;

	while (i + (r + 1) * l <= k->n &&
	       !memcmp(k->key + i, k->key + i + r * l, l * sizeof(long)))
		r++;
	return r;
}

/* Fold the loops: a fold per run of >= MIN_ROUNDS identical rounds. */
static int fold_loops(const struct rbpf_vlog *v, const struct keys *k, struct rbpf_vlog_fold **f,
		      int *n)
{
	int i = 1;

	while (i < k->n) {
		const struct rbpf_vlog_row *r = &v->rows[k->row[i]], *p = &v->rows[k->row[i - 1]];
		int j, l, times;

		/* a back-edge: the walk arrives at an instruction not after the last one
		 * (straight from a jump, or from a "from A to B" row of another path) */
		if (r->kind != RBPF_VLOG_INSN || p->kind == RBPF_VLOG_SAFE || r->insn > p->insn) {
			i++;
			continue;
		}
		for (j = i + 1; j < k->n && j - i <= MAX_ROUND && k->key[j] != k->key[i]; j++)
			;
		if (j >= k->n || j - i > MAX_ROUND) {
			i++;
			continue;
		}
		l = j - i;
		times = rounds(k, i, l);
		if (times < MIN_ROUNDS) {
			i++;
			continue;
		}
		{
			struct rbpf_vlog_fold one = { 0 };
			int last = i + (times - 1) * l;         /* the last round, shown */

			one.first = k->row[i + l];
			one.last = k->row[last] - 1;
			one.body = k->row[i + l] - k->row[i];
			one.times = times - 2;
			what_changed(v, k->row[i], k->row[i + l], k->row[last],
				     last + l < k->n ? k->row[last + l] : v->last_insn + 1,
				     one.changed, sizeof(one.changed));
			if (add(f, n, &one) < 0)
				return -1;
		}
		i += (times - 1) * l;
	}
	return 0;
}

/* Rows still shown after the folds. */
static int shown(const struct rbpf_vlog *v, const struct rbpf_vlog_fold *f, int n)
{
	int rows = v->last_insn + 1, i;

	for (i = 0; i < n; i++)
		rows -= f[i].last - f[i].first + 1;
	return rows;
}

/* Past max_rows: fold the middle of what is left, keeping max_rows / 2 at each end. */
static int fold_length(const struct rbpf_vlog *v, struct rbpf_vlog_fold **f, int *n, int max_rows)
{
	int head = max_rows / 2, tail = max_rows / 2, i, row, seen = 0, first = -1, last = -1;

	/* walk the shown rows; hide those after the first `head` and before the last `tail` */
	int total = shown(v, *f, *n);
	struct rbpf_vlog_fold one = { 0 };

	for (row = 0, i = 0; row <= v->last_insn; row++) {
		while (i < *n && row > (*f)[i].last)
			i++;
		if (i < *n && row >= (*f)[i].first)
			continue;
		seen++;
		if (seen > head && seen <= total - tail) {
			if (first < 0)
				first = row;
			last = row;
		}
	}
	if (first < 0)
		return 0;
	/* one fold over first..last swallows the loop folds inside it */
	one.first = first;
	one.last = last;
	one.times = 0;
	snprintf(one.changed, sizeof(one.changed), "cut for length");
	for (i = 0; i < *n && (*f)[i].last < first; i++)
		;
	{
		int j = i;

		while (j < *n && (*f)[j].first <= last)
			j++;
		memmove(*f + i + 1, *f + j, (*n - j) * sizeof(**f));
		*n -= j - i - 1;
		(*f)[i] = one;
	}
	return 0;
}

int rbpf_vlog_fold(const struct rbpf_vlog *v, int max_rows, struct rbpf_vlog_fold **out, int *count)
{
	struct keys k = { 0 };
	int n = 0, err = 0;
	struct rbpf_vlog_fold *f = NULL;

	*out = NULL;
	*count = 0;
	if (v->last_insn < 0)
		return 0;
	if (collect(v, &k) < 0 || fold_loops(v, &k, &f, &n) < 0)
		err = -1;
	if (!err && max_rows > 0 && shown(v, f, n) > max_rows) {
		/* room for the fold rows themselves */
		struct rbpf_vlog_fold *nf = realloc(f, (n + 1) * sizeof(*f));

		if (nf)
			f = nf;
		if (!nf || fold_length(v, &f, &n, max_rows - 20) < 0)
			err = -1;
	}
	free(k.row);
	free(k.key);
	if (err) {
		free(f);
		return rbpf_error(ENOMEM, "vlog: no memory to fold a log of %d rows", v->n);
	}
	*out = f;
	*count = n;
	return 0;
}
