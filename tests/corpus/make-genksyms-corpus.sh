#!/usr/bin/env bash
# Builds the golden genksyms corpus from REAL tools (see README.md beside this file).
#
# For each kernel version (6.1, 6.12) it copies a fixed set of kernel source
# directories to a scratch dir, builds each one as an external module with the
# real kbuild of Debian's headers package, with KBUILD_SYMTYPES=1 and kbuild's
# `genksyms` make variable pointed at genksyms-recorder.py.  The recorder saves
# every genksyms invocation (stdin, argv) and what the real genksyms of that
# version answered (stdout, stderr, exit code, -T symtypes file).  The #SYMVER
# CRCs the real tool printed are then checked against Debian's Module.symvers,
# and each version's corpus is packed as genksyms-<ver>.tar.xz.
#
# Usage: tests/corpus/make-genksyms-corpus.sh [6.1] [6.12]     (default: both)
# Environment:
#   MODFORGE_SRC_61, MODFORGE_SRC_612  extracted kernel source trees to use; when
#                        unset, linux-source-<ver> is fetched with apt-get download
#                        (pinned to the headers package's version) and only the
#                        needed directories are extracted into the cache.
#   MODFORGE_CACHE       cache for the .deb and extracted sources
#                        (default ~/.cache/modforge-genksyms-corpus)
#   MODFORGE_SCRATCH     scratch dir (default /tmp/modforge-genksyms-corpus). The
#                        preprocessed inputs contain the source paths, so keep the
#                        default to reproduce the MANIFEST hashes bit for bit.
#   MODFORGE_DIRS        space-separated directory list overriding the built-in one
#                        (for experiments: the check runs, nothing is packed)
#   MODFORGE_NO_PACK=1   stop after the check (leave tarballs/manifests alone)
#   JOBS                 make -j (default 2)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
recorder=$here/genksyms-recorder.py
checker=$here/genksyms-corpus-check.py
cache=${MODFORGE_CACHE:-$HOME/.cache/modforge-genksyms-corpus}
scratch=${MODFORGE_SCRATCH:-/tmp/modforge-genksyms-corpus}
jobs=${JOBS:-2}
no_pack=${MODFORGE_NO_PACK:-}
[ -z "${MODFORGE_DIRS:-}" ] || no_pack=1
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(6.1 6.12)

# ---------------------------------------------------------------------------
# The directories built for each version.  All must be obj-m in Debian's
# .config and build out of tree with only their own local headers.
# A directory with an entry in pick_common/pick_<ver> is not copied whole:
# only the named .c files are, with a generated Kbuild `obj-m := <them>.o`
# (for single-file modules living in big directories such as lib/).
# "modforge/asm_export" is our own tiny module (tests/corpus/modules/asm_export)
# exporting symbols from a .S file: no modular kernel directory does that on x86.
common_dirs=(
  fs fs/fat fs/jbd2 fs/lockd fs/quota fs/dlm fs/netfs
  drivers/net drivers/usb/serial drivers/usb/storage drivers/i2c/algos
  drivers/media/v4l2-core drivers/mtd/chips drivers/hid drivers/uio
  drivers/net/phy drivers/parport drivers/ssb
  drivers/iio/common/st_sensors drivers/iio/common/hid-sensors
  lib lib/reed_solomon lib/lz4 lib/crypto
  crypto
  sound sound/core sound/hda sound/pci/ac97 sound/drivers sound/synth
  net/802 net/llc net/bridge net/ipv4/netfilter net/sched net/sunrpc net/ceph
  net/can net/atm net/l2tp
  modforge/asm_export
)
# fs/fscache merged into fs/netfs in 6.12; fuse and zstd compression are =y
# in Debian's 6.12; lib/raid6's int*.c generation rule does not work out of
# tree in 6.1; fs/nls' only exporting module (nls_ucs2_utils) is new in 6.12.
dirs_6_1=("${common_dirs[@]}" fs/fscache fs/fuse lib/zstd)
dirs_6_12=("${common_dirs[@]}" fs/nls lib/raid6)

