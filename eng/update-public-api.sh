#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of the packed projects (src/*) from the code: builds the solution, adds every
# public symbol the build reports as undeclared (RS0016) and drops declared ones that are gone (RS0017), and repeats
# until the build reports neither (a project's errors show only once the projects below it build). Run it after a
# deliberate API change or after merging branches, review the diff, and commit it. Moving entries to
# PublicAPI.Shipped.txt happens at release.
# Usage: eng/update-public-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

for round in 1 2 3 4 5 6; do
  log=$(mktemp)
  dotnet build Text2Lora.sln -c Release -p:UseSharedCompilation=false >"$log" 2>&1 || true
  changed=$(python3 - "$log" <<'PY'
import os, re, sys
added, removed = {}, {}
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r"^(?P<file>/\S+?)\(\d+,\d+\): (?:error|warning) (?P<id>RS001[67]): Symbol '(?P<sym>.*)' is (?:not )?part of the declared", line)
    if not m:
        continue
    proj = re.search(r"\[(?P<proj>[^\]]+\.csproj)", line)
    if not proj:
        continue
    folder = os.path.dirname(proj.group("proj"))
    target = os.path.join(folder, "PublicAPI.Unshipped.txt")
    (added if m.group("id") == "RS0016" else removed).setdefault(target, set()).add(m.group("sym"))
for target in set(added) | set(removed):
    lines = open(target, encoding="utf-8").read().splitlines() if os.path.exists(target) else []
    header = [l for l in lines if l.startswith("#")]
    body = {l for l in lines if l and not l.startswith("#")}
    body -= removed.get(target, set())
    body |= added.get(target, set())
    with open(target, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(header + sorted(body, key=lambda s: s.replace("~", ""))) + "\n")
print(len(added) + len(removed))
PY
)
  if ! grep -qE "error (CS|MSB)" "$log" && [ "$changed" = "0" ]; then
    rm -f "$log"; echo "public API files are up to date"; exit 0
  fi
  if [ "$changed" = "0" ]; then
    grep -E "error (CS|MSB)" "$log" | sort -u | head -20; rm -f "$log"
    echo "the build fails for reasons other than the public API files" >&2; exit 1
  fi
  rm -f "$log"; echo "round $round: updated $changed file(s)"
done
echo "still changing after 6 rounds" >&2; exit 1
