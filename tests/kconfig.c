/*
 * kconfig.c -- the kernel config reader (loader/kconfig.c) and its inflate
 * (loader/inflate.c): /proc/config.gz read by us equals zcat's output; a damaged
 * gzip (cut at every length, bytes flipped) is an error, never a crash or a hang.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../loader/kconfig.h"
#include "rawbpf.h"
#include "test.h"

TEST(kconfig_same_as_zcat)
{
	struct kconfig k;
	char *z;
	int st;

	if (access("/proc/config.gz", R_OK) != 0)
		SKIP("no /proc/config.gz (CONFIG_IKCONFIG_PROC)");
	z = test_run_cmd(&st, "zcat /proc/config.gz");
	ASSERT(0, st);
	ASSERT_OK(kconfig_read(&k));
	ASSERT_STREQ("/proc/config.gz", k.source);
	ASSERT(strlen(z), k.len);
	ASSERT_TRUE(memcmp(z, k.text, k.len) == 0, "inflated text differs from zcat's");
	free(z);
	kconfig_free(&k);
}

TEST(kconfig_lookup)
{
	struct kconfig k;
	const char *v;
	size_t n;

	ASSERT_OK(kconfig_from_text(&k, "# comment\nCONFIG_A=y\nCONFIG_AB=\"x y\"\n"
				    "# CONFIG_C is not set\nCONFIG_HZ=250", "text"));
	ASSERT(0, kconfig_get(&k, "CONFIG_A", &v, &n));
	ASSERT(1, n);
	ASSERT('y', *v);
	ASSERT(0, kconfig_get(&k, "CONFIG_AB", &v, &n));
	ASSERT(5, n);
	ASSERT(0, kconfig_get(&k, "CONFIG_HZ", &v, &n));
	ASSERT(3, n);
	ASSERT(-ENOENT, kconfig_get(&k, "CONFIG_C", &v, &n));
	ASSERT(-ENOENT, kconfig_get(&k, "CONFIG_", &v, &n));
	kconfig_free(&k);
}

/* Every prefix of a real gzip file and a few thousand single-byte changes. */
TEST(kconfig_damaged_gzip_is_an_error)
{
	uint8_t *gz, *out;
	size_t n = 0, len, i;
	FILE *f;
	int ok = 0;

	if (!(f = fopen("/proc/config.gz", "rb")))
		SKIP("no /proc/config.gz");
	gz = malloc(1 << 20);
	n = fread(gz, 1, 1 << 20, f);
	fclose(f);
	ASSERT(0, gunzip(gz, n, &out, &len));
	free(out);
	for (i = 0; i < n; i += (i < 64 ? 1 : 97)) {
		ASSERT(-EINVAL, gunzip(gz, i, &out, &len));
	}
	srand(1);
	for (i = 0; i < 2000; i++) {
		size_t at = 10 + (size_t)rand() % (n - 10);
		uint8_t old = gz[at];

		gz[at] ^= 1 + rand() % 255;
		if (gunzip(gz, n, &out, &len) == 0)
			ok++, free(out);              /* some flips still inflate: fine */
		gz[at] = old;
	}
	ASSERT_TRUE(ok < 2000, "every damaged copy inflated?");
	free(gz);
}
