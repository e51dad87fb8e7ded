#!/usr/bin/env bash
# Checks the packages as a new user meets them, outside the repository and with an EMPTY NuGet cache:
#  1. packs every packable project into a local feed; each .nupkg must carry a readme, XML docs (libraries), a
#     .snupkg beside it and Source Link (the PDBs map sources to the repository URL);
#  2. a fresh console app WITHOUT a TorchSharp backend package must fail with the library's own message naming
#     TorchSharp-cpu (not a native abort);
#  3. the same app with Text2Lora + TorchSharp-cpu compiles README.md's first `csharp compile` block unchanged and
#     runs it to a generated PEFT adapter (the snippet's "path/to/hypernetwork" is the committed t2l-tiny-recon);
#  4. `dotnet tool install --tool-path` of Text2Lora.Cli from the feed, then `t2l demo` from an unrelated folder
#     prints the comparison table (exit 0), and `t2l reproduce --help` says what it needs.
# Other packages still come from the configured registry. Usage: bash eng/verify-package.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
fail() { echo "verify-package: $*" >&2; exit 1; }

# A unique pre-release version, so nothing stale can be restored.
base=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n 1)
version="$base-verify.$(date +%s)"

# 1. Pack everything (ContinuousIntegrationBuild: deterministic /_/ source paths, as a release build).
feed="$work/feed"
packable=$(grep -l '<IsPackable>true</IsPackable>' "$root"/src/*/*.csproj)
for project in $packable; do
  dotnet pack "$project" -c Release -o "$feed" -p:PackageVersion="$version" -p:ContinuousIntegrationBuild=true \
    -p:UseSharedCompilation=false --nologo -v q >"$work/pack.log" 2>&1 || { cat "$work/pack.log" >&2; fail "dotnet pack $project failed"; }
done
for project in $packable; do
  id=$(sed -n 's:.*<PackageId>\(.*\)</PackageId>.*:\1:p' "$project")
  nupkg="$feed/$id.$version.nupkg"
  test -f "$nupkg" || fail "$id.$version.nupkg was not produced"
  test -f "${nupkg%.nupkg}.snupkg" || fail "$id: no .snupkg beside the .nupkg"
  listing=$(unzip -l "$nupkg")
  nuspec=$(unzip -p "$nupkg" "$id.nuspec")
  grep -q ' README.md$' <<<"$listing" || fail "$id: README.md missing from the package"
  grep -q '<readme>README.md</readme>' <<<"$nuspec" || fail "$id: the nuspec names no readme"
  grep -q '<license type="expression">MIT</license>' <<<"$nuspec" || fail "$id: licence expression missing"
  grep -q '<repository type="git" url="https://github.com/' <<<"$nuspec" || fail "$id: repository URL/commit missing"
  if ! grep -q '<PackAsTool>true' "$project"; then
    grep -q "lib/net10.0/$id.xml" <<<"$listing" || fail "$id: XML docs missing from the package"
  fi
  mkdir -p "$work/symbols/$id" && unzip -q -o "${nupkg%.nupkg}.snupkg" -d "$work/symbols/$id"
  find "$work/symbols/$id" -name '*.pdb' -exec grep -l -a 'raw.githubusercontent.com/' {} + >/dev/null \
    || fail "$id: no Source Link in the symbol package's PDB"
done
echo "verify-package: $(wc -w <<<"$packable") packages with readme, symbols (.snupkg) and Source Link"

# An empty NuGet cache for everything below (the registry still serves the other packages).
export NUGET_PACKAGES="$work/nuget-cache"
mkdir -p "$NUGET_PACKAGES"
new_app() { # $1 folder, $2 extra package references
  mkdir -p "$1"
  cat > "$1/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
  cat > "$1/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Text2Lora" Version="$version" />
$2
  </ItemGroup>
</Project>
XML
  # README.md's first `csharp compile` block, unchanged.
  awk '/^```csharp compile/ {inside=1; next} inside && /^```/ {exit} inside {print}' "$root/README.md" > "$1/Program.cs"
  test -s "$1/Program.cs" || fail "README.md has no \`\`\`csharp compile block"
  mkdir -p "$1/path/to"
  cp -r "$root/models/t2l-tiny-recon" "$1/path/to/hypernetwork"
}

# 2. Without a backend package: the library's typed error naming the package, never a native abort.
new_app "$work/no-backend" ""
status=0
output=$(cd "$work/no-backend" && dotnet run -p:UseSharedCompilation=false --nologo 2>&1) || status=$?
[ "$status" -ne 0 ] || fail "the app without a backend package succeeded"
# The snippet does not catch, so .NET reports the unhandled exception (and exits with SIGABRT's 134): its first line
# must be the library's typed error naming the package, not a crash inside the native loader.
first=$(grep -m 1 '^Unhandled exception\.' <<<"$output" || true)
grep -q 'Text2Lora.Runtime.NativeBackendUnavailableException' <<<"$first" && grep -q 'TorchSharp-cpu' <<<"$first" \
  || { echo "$output" | head -20 >&2; fail "without a backend package the error is not the library's message naming TorchSharp-cpu"; }
echo "verify-package: without a backend package the app fails with the library's message naming TorchSharp-cpu (exit $status)"

# 3. With TorchSharp-cpu: the README snippet builds and writes an adapter.
new_app "$work/app" '    <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />'
(cd "$work/app" && dotnet run -p:UseSharedCompilation=false --nologo) || fail "the README snippet app failed"
test -s "$work/app/my-adapter/adapter_model.safetensors" && test -s "$work/app/my-adapter/adapter_config.json" \
  || fail "the README snippet did not write a PEFT adapter folder"
echo "verify-package: README snippet compiled unchanged against the packages and wrote my-adapter/"

# 4. The tool, installed from the feed, run from an unrelated folder.
dotnet tool install --tool-path "$work/tool" Text2Lora.Cli --version "$version" --add-source "$feed" >/dev/null \
  || fail "dotnet tool install of Text2Lora.Cli failed"
mkdir -p "$work/elsewhere"
demo=$(cd "$work/elsewhere" && "$work/tool/t2l" demo 2>/dev/null) || fail "t2l demo exited non-zero outside the repository"
grep -q 'base + generated adapter' <<<"$demo" || { echo "$demo" >&2; fail "t2l demo printed no comparison table"; }
help=$(cd "$work/elsewhere" && "$work/tool/t2l" reproduce --help)
grep -q 'configs/reproduce/pipeline.json' <<<"$help" && grep -q 'clone' <<<"$help" \
  || fail "t2l reproduce --help does not say what it needs"
echo "verify-package: OK (tool installed from the feed; t2l demo prints the table from an unrelated folder)"
