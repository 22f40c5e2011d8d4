#!/usr/bin/env bash
# The README's first command: set up this machine, then start the node in the background.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec bun cli/src/main.ts up "$@"
