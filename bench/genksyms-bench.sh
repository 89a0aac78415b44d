#!/usr/bin/env bash
# genksyms-bench.sh: speed and peak memory of our genksyms against the real one,
# over the golden corpus, with an output check on every run.
#
# Usage:
#   bench/genksyms-bench.sh [options] [CORPUS_TARBALL_OR_DIR...]
#
#   CORPUS_TARBALL_OR_DIR  genksyms-<ver>.tar.xz tarballs (extracted to a temp
#                dir), corpus roots holding <ver>/<case>/, or version dirs
#                holding <case>/ (named 6.1 or 6.12).  Each case has input.i
#                (the exact stdin) and args (argv one per line, the -T path as
#                @SYMTYPES@); stdout/stderr/exit/symtypes, when present, are the
#                recorded answers of the real tool and are checked too.
#                Default: tests/corpus/genksyms-*.tar.xz.
# Options:
#   -n, --rounds N     timed rounds (default 3); a checking pass runs first
#   --mode M           stdin as seen by both programs: file (default: stdin is
#                      the input file itself, which our tool mmaps), pipe (a
#                      pre-spawned feeder writes the input into a pipe, as
#                      `cpp | genksyms` does under kbuild), or both
#   --pipe             same as --mode both
#   --versions LIST    comma-separated versions to run (default: all found)
#   --cases REGEX      only the cases whose name matches
#   --csv FILE         also write per-case figures (CSV)
#   --ours PATH        our binary (default: build/genksyms/genksyms of this repo;
#                      build it first: cmake -S . -B build -G Ninja
#                      -DCMAKE_BUILD_TYPE=Release && ninja -C build genksyms)
#   --keep-tmp         keep the temp dir (extracted corpus, last outputs)
#   -h, --help         this text
# Environment:
#   REAL_GENKSYMS_6_1, REAL_GENKSYMS_6_12   the real tools (default:
#       /usr/lib/linux-kbuild-<ver>[.*]/scripts/genksyms/genksyms)
#   CC       C compiler for the tiny runner bench/measure.c (default cc); without
#            one a pure-Python runner is used and peak RSS is floored at
#            Python's own RSS (flagged in the output)
#   TMPDIR   where the temp dir goes
#
# What it does: for every case, runs ours (MODFORGE_KERNEL=<ver>, argv exactly
# the recorded one) and the real genksyms of that version on the same input,
# -T to temp files.  Pass 0 compares ours with the real tool (stdout and -T
# output must be identical; exit code and stderr differences are reported) and
# the real tool with the recorded corpus.  Then N rounds run ours, real, ours,
# real, ... over all cases; every run's output is checked again.  Per case the
# wall time is the median of the rounds, the peak RSS the max (ru_maxrss from
# wait4() in a tiny forking helper, so the figure is the program's own).
# Prints per version and overall: cases, total wall time ours/real, ratio of
# totals, median and worst per-case ratio, CPU time, peak RSS ours vs real,
# and a summary block to paste into a note.  Targets: ours <= 0.5 x real time,
# peak RSS no higher.
#
# Exit status: 0 outputs identical and targets met; 1 some output differed
# (figures meaningless); 2 outputs identical but a target missed; 3 setup error.
# Needs bash, coreutils, python3 (tar with xz, or python3's lzma, for tarballs).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cmdline="bench/genksyms-bench.sh$(printf ' %q' "$@")"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
die() { printf 'genksyms-bench: %s\n' "$*" >&2; exit 3; }

