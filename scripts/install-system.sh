#!/usr/bin/env bash
# System packages the project needs, from Debian's archive (never a browser download):
#   chromium       prints the PDFs and runs the browser tests (driven by Playwright's Python package)
#   poppler-utils  pdftotext / pdftoppm, used by the tests and to look at PDF pages as images
#   fonts-*        fonts for Chromium's print output and for non-Latin names in the lessons: DejaVu Sans
#                  (fonts-dejavu-core), Noto Sans, the whole of Vietnamese pages (fonts-noto-core), and
#                  Noto Sans CJK TC, the whole of Traditional Chinese pages (fonts-noto-cjk)
#   nodejs, npm    install axe-core and configurable-http-proxy (JupyterHub's proxy) from package-lock.json
#   postgresql     the server binaries (initdb, pg_ctl) the circle-store tests start a private cluster with;
#                  the 'main' cluster the package starts is stopped again: no test uses it
# Safe to run again: it does nothing when everything is present.
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v pdftotext >/dev/null 2>&1 || needed+=(poppler-utils)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || needed+=(fonts-dejavu-core)
[ -e /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] || needed+=(fonts-noto-core)
# (fc-list asked for the family itself: a grep -q that stops reading would fail the pipe under pipefail)
[ -n "$(fc-list ':family=Noto Sans CJK TC' family 2>/dev/null)" ] || needed+=(fonts-noto-cjk)
command -v node >/dev/null 2>&1 || needed+=(nodejs)
command -v npm >/dev/null 2>&1 || needed+=(npm)
# The server, not just the client: psql alone may be installed without it.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || needed+=(postgresql)
if [ ${#needed[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${needed[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: need root (or sudo) to install: ${needed[*]}" >&2
    echo "fix: run 'apt-get install -y ${needed[*]}' as root, then run make again" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
if [[ " ${needed[*]} " == *" postgresql "* ]]; then
  pg_lsclusters -h 2>/dev/null | while read -r version cluster _; do
    $SUDO pg_ctlcluster "$version" "$cluster" stop 2>/dev/null || true
  done || true
fi
echo "system packages: done"
