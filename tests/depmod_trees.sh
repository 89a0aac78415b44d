#!/bin/sh
# Whole shipped trees: our depmod and the real kmod 30 depmod over the same Debian module
# tree must write identical files (all ten), the same messages and the same exit code.
# kmod 30 has no -o, so the real one runs on a farm of symlinks in a temp dir (the cache
# tree is never written); ours reads the cache tree itself and writes with -o.
#   depmod_trees.sh OURS RELEASE...      (trees under ${ORACLE_CACHE:-~/.cache/modforge-oracle})
set -u
ours=$1
shift
cache=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}
files="modules.dep modules.dep.bin modules.alias modules.alias.bin modules.softdep modules.symbols
modules.symbols.bin modules.builtin.bin modules.builtin.alias.bin modules.devname"
[ -x /sbin/depmod ] || { echo "FAIL: /sbin/depmod (kmod) is missing"; exit 1; }
[ -x "$ours" ] || { echo "FAIL: $ours is missing"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/depmod-trees.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
for rel in "$@"; do
  src=$cache/$rel/lib/modules/$rel
  [ -d "$src/kernel" ] || { echo "FAIL: tree $src is missing"; fail=1; continue; }
  farm=$tmp/real-$rel/lib/modules/$rel
  mkdir -p "$farm"
  for f in "$src"/*; do ln -s "$f" "$farm/"; done
  /sbin/depmod -b "$tmp/real-$rel" "$rel" >"$tmp/real.out" 2>"$tmp/real.err"; real_rc=$?
  "$ours" -b "$cache/$rel" -o "$tmp/ours-$rel" "$rel" >"$tmp/ours.out" 2>"$tmp/ours.err"; ours_rc=$?
  n=0 same=0
  for f in $files; do
    n=$((n + 1))
    if cmp -s "$farm/$f" "$tmp/ours-$rel/lib/modules/$rel/$f"; then same=$((same + 1)); else echo "  $rel: $f differs"; fi
  done
  sed "s|$tmp/real-$rel|ROOT|g" "$tmp/real.err" >"$tmp/real.err.n"
  sed "s|$cache/$rel|ROOT|g" "$tmp/ours.err" >"$tmp/ours.err.n"
  msgs=same
  if ! cmp -s "$tmp/real.err.n" "$tmp/ours.err.n" || ! cmp -s "$tmp/real.out" "$tmp/ours.out" || [ $real_rc != $ours_rc ]; then
    msgs=DIFFERENT; diff "$tmp/real.err.n" "$tmp/ours.err.n" | head -5
  fi
  echo "$rel: $same/$n files identical; messages and exit code ($real_rc): $msgs"
  [ $same = $n ] && [ $msgs = same ] || fail=1
done
exit $fail
