#!/usr/bin/env bash
# `modforge check abi` between two whole kernels with symtypes (issue 14, "Speed"): Debian's
# 6.12.117 and 6.12.118 headers trees with the consolidated symtypes stored in
# tests/corpus/abi-symtypes/ (tests/corpus/make-abi-symtypes.sh), interleaved with the reference
# Debian's ABI check amounts to: the two Module.symvers compared symbol by symbol (what
# buildcheck.py does with two dicts; here one awk over both files: removed, added, changed CRC).
#
#   bench/check_abi.sh [--ours PATH] [-n ROUNDS] [--format json|text|markdown|junit] [--keep]
#
# Runs go through bench/measure.c (wall time fork..wait4, user+sys CPU, ru_maxrss).  Every
# round's report must be identical to the first, and exit 1 (the pair's CRC changes break).
# Prints the median wall time of each, the ratio check/reference, CPU and peak RSS; targets:
# check under 1 s and under 500 MB.
# Exit: 0 identical and targets met, 1 a report differed, 2 identical but a target missed,
# 3 setup error.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
ours=$repo/build/kbuild/modforge
rounds=5
format=json
keep=0
abi=${MODFORGE_ABI_CACHE:-$HOME/.cache/modforge-abi}
while [ $# -gt 0 ]; do
  case $1 in
    --ours) ours=$2; shift 2 ;;
    -n) rounds=$2; shift 2 ;;
    --format) format=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "check_abi-bench: unknown argument $1" >&2; exit 3 ;;
  esac
done
die() { echo "check_abi-bench: $*" >&2; exit 3; }
# shellcheck source=bench/bench-lib.sh
. "$here/bench-lib.sh"
bench_workdir check_abi-bench
[ -x "$ours" ] || die "no $ours (build the modforge target)"
bench_runner || die "$bench_runner_error"

old=/usr/src/linux-headers-6.12.117+deb12-amd64
new=$abi/linux-headers-6.12.118+deb12-amd64/root/usr/src/linux-headers-6.12.118+deb12-amd64
[ -f "$new/Module.symvers" ] || "$repo/tests/corpus/fetch-abi-history.sh" abi-diff-6.12 >/dev/null ||
  die "fetch-abi-history.sh abi-diff-6.12 failed"
for f in "$old/Module.symvers" "$new/Module.symvers"; do [ -f "$f" ] || die "no $f"; done
for v in 6.12.117 6.12.118; do
  xz -dc "$repo/tests/corpus/abi-symtypes/$v.symtypes.xz" >"$tmp/$v.symtypes" || die "no stored symtypes of $v"
done
cat >"$tmp/ref.awk" <<'AWK'
BEGIN { FS = "\t" }
NR == FNR { crc[$2] = $1; next }
{ seen[$2] = 1
  if (!($2 in crc)) print "added\t" $2
  else if (crc[$2] != $1) print "crc\t" $2 "\t" crc[$2] "\t" $1 }
END { for (s in crc) if (!(s in seen)) print "removed\t" s }
AWK

echo "check_abi-bench: ours=$ours ($(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?')), -f $format, $rounds rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
: >"$tmp/ours.t"; : >"$tmp/ref.t"
for ((i = 1; i <= rounds; i++)); do
  "$measure" /dev/null "$tmp/o.out" "$tmp/o.err" "$ours" check abi "$old" "$new" \
    --old-symtypes "$tmp/6.12.117.symtypes" --new-symtypes "$tmp/6.12.118.symtypes" -f "$format" >>"$tmp/ours.t"
  "$measure" /dev/null "$tmp/r.out" "$tmp/r.err" "$(command -v awk)" -f "$tmp/ref.awk" \
    "$old/Module.symvers" "$new/Module.symvers" >>"$tmp/ref.t"
  st=$(tail -1 "$tmp/ours.t" | awk '{print $5}')
  [ "$st" = 1 ] || { echo "  round $i: check abi exited $st (1 expected): $(head -3 "$tmp/o.err")"; rc=1; }
  st=$(tail -1 "$tmp/ref.t" | awk '{print $5}')
  [ "$st" = 0 ] || die "round $i: the reference exited $st: $(head -3 "$tmp/r.err")"
  if [ "$i" = 1 ]; then mv "$tmp/o.out" "$tmp/first.out"; ref_crc=$(grep -c '^crc' "$tmp/r.out")
  else cmp -s "$tmp/o.out" "$tmp/first.out" || { echo "  round $i: the report differs from round 1's"; rc=1; }; fi
done
o_wall=$(awk '{print $1/1e9}' "$tmp/ours.t" | median); r_wall=$(awk '{print $1/1e9}' "$tmp/ref.t" | median)
o_cpu=$(awk '{print ($2+$3)/1e6}' "$tmp/ours.t" | median); r_cpu=$(awk '{print ($2+$3)/1e6}' "$tmp/ref.t" | median)
o_rss=$(awk '{print $4}' "$tmp/ours.t" | sort -n | tail -1); r_rss=$(awk '{print $4}' "$tmp/ref.t" | sort -n | tail -1)
ratio=$(awk -v a="$o_wall" -v b="$r_wall" 'BEGIN {printf "%.2f", a/b}')
printf '6.12.117 -> 6.12.118 (%d CRC changes by the reference): wall check abi %.3f s, reference %.3f s, ratio %s; cpu check %.3f s, reference %.3f s; peak RSS check %d KB, reference %d KB\n' \
  "$ref_crc" "$o_wall" "$r_wall" "$ratio" "$o_cpu" "$r_cpu" "$o_rss" "$r_rss"
if [ $rc = 0 ] && { awk -v w="$o_wall" 'BEGIN {exit !(w >= 1)}' || [ "$o_rss" -ge 512000 ]; }; then rc=2; fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
