#!/usr/bin/env bash
# Fuzz campaign over every input format Text2Lora parses (tests/Text2Lora.FuzzRunner).
#   eng/fuzz.sh [CASES_PER_FORMAT] [SEED] [FORMAT[,FORMAT...]|all]
# Each case is a seeded structure-aware mutation of a valid file, read in a worker process with time and RSS limits;
# outcomes: typed error / accepted (self-consistent) / untyped / hang / over-memory / inconsistent.
# Exits 1 when any case is untyped, hangs, blows memory or is inconsistent; the table goes to stdout and to
# runs/fuzz/report-<seed>.md. Rebuild one case: dotnet <runner dll> repro --format F --seed S --case I --out DIR
set -euo pipefail
cases="${1:-10000}"
seed="${2:-1}"
formats="${3:-all}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dotnet build "$root/tests/Text2Lora.FuzzRunner" -c Release --nologo -v quiet >/dev/null
runner="$(find "$root/tests/Text2Lora.FuzzRunner/bin/Release" -name Text2Lora.FuzzRunner.dll | head -1)"
mkdir -p "$root/runs/fuzz"
exec nice -n 10 dotnet "$runner" campaign --format "$formats" --cases "$cases" --seed "$seed" --report "$root/runs/fuzz/report-$seed.md"
