/*
 * vm.c -- the lab VM is the kernel it claims to be (make vm-check; skipped elsewhere).
 *
 * `make vm-check KERNEL=5.10|6.1|6.12` boots one of Debian's stock kernels under qemu
 * (tests/vm/) and runs this same suite
 * inside it (tests/vm/).  The point of the VM is what the development machines lack:
 * kprobes.  If the VM silently booted some other kernel, or one without the kprobe
 * PMU, every kprobe test would SKIP and the run would still look green.  These tests
 * make that a FAIL: inside the VM they check the kernel and what the other tests
 * need from it; outside it they SKIP.
 *
 * "Inside the VM" means the VM's init said so: it exports RAWBPF_VM=1 and its
 * kernel command line carries rawbpf.mode=.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "rawbpf.h"
#include "test.h"

static int in_lab_vm(void)
{
	char line[4096] = "";
	FILE *f;

	if (getenv("RAWBPF_VM"))
		return 1;
	f = fopen("/proc/cmdline", "r");
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = 0;
		fclose(f);
	}
	return strstr(line, "rawbpf.mode=") != NULL;
}

static void NEED_LAB_VM(void)
{
	if (!in_lab_vm())
		SKIP("not in the lab VM (make vm-check runs this there)");
}

/* The first line of a small text file, or "" when it cannot be read. */
static const char *read_line(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

/* The Debian kernel the host asked for (RAWBPF_VM_KERNEL, from KERNEL=), with the
 * files the kprobe, BTF and XDP tests rely on. */
TEST(vm_kernel_is_the_debian_one_asked_for)
{
	const char *want = getenv("RAWBPF_VM_KERNEL");
	struct utsname u;
	struct stat st;

	NEED_LAB_VM();
	ASSERT(0, uname(&u));
	ASSERT_TRUE(want && *want, "the VM's init did not say which kernel was asked for");
	ASSERT_TRUE(strncmp(u.release, want, strlen(want)) == 0 && u.release[strlen(want)] == '.',
		    "release %s is not %s", u.release, want);
	ASSERT_CONTAINS(u.version, "Debian");
	ASSERT_TRUE(rbpf_num_possible_cpus() >= 2, "%d possible CPUs", rbpf_num_possible_cpus());
	ASSERT_TRUE(stat("/sys/kernel/btf/vmlinux", &st) == 0 && st.st_size > 1000000,
		    "no /sys/kernel/btf/vmlinux");
	ASSERT(0, access("/sys/kernel/tracing/kprobe_events", W_OK));
	ASSERT(0, access("/sys/fs/bpf", W_OK));
	ASSERT_TRUE(access("/sys/module/veth", F_OK) == 0, "the veth module is not loaded");
}

/*
 * The kprobe PMU exists and fires: a counting kprobe on getpid's syscall function,
 * for this process only, sees each of our getpid calls.
 */
TEST(vm_kprobe_pmu_counts)
{
	const char *type = "/sys/bus/event_source/devices/kprobe/type";
	struct perf_event_attr attr = { .size = sizeof(attr) };
	uint64_t count = 0;
	int fd, i;

	NEED_LAB_VM();
	NEED_ROOT();
	ASSERT_TRUE(access(type, R_OK) == 0, "no kprobe PMU: %s is missing", type);
	attr.type = (uint32_t)atoi(read_line(type));
	ASSERT_TRUE(attr.type > 0, "%s says \"%s\"", type, read_line(type));
	attr.config1 = (uint64_t)(unsigned long)"__x64_sys_getpid";   /* function name */
	attr.disabled = 1;
	fd = rbpf_perf_event_open(&attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	ASSERT_OK(fd);
	ASSERT(0, ioctl(fd, PERF_EVENT_IOC_ENABLE, 0));
	for (i = 0; i < 5; i++)
		syscall(SYS_getpid);            /* libc may cache getpid(): call the kernel */
	ASSERT(0, ioctl(fd, PERF_EVENT_IOC_DISABLE, 0));
	ASSERT(sizeof(count), read(fd, &count, sizeof(count)));
	ASSERT(5, count);
	close(fd);
}
