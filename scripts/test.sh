#!/usr/bin/env bash
# Runs every test: the domain's transition table, the application, storage against a real Azurite (started by the
# tests from node_modules), the HTTP API in process, the handler compiled ahead of time as it ships and started as the
# Functions host starts it, and the Outlook add-in (lint, production build with its bundle size, offline manifest
# validation, Vitest) and its browser end-to-end tests (headless Debian Chromium against that handler and Azurite).
# Installs what it needs from the repository's own files. Prints "N passed, N failed, N skipped" last.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-tools.sh

mkdir -p artifacts
# The handler as it ships, compiled ahead of time (docs/decisions/0019), with the local sign-in for the tests' users:
# the tests that start the handler as the Functions host does, and the browser tests, run against it, so what only
# the native handler lacks (metadata trimmed away, code made at run time) fails a test here.
native_log="artifacts/native-publish.log"
echo "==> dotnet publish (the handler compiled ahead of time)"
set +e
scripts/publish-native.sh artifacts/native true > "$native_log" 2>&1
publish_status=$?
set -e
status=0
if [[ "$publish_status" -eq 0 ]]; then
  export WORKFLOW_API_EXECUTABLE="$PWD/artifacts/native/Workflow.Api"
else
  cat "$native_log" >&2
  echo "The native handler did not publish: the handler tests run the Debug build, and the browser tests do not run." >&2
  status=1
fi

log="artifacts/dotnet-test.log"
echo "==> dotnet test"
set +e
dotnet test Workflow.sln --nologo 2>&1 | tee "$log"
[[ "${PIPESTATUS[0]}" -eq 0 ]] || status=1
set -e

# The Debug build rewrites contract/openapi.json and ContractTests hold the served document to it; in CI (a fresh
# clone) a difference from the committed file means the contract was changed without committing it.
contract_stale=0
if [[ "${CI:-}" == "true" ]] && ! git diff --quiet -- contract/openapi.json; then
  echo "contract/openapi.json changed when the API was built: the API's contract changed, commit contract/openapi.json." >&2
  git --no-pager diff --stat -- contract/openapi.json >&2
  contract_stale=1
  status=1
fi

addin_log="artifacts/addin-test.log"
echo "==> npm test (addin)"
set +e
NO_COLOR=1 FORCE_COLOR=0 npm test --prefix addin 2>&1 | tee "$addin_log"
addin_status=${PIPESTATUS[0]}
set -e
[[ "$addin_status" -eq 0 ]] || status=1

# The add-in end to end in headless Chromium against the real API (the native handler above) and Azurite
# (addin/e2e; screenshots in artifacts/screenshots).
e2e_log="artifacts/addin-e2e.log"
echo "==> npm run test:e2e (addin, browser end to end)"
set +e
if [[ "$publish_status" -eq 0 ]]; then
  NO_COLOR=1 FORCE_COLOR=0 npm run test:e2e --prefix addin 2>&1 | tee "$e2e_log"
  e2e_status=${PIPESTATUS[0]}
else
  echo "The native handler did not publish (see $native_log): the browser tests did not run." | tee "$e2e_log" >&2
  e2e_status=1
fi
set -e
[[ "$e2e_status" -eq 0 ]] || status=1

# One closing line for the whole run, summed over the test assemblies and Vitest's "Tests  N failed | N passed (N)".
read -r passed failed skipped < <(
  {
    grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/'
    cat "$addin_log" "$e2e_log" | grep -E '^ *Tests +[0-9]' | awk '{
      p=0; f=0; s=0
      for (i = 2; i <= NF; i++) { if ($i ~ /^passed/) p=$(i-1); if ($i ~ /^failed/) f=$(i-1); if ($i ~ /^skipped/) s=$(i-1) }
      print p, f, s }'
  } | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
if [[ "$addin_status" -ne 0 ]] && ! grep -qE '^ *Tests +[0-9]+ failed' "$addin_log"; then
  echo "The add-in's lint, build or manifest validation failed before its tests ran (see $addin_log)." >&2
  failed=$((failed + 1))
fi
if [[ "$e2e_status" -ne 0 ]] && ! grep -qE '^ *Tests +[0-9]+ failed' "$e2e_log"; then
  echo "The add-in's browser tests failed before any test ran (see $e2e_log)." >&2
  failed=$((failed + 1))
fi
failed=$((failed + contract_stale))
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
