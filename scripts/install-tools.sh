#!/usr/bin/env bash
# Installs the repository's own tools (Azurite) from package-lock.json — only when the lock file changed since the
# last install, so repeated starts and test runs do not pay for it.
set -euo pipefail
cd "$(dirname "$0")/.."
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ "$(cat node_modules/.workflow-lock-hash 2>/dev/null || true)" != "$lock_hash" ]]; then
  echo "==> npm ci (Azurite)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.workflow-lock-hash
fi
