#!/usr/bin/env bash
# Crash-safety trials for training checkpoints: a reference run trains to the end; then each trial starts the same
# run in a fresh folder, kills it with SIGKILL after a random delay (10-90 % of the reference run's duration), resumes with --resume (killing again with
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
# In the background the trainer must BE the process that is killed: `exec` replaces the subshell (and nice execs
# dotnet), so $! is the trainer itself. Killing only a wrapper shell left the trainer running as an orphan that kept
# writing the folder the resumed run was writing too.
train_in_background() { ( exec nice -n 10 dotnet "$cli" train "$kind" --config "$config" --max-steps "$steps" --output "$1" "${@:2}" ) >/dev/null 2>&1 & }
weights() { (cd "$1" && find . -name '*.safetensors' -not -path './checkpoint/*' -not -path './.checkpoint*' | sort | xargs sha256sum); }

echo "reference run ($steps steps)"
started=$(date +%s.%N)
train "$work/reference" >/dev/null
# Kill delays are drawn across the reference run's own duration (10-90 %), so kills land mid-run on a fast quiet
# machine as on a loaded one (a fixed 3-13 s window let a quiet 120-step run finish before most kills).
duration=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
echo "reference run took ${duration} s"
reference="$(weights "$work/reference")"
failures=0
for trial in $(seq 1 "$trials"); do
  out="$work/trial-$trial"
  kills=0
  flags=()
  while true; do
    train_in_background "$out" "${flags[@]}"
    pid=$!
    if (( kills < 3 )) && (( kills == 0 || RANDOM % 2 == 0 )); then
      sleep "$(awk -v r=$RANDOM -v d="$duration" 'BEGIN { printf "%.2f", d * (0.1 + 0.8 * r / 32767) }')"
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
