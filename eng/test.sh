#!/usr/bin/env bash
# The project's test command: prepares the native runtime if needed, runs every test project of the
# solution, runs the samples, then checks the NuGet packages and the t2l tool in a fresh folder (eng/verify-package.sh).
# Prints a closing line "tests: N passed, N failed, N skipped".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

bash eng/install-native-prereqs.sh
bash eng/install-browser-prereqs.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Text2Lora.sln -c Release -p:UseSharedCompilation=false 2>&1 | tee "$log" || status=$?

# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 58, Skipped: 0, ...").
read -r passed failed skipped < <(sed -nE 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/p' "$log" \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')

if [ "$status" -eq 0 ]; then
  bash eng/run-samples.sh || status=$?
fi
if [ "$status" -eq 0 ]; then
  bash eng/verify-package.sh || status=$?
fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
