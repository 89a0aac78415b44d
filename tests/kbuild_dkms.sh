#!/usr/bin/env bash
# `modforge dkms build` against the real `dkms build` (Debian's dkms 3.0.10, scripts/setup.sh
# installs it) on the six DKMS packages of tests/corpus/fetch-dkms.sh, for both Debian trees.
# The real dkms runs with its trees moved under the work dir (--dkmstree, --sourcetree,
# --installtree, --kernelsourcedir; signing off: sign_file names no file), so nothing of the
# system's /var/lib/dkms or /lib/modules is touched. For each package:
#  1. real dkms builds it for 6.1, then for 6.12 (dkms tree ROOT/<release>, as ours uses);
#     the root is moved aside; `modforge dkms build -O ROOT` builds it for both trees at once,
#     so both build at the same paths (kbuild_lib.sh: why the paths must be the same);
#  2. per kernel: built by both or failed with both (failures: the same first compiler error);
#     the same modules; every module dkms made (module/<name>.ko, stripped; .ko.xz where the
#     kernel's modules are) byte-identical to ours (6.12: .BTF may differ, as between two make
#     runs: Debian's pahole 1.24 with -j, see kbuild_make_repro.sh; counted and shown);
#  3. every module ours built is reported loadable by our emulated kernel (with the kernel
#     modules it needs, from the kernel's shipped modules), or refused only by its own init
#     function's constant return (xt_DNETMAP on 6.1); the exit code is 2 when a kernel's
#     build failed, else 3 when a module does not load, else 0;
#  4. a second `modforge dkms build` of a package it builds itself rebuilds nothing.
# Prints per package and kernel: built/failed/loadable, and the times of the real dkms (both
# kernels one after the other) against ours (both at once).
# Usage: kbuild_dkms.sh MODFORGE SOURCE_DIR
# Env: KB_JOBS (default 2: -j of each build, real and ours), KB_ONLY (extended regex over the
#      package names), MODFORGE_KEEP=1 (keep the work dir).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tier_lib.sh"
tier_args MODFORGE "$@"
modforge=$tool
source "$here/kbuild_lib.sh"
kb_need_tools dkms make xz strip readelf objcopy cmp
jobs=${KB_JOBS:-2}

trees=(/usr/src/linux-headers-6.1.0-56-amd64 /usr/src/linux-headers-6.12.117+deb12-amd64)
rels=() mods=()
for t in "${trees[@]}"; do
  [ -d "$t" ] || { echo "FAIL: headers tree $t missing (run scripts/setup.sh)"; exit 1; }
  r=$(kb_kver "$t")
  rels+=("$r")
  # the kernel's shipped modules, for the load check: kernel-oracle.sh's unpacked image, else
  # the installed one
  m=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}/$r/lib/modules/$r
  [ -d "$m/kernel" ] || m=/lib/modules/$r
  [ -d "$m/kernel" ] || { echo "FAIL: no shipped modules of $r (run scripts/setup.sh: kernel-oracle.sh --setup)"; exit 1; }
  mods+=(--modules "$m")
done

kb_dkms_manifest
work=$(mktemp -d /tmp/modforge-kbuild-dkms.XXXXXX)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
export MODFORGE_KBUILD_CACHE=$work/cache
root=$work/t

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
first_error() { grep -m1 -i -E 'error:|fatal:' "$1" 2>/dev/null || true; }

