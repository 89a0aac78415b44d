#!/usr/bin/env bash
# Installs every Debian package modforge needs (when missing), then configures and builds.
# Usage: scripts/setup.sh [--no-build]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

pkgs=(
  build-essential g++ clang cmake ninja-build pkg-config
  libboost-program-options-dev llvm-dev libxxhash-dev libgtest-dev
  liblzma-dev libzstd-dev zlib1g-dev libclang-rt-14-dev
  xz-utils python3 bc bison flex libelf-dev
  linux-headers-6.1.0-56-amd64 linux-headers-6.12.117+deb12-amd64
  linux-image-6.12.117+deb12-amd64
  qemu-system-x86 busybox-static kmod strace jq
  pahole ccache distcc clangd-14
  dkms
  libssl-dev openssl zstd
)
# qemu-system-x86, busybox-static, kmod: the real-kernel tests boot Debian's kernels through
# ../shared/tools/kernel-oracle.sh; strace: the modpost corpus recorder; jq: the layout corpus script.
# The kbuild driver (issue 11): pahole (dwarves' real package in Debian 12) is what 6.12's kbuild
# runs for .BTF; ccache and distcc are the launchers `modforge ninja` is tested with (distccd
# started on 127.0.0.1 by the test); clangd-14 (Debian's package of clangd) checks modforge compdb's compile_commands.json.
# libssl-dev: libcrypto parses X.509 certificates (the vmlinuz's built-in keys) and the PKCS#7
# module signatures; openssl and zstd: tests/corpus/make-sig-cases.sh (our signing key, 6.12's
# zstd vmlinuz).
# tests/corpus/fetch-dkms.sh needs apt-get download and dpkg -x only (always on Debian).
# dkms: tests/kbuild_dkms.sh compares `modforge dkms build` with the real `dkms build` (run
# with its trees in the test's work dir; installing it adds only its kernel hooks).
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
updated=
if [ ${#missing[@]} -gt 0 ]; then
  $sudo apt-get update -qq && updated=1
  # INITRD=No: the headers pull in a kernel image; these machines never boot it, so skip its initramfs.
  INITRD=No DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The kernel images the qemu tests boot (linux-image-*-unsigned, unpacked into
# ~/.cache/modforge-oracle or $ORACLE_CACHE): --setup does nothing when they are there.
oracle=${MODFORGE_ORACLE:-$here/../shared/tools/kernel-oracle.sh}
if [ -f "$oracle" ]; then
  if ! bash "$oracle" --setup 2>/dev/null; then
    [ -n "$updated" ] || $sudo apt-get update -qq
    bash "$oracle" --setup
  fi
else
  echo "setup: $oracle not found (set MODFORGE_ORACLE); the qemu tests will fail" >&2
fi

[ "${1:-}" = "--no-build" ] && exit 0
gen=; command -v ninja >/dev/null && gen="-G Ninja"
cmake -S "$here" -B "$here/build" $gen -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$here/build" -j"$(nproc)"
