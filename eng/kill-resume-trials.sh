#!/usr/bin/env bash
# Crash-safety trials for training checkpoints: a reference run trains to the end; then each trial starts the same
# run in a fresh folder, kills it with SIGKILL after a random delay, resumes with --resume (killing again with
# probability 1/2, up to 3 kills), and finally compares every weights file (outside checkpoint/) byte for byte
# with the reference run. Usage:
#   eng/kill-resume-trials.sh [TRIALS=10] [MAX_STEPS=120] [CONFIG=configs/lora-tiny.json] [KIND=lora]
# Exits 1 when any trial's final weights differ or a resume fails. Output folders: runs/kill-resume/.
set -euo pipefail
trials="${1:-10}"
steps="${2:-120}"
root="$(cd "$(dirname "$0")/.." && pwd)"
config="${3:-$root/configs/lora-tiny.json}"
kind="${4:-lora}"
work="$root/runs/kill-resume"
rm -rf "$work" && mkdir -p "$work"
dotnet build "$root/src/Text2Lora.Cli" -c Release --nologo -v quiet >/dev/null
cli="$(find "$root/src/Text2Lora.Cli/bin/Release" -name t2l.dll | head -1)"
train() { nice -n 10 dotnet "$cli" train "$kind" --config "$config" --max-steps "$steps" --output "$1" "${@:2}"; }
weights() { (cd "$1" && find . -name '*.safetensors' -not -path './checkpoint/*' -not -path './.checkpoint*' | sort | xargs sha256sum); }

echo "reference run ($steps steps)"
train "$work/reference" >/dev/null
reference="$(weights "$work/reference")"
failures=0
for trial in $(seq 1 "$trials"); do
  out="$work/trial-$trial"
  kills=0
  flags=()
  while true; do
    train "$out" "${flags[@]}" >/dev/null 2>&1 &
    pid=$!
    if (( kills < 3 )) && (( kills == 0 || RANDOM % 2 == 0 )); then
      sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.1f", 3 + (r % 100) / 10 }')"
      if kill -9 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null || true
        kills=$((kills + 1))
        flags=(--resume)
        continue
      fi
    fi
    if ! wait "$pid"; then
      echo "trial $trial: the resumed run failed"; failures=$((failures + 1)); break
    fi
    if [[ "$(weights "$out")" == "$reference" ]]; then
      echo "trial $trial: $kills kill(s), final weights identical"
    else
      echo "trial $trial: $kills kill(s), final weights DIFFER"; failures=$((failures + 1))
    fi
    break
  done
done
echo "$((trials - failures))/$trials trials identical"
(( failures == 0 ))
