#!/bin/bash
# Builds honeymesh_<version>_<arch>.deb with dpkg-deb from the release artefacts
# (scripts/build-release.sh): executables in /usr/bin, their data in /usr/lib/honeymesh, systemd
# units, sysusers.d and tmpfiles.d entries, /etc/honeymesh/honeymesh.toml (a conffile),
# /var/lib/honeymesh, and maintainer scripts (deploy/debian/) that make users and keys.
#
#   scripts/build-deb.sh [OUT_DIR=dist]      # prints the path of the .deb
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-dist}")"
version="$(bun -e 'console.log(require("./package.json").version)')"
arch="$(dpkg --print-architecture)"
work="$(mktemp -d /tmp/honeymesh-deb.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/root"
t0=$(date +%s.%N)

bash scripts/build-release.sh "$work/rel" /usr/lib/honeymesh >&2
install -d "$root/usr/bin" "$root/usr/lib/honeymesh" "$root/lib/systemd/system" "$root/usr/lib/sysusers.d" \
  "$root/usr/lib/tmpfiles.d" "$root/etc/honeymesh" "$root/var/lib/honeymesh" "$root/usr/share/doc/honeymesh" "$root/DEBIAN"
install -m 0755 "$work"/rel/bin/* "$root/usr/bin/"
cp -r "$work"/rel/lib/. "$root/usr/lib/honeymesh/"
install -m 0644 deploy/systemd/*.service deploy/systemd/*.target "$root/lib/systemd/system/"
install -m 0644 deploy/debian/sysusers.conf "$root/usr/lib/sysusers.d/honeymesh.conf"
install -m 0644 deploy/debian/tmpfiles.conf "$root/usr/lib/tmpfiles.d/honeymesh.conf"
install -m 0640 deploy/honeymesh.example.toml "$root/etc/honeymesh/honeymesh.toml"
install -m 0644 README.md "$root/usr/share/doc/honeymesh/README.md"
[ -f docs/operator-guide.md ] && install -m 0644 docs/operator-guide.md "$root/usr/share/doc/honeymesh/operator-guide.md"
install -m 0755 deploy/debian/postinst deploy/debian/prerm deploy/debian/postrm "$root/DEBIAN/"
echo /etc/honeymesh/honeymesh.toml > "$root/DEBIAN/conffiles"
size_kb="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
cat > "$root/DEBIAN/control" <<CONTROL
Package: honeymesh
Version: $version
Architecture: $arch
Maintainer: HoneyMesh maintainers <honeymesh@localhost>
Installed-Size: $size_kb
Depends: libbpf1, systemd, iproute2
Section: net
Priority: optional
Homepage: https://github.com/honeymesh/honeymesh
Description: open active-defense node for Linux
 Traps lure scanners and brute-forcers, correlation turns their traces into
 explained ban decisions, XDP drops banned sources in the kernel, and a signed
 gossip mesh shares decisions with trusted peers; log jails read Fail2Ban
 filters. Seven services under
 honeymesh.target; the CLI is honeymesh.
CONTROL

mkdir -p "$out"
deb="$out/honeymesh_${version}_${arch}.deb"
# zstd -3: the executables are large (each embeds the Bun runtime) and xz would take minutes.
dpkg-deb --root-owner-group -Zzstd -z3 --build "$root" "$deb" >&2
printf 'build-deb: %s (%s) in %.1fs\n' "$deb" "$(du -h "$deb" | cut -f1)" "$(echo "$(date +%s.%N) - $t0" | bc)" >&2
echo "$deb"
