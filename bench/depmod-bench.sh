#!/usr/bin/env bash
# depmod over whole Debian module trees: ours against the real kmod 30 depmod, interleaved
# (ours, real, ours, real, ...), every round checked for identical output (all ten files).
#
#   bench/depmod-bench.sh [--ours PATH] [-n ROUNDS] [--releases R1,R2] [--keep]
#
# The real depmod has no -o: it runs on a farm of symlinks to the tree in a temp dir; ours
# reads the tree itself and writes with -o.  Both are run through bench/measure.c (wall
# time fork..wait4, user+sys CPU, ru_maxrss of the program alone).  Prints per release the
# median wall time of each, the ratio ours/real (target <= 0.5), the CPU ratio, and peak RSS.
# Exit: 0 identical and targets met, 1 an output differed, 2 identical but a target
# missed, 3 setup error.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
ours=$repo/build/loader/modforge-depmod
rounds=5
releases=6.1.0-56-amd64,6.12.117+deb12-amd64
keep=0
cache=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}
while [ $# -gt 0 ]; do
  case $1 in
    --ours) ours=$2; shift 2 ;;
    -n) rounds=$2; shift 2 ;;
    --releases) releases=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "depmod-bench: unknown argument $1" >&2; exit 3 ;;
  esac
done
die() { echo "depmod-bench: $*" >&2; exit 3; }
# shellcheck source=bench/bench-lib.sh
. "$here/bench-lib.sh"
bench_workdir depmod-bench
[ -x "$ours" ] || die "no $ours (build the modforge-depmod target)"
[ -x /sbin/depmod ] || die "no /sbin/depmod (install kmod)"
bench_runner || die "$bench_runner_error"

files="modules.dep modules.dep.bin modules.alias modules.alias.bin modules.softdep modules.symbols
modules.symbols.bin modules.builtin.bin modules.builtin.alias.bin modules.devname"
echo "depmod-bench: ours=$ours ($(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?')), $rounds rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for rel in ${releases//,/ }; do
  src=$cache/$rel/lib/modules/$rel
  [ -d "$src/kernel" ] || die "no tree $src"
  farm=$tmp/real/lib/modules/$rel
  rm -rf "$tmp/real" "$tmp/ours"; mkdir -p "$farm"
  for f in "$src"/*; do ln -s "$f" "$farm/"; done
  : >"$tmp/ours.t"; : >"$tmp/real.t"
  for ((i = 1; i <= rounds; i++)); do
    rm -rf "$tmp/ours"
    "$measure" /dev/null "$tmp/o.out" "$tmp/o.err" "$ours" -b "$cache/$rel" -o "$tmp/ours" "$rel" >>"$tmp/ours.t"
    "$measure" /dev/null "$tmp/r.out" "$tmp/r.err" /sbin/depmod -b "$tmp/real" "$rel" >>"$tmp/real.t"
    for f in $files; do
      cmp -s "$farm/$f" "$tmp/ours/lib/modules/$rel/$f" || { echo "  round $i: $f differs"; rc=1; }
    done
  done
  o_wall=$(awk '{print $1/1e9}' "$tmp/ours.t" | median); r_wall=$(awk '{print $1/1e9}' "$tmp/real.t" | median)
  o_cpu=$(awk '{print ($2+$3)/1e6}' "$tmp/ours.t" | median); r_cpu=$(awk '{print ($2+$3)/1e6}' "$tmp/real.t" | median)
  o_rss=$(awk '{print $4}' "$tmp/ours.t" | sort -n | tail -1); r_rss=$(awk '{print $4}' "$tmp/real.t" | sort -n | tail -1)
  ratio=$(awk -v a="$o_wall" -v b="$r_wall" 'BEGIN {printf "%.3f", a/b}')
  cratio=$(awk -v a="$o_cpu" -v b="$r_cpu" 'BEGIN {printf "%.3f", a/b}')
  printf '%s: wall ours %.3f s, kmod %.3f s, ratio %s; cpu ours %.3f s, kmod %.3f s, ratio %s; peak RSS ours %d KB, kmod %d KB\n' \
    "$rel" "$o_wall" "$r_wall" "$ratio" "$o_cpu" "$r_cpu" "$cratio" "$o_rss" "$r_rss"
  if [ $rc = 0 ] && { awk -v r="$ratio" 'BEGIN {exit !(r > 0.5)}' || [ "$o_rss" -gt "$r_rss" ]; }; then rc=2; fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
