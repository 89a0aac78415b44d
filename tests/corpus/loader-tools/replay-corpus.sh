#!/usr/bin/env bash
# The loader corpus test: every batch of a stored corpus tarball replayed in the emulated
# kernel and compared step by step with the real kernel's answers.
#   replay-corpus.sh LOADER_REPLAY 6.1|6.12 TARBALL
# Env: MODFORGE_KEEP=1 keeps the work directory (the replay output of each batch beside
# its oracle.jsonl).  Exit 1 on any mismatch, on a missing batch or a failed replay.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 LOADER_REPLAY 6.1|6.12 TARBALL" >&2; exit 2; }
replay=$1 ver=$2 tarball=$3
here=$(cd "$(dirname "$0")" && pwd)
compare=$here/../../loader-compare.py
case $ver in
  6.1) rel=6.1.0-56-amd64 ;;
  6.12) rel=6.12.117+deb12-amd64 ;;
  *) echo "FAIL: unknown version $ver"; exit 1 ;;
esac
tree=/usr/src/linux-headers-$rel
[ -x "$replay" ] || { echo "FAIL: $replay missing"; exit 1; }
[ -f "$tarball" ] || { echo "FAIL: corpus $tarball missing"; exit 1; }
[ -f "$tree/Module.symvers" ] || { echo "FAIL: headers tree $tree missing (scripts/setup.sh)"; exit 1; }
# the target's shipped modules (sizeof(struct module), shipped: steps) are the oracle cache's
cache=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}
[ -d "$cache/$rel/lib/modules/$rel" ] || { echo "FAIL: $cache/$rel/lib/modules/$rel missing (kernel-oracle.sh --setup $ver)"; exit 1; }

work=$(mktemp -d)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
tar -xJf "$tarball" -C "$work"
batches=("$work/loader/$ver"/*/)
[ -f "${batches[0]}steps" ] || { echo "FAIL: no batches for $ver in $tarball"; exit 1; }

fail=0 same=0 total=0
for b in "${batches[@]}"; do
  name=$(basename "$b")
  rc=0
  "$replay" --kernel "$ver" --target "$tree" --modules "$cache/$rel/lib/modules/$rel" "$b" >"$b/replay.jsonl" 2>"$b/replay.err" || rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL $name: loader-replay exited $rc: $(head -c 500 "$b/replay.err")"; fail=1
  fi
  out=$(python3 "$compare" --label "$ver/$name" "$b/oracle.jsonl" "$b/replay.jsonl") || fail=1
  printf '%s\n' "$out"
  line=$(printf '%s\n' "$out" | tail -1)
  if [[ $line =~ ([0-9]+)/([0-9]+)\ steps\ identical ]]; then
    same=$((same + BASH_REMATCH[1])) total=$((total + BASH_REMATCH[2]))
  else
    fail=1
  fi
done
echo "loader corpus $ver: $same/$total steps identical in ${#batches[@]} batches"
[ "$same" -eq "$total" ] && [ "$fail" -eq 0 ]
