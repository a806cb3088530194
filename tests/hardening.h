/*
 * hardening.h -- what the hardening tests share (tests/hardening*.c, badinput*.c,
 * faults*.c): leak measurement and reading objects as bytes.
 */
#ifndef HARDENING_H
#define HARDENING_H

#include <stddef.h>

/* Bytes of heap in use (mallinfo2, or the sanitizer's count under ASan). */
size_t hard_heap_bytes(void);

/* Run fn(ctx) `warm` times, then `runs` times more: FAIL naming `what` unless the fd
 * table and the heap in use are the same before and after those runs. */
void hard_no_leak(const char *what, int warm, int runs, void (*fn)(void *), void *ctx);

/* A whole file in a malloc'd buffer (FAILs if it cannot be read). */
void *hard_read_file(const char *path, size_t *size);
/* rbpf_object_open_mem; when it opens, read everything, then close.  Returns open's
 * result; FAILs if a refusal comes without a message. */
int hard_open_walk(const void *buf, size_t size, const char *what);

#endif
