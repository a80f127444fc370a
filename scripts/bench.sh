#!/usr/bin/env bash
# Runs the performance figures of docs quality-bars.md once: start-up against an empty ASP.NET Core app, the L1-L4
# ladder under open-loop load, storage requests and allocated bytes per operation. Builds in Release first. Prints a
# table and writes it to artifacts/bench.txt; then the add-in's suggestions (bench/suggestions.mjs: analysing a long
# mail against the pane's first render) to artifacts/bench-suggestions.txt. Not part of scripts/test.sh: timings are
# for people to read, never asserted by CI. Options (rates, durations, sizes): scripts/bench.sh --help.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-tools.sh

echo "==> dotnet build (Release)"
# The bench signs its local users in, so its API builds include the development sign-in that shipped builds leave out.
dev_sign_in=-p:DevelopmentSignIn=true
dotnet build bench/EmptyApp/EmptyApp.csproj -c Release --nologo -v quiet
dotnet build bench/Workflow.Bench/Workflow.Bench.csproj -c Release "$dev_sign_in" --nologo -v quiet
# Each app as it would ship. The API: compiled ahead of time to native code, as scripts/package.sh builds it
# (docs/decisions/0019). The empty app, the baseline quality-bars.md names ("an empty ASP.NET Core app"): published
# ReadyToRun (precompiled), as an ASP.NET Core app is by default, so start-up does not time the JIT either way.
scripts/publish-native.sh artifacts/publish/Workflow.Api true
dotnet publish bench/EmptyApp/EmptyApp.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o artifacts/publish/EmptyApp --nologo -v quiet

echo "==> bench"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain 2>/dev/null)" ]]; then commit="$commit (with uncommitted changes)"; fi
BENCH_COMMAND="scripts/bench.sh${*:+ $*}" BENCH_SDK="$(dotnet --version)" BENCH_COMMIT="$commit" \
  dotnet bench/Workflow.Bench/bin/Release/net10.0/Workflow.Bench.dll "$@"

echo "==> bench: suggestions from the mail being read (add-in)"
# The add-in's sources import the API types generated from the contract; a fresh checkout has none yet.
(cd addin && npm run --silent api-types >/dev/null)
node bench/suggestions.mjs
