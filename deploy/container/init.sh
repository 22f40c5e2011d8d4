#!/bin/sh
# One-shot `init` container (compose.yaml): the node id and one signing key per service in the
# shared state volume, each key owned by the uid its container runs as (LAYOUT: 0600, owned by
# the service; jwks.json 0640 group honeymesh). Numeric ids: the image has no passwd entries.
set -eu
STATE=/var/lib/honeymesh
GID=10000
honeymesh init --config /etc/honeymesh/honeymesh.toml >/dev/null
RUNTIME=/run/honeymesh
mkdir -p "$RUNTIME"
chown 0:$GID "$STATE" "$STATE/keys" "$STATE/keys/jwks.json" "$RUNTIME"
# Each service creates its own files in the state dir (SQLite with -wal/-shm) and busd/apid their
# sockets in the runtime dir: group write, and the sticky bit so that none can remove or replace
# another's files (as tmpfiles.d does for the .deb).
chmod 01770 "$STATE" "$RUNTIME"
chmod 0750 "$STATE/keys"
chmod 0640 "$STATE/keys/jwks.json"
chmod 0644 "$STATE/node-id"
for pair in busd:10001 trapd:10002 scand:10003 enforcerd:0 meshd:10005 apid:10006 logd:10007; do
  svc=${pair%%:*}
  uid=${pair#*:}
  chown "$uid:$GID" "$STATE/keys/$svc.jwk"
  chmod 0600 "$STATE/keys/$svc.jwk"
  # Files a service made under an earlier image stay its own.
  for f in "$STATE/$svc.sqlite" "$STATE/$svc.sqlite-wal" "$STATE/$svc.sqlite-shm" "$STATE/$svc"; do
    if [ -e "$f" ]; then chown -R "$uid:$GID" "$f"; fi
  done
done
echo "init: keys ready in $STATE/keys"
