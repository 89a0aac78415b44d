#!/usr/bin/env bash
# modpost-bench.sh: speed and peak memory of our modpost against the real one
# (modpost.real-lsb-64 of Debian's 6.1 and 6.12 kbuild), with an output check on
# every run.
#
# Usage:
#   bench/modpost-bench.sh [options] [CORPUS_TARBALL_OR_DIR...]
#
#   CORPUS_TARBALL_OR_DIR  modpost-<ver>.tar.xz tarballs of the golden corpus
#                (extracted to a temp dir) or directories holding modpost-<ver>/
#                (layout in tests/corpus/README.md).  Default:
#                tests/corpus/modpost-*.tar.xz; a version without one is
#                reported as missing.
# Options:
#   -n, --rounds N       timed rounds per corpus case (default 3)
#   --large-rounds N     timed rounds of the large run (default 5)
#   --count N            generated modules for the large run (default 2000)
#   --parts LIST         corpus,large (default both)
#   --versions LIST      6.1,6.12 (default both)
#   --cases REGEX        only the corpus cases whose name matches (part a; the
#                        large run takes the same cases' objects)
#   --cache DIR          where the generated modules are built once
#                        (default ~/.cache/modforge-bench)
#   --ours PATH          our binary (default: build/modpost/modpost of this repo)
#   --keep-tmp           keep the temp dir
#   -h, --help           this text
# Environment:
#   REAL_MODPOST_6_1, REAL_MODPOST_6_12   the real tools (default
#       /usr/lib/linux-kbuild-<ver>[.*]/scripts/mod/modpost.real-lsb-64)
#   HEADERS_6_1, HEADERS_6_12             headers trees (for the generated build)
#   CC, TMPDIR
#
# What it does, per version:
#  (a) every corpus case (one recorded kbuild modpost invocation) is put back at
#      its fixed absolute root (/tmp/modforge-modpost-corpus/, under the lock
#      the golden test also takes) and run with its argv, cwd and stdin: a
#      checking pass (real, then ours: stdout, stderr, exit, every written file,
#      no stray file; the real one is also compared with the recording), then N
#      rounds of ours, real;
#  (b) the large run: bench/modpost-gen.py writes COUNT kernel-style modules,
#      bench/modpost-gen-build.sh builds them ONCE with the real kbuild
#      (make -C <tree> M=<dir> -j2 V=1 KBUILD_MODPOST_NOFINAL=1 modules, nice)
#      into the cache and keeps the modpost command kbuild ran; the bench runs
#      that command once over all corpus objects of the version plus the
#      generated modules (one invocation), checking pass then rounds of ours,
#      real, all outputs compared on every run.  Corpus cases whose recorded run
#      failed are left out of it: their errors stop modpost before any output.
# Every run starts from a fresh build's state (outputs removed).  Times: wall
# (fork to wait4), user+sys and ru_maxrss of the program alone, through the
# tiny forking helper bench/measure.c.  Prints per version the corpus totals
# and the large run's median wall time ours and real, ratio, CPU ratio and peak
# RSS, then a summary block.  Targets (large run): ours <= 0.5 x real time,
# peak RSS no higher.  Run it under nice on a shared machine.
#
# Exit status: 0 outputs identical and targets met; 1 some output differed
# (figures meaningless); 2 identical but a target missed; 3 setup error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cmdline="bench/modpost-bench.sh$(printf ' %q' "$@")"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
die() { printf 'modpost-bench: %s\n' "$*" >&2; exit 3; }