fail=0
table=()
total_real=0 total_ours=0 btf_only=0 identical=0
t_start=$(now)
while IFS=$'\t' read -r pkg bdir _ _; do
  [ -z "${KB_ONLY:-}" ] || [[ $pkg =~ $KB_ONLY ]] || continue
  srcs=("$KB_DKMS_CACHE/x/$pkg"/usr/src/*/)
  srcdir=${srcs[0]%/}
  b=${bdir#dkms/}; name=${b%%/*}; b=${b#*/}; ver=${b%%/*}

  # 1. the real dkms, one kernel after the other
  rm -rf "$root" "$root.dkms"
  declare -A real_rc=()
  t0=$(now)
  for i in "${!trees[@]}"; do
    r=${rels[i]}
    mkdir -p "$root/$r"
    set +e
    sign_file=/nonexistent dkms --dkmstree "$root/$r" --sourcetree "${srcdir%/*}" --installtree "$work/inst" \
      --kernelsourcedir "${trees[i]}" -k "$r" -j "$jobs" build -m "$name" -v "$ver" >"$work/dkms-$pkg-$r.out" 2>&1
    real_rc[$r]=$?
    set -e
  done
  t_real=$(since "$t0")
  kb_stash "$root" dkms

  # ours, both kernels at once
  t0=$(now)
  set +e
  "$modforge" dkms build "$srcdir" --kernel "${trees[0]}" --kernel "${trees[1]}" -O "$root" -j "$jobs" "${mods[@]}" \
    >"$work/ours-$pkg.out" 2>"$work/ours-$pkg.err"
  ours_rc=$?
  set -e
  t_ours=$(since "$t0")
  total_real=$(awk -v a="$total_real" -v b="$t_real" 'BEGIN { print a + b }')
  total_ours=$(awk -v a="$total_ours" -v b="$t_ours" 'BEGIN { print a + b }')
  if [ -s "$work/ours-$pkg.err" ]; then
    echo "FAIL $pkg: modforge dkms build wrote on stderr:"; head -5 "$work/ours-$pkg.err"; fail=1
  fi

  # 2. and 3., per kernel
  any_failed= any_unloadable=
  for r in "${rels[@]}"; do
    line=$(grep -m1 "^$r: $name $ver: " "$work/ours-$pkg.out" || true)
    [ -n "$line" ] || { echo "FAIL $pkg $r: no report line:"; cat "$work/ours-$pkg.out"; fail=1; continue; }
    case $line in
      *": built by modforge in "*) ours_state=built how=driver ;;
      *": built through bash "*) ours_state=built how=bash ;;
      *": build failed ("*) ours_state=failed how=$(sed -E 's/.*: build failed \(([a-z]+),.*/\1/' <<<"$line") ;;
      *) ours_state=other how=- ;;
    esac
    [ "${real_rc[$r]}" = 0 ] && real_state=built || real_state=failed
    if [ "$ours_state" != "$real_state" ]; then
      echo "FAIL $pkg $r: dkms: $real_state (exit ${real_rc[$r]}), ours: $line"
      tail -5 "$work/dkms-$pkg-$r.out" | sed 's/^/    dkms: /'
      fail=1
    fi
    mdir=$name/$ver/$r/x86_64/module
    if [ "$real_state" = failed ] && [ "$ours_state" = failed ]; then
      any_failed=1
      a=$(first_error "$root.dkms/$r/$name/$ver/build/make.log") o=$(first_error "$root/$r/$name/$ver/$r/x86_64/log/make.log")
      # with -j the first of several errors depends on the order the compiles end in: the
      # first error of each log must be an error of the other log
      if [ -z "$a" ] || [ -z "$o" ] || ! { grep -Fxq -- "$o" "$root.dkms/$r/$name/$ver/build/make.log" ||
                                           grep -Fxq -- "$a" "$root/$r/$name/$ver/$r/x86_64/log/make.log"; }; then
        echo "FAIL $pkg $r: first errors differ:"; echo "    dkms: $a"; echo "    ours: $o"; fail=1
      fi
      table+=("$(printf '%-20s %-22s %-8s %-7s %s' "$pkg" "$r" failed "$how" "${a:0:90}")")
      continue
    fi
    [ "$ours_state" = built ] || continue
    # the same modules, byte for byte
    real_set=$(cd "$root.dkms/$r/$mdir" && ls | sed 's/\.ko\(\.xz\|\.zst\|\.gz\)\?$//' | sort)
    ours_set=$(cd "$root/$r/$mdir" && ls | sed 's/\.ko$//' | sort)
    if [ "$real_set" != "$ours_set" ]; then
      echo "FAIL $pkg $r: modules differ: dkms [$(echo $real_set)], ours [$(echo $ours_set)]"; fail=1
    fi
    n=0 nload=0 nbtf=0 ninit=0
    for m in $real_set; do
      f=$(ls "$root.dkms/$r/$mdir/$m".ko*)
      case $f in
        *.xz) xz -dc "$f" >"$work/real.ko" ;;
        *.zst) zstd -qdc "$f" >"$work/real.ko" ;;
        *.gz) gzip -dc "$f" >"$work/real.ko" ;;
        *) cp "$f" "$work/real.ko" ;;
      esac
      ours=$root/$r/$mdir/$m.ko
      [ -f "$ours" ] || continue
      n=$((n + 1))
      if cmp -s "$work/real.ko" "$ours"; then
        identical=$((identical + 1))
      else
        d=$(kb_section_diff "$work/real.ko" "$ours")
        if [ "$d" = .BTF ] && [[ $r == 6.12.* ]] && kb_same_without_btf "$work/real.ko" "$ours"; then
          nbtf=$((nbtf + 1)) btf_only=$((btf_only + 1))
        else
          echo "FAIL $pkg $r: $m.ko differs from dkms's, sections: $d"; fail=1
        fi
      fi
      v=$(grep -m1 "^$r: $m: built " "$work/ours-$pkg.out" || true)
      case $v in
        *": loads"*) nload=$((nload + 1)) ;;
        *": does not load: its init function returns "*)
          # every check of the kernel passes; the module's own init fails (xt_DNETMAP on 6.1:
          # built without CONFIG_NF_NAT support, its init is `return -EINVAL`; kbuild_compare
          # shows the real kernel under qemu refusing it the same way)
          ninit=$((ninit + 1)) any_unloadable=1
          echo "$pkg $r: ${v##*: does not load: }" | sed "s/^/note: $m: /" ;;
        *) echo "FAIL $pkg $r: $m is not reported loadable: ${v:-no report line}"; fail=1 ;;
      esac
    done
    [ "$n" -gt 0 ] || { echo "FAIL $pkg $r: dkms built, no module compared"; fail=1; }
    table+=("$(printf '%-20s %-22s %-8s %-7s %d modules, %d identical to dkms (%d differ only in .BTF), %d loadable, %d whose init fails' \
      "$pkg" "$r" built "$how" "$n" "$((n - nbtf))" "$nbtf" "$nload" "$ninit")")
  done
  want=0; [ -z "$any_unloadable" ] || want=3; [ -z "$any_failed" ] || want=2
  [ "$ours_rc" = "$want" ] || { echo "FAIL $pkg: modforge dkms build exited $ours_rc, expected $want"; fail=1; }

  # 4. a package the driver built: a second run finds nothing to do on the kernels it built
  # (a failed build runs its failing commands again, as make does)
  built_rels=()
  for r in "${rels[@]}"; do grep -q "^$r: $name $ver: built by modforge in " "$work/ours-$pkg.out" && built_rels+=("$r"); done
  if [ ${#built_rels[@]} -gt 0 ]; then
    snap() { local r; for r in "${built_rels[@]}"; do find "$root/$r/$name/$ver/build" -type f -printf '%p %T@\n'; done | sort; }
    built_lines() { local r; for r in "${built_rels[@]}"; do grep "^$r: " "$1" | sed -E 's/[0-9]+\.[0-9] s//g'; done; }
    before=$(snap)
    t0=$(now)
    "$modforge" dkms build "$srcdir" --kernel "${trees[0]}" --kernel "${trees[1]}" -O "$root" -j "$jobs" "${mods[@]}" \
      >"$work/again-$pkg.out" 2>&1 || true
    t_again=$(since "$t0")
    if [ "$(snap)" != "$before" ]; then
      echo "FAIL $pkg: the second build changed the build directory:"; { diff <(echo "$before") <(snap) || true; } | head -5; fail=1
    fi
    if [ "$(built_lines "$work/ours-$pkg.out")" != "$(built_lines "$work/again-$pkg.out")" ]; then
      echo "FAIL $pkg: the second build reported otherwise:"; { diff "$work/ours-$pkg.out" "$work/again-$pkg.out" || true; } | head -6; fail=1
    fi
    table+=("$(printf '%-20s second run (nothing changed, %s): %s s' "$pkg" "${built_rels[*]}" "$t_again")")
  fi
  table+=("$(printf '%-20s time: real dkms 6.1 then 6.12 %s s, modforge dkms build both at once %s s' "$pkg" "$t_real" "$t_ours")")
  rm -rf "$root" "$root.dkms" "$work/inst"
done <"$KB_DKMS_MANIFEST"

printf '%s\n' "${table[@]}"
echo "all packages: real dkms $total_real s, modforge dkms build $total_ours s; $identical .ko identical, $btf_only differ only in .BTF (6.12); test $(since "$t_start") s"
[ ${#table[@]} -gt 0 ] || { echo "FAIL: no package"; fail=1; }
[ $fail = 0 ] && echo "PASS" || { echo "FAIL"; exit 1; }
