/*
 * layout.c -- the promise that rawbpf needs only libc and the kernel, checked:
 * every #include <...> in loader/ (and loader/cmd/), asm/ and the user side of progs/ must be a header
 * of the C library (package libc6-dev) or of the kernel's uapi (linux-libc-dev).
 * Our own headers come in with #include "...".  A header of libbpf, libelf, zlib or
 * BCC anywhere there is a failure.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "test.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0;

	if (!f)
		return NULL;
	if (getdelim(&text, &cap, 0, f) < 0) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

/* Is "/usr/include/<h>" listed as a file of libc6-dev or linux-libc-dev, or one of
 * the headers that C requires of the compiler itself (stdarg.h, stdatomic.h, ...)? */
static int system_header(const char *libc, const char *uapi, const char *h)
{
	static const char *compiler[] = { "stdarg.h", "stddef.h", "stdbool.h", "stdalign.h",
		"stdatomic.h", "stdnoreturn.h", "float.h", "iso646.h", "limits.h" };
	char want[512];
	size_t i;

	for (i = 0; i < sizeof(compiler) / sizeof(compiler[0]); i++)
		if (!strcmp(h, compiler[i]))
			return 1;
	snprintf(want, sizeof(want), "/usr/include/%s\n", h);
	if (strstr(libc, want) || strstr(uapi, want))
		return 1;
	/* multiarch headers: /usr/include/x86_64-linux-gnu/<h> */
	snprintf(want, sizeof(want), "-linux-gnu/%s\n", h);
	return strstr(libc, want) || strstr(uapi, want);
}

static void check_dir(const char *dir, const char *libc, const char *uapi, int *files)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512], h[256], *text, *p;

	if (!d)
		return;                            /* progs/ before the first lesson */
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 3 || (strcmp(e->d_name + n - 2, ".c") && strcmp(e->d_name + n - 2, ".h")))
			continue;
		if (n > 6 && !strcmp(e->d_name + n - 6, ".bpf.c"))
			continue;                  /* kernel side: compiled by clang */
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = slurp(path);
		ASSERT_TRUE(text != NULL, "cannot read %s", path);
		for (p = text; (p = strstr(p, "#include <")); p++)
			if (sscanf(p, "#include <%255[^>]>", h) == 1 &&
			    !system_header(libc, uapi, h))
				FAIL("%s includes <%s>, which is not a header of libc or the "
				     "kernel's uapi", path, h);
		free(text);
		(*files)++;
	}
	closedir(d);
}

TEST(layout_only_libc_and_uapi)
{
	char *libc = slurp("/var/lib/dpkg/info/libc6-dev:amd64.list");
	char *uapi = slurp("/var/lib/dpkg/info/linux-libc-dev:amd64.list");
	int files = 0;

	if (!libc || !uapi)
		SKIP("no dpkg file lists here to tell libc's headers from others");
	check_dir("loader", libc, uapi, &files);
	check_dir("loader/cmd", libc, uapi, &files);
	check_dir("asm", libc, uapi, &files);
	check_dir("progs", libc, uapi, &files);
	check_dir("include", libc, uapi, &files);
	ASSERT_TRUE(files >= 10, "only %d files checked", files);
	free(libc);
	free(uapi);
}
