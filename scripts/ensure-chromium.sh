#!/usr/bin/env bash
# Makes sure a Chromium for the end-to-end tests exists. Playwright cannot download its own
# browsers on this machine kind, so we use Debian's package (installed here when missing).
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ "$browser" = /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found at $browser: installing Debian's chromium package…" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  [ -x "$browser" ] && exit 0
fi
echo "No Chromium at $browser. Install Debian's 'chromium' package or set CHROMIUM_PATH to a Chromium binary." >&2
exit 1
