#!/usr/bin/env bash
# fetch-kernel.sh: put a Debian kernel and the modules the initramfs lab needs
# into a cache directory outside the repository, for the boot test.
#
#   RAWNS_KERNEL_DIR   the cache (default /var/cache/rawns-kernel)
#   RAWNS_KERNEL_PKG   the linux-image package (default: what linux-image-amd64
#                      depends on, i.e. the newest Debian 12 6.1 kernel)
#
# It installs qemu-system-x86 and xz-utils when missing, then downloads the
# kernel .deb with `apt-get download` (the package is never installed: that
# would run update-initramfs for minutes) and unpacks:
#   $DIR/vmlinuz     the bzImage
#   $DIR/vmlinux     the uncompressed ELF inside it (qemu boots it through PVH)
#   $DIR/release     the kernel release, e.g. 6.1.0-56-amd64
#   $DIR/lib/modules/<release>/kernel/drivers/net/veth.ko (as the .deb holds it)
# A complete cache is left alone, so a second run costs nothing.
set -euo pipefail

dir=${RAWNS_KERNEL_DIR:-/var/cache/rawns-kernel}
modules=(kernel/drivers/net/veth.ko)

export DEBIAN_FRONTEND=noninteractive
updated=
apt_update() {
	[ -n "$updated" ] || { apt-get update -qq; updated=1; }
}

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v xz >/dev/null || need+=(xz-utils)
if [ ${#need[@]} -gt 0 ]; then
	apt_update
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ -s "$dir/vmlinux" ] && [ -s "$dir/release" ]; then
	echo "fetch-kernel: $dir already holds $(cat "$dir/release")"
	exit 0
fi

pkg=${RAWNS_KERNEL_PKG:-}
if [ -z "$pkg" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -1)
	if [ -z "$pkg" ]; then
		apt_update
		pkg=$(apt-cache depends linux-image-amd64 |
			sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -1)
	fi
fi
[ -n "$pkg" ] || { echo "fetch-kernel: no linux-image package found" >&2; exit 1; }
release=${pkg#linux-image-}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
apt-get download -q "$pkg" 2>/dev/null || { apt_update; apt-get download -q "$pkg"; }
members=(./boot/vmlinuz-"$release" ./boot/config-"$release")
for m in "${modules[@]}"; do
	members+=("./lib/modules/$release/$m*")
done
dpkg-deb --fsys-tarfile "$pkg"_*.deb | tar -x --wildcards "${members[@]}"

# The bzImage carries the kernel as one xz stream; its first xz magic starts
# it. xz complains about the data after the stream: that is expected.
kernel=boot/vmlinuz-$release
off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$kernel" | head -1 | cut -d: -f1)
[ -n "$off" ] || { echo "fetch-kernel: no xz stream in $kernel" >&2; exit 1; }
tail -c +$((off + 1)) "$kernel" | xz -dc >vmlinux 2>/dev/null || true
head -c 4 vmlinux | grep -q ELF || { echo "fetch-kernel: vmlinux is not an ELF file" >&2; exit 1; }

mkdir -p "$dir"
rm -rf "$dir/lib"
mv lib "$dir/lib"
mv "$kernel" "$dir/vmlinuz"
mv boot/config-"$release" "$dir/config"
mv vmlinux "$dir/vmlinux"
echo "$release" >"$dir/release.tmp" && mv "$dir/release.tmp" "$dir/release"
echo "fetch-kernel: $pkg unpacked into $dir"
