/*
 * iter.c -- BPF iterators: a program that the kernel runs once per object of a
 * kind (every task, every BPF map, every TCP socket...) when someone reads a file.
 *
 * An iter/NAME program is a BPF_PROG_TYPE_TRACING program loaded with expected
 * attach type BPF_TRACE_ITER and attach_btf_id = the kernel's BTF id of the
 * function bpf_iter_NAME (the kernel declares one per iterator kind, only to give
 * it a type: its arguments are the program's context, struct bpf_iter__NAME).
 * Then:
 *
 *   BPF_LINK_CREATE(prog, attach type BPF_TRACE_ITER)   -> link fd
 *   BPF_ITER_CREATE(link fd)                            -> an fd like a seq_file
 *   read(fd) ...                                         -> the program runs, once
 *        per object, and whatever it wrote with bpf_seq_printf is what read() gets;
 *        a last call with the object NULL lets it write a summary.
 *
 * Each BPF_ITER_CREATE starts a new walk; the link can also be pinned in bpffs,
 * and then `cat /sys/fs/bpf/PIN` is the walk.  A map iterator (iter/bpf_map_elem:
 * one call per element of a map) is given its map when linked (iter_info).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawbpf.h"
#include "attach.h"

int rbpf_attach_iter(int prog_fd, int map_fd, struct rbpf_link **out)
{
	struct rbpf_link_opts o = { .iter_map_fd = map_fd };
	int fd = rbpf_link_create(prog_fd, 0, BPF_TRACE_ITER, &o);

	*out = NULL;
	if (fd < 0)
		return rbpf_error(fd, "attach: iterator prog fd=%d: BPF_LINK_CREATE(BPF_TRACE_ITER): "
				  "%s (%s); %s", prog_fd, rbpf_errno_name(fd), strerror(-fd),
				  fd == -EINVAL ? "was it loaded from an iter/NAME section, and "
				  "given a map if it walks one?"
				  : rbpf_errno_hint(fd));
	return link_own_fd(fd, "iterator", out);
}

int rbpf_iter_read(const struct rbpf_link *l, char **text, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *nb;
	ssize_t r;
	int fd, err = 0;

	*text = NULL;
	*len = 0;
	if (!buf)
		return rbpf_error(ENOMEM, "iterator: out of memory");
	if ((fd = rbpf_iter_create(rbpf_link_fd(l))) < 0) {
		free(buf);
		return rbpf_error(fd, "iterator: BPF_ITER_CREATE on link fd=%d: %s (%s)",
				  rbpf_link_fd(l), rbpf_errno_name(fd), strerror(-fd));
	}
	while (!err) {
		if (cap - n < 2) {                       /* room for more and the NUL */
			if (!(nb = realloc(buf, cap * 2))) {
				err = -ENOMEM;
				break;
			}
			buf = nb, cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r <= 0) {
			err = r < 0 ? -errno : 0;
			break;
		}
		n += r;
	}
	close(fd);
	if (err) {
		free(buf);
		return rbpf_error(err, "iterator: reading its text after %zu bytes: %s", n,
				  strerror(-err));
	}
	buf[n] = 0;
	*text = buf;
	*len = n;
	return 0;
}
