#!/usr/bin/env bash
# Builds the golden modpost corpus from REAL tools (see README.md beside this file).
#
# For each kernel version (6.1, 6.12) it builds, with the real kbuild of Debian's
# headers package and `V=1`, a set of kernel source directories, the project's
# samples and every module under tests/corpus/modpost-modules/, each as an
# external module under a fixed absolute root
#   /tmp/modforge-modpost-corpus/<ver>/{kernel,samples,modules}/...
# (6.1 and 6.12 both hand modpost absolute paths, which end up in the .mod.c
# paths and the diagnostics, so a replay must use the same paths).  kbuild's
# MODPOST is modpost-recorder.py, which runs the real modpost.real-lsb-64 under
# strace and stores the invocation: argv, cwd, stdin, every input file, and what
# the real tool wrote and printed.  modpost-corpus-check.py then replays every
# case with the real tool (first on debug-stripped objects, which are kept only
# when the outputs stay byte-identical), checks the CRCs, prints the figures and
# writes the MANIFEST; the case directories are packed as modpost-<ver>.tar.xz.
#
# Usage: tests/corpus/make-modpost-corpus.sh [6.1] [6.12]     (default: both)
# Environment:
#   MODFORGE_SRC_61, MODFORGE_SRC_612  extracted kernel source trees; when unset,
#                      /work/src/k61 and /work/src/k612 if present, else
#                      linux-source-<ver> is fetched with apt-get download (pinned
#                      to the headers package's version) into MODFORGE_CACHE.
#   MODFORGE_CACHE     default ~/.cache/modforge-modpost-corpus
#   MODFORGE_WORK      logs and the unpacked corpus (default /tmp/modforge-modpost-work)
#   MODFORGE_NO_PACK=1 stop after the check (leave tarballs and manifests alone)
#   JOBS               make -j (default 2)
#   MODFORGE_DIRS      space-separated kernel directories overriding the built-in
#                      list, MODFORGE_MODULES a shell pattern picking the
#                      modpost-modules/ directories (experiments: nothing is packed)
# The build root itself is fixed (/tmp/modforge-modpost-corpus); the golden test
# extracts the cases there too, and both take the lock file beside it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
recorder=$here/modpost-recorder.py
checker=$here/modpost-corpus-check.py
cache=${MODFORGE_CACHE:-$HOME/.cache/modforge-modpost-corpus}
work=${MODFORGE_WORK:-/tmp/modforge-modpost-work}
fixed=/tmp/modforge-modpost-corpus
jobs=${JOBS:-2}
no_pack=${MODFORGE_NO_PACK:-}
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(6.1 6.12)
modules_glob=${MODFORGE_MODULES:-*}
[ -z "${MODFORGE_DIRS:-}${MODFORGE_MODULES:-}" ] || no_pack=1

# ---------------------------------------------------------------------------
# The kernel directories (kernel_dirs, pick, extra_files, make_args): tests/corpus/kernel-dirs.sh.
source "$here/kernel-dirs.sh"
[ -z "${MODFORGE_DIRS:-}" ] || read -r -a kernel_dirs <<<"$MODFORGE_DIRS"
# ---------------------------------------------------------------------------

log() { printf '[modpost-corpus] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo

version_vars() {  # sets kver srcpkg srcenv kbuild for version $1
  case $1 in
    6.1)  kver=6.1.0-56-amd64;        srcpkg=linux-source-6.1
          srcenv=${MODFORGE_SRC_61:-};  [ -n "$srcenv" ] || [ ! -f /work/src/k61/Makefile ] || srcenv=/work/src/k61 ;;
    6.12) kver=6.12.117+deb12-amd64;  srcpkg=linux-source-6.12
          srcenv=${MODFORGE_SRC_612:-}; [ -n "$srcenv" ] || [ ! -f /work/src/k612/Makefile ] || srcenv=/work/src/k612 ;;
    *) die "unknown version $1 (use 6.1 or 6.12)" ;;
  esac
  hdr=/usr/src/linux-headers-$kver
}

