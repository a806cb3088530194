/*
 * error.c -- the message that goes with a negative errno.
 *
 * Library functions return -errno and leave a sentence here saying what was tried,
 * what the kernel answered and what usually causes it; only main() prints it.
 * One buffer per thread, overwritten by the next failure.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rawbpf.h"

/* The kernel's own "not supported" (524): it has no libc name but bpf() returns it. */
#define ENOTSUPP 524

static _Thread_local char errmsg[4096];

const char *rbpf_errmsg(void)
{
	return errmsg;
}

int rbpf_error(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	return err > 0 ? -err : err;
}

int rbpf_error_prefix(int err, const char *fmt, ...)
{
	char old[sizeof(errmsg)];
	size_t n;
	va_list ap;

	memcpy(old, errmsg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	n = strlen(errmsg);
	snprintf(errmsg + n, sizeof(errmsg) - n, "%s", old);
	return err;
}

/* The errno names a BPF learner meets; strerror() gives the text. */
const char *rbpf_errno_name(int err)
{
	static const struct { int n; const char *s; } names[] = {
		{EPERM, "EPERM"}, {ENOENT, "ENOENT"}, {ESRCH, "ESRCH"}, {EINTR, "EINTR"},
		{EIO, "EIO"}, {E2BIG, "E2BIG"}, {ENOEXEC, "ENOEXEC"}, {EBADF, "EBADF"},
		{EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"}, {EACCES, "EACCES"},
		{EFAULT, "EFAULT"}, {EBUSY, "EBUSY"}, {EEXIST, "EEXIST"},
		{ENODEV, "ENODEV"}, {ENOTDIR, "ENOTDIR"}, {EISDIR, "EISDIR"},
		{EINVAL, "EINVAL"}, {EMFILE, "EMFILE"}, {ENOSPC, "ENOSPC"},
		{ERANGE, "ERANGE"}, {ENOSYS, "ENOSYS"}, {ELOOP, "ELOOP"},
		{ENOTSUP, "EOPNOTSUPP"}, {ENOTSUPP, "ENOTSUPP"},
		{EPROTO, "EPROTO"}, {EBADMSG, "EBADMSG"}, {EOVERFLOW, "EOVERFLOW"},
		{ENXIO, "ENXIO"}, {ESPIPE, "ESPIPE"}, {EDOM, "EDOM"}, {ENODATA, "ENODATA"},
	};
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].n == err)
			return names[i].s;
	return "E?";
}

const char *rbpf_errno_hint(int err)
{
	switch (err < 0 ? -err : err) {
	case EPERM:
		return "needs root, or CAP_BPF (+ CAP_PERFMON to trace, CAP_NET_ADMIN for XDP)";
	case EACCES:
		return "the verifier rejected the program (see its log), or a capability is missing";
	case ENOSPC:
		return "the verifier log did not fit in its buffer";
	case E2BIG:
		return "too large: too many instructions, or an attr field the kernel does not know";
	case ENOSYS:
		return "this kernel was built without the bpf() system call (CONFIG_BPF_SYSCALL)";
	case EMFILE:
		return "this process has as many files open as it may (ulimit -n, RLIMIT_NOFILE): "
		       "each program, map and link holds one";
	case ENOTSUPP:
		return "this kernel does not support that here (often: a program or map type)";
	default:
		return "";
	}
}
