#!/usr/bin/env bash
# kbuild drives our modpost unchanged: for each Debian headers tree, build the repo's sample
# modules and tests/corpus/modpost-modules/load_*/ twice with the real kbuild, once with the
# real modpost and once with MODPOST=<ours>, and require every file the two builds leave
# behind to be identical: each <mod>.mod.c, Module.symvers, the linked .ko files, and the
# build's output (modpost's diagnostics).
#
# Both builds run at the same path, one after the other, each on a fresh copy of the
# sources, and are then moved aside. Two builds at different paths differ in the DWARF
# comp_dir/line-table strings and therefore in the linker's build id, a hash over the whole
# .ko; at one path nothing but modpost's own output can differ, so the .ko files are
# compared byte for byte without any normalising. The one file allowed to differ is
# .Module.symvers.cmd, kbuild's record of the modpost command line, which names the tool:
# it must be equal once the tool path is replaced.
#
# The 6.12 headers tree ships vmlinux, so kbuild runs pahole on each linked .ko to add .BTF
# (whose content follows from the whole .ko, modpost's part included). With pahole 1.24
# kbuild passes -j, which makes that output vary from run to run, unless
# KBUILD_BUILD_TIMESTAMP is set (scripts/Makefile.btf: the kernel's switch for reproducible
# builds); it is set for both builds. Of the kbuild files an external build reads, only
# Makefile.btf looks at it.
#
# Usage: kbuild_modpost.sh OUR_MODPOST SOURCE_DIR [6.1|6.12 ...]
# Env: MODFORGE_KEEP=1 keeps the builds for a look.
set -euo pipefail
source "$(dirname "$0")/tier_lib.sh"
tier_args OUR_MODPOST "$@"
ours=$tool

source "$src/tests/modpost_test_lib.sh"

jobs=$(nproc); [ "$jobs" -le 2 ] || jobs=2
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 1970'

# build_all TREE OUT MODPOST [make args...]: fresh copy of every module under $work/src,
# built there, the whole tree then moved to OUT. The make output of each directory is kept
# in OUT/<dir>.log (with -s it holds only warnings, errors and modpost's diagnostics),
# less the "Skipping BTF generation" lines that the parallel link steps print in any order
# (the 6.1 headers tree has no vmlinux to generate BTF against).
build_all() {
  local tree=$1 out=$2 tool=$3
  shift 3
  rm -rf "$work/src" && mkdir -p "$work/src" "$out"
  for m in "${mods[@]}"; do cp -r "$m" "$work/src/"; done
  local rc=0
  for m in "${mods[@]}"; do
    local n=${m##*/}
    local r=0
    nice make -s -C "$tree" M="$work/src/$n" MODPOST="$tool" "$@" -j"$jobs" modules \
      >"$work/src/$n.full" 2>&1 || r=$?
    grep -v '^Skipping BTF generation for .* due to unavailability of vmlinux$' \
      "$work/src/$n.full" >"$work/src/$n.log" || true
    rm "$work/src/$n.full"
    echo "make exit $r" >>"$work/src/$n.log"
    [ $r -eq 0 ] || rc=1
  done
  mv "$work/src"/* "$out/"
  return $rc
}

fail=0
for k in "${versions[@]}"; do
  tree_and_real "$k"

  if ! build_all "$tree" "$work/$k-real" "$real"; then
    echo "FAIL $k: the build with the real modpost failed:"; cat "$work/$k-real"/*.log; exit 1
  fi
  build_all "$tree" "$work/$k-ours" "$ours" MODFORGE_KERNEL="$k" || true

  # The real build must have produced what this test is about.
  # (kbuild writes one <mod>.mod per module; each must have its .mod.c and .ko.)
  nmod=$(find "$work/$k-real" -name '*.mod' | wc -l)
  nko=$(find "$work/$k-real" -name '*.ko' | wc -l)
  nmodc=$(find "$work/$k-real" -name '*.mod.c' | wc -l)
  nsym=$(cat "$work/$k-real"/*/Module.symvers | wc -l)
  if [ "$nko" -lt ${#mods[@]} ] || [ "$nko" -ne "$nmodc" ] || [ "$nko" -ne "$nmod" ] || [ "$nsym" -eq 0 ]; then
    echo "FAIL $k: the real build made $nmod .mod, $nko .ko, $nmodc .mod.c, $nsym exports"
    fail=1; continue
  fi

  (cd "$work/$k-real" && find . -type f | sort) >"$work/$k-real.files"
  (cd "$work/$k-ours" && find . -type f | sort) >"$work/$k-ours.files"
  if ! diff -u "$work/$k-real.files" "$work/$k-ours.files" >"$work/$k.filediff"; then
    echo "FAIL $k: the builds left different files:"; head -40 "$work/$k.filediff"; fail=1
  fi

  same=0 differ=0
  while read -r f; do
    a=$work/$k-real/$f b=$work/$k-ours/$f
    [ -f "$b" ] || continue
    if [[ $f == */.Module.symvers.cmd ]]; then
      cmp -s <(sed "s|$real|MODPOST|g" "$a") <(sed "s|$ours|MODPOST|g" "$b") && r=0 || r=1
    else
      cmp -s "$a" "$b" && r=0 || r=1
    fi
    if [ $r -eq 0 ]; then
      same=$((same + 1))
    else
      differ=$((differ + 1)); fail=1
      echo "FAIL $k: $f differs"
      case "$f" in
        *.ko | *.o) cmp "$a" "$b" | head -1 ;;
        *) diff -u "$a" "$b" | head -40 ;;
      esac
    fi
  done <"$work/$k-real.files"
  echo "kbuild $k: ${#mods[@]} directories, $nko modules, $nsym exports;" \
       "$same files identical, $differ differ (.mod.c, Module.symvers, .ko, objects, logs)"
done
exit $fail
