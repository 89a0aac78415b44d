#!/usr/bin/env bash
# `modforge check load` over every shipped module of one Debian kernel package against another
# ABI number's tree, in one command, next to our own depmod over the same modules (issue 13,
# "Speed"), interleaved (check, depmod, check, depmod, ...).  Both read and decompress every
# module; depmod only reads the symbols, check load runs each one through the emulated kernel.
#
#   bench/check_load.sh [--ours PATH] [--depmod PATH] [-n ROUNDS] [--trees 6.1,6.12] [--format F] [--keep]
#
# Trees (the ABI-history pairs of issue 13; the packages come from
# tests/corpus/fetch-abi-history.sh, the 6.1.0-56 / 6.12.117 images from kernel-oracle.sh):
#   6.1   the 4,023 .ko of 6.1.0-56 against the 6.1.0-57 headers tree (its shipped modules too)
#   6.12  the 4,229 .ko.xz of linux-image-6.12.107+deb12-amd64-unsigned against the installed
#         6.12.117 headers tree (the modules of kernel-oracle's 6.12.117 image)
# The reference is `modforge-kmod depmod -n -b <package root> <release>` over the checked modules.
# Runs go through bench/measure.c (wall time fork..wait4, user+sys CPU, ru_maxrss of the
# program alone).  Every round's report must be identical to the first (and exit 0 or 1).
# Prints per tree the median wall time of each, the ratio check/depmod (target <= 1.5), the CPU
# ratio and peak RSS (target: check under 200 MB).  A third command, interleaved with them,
# gives the floor: every checked file read in full, $(nproc) readers (xargs -P, cat), doing
# nothing else.  The check has to read every file whole (the relocations are a third of a
# module's bytes and each one's site is looked at); depmod reads only the headers, symbols and
# .modinfo of an uncompressed module (kmod's lazy reader), so on 6.1 the floor alone is most
# of the 1.5 budget.
# Exit: 0 identical and targets met, 1 a report differed, 2 identical but a target missed,
# 3 setup error.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
ours=$repo/build/kbuild/modforge
depmod=$repo/build/loader/modforge-kmod
rounds=5
trees=6.1,6.12
format=json
keep=0
oracle=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}
abi=${MODFORGE_ABI_CACHE:-$HOME/.cache/modforge-abi}
while [ $# -gt 0 ]; do
  case $1 in
    --ours) ours=$2; shift 2 ;;
    --depmod) depmod=$2; shift 2 ;;
    -n) rounds=$2; shift 2 ;;
    --trees) trees=$2; shift 2 ;;
    --format) format=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "check_load-bench: unknown argument $1" >&2; exit 3 ;;
  esac
done
die() { echo "check_load-bench: $*" >&2; exit 3; }
# shellcheck source=bench/bench-lib.sh
. "$here/bench-lib.sh"
bench_workdir check_load-bench
[ -x "$ours" ] || die "no $ours (build the modforge target)"
[ -x "$depmod" ] || die "no $depmod (build the modforge-kmod target)"
bench_runner || die "$bench_runner_error"

# tree NAME: sets given (the modules checked), root + rel (depmod's view of them) and
# target (the --kernel/--modules arguments).
tree() {
  case $1 in
    6.1)
      rel=6.1.0-56-amd64; root=$oracle/$rel
      local hdr=$abi/linux-headers-6.1.0-57-amd64/root/usr/src/linux-headers-6.1.0-57-amd64
      local mods=$abi/linux-image-6.1.0-57-amd64-unsigned/root/lib/modules/6.1.0-57-amd64
      target=(--kernel "$hdr" --modules "$mods")
      need=(history-6.1) ;;
    6.12)
      rel=6.12.107+deb12-amd64; root=$abi/linux-image-6.12.107+deb12-amd64-unsigned/root
      local hdr=/usr/src/linux-headers-6.12.117+deb12-amd64
      local mods=$oracle/6.12.117+deb12-amd64/lib/modules/6.12.117+deb12-amd64
      target=(--kernel "$hdr" --modules "$mods")
      need=(history-6.12) ;;
    *) die "unknown tree $1 (6.1, 6.12)" ;;
  esac
  given=$root/lib/modules/$rel/kernel
}

