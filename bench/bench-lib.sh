# shellcheck shell=bash
# Sourced by the bench drivers: bench_workdir NAME makes the temporary directory $tmp
# (with corpus/ and run/), and on exit stops the measuring helper ($pypid, if set) and
# removes $tmp unless keep=1; bench_runner compiles the forking runner bench/measure.c.
bench_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

bench_workdir() {
  bench_name=$1
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/$bench_name.XXXXXX")
  pypid=
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  mkdir -p "$tmp/corpus" "$tmp/run"
}

# bench_runner (after bench_workdir): bench/measure.c compiled with ${CC:-cc} into
# $tmp/measure, once per run, its path in $measure.  On failure returns 1 with $measure
# empty and the reason in $bench_runner_error (the caller dies or falls back).
bench_runner() {
  measure=$tmp/measure
  [ -x "$measure" ] && return 0
  if ${CC:-cc} -O2 -o "$measure" "$bench_lib_dir/measure.c" 2>"$tmp/cc.log"; then return 0; fi
  measure=
  # shellcheck disable=SC2034  # read by the caller
  bench_runner_error="could not compile bench/measure.c with ${CC:-cc}: $(head -1 "$tmp/cc.log")"
  return 1
}

# shellcheck disable=SC2317  # invoked by the trap
bench_cleanup() {
  if [ -n "$pypid" ]; then kill "$pypid" 2>/dev/null || true; wait "$pypid" 2>/dev/null || true; fi
  if [ "$keep" = 1 ]; then echo "$bench_name: temp dir kept: $tmp" >&2
  else rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; }; fi
}
