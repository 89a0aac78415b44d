#!/usr/bin/env bash
# modinfo over every module of a Debian tree in ONE invocation, ours against kmod's
# /sbin/modinfo, interleaved rounds (ours, real, ours, real, ...): every run's stdout,
# stderr and exit code must be identical; prints per tree the median wall time, the ratio
# ours/real, the CPU (user+sys) ratio and the peak RSS of each.
#
#   nice -n 5 bench/modinfo-bench.sh --ours build/loader/modforge-modinfo [-n ROUNDS]
#                                    [--trees 6.1,6.12]
#
# Runs go through bench/measure.c (wall time from fork to wait4, the program's own
# ru_maxrss).  Ours works on the modules with every CPU it may use and prints them in order.
# Exit status: 0 identical and targets met (time <= 0.5 x real), 1 some output differed,
# 2 identical but the target missed, 3 setup error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ours= rounds=5 trees=6.1,6.12 keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --ours) ours=$2; shift 2 ;;
    -n|--rounds) rounds=$2; shift 2 ;;
    --trees) trees=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "modinfo-bench: unknown argument $1" >&2; exit 3 ;;
  esac
done
die() { echo "modinfo-bench: $*" >&2; exit 3; }
[ -n "$ours" ] && [ -x "$ours" ] || die "--ours PATH (build/loader/modforge-modinfo) is required"
real=/sbin/modinfo
[ -x "$real" ] || die "$real missing (apt-get install kmod)"
# shellcheck source=bench-lib.sh
. "$here/bench-lib.sh"
bench_workdir modinfo-bench
bench_runner || die "$bench_runner_error"
cache=${MODFORGE_ORACLE_CACHE:-$HOME/.cache/modforge-oracle}
declare -A rel=([6.1]=6.1.0-56-amd64 [6.12]=6.12.117+deb12-amd64) glob=([6.1]='*.ko' [6.12]='*.ko.xz')
# `modinfo` as argv[0] for the real one, as ours names itself in getopt's messages.
ln -s "$real" "$tmp/modinfo"

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
status=0
echo "loadavg: $(cut -d' ' -f1-3 /proc/loadavg)  cpus: $(nproc)  rounds: $rounds"
for v in ${trees//,/ }; do
  r=${rel[$v]:-}; [ -n "$r" ] || die "unknown tree $v (6.1 or 6.12)"
  dir=$cache/$r/lib/modules/$r
  [ -d "$dir" ] || die "module tree $dir missing"
  mapfile -t mods < <(find "$dir" -name "${glob[$v]}" | LC_ALL=C sort)
  : >"$tmp/ours.t"; : >"$tmp/real.t"
  for ((i = 0; i < rounds; i++)); do
    for who in ours real; do
      prog=$ours; [ $who = real ] && prog=$tmp/modinfo
      line=$("$measure" /dev/null "$tmp/$who.out" "$tmp/$who.err" "$prog" "${mods[@]}")
      echo "$line" >>"$tmp/$who.t"
      echo "${line##* }" >"$tmp/$who.rc"
    done
    if ! cmp -s "$tmp/ours.out" "$tmp/real.out" || ! cmp -s "$tmp/ours.err" "$tmp/real.err" ||
       ! cmp -s "$tmp/ours.rc" "$tmp/real.rc"; then
      echo "$v: round $((i + 1)): outputs differ"; status=1; break
    fi
  done
  [ "$status" = 1 ] && continue
  wall_o=$(awk '{print $1/1e9}' "$tmp/ours.t" | median) wall_r=$(awk '{print $1/1e9}' "$tmp/real.t" | median)
  cpu_o=$(awk '{print ($2+$3)/1e6}' "$tmp/ours.t" | median) cpu_r=$(awk '{print ($2+$3)/1e6}' "$tmp/real.t" | median)
  rss_o=$(awk '{print $4}' "$tmp/ours.t" | sort -n | tail -1) rss_r=$(awk '{print $4}' "$tmp/real.t" | sort -n | tail -1)
  ratio=$(awk -v a="$wall_o" -v b="$wall_r" 'BEGIN{printf "%.3f", a/b}')
  cratio=$(awk -v a="$cpu_o" -v b="$cpu_r" 'BEGIN{printf "%.3f", a/b}')
  printf '%s: %d modules, identical output (%s bytes); wall ours %.3f s, kmod %.3f s, ratio %s; cpu ours %.3f s, kmod %.3f s, ratio %s; peak RSS ours %d KB, kmod %d KB\n' \
    "$v" "${#mods[@]}" "$(wc -c <"$tmp/ours.out")" "$wall_o" "$wall_r" "$ratio" "$cpu_o" "$cpu_r" "$cratio" "$rss_o" "$rss_r"
  awk -v r="$ratio" 'BEGIN{exit !(r > 0.5)}' && [ "$status" = 0 ] && status=2
done
echo "loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
