/*
 * kconfig.h -- the running kernel's build configuration (loader/kconfig.c), and the
 * gzip reader it needs for /proc/config.gz (loader/inflate.c).  Internal.
 */
#ifndef RBPF_KCONFIG_H
#define RBPF_KCONFIG_H

#include <stddef.h>
#include <stdint.h>

/* Decompress a gzip file's bytes: *out (malloc'd, NUL-terminated, *out_len bytes
 * before the NUL).  0 or -EINVAL (not gzip, corrupt, or over 64 MiB). */
int gunzip(const uint8_t *in, size_t n, uint8_t **out, size_t *out_len);

struct kconfig {
	char *text;                  /* the whole config, NUL-terminated */
	size_t len;
	char source[160];            /* where it came from, for messages */
};

/* /proc/config.gz if the kernel has it (CONFIG_IKCONFIG_PROC), else
 * /boot/config-$(uname -r).  0, or -ENOENT with a message naming both. */
int kconfig_read(struct kconfig *k);
/* Parse a config's text (copied): for tests and for other kernels' configs. */
int kconfig_from_text(struct kconfig *k, const char *text, const char *source);
void kconfig_free(struct kconfig *k);
/* The value of option name ("CONFIG_HZ"): "250", "y", "\"(none)\"" -- a pointer
 * into the text and its length.  0, or -ENOENT if the config does not set it
 * ("# CONFIG_X is not set" counts as not set). */
int kconfig_get(const struct kconfig *k, const char *name, const char **val, size_t *len);

#endif
