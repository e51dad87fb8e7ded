#!/usr/bin/env bash
# Runs every sample on the committed tiny models (CI runs this from eng/test.sh after the tests, on the Release build
# the tests made). Each must exit 0 and print what it promises.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { dotnet run --project "samples/$1" -c Release -p:UseSharedCompilation=false --no-launch-profile -- "${@:2}"; }
expect() { grep -q "$2" <<<"$1" || { echo "$1" >&2; echo "run-samples: $3" >&2; exit 1; }; }

out=$(run GenerateAdapter models/t2l-tiny-recon "Give the first letter of the word." "$work/generated")
expect "$out" "Wrote a rank-8 adapter" "GenerateAdapter wrote no adapter"
test -s "$work/generated/adapter_model.safetensors"

out=$(run HostedChat 2>/dev/null)
expect "$out" "adapter:" "HostedChat printed no answers"

out=$(run MixAdapters models/t2l-tiny-recon "$work/mixed")
expect "$out" "mix-exact" "MixAdapters printed no mixed adapter"
test -s "$work/mixed/mix-exact/adapter_model.safetensors" && test -s "$work/mixed/mix-interpolated/adapter_config.json"

out=$(run TrainHypernetwork 4 "$work/sft")
expect "$out" "Generated a rank-8 adapter" "TrainHypernetwork did not train and generate"
echo "run-samples: 4 samples ran"
