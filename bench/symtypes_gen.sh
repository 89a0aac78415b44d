#!/usr/bin/env bash
# Whole-kernel symtypes generation (issue 14, "Speed"): our generator (make evaluation, then the
# preprocessor, with -ftrack-macro-expansion=0 under GCC, piped into OUR genksyms in process, per
# exporting object) next to the same run with
# the real genksyms doing the genksyms part (symtypes-gen --genksyms: every object's preprocessor
# output piped into the real tool as scripts/Makefile.build's cmd_gensymtypes_{c,S} does, with the
# same workers), and the floor: the same run with the preprocessor alone (--cpp-only).
# Interleaved rounds (ours, real, floor; the order turns each round), each from an empty output directory.
#
#   bench/symtypes_gen.sh [--tool PATH] [-n ROUNDS] [-j N] [--tree 6.12|6.1] [--only DIR]... [--keep]
#
# Default: 1 round, the whole 6.12.117 kernel (source from tests/corpus/fetch-abi-history.sh
# sources-6.12, headers /usr/src/linux-headers-6.12.117+deb12-amd64), -j $(nproc).
# Runs go through bench/measure.c (wall fork..wait4, user+sys CPU of the whole process tree,
# ru_maxrss of the largest single process).  Both modes' .symtypes trees and CRC lists must be
# byte-identical.  Prints median wall, CPU and peak RSS of each, the ratio ours/real (target
# <= 0.7) and the floor's ratio to real.
# Exit: 0 identical and target met, 1 outputs differ or a run failed, 2 identical but the target
# missed, 3 setup error.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
tool=$repo/build/tests/symtypes-gen
rounds=1
jobs=$(nproc)
tree=6.12
keep=0
only=()
abi=${MODFORGE_ABI_CACHE:-$HOME/.cache/modforge-abi}
while [ $# -gt 0 ]; do
  case $1 in
    --tool) tool=$2; shift 2 ;;
    -n) rounds=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --tree) tree=$2; shift 2 ;;
    --only) only+=(--only "$2"); shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "symtypes_gen-bench: unknown argument $1" >&2; exit 3 ;;
  esac
done
die() { echo "symtypes_gen-bench: $*" >&2; exit 3; }
# shellcheck source=bench/bench-lib.sh
. "$here/bench-lib.sh"
bench_workdir symtypes_gen-bench
[ -x "$tool" ] || die "no $tool (build the symtypes-gen target)"
bench_runner || die "$bench_runner_error"
case $tree in
  6.12) src=$abi/linux-source-6.12_6.12.117-1~deb12u1/root/linux-source-6.12
        hdr=/usr/src/linux-headers-6.12.117+deb12-amd64
        real=/usr/lib/linux-kbuild-6.12.117+deb12/scripts/genksyms/genksyms
        group=sources-6.12 ;;
  6.1)  src=$abi/linux-source-6.1_6.1.190-1/root/linux-source-6.1
        hdr=$abi/linux-headers-6.1.0-54-amd64/root/usr/src/linux-headers-6.1.0-54-amd64
        real=/usr/lib/linux-kbuild-6.1/scripts/genksyms/genksyms
        group=sources-6.1 ;;
  *) die "unknown tree $tree (6.12, 6.1)" ;;
esac
if [ ! -d "$src" ] || [ ! -d "$hdr" ]; then
  "$repo/tests/corpus/fetch-abi-history.sh" "$group" >/dev/null || die "fetch-abi-history.sh $group failed"
fi
[ -d "$src" ] || die "no $src"
[ -d "$hdr" ] || die "no $hdr"
[ -x "$real" ] || die "no $real (apt-get install linux-kbuild-*)"

