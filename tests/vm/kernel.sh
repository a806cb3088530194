#!/bin/sh
# kernel.sh DIR -- put Debian's stock kernel for the lab VM in DIR, without installing it.
#
# The lab VM boots the kernel a learner's lab machine runs: Debian 12's
# linux-image-amd64 (6.1, built with kprobes, kprobe_events, BTF and the BPF JIT).
# Installing it would put a second kernel in the host's /boot and touch its boot
# loader, so instead we `apt-get download` the package that linux-image-amd64 depends
# on (linux-image-6.1.0-N-amd64) and take out of it only what the VM needs:
#
#   DIR/vmlinuz      the kernel
#   DIR/config       its build configuration (to check what it was built with)
#   DIR/version      its release string, e.g. 6.1.0-56-amd64
#   DIR/modules/     the few modules the tests need (uncompressed .ko: Debian 12 does
#                    not compress modules); they depend on no other module
#
# A DIR that already holds a kernel is kept as it is: delete it to fetch a newer one.
# VM_KERNEL_DEB=path.deb uses that package instead of downloading one.
set -eu
dir=${1:?usage: kernel.sh DIR}
modules="veth sch_ingress cls_bpf act_bpf dummy"

[ -s "$dir/vmlinuz" ] && [ -s "$dir/version" ] && exit 0

die() { echo "vm: $*" >&2; exit 1; }

# linux-image-amd64 is a metapackage: its one dependency names the real kernel.
kernel_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1
}

mkdir -p "$dir/cache"
deb=${VM_KERNEL_DEB:-}
if [ -z "$deb" ]; then
	pkg=$(kernel_package)
	if [ -z "$pkg" ]; then
		apt-get update -qq >/dev/null 2>&1 || true
		pkg=$(kernel_package)
	fi
	[ -n "$pkg" ] || die "apt-cache knows no linux-image-amd64: is this Debian? (apt-get update?)"
	echo "vm: downloading $pkg (Debian's kernel for the lab VM, not installed)" >&2
	# apt downloads as its sandbox user (_apt): give it a directory it may write.
	tmp=$(mktemp -d) && chmod 777 "$tmp"
	(cd "$tmp" && apt-get download -qq "$pkg") || die "apt-get download $pkg failed"
	mv "$tmp"/*.deb "$dir/cache/" && rmdir "$tmp"
	deb=$(ls -t "$dir"/cache/"$pkg"_*.deb | head -n 1)
fi
[ -r "$deb" ] || die "no kernel package at $deb"

# Unpack only boot/ and the modules we want: the whole package is 400 MB unpacked.
x="$dir/cache/unpacked"
rm -rf "$x" && mkdir -p "$x"
wanted="./boot/vmlinuz-* ./boot/config-*"
for m in $modules; do wanted="$wanted ./lib/modules/*/$m.ko"; done
# shellcheck disable=SC2086
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$x" --wildcards $wanted ||
	die "could not unpack $deb"

mkdir -p "$dir/modules"
cp "$x"/boot/vmlinuz-* "$dir/vmlinuz.new"
cp "$x"/boot/config-* "$dir/config"
for m in $modules; do
	find "$x/lib/modules" -name "$m.ko" -exec cp {} "$dir/modules/" \;
	[ -s "$dir/modules/$m.ko" ] || die "$deb has no $m.ko"
done
basename "$x"/boot/vmlinuz-* | sed 's/^vmlinuz-//' > "$dir/version"
mv "$dir/vmlinuz.new" "$dir/vmlinuz"
rm -rf "$x"
echo "vm: kernel $(cat "$dir/version") ready in $dir" >&2
