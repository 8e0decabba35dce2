#!/usr/bin/env bash
# The wasm size budget, checked on every build (issue 14). It fails when
#  - the public site's bundle (what `/` loads: pkg/public.wasm) or the account pages' bundle
#    (pkg/account.wasm) weighs more than 150 KB brotli — or, while one is still over that goal,
#    more than 1 % over its size recorded in .ci/wasm-baseline (so it can only shrink towards it);
#  - the signed-in app's bundle (pkg/adronx.wasm) grew more than 10 % over the baseline recorded in
#    .ci/wasm-baseline; a change that means to grow it updates that file in the same commit.
# Sizes are of the .br files scripts/precompress.sh writes (brotli -q 11), which is what the
# server sends a browser that accepts brotli. The browser test weight.test.mjs checks that `/`
# fetches no other wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
site="${LEPTOS_SITE_ROOT:-$PWD/target/site}"
goal=150000
size() { stat -c %s "$site/pkg/$1" 2>/dev/null || { echo "wasm budget: $site/pkg/$1 is missing (run make build)" >&2; exit 1; }; }
recorded() { awk -v f="$1" '$1 == f { print $2 }' .ci/wasm-baseline; }
failed=0
for f in public.wasm.br account.wasm.br adronx.wasm.br; do
  now=$(size "$f")
  was=$(recorded "$f")
  if [ "$f" = adronx.wasm.br ]; then
    limit=$((was * 110 / 100))
  else
    limit=$goal
    [ "$was" -gt "$goal" ] && limit=$((was * 101 / 100))
    [ "$now" -gt "$goal" ] && echo "wasm budget: $f is still $((now - goal)) B over the ${goal} B goal"
  fi
  echo "wasm budget: $f ${now} B brotli (recorded ${was}, limit ${limit})"
  if [ "$now" -gt "$limit" ]; then
    echo "wasm budget: FAILED — $f is ${now} B brotli, over ${limit} B; if a growth of the app's" \
      "bundle is meant, record the new size in .ci/wasm-baseline in the same commit" >&2
    failed=1
  fi
  [ "$now" -lt "$((was * 95 / 100))" ] && echo "wasm budget: $f is more than 5 % under its record; write ${now} in .ci/wasm-baseline to keep the gain"
done
exit "$failed"
