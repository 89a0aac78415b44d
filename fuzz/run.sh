#!/bin/bash
# fuzz/run.sh SECONDS [extra libFuzzer flags...]
# Builds the libFuzzer target in build-fuzz/ (clang, -DMODFORGE_FUZZ=ON) and runs it for
# SECONDS seconds on a working copy of the seed corpus, then prints the final stats line.
# Crashes, leaks, timeouts and OOMs are written to build-fuzz/findings/.
set -euo pipefail
secs=${1:?usage: fuzz/run.sh SECONDS [libFuzzer flags...]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
jobs=${FUZZ_BUILD_JOBS:-2}

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMODFORGE_FUZZ=ON -DMODFORGE_TESTS=OFF >/dev/null
ninja -C "$build" -j "$jobs" genksyms_fuzz

work=$build/corpus-genksyms        # grows while fuzzing; the seeds stay untouched
findings=$build/findings
mkdir -p "$work" "$findings"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
"$build/fuzz/genksyms_fuzz" "$work" "$root/fuzz/corpus/genksyms" \
  -dict="$root/fuzz/genksyms.dict" \
  -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$findings/" -print_final_stats=1 "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
echo "---- final stats (exit $rc) ----"
grep -E '^stat::|^#[0-9]+[[:space:]]+DONE' "$log" || true
tail -n 1 "$log" | grep -v '^stat::' || true
exit "$rc"