echo "symtypes_gen-bench: $tool ($(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?')), tree $tree ${only[*]:-(whole kernel)}, -j $jobs, $rounds rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
run() {  # run MODE EXTRA...: one measured run into $tmp/MODE (fresh), its timing line appended to $tmp/MODE.t
  local mode=$1; shift
  rm -rf "${tmp:?}/$mode" "$tmp/$mode.symvers"
  "$measure" /dev/null /dev/null "$tmp/$mode.err" "$tool" --source "$src" --headers "$hdr" --out "$tmp/$mode" \
    --work "$tmp/$mode.objtree" --symvers "$tmp/$mode.symvers" -j "$jobs" "${only[@]}" "$@" >>"$tmp/$mode.t"
  local st; st=$(tail -1 "$tmp/$mode.t" | awk '{print $5}')
  [ "$st" = 0 ] || { echo "  $mode exited $st: $(grep -v '^make ' "$tmp/$mode.err" | head -3)"; rc=1; }
  grep -h 'preprocess+genksyms' "$tmp/$mode.err" | awk '{print $5}' >>"$tmp/$mode.gen"
  rm -rf "${tmp:?}/$mode.objtree"
}
for ((i = 1; i <= rounds; i++)); do
  # The order turns each round: the first run of a round meets a colder page cache.
  case $((i % 3)) in
    1) run ours; run real --genksyms "$real"; run floor --cpp-only ;;
    2) run real --genksyms "$real"; run floor --cpp-only; run ours ;;
    0) run floor --cpp-only; run ours; run real --genksyms "$real" ;;
  esac
  # The real pipeline's -T makes an object's directory before it knows whether the object
  # exports anything: directories left empty are not outputs.
  find "$tmp/ours" "$tmp/real" -type d -empty -delete
  if ! diff -r -q "$tmp/ours" "$tmp/real" >"$tmp/diff" || ! cmp -s "$tmp/ours.symvers" "$tmp/real.symvers"; then
    echo "  round $i: outputs differ ($(wc -l <"$tmp/diff") entries): $(head -3 "$tmp/diff")"; rc=1
  fi
done
files=$(find "$tmp/ours" -name '*.symtypes' | wc -l); crcs=$(wc -l <"$tmp/ours.symvers")
grep -h '^objects' "$tmp/ours.err"
# Sets {ours,real,floor}_{wall,cpu,rss,gen}.
for m in ours real floor; do
  eval "${m}_wall=\$(awk '{print \$1/1e9}' \"\$tmp/$m.t\" | median)"
  eval "${m}_cpu=\$(awk '{print (\$2+\$3)/1e6}' \"\$tmp/$m.t\" | median)"
  eval "${m}_rss=\$(awk '{print \$4}' \"\$tmp/$m.t\" | sort -n | tail -1)"
  eval "${m}_gen=\$(median <\"\$tmp/$m.gen\")"
done
# shellcheck disable=SC2154  # assigned by the eval above
ratio=$(awk -v a="$ours_wall" -v b="$real_wall" 'BEGIN {printf "%.3f", a/b}')
gratio=$(awk -v a="$ours_gen" -v b="$real_gen" 'BEGIN {printf "%.3f", a/b}')
cratio=$(awk -v a="$ours_cpu" -v b="$real_cpu" 'BEGIN {printf "%.3f", a/b}')
fratio=$(awk -v a="$floor_wall" -v b="$real_wall" 'BEGIN {printf "%.3f", a/b}')
printf '%d .symtypes, %d CRCs, identical in both modes: %s\n' "$files" "$crcs" "$([ $rc = 0 ] && echo yes || echo NO)"
printf 'wall: ours %.1f s, real genksyms %.1f s, ratio %s (target <= 0.7); cpp-only floor %.1f s, ratio to real %s\n' \
  "$ours_wall" "$real_wall" "$ratio" "$floor_wall" "$fratio"
printf 'generation phase alone (after make): ours %.1f s, real %.1f s, ratio %s; floor %.1f s\n' \
  "$ours_gen" "$real_gen" "$gratio" "$floor_gen"
printf 'cpu: ours %.1f s, real %.1f s, ratio %s; floor %.1f s.  peak RSS: ours %d KB, real %d KB, floor %d KB\n' \
  "$ours_cpu" "$real_cpu" "$cratio" "$floor_cpu" "$ours_rss" "$real_rss" "$floor_rss"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ $rc = 0 ] && awk -v r="$ratio" 'BEGIN {exit !(r > 0.7)}'; then rc=2; fi
exit $rc
