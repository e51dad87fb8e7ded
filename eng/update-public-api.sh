#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of every packed project (src/*) from the code: adds the public symbols that are
# not declared yet (RS0016) and drops declared ones that are gone (RS0017). Run it after a deliberate API change or
# after merging branches, review the diff, and commit it. Moving entries to PublicAPI.Shipped.txt happens at release.
# Usage: eng/update-public-api.sh [project.csproj ...]   (default: every src project with PublicAPI files)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

if [ "$#" -gt 0 ]; then
  projects=("$@")
else
  mapfile -t projects < <(for f in src/*/PublicAPI.Unshipped.txt; do ls "$(dirname "$f")"/*.csproj; done)
fi

for project in "${projects[@]}"; do
  echo "public API: $project"
  dotnet format analyzers "$project" --diagnostics RS0016 RS0017 --severity warn
done
