#!/usr/bin/env bash
# Installs the C++ runtime that TorchSharp 0.107's native shim (libLibTorchSharp.so) needs.
#
# The shim links against libstdc++ symbol version GLIBCXX_3.4.32 (GCC 13.2+). Debian 12 ships
# GCC 12's runtime (up to GLIBCXX_3.4.30), so every tensor call fails there. The fix adds the
# Debian 13 ("trixie") suite with an apt pin that forbids every trixie package (priority -1)
# except the C/C++ runtime family and the few packages that must move in lockstep with libc6
# (priority 990), then upgrades libstdc++6 with --no-remove so nothing is ever uninstalled.
#
# Idempotent: exits at once when the loader's libstdc++ already exports GLIBCXX_3.4.32.
# Must run as root. Refuses (exit 2) on anything but Debian 12.
set -euo pipefail

readonly NEEDED=GLIBCXX_3.4.32
readonly SOURCES=/etc/apt/sources.list.d/text2lora-trixie.sources
readonly PIN=/etc/apt/preferences.d/text2lora-trixie-runtime

log() { printf 'install-native-prereqs: %s\n' "$*" >&2; }

has_runtime() {
  local lib
  lib=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
  [ -n "$lib" ] || lib=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6/ {print $NF; exit}')
  [ -n "$lib" ] && [ -r "$lib" ] && grep -qa "$NEEDED" "$lib"
}

if has_runtime; then
  log "libstdc++ already provides $NEEDED; nothing to do."
  exit 0
fi

. /etc/os-release 2>/dev/null || true
if [ "${ID:-}" != "debian" ] || [ "${VERSION_ID:-}" != "12" ]; then
  log "the C++ runtime lacks $NEEDED, which TorchSharp 0.107 needs."
  log "This script only knows how to fix Debian 12 (found: ${PRETTY_NAME:-unknown})."
  log "Use a distribution with GCC 13.2+ runtime (Ubuntu 24.04, Debian 13, Fedora 39+), or install libstdc++ from GCC 13.2+."
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (it installs packages with apt-get)."
  exit 2
fi

# Mirror: reuse the host's configured Debian mirror so this works behind the same proxy/mirror.
# Only active lines count: deb822 "URIs:" fields and one-line "deb URL ..." entries, never comments.
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
  | sed -nE 's/^URIs:[[:space:]]*(https?:\/\/[^[:space:]]+).*/\1/p; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?(https?:\/\/[^[:space:]]+).*/\2/p' \
  | grep -v -- '-security' | head -n 1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

# Packages allowed from trixie: the runtime family plus whatever must move with libc6.
runtime_pkgs="libstdc++6 libgcc-s1 gcc-14-base libc6 libc-bin base-files"
lockstep_candidates="libc6-dev libc-dev-bin libc-devtools libc6-dbg locales libc-l10n locales-all nscd libdpkg-perl dpkg-dev"
lockstep=""
for p in $lockstep_candidates; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    lockstep="$lockstep $p"
  fi
done

cleanup_on_failure() {
  log "install failed; removing the apt files this script added."
  rm -f "$SOURCES" "$PIN"
  apt-get update -qq >/dev/null 2>&1 || true
}

log "adding the trixie suite ($mirror) pinned to the C/C++ runtime only"
cat > "$SOURCES" <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
cat > "$PIN" <<PINS
# Written by Text2Lora eng/install-native-prereqs.sh: only the C/C++ runtime comes from trixie.
Package: *
Pin: release n=trixie
Pin-Priority: -1

Package: $runtime_pkgs$lockstep
Pin: release n=trixie
Pin-Priority: 990
PINS

trap cleanup_on_failure ERR
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq 2>&1 | tee /dev/stderr | grep -q '^[WE]:.*trixie' ; then :; else
  log "could not read the trixie index from $mirror"; false
fi
apt-get install -y -qq --no-remove -o Dpkg::Options::=--force-confold libstdc++6 >/dev/null
trap - ERR

if has_runtime; then
  log "done: libstdc++ now provides $NEEDED."
else
  log "libstdc++ was upgraded but still lacks $NEEDED."
  exit 1
fi
