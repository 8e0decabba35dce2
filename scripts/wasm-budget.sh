#!/usr/bin/env bash
# The wasm size budget, checked on every build (issue 14). It fails when
#  - the public pages' bundle (what `/` loads: pkg/public.wasm) weighs more than 150 KB brotli —
#    or, while it is still over that goal, more than 1 % over its size recorded in .ci/wasm-baseline
#    (so it can only shrink towards the goal), or
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
public=$(size public.wasm.br)
app=$(size adronx.wasm.br)
public_recorded=$(recorded public.wasm.br)
app_recorded=$(recorded adronx.wasm.br)
public_limit=$goal
[ "$public_recorded" -gt "$goal" ] && public_limit=$((public_recorded * 101 / 100))
app_limit=$((app_recorded * 110 / 100))
echo "wasm budget: / loads ${public} B brotli (limit ${public_limit}; goal ${goal}); the app ${app} B brotli (baseline ${app_recorded}, limit ${app_limit})"
[ "$public" -gt "$goal" ] && echo "wasm budget: the public pages' wasm is still $((public - goal)) B over the ${goal} B goal"
failed=0
if [ "$public" -gt "$public_limit" ]; then
  echo "wasm budget: FAILED — the public pages' wasm is ${public} B brotli, over ${public_limit} B" >&2
  failed=1
fi
if [ "$app" -gt "$app_limit" ]; then
  echo "wasm budget: FAILED — the app's wasm grew to ${app} B brotli, more than 10 % over the baseline ${app_recorded} B;" \
    "if that is meant, record the new size in .ci/wasm-baseline in the same commit" >&2
  failed=1
fi
for f in public.wasm.br adronx.wasm.br; do
  now=$(size "$f"); was=$(recorded "$f")
  [ "$now" -lt "$((was * 95 / 100))" ] && echo "wasm budget: $f is more than 5 % under its record; write ${now} in .ci/wasm-baseline to keep the gain"
done
exit "$failed"
