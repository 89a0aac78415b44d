#!/usr/bin/env bash
# modpost-gen-build.sh: generate the benchmark's extra modules and build them once
# with the real kbuild of one headers tree, cached.
#
# Usage: bench/modpost-gen-build.sh VERSION COUNT [CACHE_ROOT]
#
#   VERSION     6.1 or 6.12 (headers tree: HEADERS_6_1 / HEADERS_6_12, else
#               /usr/src/linux-headers-<ver>[.-]*-amd64)
#   COUNT       number of modules (bench/modpost-gen.py --count)
#   CACHE_ROOT  default ~/.cache/modforge-bench; the build goes to
#               CACHE_ROOT/<ver>/gen<COUNT>/
#
# The build is `make -C <tree> M=<dir> -j2 V=1 KBUILD_MODPOST_NOFINAL=1 modules`
# under nice: everything kbuild does up to and including modpost (the real one),
# without the final .ko link, which the benchmark does not need.  The modpost
# command line kbuild ran (from the V=1 log) is saved as <dir>/modpost.cmd; the
# benchmark replays exactly that.  A stamp (generator hash, count, tree) makes
# later calls return at once; a changed generator rebuilds incrementally.
# Prints the build directory on stdout (last line).  Exit 0 ok, 1 build failed,
# 3 usage or setup error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { printf 'modpost-gen-build: %s\n' "$*" >&2; exit 3; }

[ $# -ge 2 ] || die "usage: modpost-gen-build.sh VERSION COUNT [CACHE_ROOT]"
ver=$1 count=$2 cache=${3:-${XDG_CACHE_HOME:-$HOME/.cache}/modforge-bench}
[[ $count =~ ^[1-9][0-9]*$ ]] || die "COUNT must be a positive integer"

headers_for() {  # $1 version -> headers tree (the -amd64 one, where kbuild runs)
  local v=$1 var c
  var=HEADERS_${v//./_}
  if [ -n "${!var:-}" ]; then echo "${!var}"; return; fi
  for c in /usr/src/linux-headers-"$v".[0-9]*-amd64 /usr/src/linux-headers-"$v"-[0-9]*-amd64; do
    if [ -f "$c/Makefile" ]; then echo "$c"; return; fi
  done
}
case $ver in 6.1|6.12) ;; *) die "VERSION must be 6.1 or 6.12" ;; esac
tree=$(headers_for "$ver")
[ -n "$tree" ] || die "no headers tree for $ver (install linux-headers-* of that version or set HEADERS_${ver//./_})"

dir=$cache/$ver/gen$count
stamp="$(sha256sum "$here/modpost-gen.py" | cut -c1-64) $count $tree"
if [ -f "$dir/.bench-stamp" ] && [ "$(cat "$dir/.bench-stamp")" = "$stamp" ] && [ -s "$dir/modpost.cmd" ]; then
  echo "$dir"
  exit 0
fi

mkdir -p "$dir"
rm -f "$dir/.bench-stamp"
python3 "$here/modpost-gen.py" --count "$count" --out "$dir" >&2
echo "modpost-gen-build: building $count modules for $ver in $dir (real kbuild, nice -n 10, -j2; once)" >&2
start=$(date +%s)
if ! nice -n 10 make -C "$tree" M="$dir" -j2 V=1 KBUILD_MODPOST_NOFINAL=1 modules >"$dir/make.log" 2>&1; then
  tail -20 "$dir/make.log" >&2
  echo "modpost-gen-build: the build failed; full log: $dir/make.log" >&2
  exit 1
fi
# kbuild prints each command indented; the modpost one runs in the tree with the
# object list from modules.order (6.1: piped through sed into "-T -").
# An incremental rebuild in which nothing changed may skip modpost: keep the old line.
line=$(grep -E '(^|[ |])scripts/mod/modpost ' "$dir/make.log" | tail -1 | sed 's/^ *//' || true)
[ -n "$line" ] && printf '%s\n' "$line" >"$dir/modpost.cmd"
[ -s "$dir/modpost.cmd" ] || { echo "modpost-gen-build: no modpost command in $dir/make.log" >&2; exit 1; }
echo "$tree" >"$dir/tree"
echo "$stamp" >"$dir/.bench-stamp"
echo "modpost-gen-build: built in $(( $(date +%s) - start ))s; modpost command: $(cat "$dir/modpost.cmd")" >&2
echo "$dir"