rounds=3 mode=file versions='' cases='' csv='' ours=$repo/build/genksyms/genksyms keep=0
inputs=()
while [ $# -gt 0 ]; do
  case $1 in
    -n|--rounds) [ $# -ge 2 ] || die "$1 needs a value"; rounds=$2; shift 2 ;;
    --rounds=*) rounds=${1#*=}; shift ;;
    --mode) [ $# -ge 2 ] || die "$1 needs a value"; mode=$2; shift 2 ;;
    --mode=*) mode=${1#*=}; shift ;;
    --pipe) mode=both; shift ;;
    --versions) [ $# -ge 2 ] || die "$1 needs a value"; versions=$2; shift 2 ;;
    --versions=*) versions=${1#*=}; shift ;;
    --cases) [ $# -ge 2 ] || die "$1 needs a value"; cases=$2; shift 2 ;;
    --cases=*) cases=${1#*=}; shift ;;
    --csv) [ $# -ge 2 ] || die "$1 needs a value"; csv=$(realpath -m "$2"); shift 2 ;;
    --csv=*) csv=$(realpath -m "${1#*=}"); shift ;;
    --ours) [ $# -ge 2 ] || die "$1 needs a value"; ours=$2; shift 2 ;;
    --ours=*) ours=${1#*=}; shift ;;
    --keep-tmp) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; inputs+=("$@"); break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) inputs+=("$1"); shift ;;
  esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer"
case $mode in file|pipe|both) ;; *) die "--mode must be file, pipe or both" ;; esac
[ -x "$ours" ] || die "$ours: not built (cmake -S $repo -B $repo/build -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C $repo/build genksyms)"
ours=$(realpath "$ours")
command -v python3 >/dev/null || die "python3 is needed"

if [ ${#inputs[@]} -eq 0 ]; then
  shopt -s nullglob
  inputs=("$repo"/tests/corpus/genksyms-*.tar.xz)
  shopt -u nullglob
  [ ${#inputs[@]} -gt 0 ] || die "no tests/corpus/genksyms-*.tar.xz yet; pass corpus tarballs or directories"
fi

source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"
bench_workdir genksyms-bench

# Corpus: tarballs are extracted, directories are used in place (read only).
corpus_args=()
i=0
for src in "${inputs[@]}"; do
  if [ -d "$src" ]; then
    corpus_args+=(--corpus "$(realpath "$src")")
  elif [ -f "$src" ]; then
    i=$((i + 1)); dest=$tmp/corpus/$i; mkdir -p "$dest"
    echo "genksyms-bench: extracting $src" >&2
    if command -v xz >/dev/null && tar --version >/dev/null 2>&1; then
      tar -C "$dest" -xJf "$src"
    else
      python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$src" "$dest"
    fi
    corpus_args+=(--corpus "$dest")
  else
    die "$src: no such file or directory"
  fi
done

# The real tools.
real_for() {  # $1 version -> path of the real genksyms, or nothing
  local v=$1 var c
  var=REAL_GENKSYMS_${v//./_}
  if [ -n "${!var:-}" ]; then echo "${!var}"; return; fi
  for c in /usr/lib/linux-kbuild-"$v"/scripts/genksyms/genksyms /usr/lib/linux-kbuild-"$v".*/scripts/genksyms/genksyms; do
    if [ -x "$c" ]; then echo "$c"; return; fi
  done
}
real_args=()
for v in 6.1 6.12; do
  r=$(real_for "$v")
  [ -n "$r" ] && real_args+=(--real "$v=$r")
done

# The runner (see bench/measure.c for why it is C).
runner_args=()
if bench_runner; then
  runner_args=(--runner "$measure")
else
  echo "genksyms-bench: WARNING: $bench_runner_error; using the Python runner" >&2
fi

label="$ours"
if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
  label="$ours (repo $(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?'), binary built $(date -r "$ours" '+%Y-%m-%d %H:%M:%S'))"
fi

extra=()
[ -n "$versions" ] && extra+=(--versions "$versions")
[ -n "$cases" ] && extra+=(--cases "$cases")
[ -n "$csv" ] && extra+=(--csv "$csv")

# In the background so that a signal reaches our trap (and then the driver) at once.
rc=0
python3 "$here/measure.py" "${corpus_args[@]}" --ours "$ours" "${real_args[@]}" "${runner_args[@]}" \
  --tmp "$tmp/run" --rounds "$rounds" --mode "$mode" --label "$label" --command "$cmdline" "${extra[@]}" &
pypid=$!
wait "$pypid" || rc=$?
pypid=
exit $rc
