# Sourced by the bench drivers: bench_workdir NAME makes the temporary directory $tmp
# (with corpus/ and run/), and on exit stops the measuring helper ($pypid, if set) and
# removes $tmp unless keep=1.
bench_workdir() {
  bench_name=$1
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/$bench_name.XXXXXX")
  pypid=
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  mkdir -p "$tmp/corpus" "$tmp/run"
}

# shellcheck disable=SC2317  # invoked by the trap
bench_cleanup() {
  if [ -n "$pypid" ]; then kill "$pypid" 2>/dev/null || true; wait "$pypid" 2>/dev/null || true; fi
  if [ "$keep" = 1 ]; then echo "$bench_name: temp dir kept: $tmp" >&2
  else rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; }; fi
}
