#!/usr/bin/env bash
# Starts the product locally: Azurite (data kept in .data/azurite), the API on http://127.0.0.1:7071 and the Outlook
# task pane on https://localhost:3000 (its /api proxied to the API).
# Installs what it needs from the repository's own files first. Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

API_PORT="${API_PORT:-7071}"
TABLE_PORT="${TABLE_PORT:-10002}"

scripts/install-tools.sh
echo "==> Building the API"
dotnet build functions/Workflow.Api/Workflow.Api.csproj --nologo -v quiet -clp:ErrorsOnly

mkdir -p .data/azurite
echo "==> Starting Azurite (Table service) on 127.0.0.1:${TABLE_PORT}, data in .data/azurite"
node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort "$TABLE_PORT" \
  --location .data/azurite --disableTelemetry >.data/azurite.log 2>&1 &
AZURITE_PID=$!
trap 'kill $AZURITE_PID ${API_PID:-} ${PANE_PID:-} 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 50); do
  (exec 3<>/dev/tcp/127.0.0.1/"$TABLE_PORT") 2>/dev/null && break
  sleep 0.2
done

echo "==> Starting the API on http://127.0.0.1:${API_PORT}"
ASPNETCORE_ENVIRONMENT=Development \
Mail__OutboxPath="$PWD/.data/outbox" \
Tables__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:${TABLE_PORT}/devstoreaccount1;" \
dotnet run --project functions/Workflow.Api --no-build --no-launch-profile --urls "http://127.0.0.1:${API_PORT}" &
API_PID=$!

for _ in $(seq 1 150); do
  curl -fs "http://127.0.0.1:${API_PORT}/" >/dev/null 2>&1 && break
  sleep 0.2
done

# The task pane: HTTPS with a local certificate made offline (Outlook needs HTTPS); plain HTTP if that fails.
pane_scheme=https
if ! node addin/scripts/dev-certs.mjs; then
  echo "Could not make a local certificate; serving the pane over plain HTTP (fine as a web page, not for Outlook)." >&2
  export WORKFLOW_PANE_HTTP=1 pane_scheme=http
fi
(cd addin && node scripts/write-manifest.mjs dev >/dev/null)
echo "==> Starting the task pane on ${pane_scheme}://localhost:3000"
# vite itself (not through npm), so the trap's kill reaches it.
(cd addin && WORKFLOW_API_URL="http://127.0.0.1:${API_PORT}" exec node_modules/.bin/vite --clearScreen false) &
PANE_PID=$!

cat <<EOT

Workflow is running.
  API:      http://127.0.0.1:${API_PORT}   (OpenAPI document: /api/openapi.json)
  Pane:     ${pane_scheme}://localhost:3000 (sideload addin/manifest.json: see addin/README.md)
  Storage:  Azurite on 127.0.0.1:${TABLE_PORT}; data in .data/azurite survives restarts
  Sign in:  curl -s -X POST http://127.0.0.1:${API_PORT}/api/dev/token -H 'Content-Type: application/json' -d '{"email":"alice@contoso.test"}'
  Users:    alice@, bob@, carol@contoso.test (one tenant); mallory@fabrikam.test (another)
  Try it:   workflow.http, or the walk-through in README.md
  Review:   scripts/review-now.sh sends this week's digests now, as .eml files into .data/outbox
Press Ctrl+C to stop.
EOT
wait "$API_PID"
