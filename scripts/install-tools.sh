#!/usr/bin/env bash
# Installs the repository's own tools (Azurite; Debian's Chromium for the browser tests and Clang for the native
# handler, when missing) and the add-in's packages from their package-lock.json files — each only when its lock file
# changed since the last install, so repeated starts and test runs do not pay for it.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm_ci_if_changed <dir> <what>: npm ci in <dir> unless <dir>/node_modules was installed from the same lock file.
npm_ci_if_changed() {
  local dir="$1" what="$2" lock_hash
  lock_hash="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [[ "$(cat "$dir/node_modules/.workflow-lock-hash" 2>/dev/null || true)" != "$lock_hash" ]]; then
    echo "==> npm ci ($what)"
    # No browser downloads at install time (docs: platform.md D6).
    (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_hash" > "$dir/node_modules/.workflow-lock-hash"
  fi
}

# Debian's Chromium for the add-in's browser tests (never a browser downloaded by npm: docs platform.md D6).
if [[ ! -x /usr/bin/chromium ]]; then
  echo "==> apt-get install chromium"
  if [[ "$(id -u)" -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

# Clang and zlib's headers link the handler compiled ahead of time (scripts/package.sh, scripts/bench.sh; docs/decisions/0019).
if ! command -v clang >/dev/null || [[ ! -e /usr/include/zlib.h ]]; then
  echo "==> apt-get install clang zlib1g-dev"
  if [[ "$(id -u)" -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev >/dev/null
  fi
fi

npm_ci_if_changed . "Azurite"
npm_ci_if_changed addin "the Outlook add-in"
