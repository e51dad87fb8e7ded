#!/usr/bin/env bash
# Checks that a rerun of the reproduction pipeline matches the committed artifacts:
#   dotnet run --project src/Text2Lora.Cli -c Release -- reproduce --config configs/reproduce/pipeline.json --output /tmp/rerun --no-publish
#   bash eng/check-reproduction.sh /tmp/rerun
# Compares the trained weights byte for byte with models/ and the results table (everything above its run-time
# section, which differs between runs) with docs/results.md. Exit 0 when everything matches, 1 otherwise.
set -euo pipefail
rerun="${1:?usage: eng/check-reproduction.sh RERUN_OUTPUT_DIR}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
status=0
check() { # $1 rerun file, $2 committed file
  if cmp -s "$1" "$2"; then echo "same:   $2"; else echo "DIFFER: $2 (rerun: $1)"; status=1; fi
}
check "$rerun/base/final/model.safetensors" "$root/models/t2l-tiny-base/model.safetensors"
check "$rerun/sft/final/hypernetwork.safetensors" "$root/models/t2l-tiny-sft/hypernetwork.safetensors"
check "$rerun/recon/final/hypernetwork.safetensors" "$root/models/t2l-tiny-recon/hypernetwork.safetensors"
table() { sed '/^## Seeds and run time/,$d' "$1"; }
if diff <(table "$rerun/results.md") <(table "$root/docs/results.md") > /dev/null; then
  echo "same:   docs/results.md (all scores; run times excluded)"
else
  echo "DIFFER: docs/results.md scores:"; diff <(table "$rerun/results.md") <(table "$root/docs/results.md") | head -20 || true; status=1
fi
exit $status
