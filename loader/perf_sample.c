/*
 * perf_sample.c -- a perf_event program on a sampling event: a profiler.
 *
 * perf_event_open with a software clock (PERF_COUNT_SW_CPU_CLOCK) and a sampling
 * frequency makes the kernel interrupt the CPU that often; a BPF_PROG_TYPE_PERF_EVENT
 * program put on that event runs at each sample, in the interrupted context, where
 * bpf_get_stackid() can record the kernel and the user stack.  A sampling event
 * watches one CPU (pid -1) or one process (pid, cpu -1): a system-wide profiler
 * opens one per CPU, as libbpf-bootstrap's profile does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rawbpf.h"
#include "attach.h"

int rbpf_attach_perf_sample(int prog_fd, uint64_t freq, int pid, int cpu,
			    struct rbpf_link **out)
{
	struct perf_event_attr attr;
	char what[96];
	int pfd;

	*out = NULL;
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.size = sizeof(attr);
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.freq = 1;
	attr.sample_freq = freq ? freq : 49;
	attr.disabled = 1;
	snprintf(what, sizeof(what), "perf_event sampling at %llu Hz on %s %d",
		 (unsigned long long)attr.sample_freq, pid >= 0 ? "pid" : "cpu",
		 pid >= 0 ? pid : cpu);
	pfd = rbpf_perf_event_open(&attr, pid, pid >= 0 ? -1 : cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return rbpf_error(pfd, "attach: %s: perf_event_open: %s (%s); %s", what,
				  rbpf_errno_name(pfd), strerror(-pfd), pfd == -ENODEV ?
				  "no such CPU (offline?)" : pfd == -EINVAL ? "the frequency may be "
				  "above kernel.perf_event_max_sample_rate" : rbpf_errno_hint(pfd));
	return link_perf_own(prog_fd, pfd, what, NULL, out);
}
