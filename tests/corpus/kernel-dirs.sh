# shellcheck shell=bash
# The kernel directories of the modpost corpus, shared by make-modpost-corpus.sh (which records
# real modpost runs on them) and tests/kbuild_compare.sh with KB_FULL=1 (which builds them with
# make and with modforge build).  Sourced; needs bash 4.
# Kernel directories.  Each is obj-m in Debian's .config for both versions and
# builds out of tree.  Together they give: multi-object modules (usb-storage,
# fat, vfat), exporters and importers in the same modpost run (usb-storage and
# the ums-* drivers, fat and vfat/msdos, bcm-phy-lib and broadcom), the
# USB_STORAGE namespace (EXPORT_SYMBOL_NS_GPL + MODULE_IMPORT_NS), device tables
# of usb, pci, hid, i2c, of, acpi, x86cpu and mdio, module parameters,
# MODULE_VERSION (8139too, 8139cp), and "GPL", "GPL v2" and "Dual BSD/GPL".
kernel_dirs=(
  drivers/usb/storage fs/fat drivers/i2c/algos lib
  drivers/net/ethernet/realtek drivers/net/phy drivers/hwmon drivers/hid
)
# Directories of which only some single-file modules are built, with a
# generated Kbuild `obj-m := <them>.o`.
declare -A pick=(
  [lib]="crc-itu-t crc7 crc8 libcrc32c lru_cache"
  [drivers/net/phy]="bcm-phy-lib bcm-phy-ptp broadcom smsc marvell"
  [drivers/hwmon]="lm75 lm90 acpi_power_meter coretemp k10temp"
  [drivers/hid]="hid-apple hid-cherry hid-cypress"
)
# Other kernel files the sources include by a relative path.
declare -A extra_files=(
  [drivers/usb/storage]="drivers/scsi/sd.h"
  [drivers/net/phy]="drivers/net/phy/bcm-phy-lib.h"
  [drivers/hwmon]="drivers/hwmon/lm75.h"
  [drivers/hid]="drivers/hid/hid-ids.h"
)
# Extra make arguments: r8169 is big and adds nothing the others lack.
declare -A make_args=(
  [drivers/net/ethernet/realtek]="CONFIG_R8169="
)

# kernel_source VERSION: a kernel source tree of the headers' Debian version holding every path
# the directories need, fetched (apt-get download linux-source-<version>) and extracted once into
# ~/.cache/modforge-modpost-corpus (or $MODFORGE_CACHE); printed on stdout.
kernel_source() {
  local ver=$1 kver srcpkg debver base deb tarball missing=() d p
  case $ver in
    6.1) kver=6.1.0-56-amd64 srcpkg=linux-source-6.1 ;;
    6.12) kver=6.12.117+deb12-amd64 srcpkg=linux-source-6.12 ;;
    *) echo "kernel_source: unknown version $ver" >&2; return 1 ;;
  esac
  local cache=${MODFORGE_CACHE:-$HOME/.cache/modforge-modpost-corpus}
  debver=$(dpkg-query -W -f='${Version}' "linux-headers-$kver")
  base=$cache/$srcpkg-$debver
  mkdir -p "$base"
  for d in "${kernel_dirs[@]}"; do
    while read -r p; do [ -e "$base/$srcpkg/$p" ] || missing+=("$srcpkg/$p"); done < <(kernel_paths "$d")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    deb=$cache/${srcpkg}_${debver//:/%3a}_all.deb
    if [ ! -f "$deb" ]; then
      (cd "$cache" && apt-get download -q "$srcpkg=$debver" >&2) ||
        { ${sudo:-} apt-get update -qq; (cd "$cache" && apt-get download -q "$srcpkg=$debver" >&2); }
      [ -f "$deb" ] || { echo "kernel_source: apt-get download did not produce $deb" >&2; return 1; }
    fi
    tarball=$base/$srcpkg.tar.xz
    if [ ! -f "$tarball" ]; then
      dpkg-deb --fsys-tarfile "$deb" | tar -xf - -O "./usr/src/$srcpkg.tar.xz" > "$tarball.tmp"
      mv "$tarball.tmp" "$tarball"
    fi
    tar -C "$base" -xJf "$tarball" "$srcpkg/Makefile" "${missing[@]}"
  fi
  echo "$base/$srcpkg"
}

# kernel_paths DIR: the source paths a kernel directory entry needs.
kernel_paths() {
  local d=$1 f
  if [ -n "${pick[$d]:-}" ]; then for f in ${pick[$d]}; do echo "$d/$f.c"; done; else echo "$d"; fi
  for f in ${extra_files[$d]:-}; do echo "$f"; done
}

# kernel_dir_prepare SRC DIR DEST: DEST/DIR as the corpus builds it (the picked files with a
# generated Kbuild, or the whole directory) plus the extra files it includes by relative path.
kernel_dir_prepare() {
  local src=$1 d=$2 dest=$3 p
  mkdir -p "$dest/$d"
  if [ -n "${pick[$d]:-}" ]; then
    for p in ${pick[$d]}; do cp -a "$src/$d/$p.c" "$dest/$d/"; done
    echo "obj-m := $(for p in ${pick[$d]}; do printf '%s.o ' "$p"; done)" > "$dest/$d/Kbuild"
  else
    cp -a "$src/$d/." "$dest/$d/"
  fi
  for p in ${extra_files[$d]:-}; do mkdir -p "$(dirname "$dest/$p")"; cp -a "$src/$p" "$dest/$p"; done
}

# kernel_dir_lines: the kernel directories as lines of the kbuild test's module list
# ("kernel:<dir> VAR=VALUE..."; tests/kbuild_lib.sh's kb_resolve reads them).
kernel_dir_lines() {
  local d
  for d in "${kernel_dirs[@]}"; do echo "kernel:$d ${make_args[$d]:-}"; done
}

# kernel_dirs_root VERSION DEST: DEST/<version> holding every kernel directory prepared
# (kernel_dir_prepare) from that version's source; done once; printed on stdout.
kernel_dirs_root() {
  local ver=$1 dest=$2/$1 src d
  if [ ! -f "$dest/.done" ]; then
    src=$(kernel_source "$ver") || return 1
    rm -rf "$dest"
    for d in "${kernel_dirs[@]}"; do kernel_dir_prepare "$src" "$d" "$dest"; done
    touch "$dest/.done"
  fi
  echo "$dest"
}
