#!/usr/bin/env bash
# `modforge install` against `make -C <tree> M=<dir> modules_install`, and `modforge clean`
# against `make M= clean` (issue 11), for each Debian headers tree, on load_multi and
# samples/exporter built by our driver:
#  - install: INSTALL_MOD_PATH (and INSTALL_MOD_DIR=extra-mf on a second run) gets the same
#    files, byte for byte (6.12 compresses to .ko.xz as its tree says), plus our depmod's
#    indexes, which must equal kmod's depmod run on the same directory;
#  - clean: the files left after `modforge clean` are those left after `make M= clean`;
#    a modforge build directory (-O) is removed whole.
# Usage: kbuild_install_clean.sh MODFORGE SOURCE_DIR [6.1|6.12 ...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tier_lib.sh"
tier_args MODFORGE "$@"
modforge=$tool
for t in make depmod cmp; do
  command -v "$t" >/dev/null || [ -x "/sbin/$t" ] || { echo "FAIL: $t is missing (run scripts/setup.sh)"; exit 1; }
done
declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
work=$(mktemp -d /tmp/kbuild-install.XXXXXX)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
export MODFORGE_KBUILD_CACHE=$work/cache
kdepmod=$(command -v depmod || echo /sbin/depmod)

fail=0 n_inst=0 n_clean=0
tree_files() { (cd "$1" && find . \( -type f -o -type l \) | LC_ALL=C sort); }
for v in "${versions[@]}"; do
  tree=${trees[$v]}
  rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$tree/include/generated/utsrelease.h")
  for d in tests/corpus/modpost-modules/load_multi samples/exporter; do
    m=$work/$v/$(basename "$d")
    rm -rf "$m"; mkdir -p "$(dirname "$m")"; cp -r "$src/$d" "$m"
    "$modforge" build "$m" --kernel "$tree" > /dev/null 2> "$work/err" || { echo "FAIL $v $d: build"; cat "$work/err"; fail=1; continue; }
    for dir_var in "" INSTALL_MOD_DIR=extra-mf; do
      rm -rf "$work/ours" "$work/make"
      "$modforge" install "$m" --kernel "$tree" INSTALL_MOD_PATH="$work/ours" $dir_var > "$work/ours.out" 2> /dev/null ||
        { echo "FAIL $v $d: modforge install $dir_var"; fail=1; continue; }
      make -s -C "$tree" M="$m" INSTALL_MOD_PATH="$work/make" $dir_var modules_install > /dev/null 2>&1 ||
        { echo "FAIL $v $d: make modules_install $dir_var"; fail=1; continue; }
      # the modules themselves: make's files, identical
      mods=$(cd "$work/make" && find . -name '*.ko*' | LC_ALL=C sort)
      [ -n "$mods" ] || { echo "FAIL $v $d: make installed no module"; fail=1; continue; }
      [ "$mods" = "$(cd "$work/ours" && find . -name '*.ko*' | LC_ALL=C sort)" ] ||
        { echo "FAIL $v $d $dir_var: installed modules differ: $mods"; fail=1; continue; }
      for f in $mods; do cmp -s "$work/make/$f" "$work/ours/$f" || { echo "FAIL $v $d: $f differs"; fail=1; }; done
      # our depmod's indexes against kmod's depmod over the same modules
      cp -r "$work/make" "$work/kmod"
      "$kdepmod" -a -b "$work/kmod" "$rel" 2> /dev/null
      for f in $(cd "$work/kmod/lib/modules/$rel" && ls modules.*); do
        cmp -s "$work/kmod/lib/modules/$rel/$f" "$work/ours/lib/modules/$rel/$f" ||
          { echo "FAIL $v $d: depmod's $f differs from kmod's"; fail=1; }
      done
      rm -rf "$work/kmod"
      grep -q "^  DEPMOD  $work/ours/lib/modules/$rel\$" "$work/ours.out" || { echo "FAIL $v $d: no DEPMOD line"; fail=1; }
      n_inst=$((n_inst + 1))
    done
    # clean: in place, against make's clean of a copy of the same build
    cp -a "$m" "$m.make"
    make -s -C "$tree" M="$m.make" clean > /dev/null 2>&1
    "$modforge" clean "$m" --kernel "$tree" > /dev/null 2>&1 || { echo "FAIL $v $d: modforge clean"; fail=1; }
    rm -f "$m/compile_commands.json"  # ours (make writes none; make clean leaves it too)
    rm -f "$m.make/compile_commands.json"
    [ "$(tree_files "$m")" = "$(tree_files "$m.make")" ] ||
      { echo "FAIL $v $d: after clean"; diff <(tree_files "$m") <(tree_files "$m.make") | head; fail=1; }
    # a build directory is removed whole, the sources untouched
    "$modforge" build "$src/$d" --kernel "$tree" -O "$work/$v/bd" > /dev/null 2>&1 || { echo "FAIL $v $d: -O build"; fail=1; }
    "$modforge" clean "$src/$d" --kernel "$tree" -O "$work/$v/bd" > /dev/null 2>&1
    [ ! -e "$work/$v/bd" ] || { echo "FAIL $v $d: build directory left after clean"; fail=1; }
    n_clean=$((n_clean + 1))
  done
done
echo "kbuild install/clean: $n_inst installs identical to make modules_install (depmod as kmod's), $n_clean cleans as make clean"
[ $fail = 0 ] && echo PASS || echo FAIL
exit $fail
