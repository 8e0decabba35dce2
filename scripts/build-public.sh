#!/usr/bin/env bash
# Builds the public site's and the account pages' hydration bundles (frontend/public,
# frontend/account) into the site as pkg/public.{js,wasm} and pkg/account.{js,wasm}, the way
# cargo-leptos builds the app's bundle: the same target directory,
# profile and environment (so the crates both bundles share are compiled once), then
# wasm-bindgen --target web and wasm-opt -Oz. Run after `cargo leptos build --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CARGO_TARGET_DIR:=$HOME/.cache/adronx/target}"
# The npm wasm-opt and the cargo-installed wasm-bindgen (scripts/install-tools.sh), as make sets them.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
site="${LEPTOS_SITE_ROOT:-$PWD/target/site}"
front="$CARGO_TARGET_DIR/front"
# cargo-leptos builds the wasm with these in the environment; leptos reads LEPTOS_OUTPUT_NAME at
# compile time, so a different value would rebuild it (and everything above it) for each bundle.
LEPTOS_OUTPUT_NAME=adronx LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR=127.0.0.1:3000 \
  LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=frontend LEPTOS_BIN_DIR=server LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=false \
  cargo build --package=frontend-public --package=frontend-account --lib --target-dir="$front" --target=wasm32-unknown-unknown \
  --no-default-features --profile=wasm-release
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$site/pkg"
for name in public account; do
  wasm-bindgen --target=web --no-typescript --out-name="$name" --out-dir="$out" \
    "$front/wasm32-unknown-unknown/wasm-release/frontend_$name.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
  mv "$out/${name}_bg.wasm" "$site/pkg/$name.wasm"
  mv "$out/$name.js" "$site/pkg/$name.js"
  echo "$name bundle: $(stat -c %s "$site/pkg/$name.wasm") B of wasm in $site/pkg"
done
