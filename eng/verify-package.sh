#!/usr/bin/env bash
# Packs the Text2Lora core package, then builds and runs a throwaway console app that references
# it plus TorchSharp-cpu (as a user's application would) and creates a tensor.
# Usage: bash eng/verify-package.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A unique pre-release version, so the app never restores a stale copy from the NuGet cache.
base=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n 1)
version="$base-verify.$(date +%s)"
cache=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
trap 'rm -rf "$work" "$cache/text2lora/$version"' EXIT
dotnet pack "$root/src/Text2Lora" -c Release -o "$work/feed" -p:PackageVersion="$version" -p:UseSharedCompilation=false --nologo -v q
test -f "$work/feed/Text2Lora.$version.nupkg" || { echo "verify-package: Text2Lora.$version.nupkg was not produced" >&2; exit 1; }

# The package must carry the README, the licence expression and the XML docs.
listing=$(unzip -l "$work/feed/Text2Lora.$version.nupkg")
nuspec=$(unzip -p "$work/feed/Text2Lora.$version.nupkg" Text2Lora.nuspec)
grep -q 'README.md' <<<"$listing" || { echo "verify-package: README.md missing from the package" >&2; exit 1; }
grep -q 'lib/net10.0/Text2Lora.xml' <<<"$listing" || { echo "verify-package: XML docs missing from the package" >&2; exit 1; }
grep -q '<license type="expression">MIT</license>' <<<"$nuspec" || { echo "verify-package: licence expression missing" >&2; exit 1; }

mkdir -p "$work/app"
cat > "$work/app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$work/feed" />
  </packageSources>
</configuration>
XML
cat > "$work/app/App.csproj" <<XML
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
    <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
  </ItemGroup>
</Project>
XML
cat > "$work/app/Program.cs" <<'CS'
using Text2Lora.Runtime;
using TorchSharp;

TorchRuntime.EnsureAvailable();
using var t = torch.ones(2, 3);
Console.WriteLine($"sum={t.sum().item<float>()}");
CS
output=$(cd "$work/app" && dotnet run -p:UseSharedCompilation=false --nologo 2>&1)
echo "$output"
grep -qx 'sum=6' <<<"$output" || { echo "verify-package: the app did not create a tensor" >&2; exit 1; }
echo "verify-package: OK (Text2Lora.$version.nupkg builds into an app that creates tensors)"