# The packages: fetched when missing (the fetch script is idempotent), else a loud stop.
for t in ${trees//,/ }; do
  tree "$t"
  missing=0
  [ -d "$given" ] || missing=1
  for ((a = 1; a < ${#target[@]}; a += 2)); do [ -e "${target[a]}" ] || missing=1; done
  [ $missing = 0 ] && continue
  fetch=$repo/tests/corpus/fetch-abi-history.sh
  [ -x "$fetch" ] || die "tree $t: missing ${given} or ${target[*]}, and no $fetch to fetch them"
  "$fetch" "${need[@]}" >/dev/null || die "tree $t: $fetch ${need[*]} failed"
  [ -d "$given" ] || die "tree $t: no $given (kernel-oracle.sh --setup fetches the 6.1.0-56 / 6.12.117 images)"
done

echo "check_load-bench: ours=$ours ($(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?')), -f $format, $rounds rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for t in ${trees//,/ }; do
  tree "$t"
  count=$(find "$given" -name '*.ko*' | wc -l)
  : >"$tmp/ours.t"; : >"$tmp/ref.t"; : >"$tmp/floor.t"
  find "$given" -name '*.ko*' -print0 >"$tmp/files"
  per=$(( (count + $(nproc) - 1) / $(nproc) ))
  for ((i = 1; i <= rounds; i++)); do
    "$measure" /dev/null "$tmp/o.out" "$tmp/o.err" "$ours" check load "$given" "${target[@]}" -f "$format" >>"$tmp/ours.t"
    "$measure" /dev/null "$tmp/d.out" "$tmp/d.err" "$depmod" depmod -n -b "$root" "$rel" >>"$tmp/ref.t"
    st=$(tail -1 "$tmp/ours.t" | awk '{print $5}')
    if [ "$st" != 0 ] && [ "$st" != 1 ]; then echo "  round $i: check load exited $st: $(head -3 "$tmp/o.err")"; rc=1; fi
    st=$(tail -1 "$tmp/ref.t" | awk '{print $5}')
    [ "$st" = 0 ] || die "round $i: depmod exited $st: $(head -3 "$tmp/d.err")"
    "$measure" "$tmp/files" /dev/null "$tmp/f.err" "$(command -v xargs)" -0 -P "$(nproc)" -n "$per" cat >>"$tmp/floor.t"
    st=$(tail -1 "$tmp/floor.t" | awk '{print $5}')
    [ "$st" = 0 ] || die "round $i: the read floor exited $st: $(head -3 "$tmp/f.err")"
    if [ "$i" = 1 ]; then mv "$tmp/o.out" "$tmp/first.out"
    else cmp -s "$tmp/o.out" "$tmp/first.out" || { echo "  round $i: the report differs from round 1's"; rc=1; }; fi
  done
  o_wall=$(awk '{print $1/1e9}' "$tmp/ours.t" | median); r_wall=$(awk '{print $1/1e9}' "$tmp/ref.t" | median)
  o_cpu=$(awk '{print ($2+$3)/1e6}' "$tmp/ours.t" | median); r_cpu=$(awk '{print ($2+$3)/1e6}' "$tmp/ref.t" | median)
  o_usr=$(awk '{print $2/1e6}' "$tmp/ours.t" | median); o_sys=$(awk '{print $3/1e6}' "$tmp/ours.t" | median)
  o_rss=$(awk '{print $4}' "$tmp/ours.t" | sort -n | tail -1); r_rss=$(awk '{print $4}' "$tmp/ref.t" | sort -n | tail -1)
  f_wall=$(awk '{print $1/1e9}' "$tmp/floor.t" | median)
  ratio=$(awk -v a="$o_wall" -v b="$r_wall" 'BEGIN {printf "%.3f", a/b}')
  fratio=$(awk -v a="$f_wall" -v b="$r_wall" 'BEGIN {printf "%.3f", a/b}')
  cratio=$(awk -v a="$o_cpu" -v b="$r_cpu" 'BEGIN {printf "%.3f", a/b}')
  printf '%s (%d modules of %s): wall check %.3f s, depmod %.3f s, ratio %s; cpu check %.3f s (user %.3f, sys %.3f), depmod %.3f s, ratio %s; peak RSS check %d KB, depmod %d KB; read-all floor %.3f s, ratio to depmod %s\n' \
    "$t" "$count" "$rel" "$o_wall" "$r_wall" "$ratio" "$o_cpu" "$o_usr" "$o_sys" "$r_cpu" "$cratio" "$o_rss" "$r_rss" "$f_wall" "$fratio"
  if [ $rc = 0 ] && { awk -v r="$ratio" 'BEGIN {exit !(r > 1.5)}' || [ "$o_rss" -ge 204800 ]; }; then rc=2; fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
