#!/usr/bin/env bash
# Publishes the API as it ships: compiled ahead of time to one native linux-x64 executable (docs/decisions/0019).
# Usage: scripts/publish-native.sh <output folder> <with the local sign-in: true|false>. The package leaves the local
# sign-in out (ADR 0006); the tests and the bench build it in, for their users. Said explicitly either way: MSBuild would
# otherwise take a DevelopmentSignIn variable from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?output folder}"
dev_sign_in="${2:?true or false}"
dotnet publish functions/Workflow.Api/Workflow.Api.csproj -c Release -r linux-x64 -p:PublishAot=true \
  -p:DevelopmentSignIn="$dev_sign_in" -o "$out" --nologo -v quiet
