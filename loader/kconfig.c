/*
 * kconfig.c -- read the running kernel's configuration, for `__kconfig` externs.
 *
 * A kernel built with CONFIG_IKCONFIG_PROC serves its .config, gzip-compressed, at
 * /proc/config.gz; distributions install it as /boot/config-$(uname -r) instead.  Its
 * lines are `CONFIG_NAME=VALUE` (y, m, a number, or a "quoted string") and comments,
 * including `# CONFIG_NAME is not set`.  We keep the text and look options up by a
 * line scan: a program has a handful of externs, a config ~10,000 lines.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "elf.h"
#include "kconfig.h"
#include "rawbpf.h"

int kconfig_from_text(struct kconfig *k, const char *text, const char *source)
{
	memset(k, 0, sizeof(*k));
	if (!(k->text = strdup(text)))
		return rbpf_error(ENOMEM, "kconfig: out of memory");
	k->len = strlen(text);
	snprintf(k->source, sizeof(k->source), "%s", source);
	return 0;
}

static int read_gz(struct kconfig *k, const char *path)
{
	uint8_t *gz, *text;
	size_t n, len;
	int r;

	if ((r = elf_read_file(path, &gz, &n)) < 0)
		return r;
	r = gunzip(gz, n, &text, &len);
	free(gz);
	if (r < 0)
		return rbpf_error(r, "kconfig: %s is not a gzip file this reader can inflate", path);
	k->text = (char *)text, k->len = len;
	snprintf(k->source, sizeof(k->source), "%s", path);
	return 0;
}

int kconfig_read(struct kconfig *k)
{
	struct utsname u;
	char path[128];
	uint8_t *buf, *text;
	size_t n;
	int r;

	memset(k, 0, sizeof(*k));
	if ((r = read_gz(k, "/proc/config.gz")) != -ENOENT)
		return r;
	uname(&u);
	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	if ((r = elf_read_file(path, &buf, &n)) < 0)
		return rbpf_error(r, "kconfig: neither /proc/config.gz (CONFIG_IKCONFIG_PROC) nor "
				  "%s is there: the kernel's configuration is unknown", path);
	if (!(text = realloc(buf, n + 1))) {
		free(buf);
		return rbpf_error(ENOMEM, "kconfig: out of memory");
	}
	text[n] = 0;
	k->text = (char *)text, k->len = n;
	snprintf(k->source, sizeof(k->source), "%s", path);
	return 0;
}

void kconfig_free(struct kconfig *k)
{
	free(k->text);
	memset(k, 0, sizeof(*k));
}

int kconfig_get(const struct kconfig *k, const char *name, const char **val, size_t *len)
{
	size_t n = strlen(name);
	const char *p = k->text, *end;

	while (p && *p) {
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		if ((size_t)(end - p) > n && !strncmp(p, name, n) && p[n] == '=') {
			*val = p + n + 1;
			*len = end - *val;
			return 0;
		}
		p = *end ? end + 1 : end;
	}
	return -ENOENT;
}