# Other kernel files that a directory's sources include by a relative path.
declare -A extra_files=(
  [drivers/usb/storage]="drivers/scsi/sd.h"
  [net/ipv4/netfilter]="net/netfilter/xt_repldata.h"
)
# Extra make arguments for a directory (@ROOT@ = the scratch source root).
# CONFIG_FOO= on the command line drops objects that cannot build out of tree
# (and export nothing we miss much): *.asn1 parsers need scripts/asn1_compiler,
# which linux-kbuild does not ship; tuner-core and uio_hv_generic need private
# headers of other directories.  <trace/events/{dlm,bridge}.h> and
# <net/netfilter/br_netfilter.h> include "../../../<dir>/<private>.h": an -I
# three levels below the scratch root makes that resolve into the scratch copy.
declare -A make_args=(
  [crypto]="CONFIG_CRYPTO_ECRDSA= CONFIG_PKCS8_PRIVATE_KEY_PARSER="
  [net/ipv4/netfilter]="CONFIG_NF_NAT_SNMP_BASIC="
  [drivers/media/v4l2-core]="CONFIG_VIDEO_TUNER="
  [drivers/uio]="CONFIG_UIO_HV_GENERIC="
  [fs/dlm]="KCFLAGS=-I@ROOT@/include/trace/events"
  [net/bridge]="KCFLAGS=-I@ROOT@/include/trace/events"
)
# 6.1's drivers/hid/{amd-sfh-hid,intel-ish-hid} Makefiles add -I$(srctree)/$(src)/...,
# which points into the headers tree out of tree.
declare -A make_args_6_1=(
  [drivers/hid]="KCFLAGS=-I@ROOT@/drivers/hid/amd-sfh-hid -I@ROOT@/drivers/hid/intel-ish-hid/ishtp"
)

declare -A pick_common=(
  [fs]="mbcache"
  [drivers/net]="mii"
  [lib]="crc-itu-t crc7 crc8 crc16 libcrc32c bch lru_cache"
  [sound]="ac97_bus"
)
declare -A pick_6_1=([lib]="crc-t10dif")   # =m only in 6.1
declare -A pick_6_12=()

picked() {  # prints the picked file stems for version $1, directory $2
  local extra
  if [ "$1" = 6.1 ]; then extra=${pick_6_1[$2]:-}; else extra=${pick_6_12[$2]:-}; fi
  echo ${pick_common[$2]:-} $extra
}

