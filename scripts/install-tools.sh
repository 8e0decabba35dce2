#!/usr/bin/env bash
# Installs the build tools the project needs, each only when missing (idempotent).
# Everything comes from crates.io, npm or Debian packages; see docs/toolchain notes in README.
# Usage: scripts/install-tools.sh [build|test]
set -euo pipefail
MODE="${1:-build}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LEPTOS_VERSION=0.3.11
BINDGEN_VERSION=0.2.130
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m[tools]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  log "adding wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# Unpacks a crate's source from the cargo registry. `cargo install --locked` of these tools fails on
# rustc 1.95 (a dependency needs a newer rustc), so we pin that dependency and install from the source.
crate_src() {
  local name="$1" version="$2"
  local dir
  dir=$(ls -d "$HOME"/.cargo/registry/src/*/"$name-$version" 2>/dev/null | head -1 || true)
  if [ -z "$dir" ]; then
    cargo install "$name" --version "$version" --locked --root "$(mktemp -d)" >/dev/null 2>&1 || true
    dir=$(ls -d "$HOME"/.cargo/registry/src/*/"$name-$version" | head -1)
  fi
  echo "$dir"
}

install_from_src() {
  local name="$1" version="$2" pin_pkg="$3" pin_version="$4"
  local src work
  src=$(crate_src "$name" "$version")
  work=$(mktemp -d)
  cp -r "$src" "$work/src"
  (cd "$work/src" && cargo update -p "$pin_pkg" --precise "$pin_version" \
    && CARGO_PROFILE_RELEASE_LTO=false CARGO_TARGET_DIR="$work/target" cargo install --path . --locked)
  rm -rf "$work"
}

if ! command -v wasm-bindgen >/dev/null || ! wasm-bindgen --version | grep -q "$BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $BINDGEN_VERSION (10-17 min on 2 cores)"
  install_from_src wasm-bindgen-cli "$BINDGEN_VERSION" webpki-roots 1.0.10
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$LEPTOS_VERSION"; then
  log "installing cargo-leptos $LEPTOS_VERSION (20-40 min on 2 cores)"
  install_from_src cargo-leptos "$LEPTOS_VERSION" cargo-util-schemas 0.14.1
fi

# npm tools: wasm-opt from binaryen (Debian's is too old and breaks hydration), playwright-core for tests.
if [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ] || { [ "$MODE" = test ] && [ ! -d "$ROOT/node_modules/playwright-core" ]; }; then
  log "installing npm packages"
  (cd "$ROOT" && npm ci --no-audit --no-fund)
fi

if ! command -v brotli >/dev/null; then
  log "installing Debian brotli (precompresses the wasm)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli >/dev/null
fi

if [ "$MODE" = test ]; then
  # A MongoDB-compatible server for the storage contract suite (MongoDB itself cannot be installed
  # here): SecantusDB from PyPI, a pre-release, pinned, in its own virtual environment.
  venv="$HOME/.cache/adronx/mongo-venv"
  if [ ! -x "$venv/bin/secantusd-py" ]; then
    log "installing SecantusDB (MongoDB wire protocol) from PyPI"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q 'SecantusDB==0.7.0b3'
  fi
  if ! command -v chromium >/dev/null; then
    log "installing Debian chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
log "tools ready"
