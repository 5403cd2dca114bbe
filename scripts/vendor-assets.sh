#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry (developer task, not part of the build).
set -euo pipefail
cd "$(dirname "$0")/.."
A=solidarity_edu/builder/assets/vendor
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent reveal.js@5.2.1 @fontsource/atkinson-hyperlegible@5.3.0 >/dev/null \
  && for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done )
R="$tmp/reveal.js-5.2.1/package"; F="$tmp/fontsource-atkinson-hyperlegible-5.3.0/package"
mkdir -p "$A/reveal" "$A/fonts"
cp "$R/dist/reveal.js" "$R/dist/reveal.css" "$R/plugin/notes/notes.js" "$R/LICENSE" "$A/reveal/"
sed '/@import/d' "$R/dist/theme/white.css" > "$A/reveal/theme-white.css"
for w in 400-normal 700-normal 400-italic; do
  cp "$F/files/atkinson-hyperlegible-latin-$w.woff2" "$F/files/atkinson-hyperlegible-latin-ext-$w.woff2" "$A/fonts/"
done
cp "$F/LICENSE" "$A/fonts/LICENSE"
echo "vendored assets refreshed in $A"
