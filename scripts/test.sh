#!/usr/bin/env bash
# Runs every test: the domain's transition table, the application, storage against a real Azurite (started by the
# tests from node_modules), the HTTP API in process, the built handler started as the Functions host starts it, and
# the Outlook add-in (lint, production build with its bundle size, offline manifest validation, Vitest).
# Installs what it needs from the repository's own files. Prints "N passed, N failed, N skipped" last.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-tools.sh

mkdir -p artifacts
log="artifacts/dotnet-test.log"
echo "==> dotnet test"
set +e
dotnet test Workflow.sln --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

addin_log="artifacts/addin-test.log"
echo "==> npm test (addin)"
set +e
NO_COLOR=1 FORCE_COLOR=0 npm test --prefix addin 2>&1 | tee "$addin_log"
addin_status=${PIPESTATUS[0]}
set -e
[[ "$addin_status" -eq 0 ]] || status=1

# One closing line for the whole run, summed over the test assemblies and Vitest's "Tests  N failed | N passed (N)".
read -r passed failed skipped < <(
  {
    grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/'
    grep -E '^ *Tests +[0-9]' "$addin_log" | awk '{
      p=0; f=0; s=0
      for (i = 2; i <= NF; i++) { if ($i ~ /^passed/) p=$(i-1); if ($i ~ /^failed/) f=$(i-1); if ($i ~ /^skipped/) s=$(i-1) }
      print p, f, s }'
  } | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
if [[ "$addin_status" -ne 0 ]] && ! grep -qE '^ *Tests +[0-9]+ failed' "$addin_log"; then
  echo "The add-in's lint, build or manifest validation failed before its tests ran (see $addin_log)." >&2
  failed=$((failed + 1))
fi
if [[ "$skipped" -gt 0 ]]; then
  echo "Skipped tests are not allowed here (docs: quality-bars.md)." >&2
  status=1
fi
if [[ "$passed" -eq 0 ]]; then
  echo "No test ran." >&2
  status=1
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
