#!/usr/bin/env bash
# The whole-kernel symtypes of Debian's source versions, stored compressed in the repo for the
# `check abi` tests (issue 14, "Checked on Debian's real history"):
#
#   tests/corpus/make-abi-symtypes.sh [--ours PATH] VERSION...   (6.12.117 6.12.118 6.1.190 6.1.192)
#
# For each version: `modforge symtypes --source <linux-source> --kernel <headers tree>` into
# $cache/symtypes-gen/<ver> (skipped when that directory holds a finished run: the stamp this
# script writes, or the <ver>.crcs an earlier run left beside it; ~3-4 min per version on 2 cores),
# then every computed CRC compared with the headers tree's Module.symvers: nothing is stored
# unless all are equal and none is missing.  Then the consolidated form (`modforge symtypes
# --consolidate`) goes to tests/corpus/abi-symtypes/<ver>.symtypes.xz (xz -9).
# The inputs come from tests/corpus/fetch-abi-history.sh (groups abi-diff-6.12, abi-diff-6.1,
# sources-6.12, sources-6.1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
ours=$repo/build/kbuild/modforge
cache=${MODFORGE_ABI_CACHE:-$HOME/.cache/modforge-abi}
out=$here/abi-symtypes
die() { echo "make-abi-symtypes: $*" >&2; exit 1; }
[ "${1:-}" = --ours ] && { ours=$2; shift 2; }
[ $# -gt 0 ] || die "usage: $0 [--ours PATH] VERSION... (6.12.117 6.12.118 6.1.190 6.1.192)"
[ -x "$ours" ] || die "no $ours (build the modforge target)"
mkdir -p "$out" "$cache/symtypes-gen"

# inputs VER: sets src (linux-source tree), hdr (headers tree) and groups (the fetch groups).
inputs() {
  local name
  case $1 in
    6.12.117) hdr=/usr/src/linux-headers-6.12.117+deb12-amd64
              src=$cache/linux-source-6.12_6.12.117-1~deb12u1/root/linux-source-6.12
              groups=(sources-6.12) ;;
    6.12.118) name=linux-headers-6.12.118+deb12-amd64
              src=$cache/linux-source-6.12_6.12.118-1~deb12u1/root/linux-source-6.12
              groups=(abi-diff-6.12 sources-6.12) ;;
    6.1.190)  name=linux-headers-6.1.0-54-amd64
              src=$cache/linux-source-6.1_6.1.190-1/root/linux-source-6.1
              groups=(abi-diff-6.1 sources-6.1) ;;
    6.1.192)  name=linux-headers-6.1.0-55-amd64
              src=$cache/linux-source-6.1_6.1.192-1/root/linux-source-6.1
              groups=(abi-diff-6.1 sources-6.1) ;;
    *) die "unknown version $1 (6.12.117 6.12.118 6.1.190 6.1.192)" ;;
  esac
  [ -n "${name:-}" ] && hdr=$cache/$name/root/usr/src/$name
  return 0
}

for ver in "$@"; do
  inputs "$ver"
  if [ ! -d "$src" ] || [ ! -f "$hdr/Module.symvers" ]; then
    "$here/fetch-abi-history.sh" "${groups[@]}" >/dev/null || die "$ver: fetch-abi-history.sh ${groups[*]} failed"
  fi
  [ -d "$src" ] || die "$ver: no source tree $src"
  [ -f "$hdr/Module.symvers" ] || die "$ver: no $hdr/Module.symvers"
  dir=$cache/symtypes-gen/$ver crcs=$cache/symtypes-gen/$ver.crcs
  if [ -f "$dir/.make-abi-symtypes.done" ] || { [ -d "$dir" ] && [ -s "$crcs" ]; }; then
    echo "$ver: reusing the finished run in $dir"
  elif [ -e "$dir" ]; then
    # Maybe a run still going (or one that died): never removed behind its back.
    die "$ver: $dir holds no finished run (no stamp, no $crcs): remove it to regenerate"
  else
    echo "$ver: generating into $dir (about 3-4 min on 2 cores)"
    rm -f "$crcs"
    start=$(date +%s)
    "$ours" symtypes --source "$src" --kernel "$hdr" -o "$dir" --symvers "$crcs" ||
      die "$ver: modforge symtypes failed"
    echo "$ver: generated in $(( $(date +%s) - start )) s"
    : >"$dir/.make-abi-symtypes.done"
  fi
  # Our CRCs against Debian's, by symbol: equal, different, missing (Debian has, we did not
  # compute) and extra (we computed, Debian does not export).
  read -r eq diff miss extra < <(awk -F'\t' '
      NR == FNR { ours[$2] = $1; next }
      { if (!($2 in ours)) miss++; else if (ours[$2] == $1) eq++; else diff++; seen[$2] = 1 }
      END { for (s in ours) if (!(s in seen)) extra++; print eq + 0, diff + 0, miss + 0, extra + 0 }' \
    "$crcs" "$hdr/Module.symvers")
  echo "$ver: CRCs against $hdr/Module.symvers: $eq equal, $diff different, $miss missing, $extra extra"
  [ "$diff" = 0 ] && [ "$miss" = 0 ] && [ "$extra" = 0 ] && [ "$eq" -gt 0 ] ||
    die "$ver: not stored: the CRCs are not all Debian's"
  tmp=$(mktemp)
  "$ours" symtypes --consolidate "$dir" -o "$tmp" || { rm -f "$tmp"; die "$ver: consolidation failed"; }
  xz -9 -T1 -c "$tmp" >"$out/$ver.symtypes.xz.tmp" && mv "$out/$ver.symtypes.xz.tmp" "$out/$ver.symtypes.xz"
  echo "$ver: stored $out/$ver.symtypes.xz ($(stat -c %s "$tmp") bytes consolidated, $(stat -c %s "$out/$ver.symtypes.xz") compressed)"
  rm -f "$tmp"
done
echo "stored in all: $(du -cb "$out"/*.symtypes.xz | tail -1 | cut -f1) bytes"
