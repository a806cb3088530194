#!/bin/sh
# deps.sh: install what rawbpf needs, saying what and why, or stop with a clear message.
#
#   tests/deps.sh build   clang (bpf target), llvm tools, gcc, make, uapi headers
#   tests/deps.sh test    build + what the tests compare us with (bpftool, libbpf-dev,
#                         iproute2 for veth pairs, util-linux's setpriv, strace)
#   tests/deps.sh fuzz    build + libFuzzer and clang's sanitizer runtimes (make fuzz)
#   tests/deps.sh vm      qemu, busybox and cpio for the lab VM (tests/vm/kernel.sh fetches
#                         Debian's stock kernel, with kprobes, without installing it)
#   tests/deps.sh bench   test + libbpf-dev, libelf, zlib, hyperfine, BCC and kernel headers
#                         to compare with libbpf and BCC, perf to profile
#   tests/deps.sh browser Debian's chromium, chromedriver and python3-selenium: the test
#                         of `rawbpf verify --html` opens the page in a headless browser
#
# It knows Debian's and Ubuntu's package names and installs with apt-get. Each group is
# checked first by looking for a file the group provides, so a ready machine runs no apt.
set -u
group=${1:-build}

need=""   # packages to install
why=""    # one line per package: why we need it

want() {  # want PACKAGE FILE REASON: queue PACKAGE unless FILE exists
	if [ ! -e "$2" ] && ! command -v "$2" >/dev/null 2>&1; then
		case " $need " in *" $1 "*) return ;; esac     # already queued
		need="$need $1"
		why="$why
  $1: $3"
	fi
}

want_build() {
	want clang clang "compiles the BPF programs (clang -target bpf)"
	want llvm llvm-objdump "llvm-objdump and llvm-mc: disassemble and assemble BPF to check our encodings"
	want gcc gcc "compiles the loader, the lessons and the tests"
	want make make "runs the build"
	want linux-libc-dev /usr/include/linux/bpf.h "the kernel's uapi headers (linux/bpf.h, linux/perf_event.h, linux/btf.h)"
	want libc6-dev /usr/include/stdio.h "the C library's headers"
	want libc6-dev /usr/lib/x86_64-linux-gnu/libc.a "static libc: the lab VM runs static binaries"
}

want_test() {
	want_build
	want bpftool bpftool "the kernel's own view of programs and maps: our prog/map list is checked against it"
	want libbpf-dev /usr/include/bpf/bpf_helpers.h "libbpf's bpf_helpers.h: objects built with it must load unchanged (test only)"
	want iproute2 ip "veth pairs in a network namespace for the XDP tests and lesson 11"
	want iputils-ping ping "lesson 11 pings across its veth pair (busybox ping in the lab VM)"
	want util-linux setpriv "setpriv runs tests as an unprivileged user"
	want libcap2-bin capsh "capsh runs lessons with only CAP_BPF and CAP_PERFMON"
	want strace strace "lesson 1 shows the system calls with strace"
	want valgrind valgrind "leak and fd checks over the loader"
	want binutils objdump "objdump disassembles the JIT's machine code; nm lists which library file uses which (tests/layering.c)"
	want binutils readelf "readelf and nm: the uprobe tests check rawbpf's function offsets against them"
	want patch patch "applies the exercises' reference solutions (tests/exercises.c; busybox's in the lab VM)"
	want clang-16 clang-16 "clang 15+ writes ENUM64 types and type-matches CO-RE records: the CO-RE tests' core16_* objects (test only)"
}

want_fuzz() {   # libFuzzer and the sanitizer runtimes for clang (make fuzz)
	want_build
	v=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
	want "libclang-rt-${v:-14}-dev" "$(clang -print-runtime-dir 2>/dev/null)/libclang_rt.fuzzer-x86_64.a" \
		"libFuzzer and clang's ASan/UBSan runtimes: make fuzz (fuzz only)"
}

want_vm() {
	want qemu-system-x86 qemu-system-x86_64 "boots the lab VM"
	want busybox-static /usr/share/doc/busybox-static "the lab VM's commands (static: the VM has no libc of its own)"
	want cpio cpio "packs the lab VM's initramfs"
	want xz-utils xz "decompresses the modules of Debian 13's kernel (KERNEL=6.12), which busybox insmod cannot read"
	want debian-archive-keyring /usr/share/keyrings/debian-archive-keyring.gpg "checks the signatures of the Debian releases the VM's kernels come from"
	# The VM's kernels (5.10, 6.1, 6.12) are not installed: tests/vm/kernel.sh
	# apt-get downloads them into the build dir with a private apt configuration,
	# so the host's /boot and its apt sources stay as they are.
}

want_browser() {   # test only: nothing in rawbpf runs a browser or python
	want chromium chromium "a real browser for the page rawbpf verify --html writes (test only)"
	want chromium-driver chromedriver "drives that browser headless from the test (test only)"
	want python3-selenium /usr/lib/python3/dist-packages/selenium/__init__.py \
		"the test's script that clicks through the page (test only)"
}

case "$group" in
build) want_build ;;
browser) want_browser ;;
test)  want_test ;;
vm)    want_vm ;;
fuzz)  want_fuzz ;;
bench) want_test; want libbpf-dev /usr/include/bpf/libbpf.h "libbpf: the bench compares rawbpf with it (bench only)"
       want libelf-dev /usr/include/libelf.h "libelf: libbpf links against it (bench only)"
       want zlib1g-dev /usr/include/zlib.h "zlib: libbpf links against it (bench only)"
       want hyperfine hyperfine "times whole commands"
       want python3-bpfcc /usr/lib/python3/dist-packages/bcc/__init__.py "BCC: the startup bench runs its hello world (bench only)"
       want linux-headers-amd64 /usr/share/doc/linux-headers-amd64 "kernel headers BCC compiles against (bench only; linked by bench/setup-bcc.sh)"
       want linux-perf perf "perf stat: what bounds a missed target (bench only)" ;;
*) echo "deps.sh: unknown group '$group' (build, test, vm, bench, fuzz, browser)" >&2; exit 2 ;;
esac

[ -z "$need" ] && exit 0

echo "rawbpf needs to install:$why" >&2
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: not root, so I cannot install them. Run as root, or: sudo apt-get install$need" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: no apt-get on this machine. Install the packages above with your package manager." >&2
	exit 1
fi
echo "deps.sh: apt-get install$need" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1 || echo "deps.sh: apt-get update failed; trying the install anyway" >&2
# shellcheck disable=SC2086
# DPkg::Lock::Timeout: another apt (a second build tree, say) may hold the lock; wait for it.
if ! apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $need >/dev/null; then
	echo "deps.sh: apt-get install failed. Try by hand: apt-get install$need" >&2
	exit 1
fi
exit 0
