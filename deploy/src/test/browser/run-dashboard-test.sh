#!/usr/bin/env bash
# Runs dashboard-test.mjs: installs Debian's chromium if missing (as root) and playwright-core from
# the npm registry into WORKDIR (never a downloaded browser).
#   run-dashboard-test.sh WORKDIR BASE_URL SCREENSHOT.png
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$1"; URL="$2"; SHOT="$3"
if [ ! -x /usr/bin/chromium ]; then
  [ "$(id -u)" -eq 0 ] || { echo "chromium is missing and installing it needs root" >&2; exit 3; }
  echo "installing Debian chromium ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2 && apt-get install -y chromium >&2
fi
mkdir -p "$WORK"
cp "$HERE/package.json" "$HERE/dashboard-test.mjs" "$WORK/"
if [ ! -d "$WORK/node_modules/playwright-core" ]; then
  (cd "$WORK" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error >&2)
fi
cd "$WORK" && exec node dashboard-test.mjs "$URL" "$SHOT"
