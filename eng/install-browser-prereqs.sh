#!/usr/bin/env bash
# Installs Chromium from the Debian archive for the web page test (tests/Text2Lora.Serving.Tests/WebPageTests),
# which drives it with Microsoft.Playwright (Playwright's own browser download is not reachable here).
# Idempotent: exits at once when /usr/bin/chromium exists. Installs only as root; otherwise it says what to run,
# and the browser test skips with that reason.
set -euo pipefail

log() { printf 'install-browser-prereqs: %s\n' "$*" >&2; }

if [ -x /usr/bin/chromium ]; then
  log "chromium already installed; nothing to do."
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  log "chromium is missing; run as root: apt-get update && apt-get install -y chromium (the browser test skips until then)."
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  log "no apt-get: install Chromium at /usr/bin/chromium by other means (the browser test skips until then)."
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium
log "installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)."
