#!/bin/sh
# kernel.sh SERIES DIR -- put one of Debian's stock kernels in DIR, without installing it.
#
# The lab VM boots the kernels learners' lab machines run.  SERIES says which, and
# which Debian release ships it:
#
#   5.10   bullseye (Debian 11; Amazon Linux 2 runs a 5.10 too)
#   6.1    bookworm (Debian 12, the default)
#   6.12   trixie (Debian 13), or bookworm-backports when trixie cannot be reached
#
# The host is not asked to change: its apt sources, lists and cache stay as they are.
# We give apt a configuration of its own under DIR/apt -- a sources.list naming that
# release (and its -updates and -security suites), its own lists and cache
# directories, no preferences, an empty dpkg status -- and pass it with -o on every
# call.  The archive is the one the host already uses (the first .../debian URI in
# /etc/apt/sources.list*; VM_APT_MIRROR=URL overrides it), because that is the one a
# machine like ours can reach.  Debian's archive keyring checks the signatures.
#
# With it we `apt-get download` the package that linux-image-amd64 depends on (the
# real kernel, e.g. linux-image-5.10.0-46-amd64) and take out of it only what the VM
# needs:
#
#   DIR/vmlinuz      the kernel
#   DIR/config       its build configuration (to check what it was built with)
#   DIR/version      its release string, e.g. 6.1.0-56-amd64
#   DIR/modules/     the few modules the tests need, as plain .ko files: trixie's
#                    kernel compresses its modules with xz, which the VM's busybox
#                    insmod cannot read, so they are decompressed here.  None of them
#                    depends on another module.
#
# A DIR that already holds a kernel is kept as it is: delete it to fetch a newer one.
# VM_KERNEL_DEB=path.deb uses that package instead of downloading one.
set -eu
series=${1:?usage: kernel.sh 5.10|6.1|6.12 DIR}
dir=${2:?usage: kernel.sh 5.10|6.1|6.12 DIR}
modules="veth sch_ingress cls_bpf act_bpf dummy"

die() { echo "vm: $*" >&2; exit 1; }

case "$series" in
5.10) suites="bullseye bullseye-updates" security=bullseye-security ;;
6.1)  suites="bookworm bookworm-updates" security=bookworm-security ;;
6.12) suites="trixie trixie-updates bookworm-backports" security=trixie-security ;;
*)    die "KERNEL=$series: the lab VM knows 5.10, 6.1 and 6.12" ;;
esac

[ -s "$dir/vmlinuz" ] && [ -s "$dir/version" ] && exit 0

# The host's Debian archive: the first URI ending in /debian in its sources.
host_mirror() {
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
	    /etc/apt/sources.list.d/*.sources 2>/dev/null |
		sed -n -e 's|^[[:space:]]*URIs:[[:space:]]*||p' -e 's|^deb[[:space:]][[:space:]]*\(\[[^]]*\][[:space:]]*\)\{0,1\}||p' |
		tr ' \t' '\n\n' | grep -m 1 '^[a-z+]*://.*/debian/\{0,1\}$' | sed 's,/$,,'
}

mkdir -p "$dir" && dir=$(cd "$dir" && pwd)    # apt reads relative Dir:: paths under /var
mirror=${VM_APT_MIRROR:-$(host_mirror)}
mirror=${mirror:-http://deb.debian.org/debian}
apt="$dir/apt"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || die "no $keyring (package debian-archive-keyring): cannot check Debian's signatures"

# The private configuration, passed to every apt call.
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$dir/cache"
: > "$apt/status"
{
	for s in $suites; do
		echo "deb [signed-by=$keyring] $mirror $s main"
	done
	echo "deb [signed-by=$keyring] ${mirror}-security $security main"
} > "$apt/sources.list"
set -- -o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
	-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null \
	-o Dir::State::Lists="$apt/lists" -o Dir::State::status="$apt/status" \
	-o Dir::Cache="$apt/cache" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
	-o APT::Architecture=amd64 -o APT::Architectures=amd64 \
	-o Acquire::Languages=none -o APT::Sandbox::User=root

# linux-image-amd64 is a metapackage: its dependency names the real kernel.
kernel_package() {
	apt-cache "$@" depends linux-image-amd64 2>/dev/null |
		sed -n "s/^ *Depends: \(linux-image-$series\.[0-9][0-9]*[-+].*amd64\)$/\1/p" | head -n 1
}

deb=${VM_KERNEL_DEB:-}
if [ -z "$deb" ]; then
	pkg=$(kernel_package "$@")
	if [ -z "$pkg" ]; then
		echo "vm: reading Debian's package lists for $suites $security from $mirror" \
		     "(private apt configuration in $apt)" >&2
		apt-get "$@" -q update >"$apt/update.log" 2>&1 ||
			echo "vm: (some suites could not be read: see $apt/update.log)" >&2
		pkg=$(kernel_package "$@")
	fi
	[ -n "$pkg" ] || die "no linux-image-$series in $suites at $mirror (see $apt/update.log)"
	echo "vm: downloading $pkg (Debian's $series kernel for the lab VM, not installed)" >&2
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get "$@" download -qq "$pkg") || die "apt-get download $pkg failed"
	mv "$tmp"/*.deb "$dir/cache/" && rmdir "$tmp"
	deb=$(ls -t "$dir"/cache/"$pkg"_*.deb | head -n 1)
fi
[ -r "$deb" ] || die "no kernel package at $deb"

# Unpack only boot/ and the modules we want: the whole package is 400 MB unpacked.
x="$dir/cache/unpacked"
rm -rf "$x" && mkdir -p "$x"
wanted="./boot/vmlinuz-* ./boot/config-*"
for m in $modules; do wanted="$wanted ./lib/modules/*/$m.ko* ./usr/lib/modules/*/$m.ko*"; done
# shellcheck disable=SC2086
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$x" --wildcards \
	$wanted 2>/dev/null || true
[ -n "$(ls "$x"/boot/vmlinuz-* 2>/dev/null)" ] || die "could not unpack $deb"

rm -rf "$dir/modules" && mkdir -p "$dir/modules"
cp "$x"/boot/vmlinuz-* "$dir/vmlinuz.new"
cp "$x"/boot/config-* "$dir/config"
for m in $modules; do
	ko=$(find "$x" -name "$m.ko" -o -name "$m.ko.*" | head -n 1)
	case "$ko" in
	*.ko)    cp "$ko" "$dir/modules/$m.ko" ;;
	*.ko.xz) xz -dc "$ko" > "$dir/modules/$m.ko" ;;
	*.ko.zst) zstd -qdc "$ko" > "$dir/modules/$m.ko" ;;
	*)       die "$deb has no $m.ko" ;;
	esac
	[ -s "$dir/modules/$m.ko" ] || die "could not decompress $ko"
done
basename "$x"/boot/vmlinuz-* | sed 's/^vmlinuz-//' > "$dir/version"
mv "$dir/vmlinuz.new" "$dir/vmlinuz"
rm -rf "$x"
echo "vm: kernel $(cat "$dir/version") ready in $dir" >&2
