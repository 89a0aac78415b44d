#!/usr/bin/env bash
# modpost-floor.sh: how close to the real modpost any implementation can get on this
# machine.  Traces one real run over the generated benchmark modules, then times, in
# interleaved rounds from the same fresh state (outputs removed): the real tool, ours, and
# bench/fs-floor.cc replaying only the run's file-system work (every input read, every
# output created; no parsing) in 1 and 2 threads.  floor/real is the best ratio reachable.
#
# Usage: bench/modpost-floor.sh [VERSION [ROUNDS]]   (default 6.12 5; needs the cache made
#        by bench/modpost-gen-build.sh VERSION 2000, and strace)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ver=${1:-6.12} rounds=${2:-5}
gen=${XDG_CACHE_HOME:-$HOME/.cache}/modforge-bench/$ver/gen2000
tree=$(ls -d /usr/src/linux-headers-"$ver"[.-]*-amd64 | head -1)
real=$(ls /usr/lib/linux-kbuild-"$ver"[.+]*/scripts/mod/modpost.real-lsb-64 | head -1)
ours=${OURS:-$here/../build/modpost/modpost}
[ -f "$gen/modules.order" ] || { echo "modpost-floor: no $gen (run bench/modpost-gen-build.sh $ver 2000)" >&2; exit 3; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
c++ -O2 -std=c++20 -pthread "$here/fs-floor.cc" -o "$work/fs-floor"
args=(-M -m -o "$work/gen.symvers" -T "$gen/modules.order" -i Module.symvers -e)
[ "$ver" = 6.1 ] && args=(-m -o "$work/gen.symvers" -T "$gen/modules.order" -i Module.symvers -e)
clean() { find "$gen" -name '*.mod.c' -delete; rm -f "$work/gen.symvers"; sync; }
cd "$tree"
clean; strace -f -e trace=openat -o "$work/real.strace" "$real" "${args[@]}" >/dev/null 2>&1 || true
python3 "$here/fs-floor-list.py" "$work/real.strace" > "$work/list"
echo "file-system work of one real run: $(grep -c '^r' "$work/list") reads, $(grep -c '^w' "$work/list") creates"
t() { clean; /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
printf '%-6s %8s %8s %8s %8s\n' round real ours floor1 floor2
for i in $(seq "$rounds"); do
  printf '%-6s %8s %8s %8s %8s\n' "$i" "$(t "$real" "${args[@]}")" "$(t "$ours" --kernel="$ver" "${args[@]}")" \
    "$(t "$work/fs-floor" 1 "$work/list")" "$(t "$work/fs-floor" 2 "$work/list")"
done
