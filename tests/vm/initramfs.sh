#!/bin/sh
# initramfs.sh ROOT BUILD KERNELDIR OUT -- pack the lab VM's whole root file system.
#
# The VM has no disk: its root is this one cpio archive, unpacked by the kernel into
# RAM. It holds
#
#   /init                    tests/vm/init (mounts, loads modules, runs the suite)
#   /lab                     the project's sources (no .git, no build dirs) ...
#   /lab/build               ... and BUILD's outputs: static binaries and .bpf.o,
#                            without intermediate .o and .a files. The runner finds
#                            its root two levels above itself, so inside the VM the
#                            build dir is always "build", whatever BUILD was here.
#   /bin, /sbin, ...         busybox (static) and a link per applet; /bin/sh is the
#                            host's dash when it has one, because Debian's static
#                            busybox shell runs its own applets before the PATH's
#                            programs: `sh -c "setpriv --reuid..."` would get busybox's
#                            setpriv, which lacks the options, even with util-linux's
#                            on the PATH.
#   /usr/..., /lib/...       some of the host's tools that tests call, with the shared
#                            libraries they load (ldd lists them), where the host has
#                            them: util-linux's setpriv (busybox's lacks --reuid), taskset
#                            (busybox's runs its own setpriv applet) and
#                            mountpoint (busybox has none), iproute2's ip and tc
#                            (veth pairs), bpftool, capsh, strace, objdump (the JIT's code),
#                            script (a terminal for rawbpf verify).
#                            A tool the host lacks is absent and its tests SKIP.
#   /lib/modules/*.ko        the kernel modules from KERNELDIR/modules
#   /boot/config-VERSION     the kernel's build configuration, where Debian puts it
#   /etc                     root and nobody/nogroup, a profile for the shell
#
# The archive is not compressed: the kernel unpacks it faster than it would inflate
# it under TCG, and it is loaded from the host's page cache.
set -eu
root=${1:?usage: initramfs.sh ROOT BUILD KERNELDIR OUT}
build=${2:?}
kdir=${3:?}
out=${4:?}
host_tools="dash bash setpriv taskset mountpoint script ip tc bpftool capsh strace objdump"

die() { echo "vm: $*" >&2; exit 1; }

root=$(cd "$root" && pwd)
build=$(cd "$build" && pwd)
kdir=$(cd "$kdir" && pwd)
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
stage="$out.d"
rm -rf "$stage"
mkdir -p "$stage"
stage=$(cd "$stage" && pwd)

# A merged-/usr layout like the host's, so a path the host gives fits here too.
make_tree() {
	cd "$stage"
	mkdir -p usr/bin usr/sbin usr/lib/modules usr/lib64 etc proc sys dev tmp run \
		root mnt lab/build
	ln -s usr/bin bin && ln -s usr/sbin sbin && ln -s usr/lib lib && ln -s usr/lib64 lib64
	mkdir -p sys/kernel/tracing sys/kernel/debug sys/kernel/security sys/fs/bpf sys/fs/cgroup
}

add_busybox() {
	bb=$(command -v busybox) || die "no busybox: tests/deps.sh vm installs busybox-static"
	if ldd "$bb" >/dev/null 2>&1; then
		die "$bb is dynamically linked: the VM needs busybox-static"
	fi
	cp "$bb" "$stage/bin/busybox"
	for a in $("$bb" --list-full); do
		case "$a" in */setpriv|*/linuxrc|*/init) continue ;; esac
		[ -e "$stage/$a" ] || [ -L "$stage/$a" ] || ln -s /bin/busybox "$stage/$a"
	done
}

# Copy FILE to the same path under the stage, following symlinks.
copy_host_file() {
	mkdir -p "$stage$(dirname "$1")"
	rm -f "$stage$1"
	cp -L "$1" "$stage$1"
}

# A dynamically linked host tool: the binary, then every library ldd names.
add_host_tool() {
	p=$(command -v "$1" 2>/dev/null) || return 0
	case "$p" in /*) ;; *) return 0 ;; esac
	copy_host_file "$p"
	for lib in $(ldd "$p" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'); do
		[ -e "$stage$lib" ] || copy_host_file "$lib"
	done
}

make_etc() {
	cd "$stage/etc"
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > passwd
	printf 'root:x:0:\nnogroup:x:65534:\n' > group
	printf 'passwd: files\ngroup: files\nhosts: files\n' > nsswitch.conf
	printf '127.0.0.1 localhost rawbpf-lab\n' > hosts
	printf 'PS1="lab:\\w# "\nexport PS1\n' > profile
}

# The sources: everything but .git and build directories (ours and other people's).
add_sources() {
	bname=$(basename "$build")
	tar -C "$root" --exclude=./.git --exclude=./build --exclude='./build-*' \
		--exclude="./$bname" -cf - . | tar -C "$stage/lab" -xf -
}

# BUILD's outputs, without intermediate objects and without the VM's own files.
add_build() {
	cd "$build"
	find . -path ./vm -prune -o -type f ! -name '*.a' ! -name '.deps-*' \
		\( -name '*.bpf.o' -o ! -name '*.o' \) -print |
		cpio -pdm --quiet "$stage/lab/build"
	[ -x "$stage/lab/build/tests/runner" ] || die "no $build/tests/runner: build first"
}

make_tree
add_busybox
for t in $host_tools; do add_host_tool "$t"; done
[ -x "$stage/usr/bin/dash" ] && ln -sf dash "$stage/usr/bin/sh"
cp "$kdir"/modules/*.ko "$stage/lib/modules/"
# Debian installs a kernel's build configuration as /boot/config-VERSION (its kernels
# have no /proc/config.gz): __kconfig externs read it there.
mkdir -p "$stage/boot"
cp "$kdir/config" "$stage/boot/config-$(cat "$kdir/version")"
make_etc
add_sources
add_build
cp "$root/tests/vm/init" "$stage/init" && chmod 755 "$stage/init"
cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet > "$out.new"
mv "$out.new" "$out"
