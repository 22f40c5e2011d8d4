#!/usr/bin/env bash
# The README's second command: set up this machine, then run the whole test suite
# (unit tests beside the code, end-to-end tests in test/, kernel tests included when root).
# Ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test || { echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
status=0
echo "== typecheck"
if bunx tsc --noEmit -p . >"$log" 2>&1; then tc_pass=1; tc_fail=0; else cat "$log"; tc_pass=0; tc_fail=1; status=1; fi

echo "== bun test"
bun test --timeout 60000 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
pass=$(grep -E '^ *[0-9]+ pass$' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
fail=$(grep -E '^ *[0-9]+ fail$' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
rm -f "$log"
[ "$fail" -eq 0 ] || status=1
echo "$((pass + tc_pass)) passed, $((fail + tc_fail)) failed"
exit $status
