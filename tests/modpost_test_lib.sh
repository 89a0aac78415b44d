# Shared by kbuild_modpost.sh and kernel_modpost.sh (sourced after `set -euo pipefail`,
# with $src the repository): the Debian trees and real modpost binaries, the module
# directories both tests build, and a work directory removed at exit.
declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
declare -A reals=(
  [6.1]=/usr/lib/linux-kbuild-6.1/scripts/mod/modpost.real-lsb-64
  [6.12]=/usr/lib/linux-kbuild-6.12.117+deb12/scripts/mod/modpost.real-lsb-64)

# tree_and_real VERSION: $tree and $real of that version; the test fails (exit 1) when either
# is missing.
tree_and_real() {
  tree=${trees[$1]:-} real=${reals[$1]:-}
  [ -n "$tree" ] || { echo "FAIL: unknown kernel version $1"; exit 1; }
  [ -d "$tree" ] || { echo "FAIL: headers tree $tree missing (run scripts/setup.sh)"; exit 1; }
  [ -x "$real" ] || { echo "FAIL: real modpost $real missing (run scripts/setup.sh)"; exit 1; }
}

# Every sample with a Kbuild file, then the load test modules. Sorted, so load_extra_a
# (whose Module.symvers load_extra_b reads through KBUILD_EXTRA_SYMBOLS in its Kbuild) is
# built first.
mods=()
for d in "$src"/samples/*/ "$src"/tests/corpus/modpost-modules/load_*/; do
  [ -f "$d/Kbuild" ] && mods+=("${d%/}")
done
[ ${#mods[@]} -ge 8 ] || { echo "FAIL: expected the samples and load_* modules, found ${#mods[@]} directories"; exit 1; }

work=$(mktemp -d)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
