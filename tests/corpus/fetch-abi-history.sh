#!/usr/bin/env bash
# Fetches the Debian kernel packages the ABI-history and flavour tests of `modforge check load`
# read (issue 13, "Checked on real material"), each into $cache/<package>/: the .deb (kept) and
# root/ (its `dpkg -x`). The generic 6.1.0-56 / 6.12.117 images are kernel-oracle.sh's
# (~/.cache/modforge-oracle, `kernel-oracle.sh --setup`) and the generic headers trees are
# installed (scripts/setup.sh); neither is fetched here.
#
# Groups (default: all of them), so that a test fetches only what it reads:
#   history-6.1   linux-image-6.1.0-47-amd64-unsigned (its modules against the 6.1.0-56 tree)
#                 linux-headers-6.1.0-57-amd64 + -common (the tree 6.1.0-56's modules go against)
#                 linux-image-6.1.0-57-amd64-unsigned (that tree's shipped modules, which the
#                 check needs, and the real 6.1.0-57 kernel booted with kernel-oracle.sh -K)
#   history-6.12  linux-image-6.12.107+deb12-amd64-unsigned (against the 6.12.117 tree)
#   flavours-6.1  linux-image-6.1.0-56-{rt,cloud}-amd64-unsigned,
#                 linux-headers-6.1.0-56-{rt,cloud}-amd64 (+ linux-headers-6.1.0-56-common-rt)
#   flavours-6.12 the same for 6.12.117+deb12
#   abi-diff-6.12 linux-headers-6.12.118+deb12-amd64 (`check abi` 6.12.117 -> 6.12.118, issue 14;
#                 with its own linux-kbuild-6.12.118+deb12, unpacked beside it)
#   abi-diff-6.1  linux-headers-6.1.0-54-amd64, linux-headers-6.1.0-55-amd64 (6.1.0-54 -> 6.1.0-55)
#   sources-6.12  linux-source-6.12 at 6.12.117-1~deb12u1 and 6.12.118-1~deb12u1, and
#   sources-6.1   linux-source-6.1 at 6.1.190-1 and 6.1.192-1 (the builds of those headers):
#                 each into $cache/<package>_<version>/root/<linux-source-X>/ (the tarball
#                 inside the .deb unpacked; the .deb itself is not kept)
# (the flavour images' vmlinuz are also the real -rt/-cloud kernels kernel-oracle.sh -K boots)
#
# A headers package alone is not a working tree: its Makefile includes
# /usr/src/linux-headers-<abi>-common[-rt]/Makefile (absolute), its scripts/ and tools/ are
# ../../lib/linux-kbuild-<ver>/{scripts,tools}, and lib/modules/<rel>/build points at
# /usr/src/linux-headers-<rel>. In the unpacked root these are made to resolve inside it:
# the -common package is unpacked into the same root (or, when the installed one is the very
# version the headers package depends on, root/usr/src/<common> is a link to it: the cloud
# trees share the generic -common), root/usr/lib/linux-kbuild-<ver> links to the installed
# kbuild (its version checked against the dependency), the Makefile's include names the
# root's -common, and build and source are relative links. Checked: a one-line module builds
# against the tree (its vermagic names the release) and Module.symvers, .config and
# utsrelease.h are there.
#
# Idempotent: a package is downloaded when its .deb is missing and unpacked again only when the
# .deb or the unpacking ($layout) changed (root/.unpacked holds their digest). Prints, per package, the
# .deb size and the time it took; on stdout one line per package:
#   <package><TAB><version><TAB><deb bytes><TAB><unpacked root>
# Usage: tests/corpus/fetch-abi-history.sh [GROUP ...]
# Env: MODFORGE_ABI_CACHE (default ~/.cache/modforge-abi)
set -euo pipefail

cache=${MODFORGE_ABI_CACHE:-$HOME/.cache/modforge-abi}
die() { echo "fetch-abi-history: $*" >&2; exit 1; }
note() { echo "fetch-abi-history: $*" >&2; }
for t in apt-get dpkg dpkg-deb dpkg-query make sha256sum; do
  command -v "$t" >/dev/null || die "$t is missing"
done

declare -A group=(
  [history-6.1]="linux-image-6.1.0-47-amd64-unsigned linux-headers-6.1.0-57-amd64 linux-image-6.1.0-57-amd64-unsigned"
  [history-6.12]="linux-image-6.12.107+deb12-amd64-unsigned"
  [flavours-6.1]="linux-image-6.1.0-56-rt-amd64-unsigned linux-image-6.1.0-56-cloud-amd64-unsigned linux-headers-6.1.0-56-rt-amd64 linux-headers-6.1.0-56-cloud-amd64"
  [flavours-6.12]="linux-image-6.12.117+deb12-rt-amd64-unsigned linux-image-6.12.117+deb12-cloud-amd64-unsigned linux-headers-6.12.117+deb12-rt-amd64 linux-headers-6.12.117+deb12-cloud-amd64"
  [abi-diff-6.12]="linux-headers-6.12.118+deb12-amd64"
  [abi-diff-6.1]="linux-headers-6.1.0-54-amd64 linux-headers-6.1.0-55-amd64"
  [sources-6.12]="linux-source-6.12=6.12.117-1~deb12u1 linux-source-6.12=6.12.118-1~deb12u1"
  [sources-6.1]="linux-source-6.1=6.1.190-1 linux-source-6.1=6.1.192-1"
)
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(history-6.1 history-6.12 flavours-6.1 flavours-6.12)
# what unpacking makes of a .deb: bump it when the unpacking or the tree fix-ups change
layout=2
updated=

