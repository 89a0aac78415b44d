#!/usr/bin/env bash
# Builds the loader's real-kernel corpus (see the loader section of README.md beside this
# file): the modules of loader-modules/ built with the REAL kbuild of both Debian headers
# trees, damaged copies made with ko-mutate, batches of insmod/rmmod steps
# (loader-tools/cases.py), and for every batch the verdicts of the real Debian kernel
# booted under qemu (../shared/tools/kernel-oracle.sh).  Nothing in the output is
# written by hand; rerunning it rebuilds everything and asks the kernels again.
#
# Usage: tests/corpus/make-loader-corpus.sh [6.1] [6.12]     (default: both)
# Environment:
#   MODFORGE_BUILD   the CMake build directory whose ko-mutate is used (built here;
#                    default <repo>/build); KO_MUTATE=path uses that binary instead
#   MODFORGE_ORACLE  kernel-oracle.sh (default <repo>/../shared/tools/kernel-oracle.sh)
#   MODFORGE_WORK    work directory (default /tmp/modforge-loader-work; emptied)
#   MODFORGE_NO_PACK=1  leave tests/corpus/loader-<ver>.tar.xz alone
# Output: tests/corpus/loader-<ver>.tar.xz, unpacking to loader/<ver>/<batch>/{steps,
# *.ko, oracle.jsonl}.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
tools=$here/loader-tools
build=${MODFORGE_BUILD:-$project/build}
oracle=${MODFORGE_ORACLE:-$project/../shared/tools/kernel-oracle.sh}
work=${MODFORGE_WORK:-/tmp/modforge-loader-work}
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(6.1 6.12)
start=$(date +%s)

log() { printf '[loader-corpus] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for t in python3 make gcc strip xz tar qemu-system-x86_64 /sbin/modinfo; do
  command -v "$t" >/dev/null || die "missing $t (scripts/setup.sh installs it)"
done
[ -f "$oracle" ] || die "kernel-oracle.sh not found at $oracle (set MODFORGE_ORACLE)"

if [ -n "${KO_MUTATE:-}" ]; then
  mutate=$KO_MUTATE
else
  [ -f "$build/CMakeCache.txt" ] || cmake -S "$project" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  nice cmake --build "$build" --target ko-mutate >/dev/null || die "building ko-mutate failed"
  mutate=$build/tests/ko-mutate
fi
[ -x "$mutate" ] || die "ko-mutate not found at $mutate"

rm -rf "$work"
mkdir -p "$work/modules"
# Both versions' modules are needed whichever version is made (cross-version cases).
for v in 6.1 6.12; do
  log "building the modules for $v with the real kbuild"
  "$tools/build-modules.sh" "$v" "$work/modules/$v" >/dev/null
done

for v in "${versions[@]}"; do
  case $v in 6.1) o=6.12 ;; 6.12) o=6.1 ;; *) die "unknown version $v" ;; esac
  out=$work/loader/$v
  log "$v: writing the batches"
  python3 "$tools/loader-corpus.py" generate "$v" "$out" --mods "$work/modules/$v" \
    --other-mods "$work/modules/$o" --ko-mutate "$mutate" >&2
  log "$v: asking the real kernel"
  python3 "$tools/loader-corpus.py" ask "$v" "$out"/*/ --oracle "$oracle" >&2
  python3 "$tools/loader-corpus.py" count "$out" | tee "$work/count-$v.txt" >&2
  if [ -z "${MODFORGE_NO_PACK:-}" ]; then
    (cd "$work" && tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - "loader/$v") \
      | xz -9e -T1 >"$here/loader-$v.tar.xz.tmp"
    mv "$here/loader-$v.tar.xz.tmp" "$here/loader-$v.tar.xz"
    log "$v: wrote $here/loader-$v.tar.xz ($(stat -c %s "$here/loader-$v.tar.xz") bytes)"
  fi
done
log "done in $(( $(date +%s) - start )) s"
