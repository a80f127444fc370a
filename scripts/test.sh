#!/usr/bin/env bash
# Runs every test: the domain's transition table, the application, storage against a real Azurite (started by the
# tests from node_modules), the HTTP API in process, and the built handler started as the Functions host starts it.
# Installs what it needs from the repository's own files. Prints "N passed, N failed" last.
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

# One closing line for the whole run, summed over the test assemblies.
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
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