ensure_tools() {
  local missing=() t
  for t in strace objcopy xz python3 make gcc; do command -v "$t" >/dev/null || missing+=("$t"); done
  [ ${#missing[@]} -eq 0 ] || die "missing tools: ${missing[*]} (apt-get install strace binutils xz-utils python3 make gcc)"
}

ensure_headers() {
  [ -f "$hdr/Module.symvers" ] && [ -x "$hdr/scripts/mod/modpost.real-lsb-64" ] && return 0
  log "installing linux-headers-$kver"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "linux-headers-$kver"
}

# Prints a kernel source tree holding every needed path (fetching linux-source if needed).
ensure_source() {
  if [ -n "$srcenv" ]; then
    [ -f "$srcenv/Makefile" ] || die "$srcenv is not a kernel source tree"
    echo "$srcenv"; return
  fi
  MODFORGE_CACHE=$cache kernel_source "$ver" || die "could not fetch $srcpkg"
}

# Runs one external-module build with the recorder as MODPOST.
#   $1 case name, $2 root, $3 M directory, rest: extra make arguments
build() {
  local name=$1 root=$2 mdir=$3 rc=0
  shift 3
  MODFORGE_REC_REAL=$real MODFORGE_REC_ROOT=$root MODFORGE_REC_CASE=$corpus/$name \
    nice -n 10 make -C "$hdr" M="$mdir" -j"$jobs" V=1 modules MODPOST="$recorder" "$@" \
    > "$logs/$name.log" 2>&1 || rc=$?
  if [ -d "$corpus/$name" ]; then
    log "  $name: make exit $rc, modpost exit $(cat "$corpus/$name/exit")"
  else
    log "  $name: make exit $rc, NO MODPOST RUN (see $logs/$name.log)"
    echo "$name" >> "$logs/not-recorded"
  fi
}

record_version() {  # $1 version
  local ver=$1 src d p slug kroot mroot sroot m mods=() late=()
  version_vars "$ver"
  ensure_headers
  real=$(readlink -f "$hdr/scripts/mod/modpost.real-lsb-64")
  src=$(ensure_source)
  log "== $ver: headers $hdr, sources $src, real modpost $real"
  corpus=$work/$ver/corpus/modpost-$ver
  logs=$work/$ver/logs
  rm -rf "$work/$ver" "${fixed:?}/$ver"
  mkdir -p "$corpus" "$logs"
  : > "$logs/not-recorded"
  kroot=$fixed/$ver/kernel sroot=$fixed/$ver/samples mroot=$fixed/$ver/modules

  for d in "${kernel_dirs[@]}"; do
    slug=${d//\//_}
    kernel_dir_prepare "$src" "$d" "$kroot"
    # shellcheck disable=SC2086
    build "kernel__$slug" "$kroot" "$kroot/$d" ${make_args[$d]:-}
  done

  for d in "$project"/samples/*/; do
    m=$(basename "$d")
    [ -f "$d/Kbuild" ] || [ -f "$d/Makefile" ] || continue
    mkdir -p "$sroot/$m"; cp -a "$d." "$sroot/$m/"
    build "samples__$m" "$sroot" "$sroot/$m"
  done

  # Modules whose Kbuild reads another directory's Module.symvers
  # (KBUILD_EXTRA_SYMBOLS) are built after all the others.
  for d in "$here"/modpost-modules/$modules_glob/; do
    m=$(basename "$d")
    [ -f "$d/Kbuild" ] || [ -f "$d/Makefile" ] || { log "  $m: no Kbuild or Makefile, not built"; continue; }
    mkdir -p "$mroot/$m"; cp -a "$d." "$mroot/$m/"
    if grep -qs KBUILD_EXTRA_SYMBOLS "$d/Kbuild" "$d/Makefile"; then late+=("$m"); else mods+=("$m"); fi
  done
  for m in "${mods[@]}" ${late[@]+"${late[@]}"}; do build "modules__$m" "$mroot" "$mroot/$m"; done

  # The replay puts each case back at the fixed paths: move the build trees away.
  mv "$fixed/$ver" "$work/$ver/built"
}

check_and_pack() {  # $1 version
  local ver=$1 manifest=() rc=0
  version_vars "$ver"
  real=$(readlink -f "$hdr/scripts/mod/modpost.real-lsb-64")
  [ -n "$no_pack" ] || manifest=(--manifest "$here/modpost-MANIFEST-$ver.txt")
  python3 "$checker" --version "$ver" --corpus "$work/$ver/corpus/modpost-$ver" --real "$real" \
    --symvers "$hdr/Module.symvers" "${manifest[@]}" | tee "$work/$ver/logs/check.txt" || rc=1
  if [ -s "$work/$ver/logs/not-recorded" ]; then
    log "FAIL: $ver: builds without a modpost run: $(tr '\n' ' ' < "$work/$ver/logs/not-recorded")"
    rc=1
  fi
  [ $rc -eq 0 ] || { log "FAIL: $ver corpus check failed; not packed"; return 1; }
  [ -z "$no_pack" ] || return 0
  log "packing modpost-$ver.tar.xz"
  tar -C "$work/$ver/corpus" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
      --mode=u=rwX,go=rX -cf - "modpost-$ver" | nice -n 10 xz -9e -T1 > "$here/modpost-$ver.tar.xz.tmp"
  mv "$here/modpost-$ver.tar.xz.tmp" "$here/modpost-$ver.tar.xz"
  log "modpost-$ver.tar.xz: $(stat -c %s "$here/modpost-$ver.tar.xz") bytes"
}

ensure_tools
mkdir -p "$fixed"
exec 9>"$fixed.lock"
flock 9
t0=$(date +%s)
status=0
for ver in "${versions[@]}"; do
  t1=$(date +%s)
  record_version "$ver"
  t2=$(date +%s)
  check_and_pack "$ver" || status=1
  log "$ver: builds $(( t2 - t1 )) s, check and pack $(( $(date +%s) - t2 )) s"
done
log "done in $(( $(date +%s) - t0 )) s"
exit $status
