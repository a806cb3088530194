/*
 * attach_net.c -- programs on the network path: a socket, an interface.
 *
 *   socket filter   setsockopt(SO_ATTACH_BPF) on the socket; SO_DETACH_BPF undoes it.
 *                   The socket stays the caller's.
 *   XDP             BPF_LINK_CREATE with the interface's index (5.9+); the program
 *                   sees each packet as the driver receives it (or, in generic mode,
 *                   just after).
 *   tc              BPF_LINK_CREATE of a tcx link (6.6+) on the interface's ingress or
 *                   egress; older kernels attach tc programs with tc(8) only.
 */
#include <errno.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>

#include "attach.h"

int rbpf_attach_socket(int prog_fd, int sock_fd, struct rbpf_link **out)
{
	struct rbpf_link *l;

	*out = NULL;
	if (setsockopt(sock_fd, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof(prog_fd)) < 0)
		return rbpf_error(errno, "attach: SO_ATTACH_BPF prog fd=%d on socket fd=%d: %s "
				  "(%s)%s", prog_fd, sock_fd, rbpf_errno_name(errno),
				  strerror(errno), errno == EINVAL ? "; is it a SOCKET_FILTER "
				  "program?" : "");
	l = link_new(LINK_SOCKET);
	if (!l) {
		link_detach_socket(sock_fd);
		return rbpf_error(ENOMEM, "attach: out of memory");
	}
	l->sock_fd = sock_fd;
	*out = l;
	return 0;
}

static const char *xdp_hint(int err)
{
	switch (-err) {
	case EINVAL:     return "kernels before 5.9 have no XDP links; or wrong program type";
	case EBUSY:      return "an XDP program is already attached (by another link or by "
				"netlink: `ip link set dev IF xdp off`)";
	case EOPNOTSUPP: return "the driver has no native XDP: try XDP_FLAGS_SKB_MODE";
	default:         return rbpf_errno_hint(err);
	}
}

int rbpf_attach_xdp(int prog_fd, const char *ifname, uint32_t flags, struct rbpf_link **out)
{
	unsigned ifindex = if_nametoindex(ifname);
	int fd;

	*out = NULL;
	if (!ifindex)
		return rbpf_error(ENODEV, "attach: xdp: no interface %s (%s)", ifname,
				  strerror(errno));
	fd = rbpf_link_create(prog_fd, (int)ifindex, BPF_XDP,
			      &(struct rbpf_link_opts){ .flags = flags });
	if (fd < 0)
		return rbpf_error(fd, "attach: xdp on %s (ifindex %u): BPF_LINK_CREATE: %s "
				  "(%s); %s", ifname, ifindex, rbpf_errno_name(fd),
				  strerror(-fd), xdp_hint(fd));
	return link_own_fd(fd, "xdp", out);
}

/* tcx attach types (6.6); the uapi headers of older distributions lack them. */
#define RBPF_TCX_INGRESS 46
#define RBPF_TCX_EGRESS  47

int rbpf_attach_tc(int prog_fd, const char *ifname, int egress, struct rbpf_link **out)
{
	unsigned ifindex = if_nametoindex(ifname);
	const char *dir = egress ? "egress" : "ingress";
	int fd;

	*out = NULL;
	if (!ifindex)
		return rbpf_error(ENODEV, "attach: tc: no interface %s (%s)", ifname,
				  strerror(errno));
	fd = rbpf_link_create(prog_fd, (int)ifindex,
			      egress ? RBPF_TCX_EGRESS : RBPF_TCX_INGRESS, NULL);
	if (fd < 0)
		return rbpf_error(fd, "attach: tc %s on %s (ifindex %u): BPF_LINK_CREATE(tcx): "
				  "%s (%s); %s", dir, ifname, ifindex, rbpf_errno_name(fd),
				  strerror(-fd), fd == -EINVAL ? "tcx links need Linux 6.6+ and "
				  "a SCHED_CLS program; on older kernels attach with tc(8)"
				  : rbpf_errno_hint(fd));
	return link_own_fd(fd, "tc", out);
}
