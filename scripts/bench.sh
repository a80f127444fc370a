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
# Both apps as they would ship: published ReadyToRun (precompiled), so start-up compares like with like and does not
# measure the JIT compiling the identity and Azure SDK assemblies, which ship without precompiled code.
for app in functions/Workflow.Api/Workflow.Api.csproj bench/EmptyApp/EmptyApp.csproj; do
  name="$(basename "$app" .csproj)"
  dotnet publish "$app" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true "$dev_sign_in" \
    -o "artifacts/publish/$name" --nologo -v quiet
done

echo "==> bench"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain 2>/dev/null)" ]]; then commit="$commit (with uncommitted changes)"; fi
BENCH_COMMAND="scripts/bench.sh${*:+ $*}" BENCH_SDK="$(dotnet --version)" BENCH_COMMIT="$commit" \
  dotnet bench/Workflow.Bench/bin/Release/net10.0/Workflow.Bench.dll "$@"

echo "==> bench: suggestions from the mail being read (add-in)"
node bench/suggestions.mjs
