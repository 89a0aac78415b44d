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
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  # INITRD=No: the headers pull in a kernel image; these machines never boot it, so skip its initramfs.
  INITRD=No DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ "${1:-}" = "--no-build" ] && exit 0
gen=; command -v ninja >/dev/null && gen="-G Ninja"
cmake -S "$here" -B "$here/build" $gen -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$here/build" -j"$(nproc)"