# download PKG: $cache/PKG/PKG_*.deb (exactly one), its path in $deb.
download() {
  local p=$1 d t0
  mkdir -p "$cache/$p"
  d=("$cache/$p/${p}_"*.deb)
  if [ ! -f "${d[0]}" ]; then
    t0=$(date +%s%N)
    # apt-get download writes into the current directory; a .partial is never left as a .deb
    if ! (cd "$cache/$p" && apt-get download -q "$p" >/dev/null 2>&1); then
      [ -n "$updated" ] || { apt-get update -qq || true; updated=1; }
      (cd "$cache/$p" && apt-get download -q "$p" >&2) || die "apt-get download $p failed"
    fi
    d=("$cache/$p/${p}_"*.deb)
    note "$p: downloaded $(stat -c %s "${d[0]}") bytes in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  fi
  [ ${#d[@]} -eq 1 ] || die "expected one $p .deb in $cache/$p, found: ${d[*]}"
  deb=${d[0]}
}

# unpack DEB ROOT [EXTRA_DEB...]: dpkg -x them all into ROOT unless ROOT/.unpacked says it is
# done from the same files; returns 1 (after wiping ROOT) when it has to be (re)made.
unpacked() {
  local root=$1 stamp
  shift
  stamp=$( { echo "$layout"; sha256sum "$@" | cut -d' ' -f1; } | sha256sum | cut -c1-16)
  [ "$(cat "$root/.unpacked" 2>/dev/null)" = "$stamp" ] && return 0
  rm -rf "$root" && mkdir -p "$root"
  local f
  for f in "$@"; do dpkg -x "$f" "$root"; done
  echo "$stamp" >"$root/.stamp-pending"
  return 1
}
done_unpacking() { mv "$1/.stamp-pending" "$1/.unpacked"; }

# depends DEB NAME: the version constraint "OP VER" of dependency NAME in DEB's Depends.
depends() {
  dpkg-deb -f "$1" Depends | tr ',' '\n' | sed -n "s/^ *$2 *(\(.*\)) *\$/\1/p" | head -1
}
installed_version() { { dpkg-query -W -f '${Status} ${Version}\n' "$1" 2>/dev/null || true; } | sed -n 's/^install ok installed //p'; }

fetch_image() {
  local p=$1
  download "$p"
  local root=$cache/$p/root
  if ! unpacked "$root" "$deb"; then
    compgen -G "$root/lib/modules/*/kernel" >/dev/null || die "$p: no lib/modules/<release>/kernel in the package"
    done_unpacking "$root"
  fi
  printf '%s\t%s\t%s\t%s\n' "$p" "$(dpkg-deb -f "$deb" Version)" "$(stat -c %s "$deb")" "$root"
}

# build_check PKG TREE REL: a one-line module built against TREE with its own kbuild, whose
# vermagic must name REL (the tree works from inside the unpacked root, nothing else).
build_check() {
  local p=$1 tree=$2 rel=$3 m out vm
  m=$(mktemp -d)
  printf '#include <linux/module.h>\nMODULE_LICENSE("GPL");\n' >"$m/probe.c"
  echo 'obj-m := probe.o' >"$m/Kbuild"
  out=$(make -C "$tree" M="$m" modules 2>&1) || { rm -rf "$m"; die "$p: a module does not build against $tree:"$'\n'"$out"; }
  vm=$(/sbin/modinfo -F vermagic "$m/probe.ko" 2>/dev/null || true)
  rm -rf "$m"
  [ "${vm%% *}" = "$rel" ] || die "$p: the module built against $tree has vermagic '$vm'"
  note "$p: a module builds against the unpacked tree (vermagic $vm)"
}

fetch_headers() {
  local p=$1 rel=${1#linux-headers-}
  download "$p"
  local hdeb=$deb root=$cache/$p/root tree
  tree=$root/usr/src/$p
  # the -common[-rt] package the Makefile includes, and the kbuild its scripts/ link into
  local inc common ccons kb kcons
  inc=$(dpkg-deb --fsys-tarfile "$hdeb" | tar -xOf - "./usr/src/$p/Makefile" | sed -n 's|^include /usr/src/\([^/]*\)/Makefile$|\1|p')
  [ -n "$inc" ] || die "$p: its Makefile includes no /usr/src/<common>/Makefile"
  common=$inc
  ccons=$(depends "$hdeb" "$common")
  [ -n "$ccons" ] || die "$p: does not depend on $common"
  kb=$(dpkg-deb --fsys-tarfile "$hdeb" | tar -tvf - "./usr/src/$p/scripts" | sed -n 's|.* -> \.\./\.\./lib/\(linux-kbuild-[^/]*\)/scripts$|\1|p')
  [ -n "$kb" ] || die "$p: scripts is not a link into ../../lib/linux-kbuild-*"
  kcons=$(depends "$hdeb" "$kb")
  local kv own_kb= extra=()
  kv=$(installed_version "$kb")
  # the installed kbuild when it satisfies the dependency, else the package's own, unpacked
  # into the root (6.12 has one linux-kbuild-<abi> per ABI number)
  if [ -z "$kv" ] || { [ -n "$kcons" ] && ! dpkg --compare-versions "$kv" ${kcons}; }; then
    download "$kb"
    extra+=("$deb")
    own_kb=1
  fi
  # reuse the installed -common when it is the version asked for (exactly: "= VER")
  local cv reuse=
  cv=$(installed_version "$common")
  if [ -n "$cv" ] && dpkg --compare-versions "$cv" ${ccons}; then
    reuse=1
  else
    download "$common"
    extra+=("$deb")
  fi
  if ! unpacked "$root" "$hdeb" "${extra[@]}"; then
    [ -n "$reuse" ] && ln -s "/usr/src/$common" "$root/usr/src/$common"
    [ -f "$root/usr/src/$common/Makefile" ] || die "$p: $common/Makefile missing in the unpacked root"
    mkdir -p "$root/usr/lib"
    [ -n "$own_kb" ] || ln -s "/usr/lib/$kb" "$root/usr/lib/$kb"
    [ -d "$root/usr/lib/$kb/scripts" ] || die "$p: no usr/lib/$kb/scripts in the unpacked root"
    sed -i "s|^include /usr/src/$common/Makefile\$|include $root/usr/src/$common/Makefile|" "$tree/Makefile"
    local b l
    for b in "$root"/lib/modules/*/*; do
      [ -L "$b" ] || continue
      l=$(readlink "$b")
      case $l in /usr/src/*) [ -e "$root$l" ] || die "$p: $b points at $l, not in the package" ;;
        *) die "$p: $b points at $l" ;; esac
      ln -sfn "../../..$l" "$b"
    done
    build_check "$p" "$tree" "$rel"
    done_unpacking "$root"
  fi
  local f
  for f in Module.symvers .config include/generated/utsrelease.h; do
    [ -s "$tree/$f" ] || die "$p: $tree/$f missing"
  done
  local want
  want=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$tree/include/generated/utsrelease.h")
  [ "$want" = "$rel" ] || die "$p: utsrelease.h says '$want', the package '$rel'"
  local bytes; bytes=$(stat -c %s "$hdeb" "${extra[@]}" | awk '{s += $1} END {print s}')
  printf '%s\t%s\t%s\t%s\n' "$p" "$(dpkg-deb -f "$hdeb" Version)" "$bytes" "$tree"
}

# fetch_source PKG=VERSION: the kernel source tree of that exact version.
fetch_source() {
  local p=${1%%=*} v=${1#*=} dir root t0 d
  dir=$cache/${p}_$v
  root=$dir/root
  if [ ! -f "$root/.unpacked" ] || [ "$(cat "$root/.unpacked")" != "$layout $v" ]; then
    t0=$(date +%s%N)
    rm -rf "$dir" && mkdir -p "$dir/deb" "$root"
    if ! (cd "$dir/deb" && apt-get download -q "$p=$v" >/dev/null 2>&1); then
      [ -n "$updated" ] || { apt-get update -qq || true; updated=1; }
      (cd "$dir/deb" && apt-get download -q "$p=$v" >&2) || die "apt-get download $p=$v failed"
    fi
    d=("$dir/deb/"*.deb)
    dpkg-deb --fsys-tarfile "${d[0]}" | tar -xOf - "./usr/src/$p.tar.xz" | tar -xJf - -C "$root" ||
      die "$p=$v: no usr/src/$p.tar.xz in the package"
    rm -rf "$dir/deb"
    [ -f "$root/$p/Makefile" ] || die "$p=$v: no $p/Makefile in the tarball"
    echo "$layout $v" >"$root/.unpacked"
    note "$p=$v: fetched and unpacked in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  fi
  printf '%s\t%s\t%s\t%s\n' "$p" "$v" "$(du -sb "$root" | cut -f1)" "$root/$p"
}

t0=$(date +%s)
for g in "${groups[@]}"; do
  [ -n "${group[$g]:-}" ] || die "unknown group $g (${!group[*]})"
  for p in ${group[$g]}; do
    case $p in
      linux-image-*) fetch_image "$p" ;;
      linux-headers-*) fetch_headers "$p" ;;
      linux-source-*) fetch_source "$p" ;;
    esac
  done
done
note "done in $(( $(date +%s) - t0 )) s; $(du -sh "$cache" | cut -f1) in $cache"