rounds=3 large_rounds=5 count=2000 parts=corpus,large versions=6.1,6.12 cases='' keep=0
cache=${XDG_CACHE_HOME:-$HOME/.cache}/modforge-bench
ours=$repo/build/modpost/modpost
inputs=()
while [ $# -gt 0 ]; do
  case $1 in
    -n|--rounds) [ $# -ge 2 ] || die "$1 needs a value"; rounds=$2; shift 2 ;;
    --rounds=*) rounds=${1#*=}; shift ;;
    --large-rounds) [ $# -ge 2 ] || die "$1 needs a value"; large_rounds=$2; shift 2 ;;
    --large-rounds=*) large_rounds=${1#*=}; shift ;;
    --count) [ $# -ge 2 ] || die "$1 needs a value"; count=$2; shift 2 ;;
    --count=*) count=${1#*=}; shift ;;
    --parts) [ $# -ge 2 ] || die "$1 needs a value"; parts=$2; shift 2 ;;
    --parts=*) parts=${1#*=}; shift ;;
    --versions) [ $# -ge 2 ] || die "$1 needs a value"; versions=$2; shift 2 ;;
    --versions=*) versions=${1#*=}; shift ;;
    --cases) [ $# -ge 2 ] || die "$1 needs a value"; cases=$2; shift 2 ;;
    --cases=*) cases=${1#*=}; shift ;;
    --cache) [ $# -ge 2 ] || die "$1 needs a value"; cache=$2; shift 2 ;;
    --cache=*) cache=${1#*=}; shift ;;
    --ours) [ $# -ge 2 ] || die "$1 needs a value"; ours=$2; shift 2 ;;
    --ours=*) ours=${1#*=}; shift ;;
    --keep-tmp) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; inputs+=("$@"); break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) inputs+=("$1"); shift ;;
  esac
done
for n in "$rounds" "$large_rounds" "$count"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "--rounds, --large-rounds and --count take positive integers"
done
for p in ${parts//,/ }; do case $p in corpus|large) ;; *) die "--parts: corpus and/or large" ;; esac; done
for v in ${versions//,/ }; do case $v in 6.1|6.12) ;; *) die "--versions: 6.1 and/or 6.12" ;; esac; done
[ -x "$ours" ] || die "$ours: not built (cmake -S $repo -B $repo/build -G Ninja && ninja -C $repo/build modpost/modpost)"
ours=$(realpath "$ours")
command -v python3 >/dev/null || die "python3 is needed"

if [ ${#inputs[@]} -eq 0 ]; then
  shopt -s nullglob
  inputs=("$repo"/tests/corpus/modpost-*.tar.xz)
  shopt -u nullglob
fi

source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"
bench_workdir modpost-bench

corpus_args=()
if [[ ,$parts, == *,corpus,* || ,$parts, == *,large,* ]]; then
  i=0
  for src in "${inputs[@]}"; do
    if [ -d "$src" ]; then
      corpus_args+=(--corpus "$(realpath "$src")")
    elif [ -f "$src" ]; then
      i=$((i + 1)); dest=$tmp/corpus/$i; mkdir -p "$dest"
      echo "modpost-bench: extracting $src" >&2
      tar -C "$dest" -xJf "$src"
      corpus_args+=(--corpus "$dest")
    else
      die "$src: no such file or directory"
    fi
  done
fi

real_for() {  # $1 version -> the real modpost, or nothing
  local v=$1 var c
  var=REAL_MODPOST_${v//./_}
  if [ -n "${!var:-}" ]; then echo "${!var}"; return; fi
  for c in /usr/lib/linux-kbuild-"$v"/scripts/mod/modpost.real-lsb-64 /usr/lib/linux-kbuild-"$v".*/scripts/mod/modpost.real-lsb-64; do
    if [ -x "$c" ]; then echo "$c"; return; fi
  done
}
real_args=()
for v in ${versions//,/ }; do
  r=$(real_for "$v")
  [ -n "$r" ] || die "no real modpost for $v (install linux-kbuild of that version or set REAL_MODPOST_${v//./_})"
  real_args+=(--real "$v=$r")
done

bench_runner || die "$bench_runner_error"

# The generated modules: built once per version and count, then reused.
large_args=()
if [[ ,$parts, == *,large,* ]]; then
  for v in ${versions//,/ }; do
    dir=$("$here/modpost-gen-build.sh" "$v" "$count" "$cache" | tail -1) ||
      die "building the generated modules for $v failed"
    large_args+=(--large "$v=$dir")
  done
fi

label="$ours"
if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
  label="$ours (repo $(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?'), binary built $(date -r "$ours" '+%Y-%m-%d %H:%M:%S'))"
fi

extra=()
[ -n "$cases" ] && extra+=(--cases "$cases")
rc=0
python3 "$here/modpost-measure.py" "${corpus_args[@]}" "${large_args[@]}" --ours "$ours" "${real_args[@]}" \
  --runner "$measure" --tmp "$tmp/run" --rounds "$rounds" --large-rounds "$large_rounds" \
  --parts "$parts" --versions "$versions" --expect-versions "$versions" \
  --label "$label" --command "$cmdline" "${extra[@]}" &
pypid=$!
wait "$pypid" || rc=$?
pypid=
exit $rc
