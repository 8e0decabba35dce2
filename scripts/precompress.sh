#!/usr/bin/env bash
# Writes .br and .gz next to the built site's JS, wasm and CSS, so the server sends them compressed
# without compressing on every request (ServeDir picks the variant the browser accepts).
set -euo pipefail
site="${LEPTOS_SITE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/target/site}"
for f in "$site"/pkg/*.{js,wasm,css}; do
  [ -f "$f" ] || continue
  gzip -9 -k -f "$f"
  if command -v brotli >/dev/null; then brotli -q 11 -f -o "$f.br" "$f"; fi
done
