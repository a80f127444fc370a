#!/usr/bin/env bash
# Builds the deployable Function App as artifacts/workflow-functions.zip: the API compiled ahead of time to one native
# linux-x64 executable (docs/decisions/0019) in handler/ (where host.json expects it), host.json, and the function
# folders. Zipped here on Linux so the handler's execute bit survives.
set -euo pipefail
cd "$(dirname "$0")/.."

out="artifacts/package"
rm -rf "$out" artifacts/workflow-functions.zip
mkdir -p "$out"
scripts/publish-native.sh "$out/handler" false
# The native executable's debug symbols stay here (artifacts/package-symbols), out of the package.
mkdir -p artifacts/package-symbols
mv "$out"/handler/*.dbg "$out"/handler/*.pdb artifacts/package-symbols/ 2>/dev/null || true
# Development settings (local users, the Azurite connection) never ship.
rm -f "$out/handler/appsettings.Development.json"
cp host.json "$out/"
for function in */function.json; do
  mkdir -p "$out/$(dirname "$function")"
  cp "$function" "$out/$function"
done
(cd "$out" && zip -qr -X ../workflow-functions.zip .)
echo "artifacts/workflow-functions.zip ($(du -h artifacts/workflow-functions.zip | cut -f1))"
