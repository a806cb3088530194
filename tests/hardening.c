/*
 * hardening.c -- the loader cannot be crashed by bad bytes, and loses nothing when
 * it refuses them.
 *
 * Three kinds of evidence, all replayed by `make check`:
 *
 *   - every input the fuzzer (tests/fuzz/object_fuzz.c) ever crashed on, kept in
 *     tests/fuzz/regress/, opened again and walked like the fuzz target does;
 *   - every prefix of real objects (a file cut at each byte) and a list of named
 *     corruptions of one (bad magic, sections out of the file, a name past its
 *     string table...), each refused with a message that says where;
 *   - for each, the heap and the fd table measured before and after: equal.
 *
 * The heap is measured with mallinfo2() (glibc), or with the sanitizer's own count
 * under `make check-asan`, where malloc is ASan's.  Under ASan this file also makes
 * LeakSanitizer run in every test child: the runner ends a child with _exit(),
 * which skips the leak check that exit() would do, so _exit is wrapped below.
 */
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rawbpf.h"
#include "test.h"
#include "hardening.h"
#include "fuzz/fuzz_walk.h"
#include "fuzz/text_walk.h"

/* ----------------------------------------------- sanitizers: leaks per test */

#if defined(__SANITIZE_ADDRESS__)
#define HARD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HARD_ASAN 1
#endif
#endif

#ifdef HARD_ASAN
/* From the sanitizers' interface headers (gcc ships only some of them). */
size_t __sanitizer_get_current_allocated_bytes(void);
int __lsan_do_recoverable_leak_check(void);

/* Dynamic linking (ASan needs it) lets the runner's own calls to _exit land here.
 * A child that ends well (status 0: passed or skipped) is checked for leaks first;
 * a leak turns its status into 23 (LeakSanitizer's own), so the test FAILs. */
void _exit(int status)
{
	if (status == 0 && __lsan_do_recoverable_leak_check())
		status = 23;
	syscall(SYS_exit_group, status);
	for (;;)
		;
}

size_t hard_heap_bytes(void)
{
	return __sanitizer_get_current_allocated_bytes();
}
#else
size_t hard_heap_bytes(void)
{
	return mallinfo2().uordblks;
}
#endif

/* ------------------------------------------------------------- helpers */

void *hard_read_file(const char *path, size_t *size)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		FAIL("open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !(buf = malloc(st.st_size + 1)) ||
	    read(fd, buf, st.st_size) != st.st_size)
		FAIL("read %s: %s", path, strerror(errno));
	close(fd);
	*size = st.st_size;
	return buf;
}

/* Open bytes from memory; when they open, walk them like the fuzzer.  Returns
 * open's result; FAILs on a failure without a message. */
int hard_open_walk(const void *buf, size_t size, const char *what)
{
	struct rbpf_object *obj;
	int r;

	rbpf_error(0, "%s", "");
	r = rbpf_object_open_mem(buf, size, what, &obj);
	if (r < 0) {
		ASSERT_TRUE(rbpf_errmsg()[0], "%s: open failed (%d) with no message", what, r);
		ASSERT_TRUE(obj == NULL, "%s: open failed but left *obj set", what);
		return r;
	}
	fuzz_walk(obj);
	rbpf_object_close(obj);
	return r;
}

/* glibc's malloc keeps up to 7 freed chunks per size in a per-thread cache that
 * mallinfo2 counts as in use, so the heap only settles after a workload has run a
 * few times: run it `warm` times, then measure around `runs` more.  The heap and the
 * fd table must come back exactly: a leak of one allocation per run shows. */
void hard_no_leak(const char *what, int warm, int runs, void (*fn)(void *), void *ctx)
{
	size_t heap;
	int fds, i;

	for (i = 0; i < warm; i++)
		fn(ctx);
	fds = test_count_fds();
	heap = hard_heap_bytes();
	for (i = 0; i < runs; i++)
		fn(ctx);
	ASSERT_TRUE(test_count_fds() == fds, "%s: %d fds open after %d runs, %d before",
		    what, test_count_fds(), runs, fds);
	ASSERT_TRUE(hard_heap_bytes() == heap, "%s: %zu heap bytes in use after %d runs, "
		    "%zu before", what, hard_heap_bytes(), runs, heap);
}

/* ------------------------------------------------ fuzz findings, replayed */

/* Every file in tests/fuzz/regress/ once crashed the loader.  Opened and walked,
 * each must come back (refused or opened), with nothing left allocated. */
struct replay {
	const char *dir;
	void (*walk)(const uint8_t *data, size_t size, const char *name);
	int n;
};

static void walk_object(const uint8_t *data, size_t size, const char *name)
{
	hard_open_walk(data, size, name);
}

static void walk_text(const uint8_t *data, size_t size, const char *name)
{
	(void)name;
	text_walk(data, size);
}

static void replay_all(void *ctx)
{
	struct replay *r = ctx;
	struct dirent *e;
	char path[512];
	size_t size;
	void *buf;
	DIR *d = opendir(r->dir);

	ASSERT_TRUE(d != NULL, "%s: %s", r->dir, strerror(errno));
	for (r->n = 0; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", r->dir, e->d_name);
		buf = hard_read_file(path, &size);
		r->walk(buf, size, path);
		free(buf);
		r->n++;
	}
	closedir(d);
}

TEST(hard_fuzz_regressions_replay)
{
	struct replay r = { "tests/fuzz/regress", walk_object, 0 };

	hard_no_leak("replaying tests/fuzz/regress", 16, 2, replay_all, &r);
	ASSERT_TRUE(r.n > 0, "no regression inputs found");
}

/* The same for text_fuzz.c's findings: verifier logs, trace lines, instructions. */
TEST(hard_fuzz_text_regressions_replay)
{
	struct replay r = { "tests/fuzz/text-regress", walk_text, 0 };

	hard_no_leak("replaying tests/fuzz/text-regress", 16, 2, replay_all, &r);
	ASSERT_TRUE(r.n > 0, "no regression inputs found");
}