# Prints the kernel paths (relative to the source tree) a directory entry needs.
dir_sources() {  # $1 version, $2 directory
  local f p
  p=$(picked "$1" "$2")
  if [[ $2 == modforge/* ]]; then return
  elif [ -n "$p" ]; then for f in $p; do echo "$2/$f.c"; done
  else echo "$2"; fi
  for f in ${extra_files[$2]:-}; do echo "$f"; done
}
# ---------------------------------------------------------------------------

log() { printf '[corpus] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo

version_vars() {  # sets kver srcpkg srcenv dirs for version $1
  case $1 in
    6.1)  kver=${MODFORGE_KVER_61:-6.1.0-56-amd64};         srcpkg=linux-source-6.1;  srcenv=${MODFORGE_SRC_61:-};  dirs=("${dirs_6_1[@]}") ;;
    6.12) kver=${MODFORGE_KVER_612:-6.12.117+deb12-amd64};  srcpkg=linux-source-6.12; srcenv=${MODFORGE_SRC_612:-}; dirs=("${dirs_6_12[@]}") ;;
    *) die "unknown version $1 (use 6.1 or 6.12)" ;;
  esac
  if [ -n "${MODFORGE_DIRS:-}" ]; then read -r -a dirs <<<"$MODFORGE_DIRS"; fi
  hdr=/usr/src/linux-headers-$kver
}

ensure_headers() {  # installs linux-headers-$kver when missing
  [ -f "$hdr/Module.symvers" ] && [ -x "$hdr/scripts/genksyms/genksyms" ] && return 0
  log "installing linux-headers-$kver"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "linux-headers-$kver"
}

# Prints the path of a kernel source tree for this version holding all the
# directories needed, downloading and extracting linux-source-<ver> if needed.
ensure_source() {
  if [ -n "$srcenv" ]; then
    [ -f "$srcenv/Makefile" ] || die "$srcenv is not a kernel source tree"
    echo "$srcenv"; return
  fi
  local debver base deb tarball want=() missing=() d p
  debver=$(dpkg-query -W -f='${Version}' "linux-headers-$kver")
  base=$cache/$srcpkg-$debver
  mkdir -p "$base"
  for d in "${dirs[@]}"; do
    while read -r p; do [ -n "$p" ] && want+=("$p"); done < <(dir_sources "$1" "$d")
  done
  for p in "${want[@]}"; do [ -e "$base/$srcpkg/$p" ] || missing+=("$srcpkg/$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    deb=$cache/${srcpkg}_${debver//:/%3a}_all.deb
    if [ ! -f "$deb" ]; then
      log "apt-get download $srcpkg=$debver"
      (cd "$cache" && apt-get download -q "$srcpkg=$debver" >&2) ||
        { $sudo apt-get update -qq; (cd "$cache" && apt-get download -q "$srcpkg=$debver" >&2); }
      [ -f "$deb" ] || die "apt-get download did not produce $deb"
    fi
    tarball=$base/$srcpkg.tar.xz
    if [ ! -f "$tarball" ]; then
      log "unpacking $(basename "$deb")"
      dpkg-deb --fsys-tarfile "$deb" | tar -xf - -O "./usr/src/$srcpkg.tar.xz" > "$tarball.tmp"
      mv "$tarball.tmp" "$tarball"
    fi
    log "extracting ${#missing[@]} paths from $srcpkg.tar.xz"
    tar -C "$base" -xJf "$tarball" "$srcpkg/Makefile" "${missing[@]}"
  fi
  echo "$base/$srcpkg"
}

# Copies one directory entry into the scratch tree and builds it.
build_dir() {  # $1 ver, $2 dir, $3 srctree, $4 srcroot (scratch/src), $5 corpus, $6 logdir
  local ver=$1 d=$2 src=$3 root=$4 corpus=$5 logdir=$6 real slug rc p
  real=$(readlink -f "$hdr/scripts/genksyms/genksyms")
  slug=${d//\//_}
  mkdir -p "$root/$d"
  if [[ $d == modforge/* ]]; then
    cp -a "$here/modules/${d#modforge/}/." "$root/$d/"
  elif [ -n "$(picked "$ver" "$d")" ]; then
    for p in $(dir_sources "$ver" "$d"); do cp -a "$src/$p" "$root/$p"; done
    echo "obj-m := $(for p in $(picked "$ver" "$d"); do printf '%s.o ' "$p"; done)" > "$root/$d/Kbuild"
  else
    cp -a "$src/$d/." "$root/$d/"
  fi
  for p in ${extra_files[$d]:-}; do mkdir -p "$(dirname "$root/$p")"; cp -a "$src/$p" "$root/$p"; done
  # Extra make arguments: one per word, except that KCFLAGS=... takes the rest.
  local args=() extra kc=
  extra=${make_args[$d]:-}
  if [ "$ver" = 6.1 ]; then extra="$extra ${make_args_6_1[$d]:-}"; fi
  extra=${extra//@ROOT@/$root}
  for p in $extra; do
    if [ -n "$kc" ] || [[ $p == KCFLAGS=* ]]; then kc="${kc:+$kc }${p#KCFLAGS=}"; else args+=("$p"); fi
  done
  if [ -n "$kc" ]; then
    args+=("KCFLAGS=$kc")
    for p in $kc; do
      if [[ $p == -I* ]]; then mkdir -p "${p#-I}"; fi
    done
  fi
  rc=0
  make -C "$hdr" M="$root/$d" -k -j"$jobs" modules KBUILD_SYMTYPES=1 "${args[@]}" \
    genksyms="$recorder --corpus $corpus --real $real --srcroot $root --moddir $d --target \$@ --source \$< -- \$(if \$(1), -T \$(2)) \$(if \$(KBUILD_PRESERVE), -p) -r \$(or \$(wildcard \$(2:.symtypes=.symref)), /dev/null)" \
    > "$logdir/$slug.log" 2>&1 || rc=$?
  echo "$d $rc" >> "$logdir/build-status"
  log "  $d: make exit $rc, $(grep -c ' error' "$logdir/$slug.log" || true) error lines"
}

t0=$(date +%s)
status=0
packers=()
for ver in "${versions[@]}"; do
  version_vars "$ver"
  ensure_headers
  log "== $ver: headers $hdr"
  src=$(ensure_source "$ver")
  log "source tree: $src"
  vroot=$scratch/$ver
  rm -rf "$vroot"; mkdir -p "$vroot/src" "$vroot/corpus/$ver" "$vroot/logs"
  : > "$vroot/logs/build-status"
  for d in "${dirs[@]}"; do
    build_dir "$ver" "$d" "$src" "$vroot/src" "$vroot/corpus/$ver" "$vroot/logs"
  done
  pack=()
  [ -n "$no_pack" ] || pack=(--manifest "$here/genksyms-MANIFEST-$ver.txt")
  if python3 "$checker" --version "$ver" --corpus "$vroot/corpus/$ver" \
       --symvers "$hdr/Module.symvers" --build-status "$vroot/logs/build-status" \
       --replay "$(readlink -f "$hdr/scripts/genksyms/genksyms")" "${pack[@]}"; then
    if [ -z "$no_pack" ]; then
      # Solid, single-threaded xz (deterministic output); runs while the next
      # version builds.
      log "packing genksyms-$ver.tar.xz (in the background)"
      ( tar -C "$vroot/corpus" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
            --mode=u=rwX,go=rX -cf - "$ver" | xz -9e -T1 > "$here/genksyms-$ver.tar.xz.tmp"
        mv "$here/genksyms-$ver.tar.xz.tmp" "$here/genksyms-$ver.tar.xz"
        log "genksyms-$ver.tar.xz: $(stat -c %s "$here/genksyms-$ver.tar.xz") bytes" ) &
      packers+=($!)
    fi
  else
    status=1
    log "FAIL: $ver corpus check failed; not packed (build logs in $vroot/logs)"
  fi
done
for p in ${packers[@]+"${packers[@]}"}; do wait "$p" || status=1; done
log "done in $(( $(date +%s) - t0 )) s"
exit $status
