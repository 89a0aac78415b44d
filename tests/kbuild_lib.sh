# shellcheck shell=bash
# Functions for the tests that build external modules with the real kbuild and compare what
# two builds wrote (make against make, our driver against make). Source it after
# `set -euo pipefail`.
#
# The same-path rule. kbuild writes the module directory's absolute path into the .cmd files,
# the DWARF (comp_dir, line tables) and hence the linker's build id, so two builds can only be
# compared byte for byte when both ran in the SAME absolute directory. A test therefore:
#   kb_copy SRC $root/P; kb_make TREE $root/P ...   # build A at P
#   kb_stash $root A                                # move the whole root aside (to $root.A)
#   kb_copy SRC $root/P; <build B at P>             # build B at the same P
#   kb_compare $root.A/P $root/P                    # same relative outputs, compared
# Move the whole work root, not single module directories, when modules refer to each other
# by relative path (KBUILD_EXTRA_SYMBOLS := $(src)/../other/Module.symvers).
#
# Env: KB_JOBS (make -j, default 2: the machines have 2 shared cores).

kb_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kb_repo=$(cd "$kb_lib_dir/.." && pwd)

# kb_copy SRC DST: DST becomes a fresh copy of the module source directory SRC.
kb_copy() {
  local src=$1 dst=$2
  [ -d "$src" ] || { echo "kb_copy: no directory $src" >&2; return 1; }
  rm -rf "$dst" && mkdir -p "$dst" && cp -a "$src/." "$dst/"
}

# kb_stash ROOT TAG: moves the directory ROOT to ROOT.TAG (replacing an older one), so the
# next build can run at the same paths.
kb_stash() {
  local root=${1%/} tag=$2
  rm -rf "$root.$tag" && mv "$root" "$root.$tag"
}

# kb_make [--cwd D] TREE DIR [VAR=VALUE...]: make -C TREE M=DIR VAR... -j$KB_JOBS modules, run
# from the directory D (default DIR), as `cd D && make -C TREE M=...` would: the environment's
# PWD is D, and some Makefiles read it (gost-crypto's `ccflags-y := -I $(PWD)`; DKMS runs
# its MAKE line from the package's build dir). Its stdout, stderr and exit code go to
# DIR.make.out, DIR.make.err, DIR.make.rc (beside DIR, outside the outputs; they move with the
# root), named in $KB_OUT $KB_ERR $KB_RC_FILE; $KB_RC holds the exit code, which is also the
# return value. A MAKEFLAGS/MAKELEVEL from a make that runs the test is dropped: its jobserver
# and variables are not part of the build.
kb_make() {
  local cwd=
  if [ "$1" = --cwd ]; then cwd=$2; shift 2; fi
  local tree=$1 dir=${2%/}
  shift 2
  KB_OUT=$dir.make.out KB_ERR=$dir.make.err KB_RC_FILE=$dir.make.rc
  KB_RC=0
  (cd "${cwd:-$dir}" && exec env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS nice make -C "$tree" M="$dir" "$@" -j"${KB_JOBS:-2}" modules) \
    >"$KB_OUT" 2>"$KB_ERR" || KB_RC=$?
  echo "$KB_RC" >"$KB_RC_FILE"
  return "$KB_RC"
}

# kb_outputs DIR: the files kbuild writes under DIR, recursively, relative and sorted: every
# *.o, *.ko, *.mod, *.mod.c, .*.cmd, Module.symvers, modules.order, and .*.d leftovers.
kb_outputs() {
  (cd "$1" && find . -type f \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
      -o -name '.*.cmd' -o -name Module.symvers -o -name modules.order -o -name '.*.d' \) \
      -printf '%P\n' | LC_ALL=C sort)
}

# kb_unlisted SRC DIR: files under DIR that are neither in the source SRC nor in kb_outputs, nor
# kb_make's logs: something kbuild wrote that the comparison would miss.
kb_unlisted() {
  local src=$1 dir=$2
  (cd "$dir" && find . -type f -printf '%P\n') | LC_ALL=C sort |
    LC_ALL=C comm -23 - <(kb_outputs "$dir") |
    while IFS= read -r f; do
      [ -e "$src/$f" ] || case $f in *.make.out | *.make.err | *.make.rc) ;; *) echo "$f" ;; esac
    done
}

# kb_is_elf FILE: true for an ELF file.
kb_is_elf() {
  [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]
}

# kb_sections FILE: one line per section (the null one left out): name (a repeated name gets
# #2, #3...), type, file offset and size (hex, as readelf prints them), tab-separated.
kb_sections() {
  LC_ALL=C readelf -SW "$1" | awk '
    /^ *\[ *[0-9]+\]/ {
      line = $0; sub(/^ *\[ *[0-9]+\] */, "", line)
      n = split(line, f, /[ \t]+/)
      if (f[1] == "NULL" && f[2] ~ /^0+$/) next      # section 0: no name
      name = f[1]; seen[name]++
      if (seen[name] > 1) name = name "#" seen[name]
      printf "%s\t%s\t%s\t%s\n", name, f[2], f[4], f[5]
    }'
}

# kb_section_diff A B: the names of the sections whose type, size or bytes differ between two
# ELF files, and of sections in only one of them (as "-NAME"/"+NAME"); "(headers)" when every
# section is equal, so the ELF header or the section table (offsets, flags) makes the difference.
kb_section_diff() {
  local a=$1 b=$2 out=()
  local -A sa=() sb=()
  local name type off size
  while IFS=$'\t' read -r name type off size; do sa[$name]="$type $off $size"; done < <(kb_sections "$a")
  while IFS=$'\t' read -r name type off size; do sb[$name]="$type $off $size"; done < <(kb_sections "$b")
  local ta oa za tb ob zb
  for name in "${!sa[@]}"; do
    [ -n "${sb[$name]+x}" ] || { out+=("-$name"); continue; }
    read -r ta oa za <<<"${sa[$name]}"
    read -r tb ob zb <<<"${sb[$name]}"
    if [ "$ta" != "$tb" ] || [ $((16#$za)) -ne $((16#$zb)) ]; then out+=("$name"); continue; fi
    [ "$ta" != NOBITS ] || continue
    cmp -s -i "$((16#$oa)):$((16#$ob))" -n "$((16#$za))" "$a" "$b" || out+=("$name")
  done
  for name in "${!sb[@]}"; do [ -n "${sa[$name]+x}" ] || out+=("+$name"); done
  [ ${#out[@]} -gt 0 ] || out=("(headers)")
  printf '%s\n' "${out[@]}" | LC_ALL=C sort | paste -sd' '
}

# kb_same_without_btf A B: true when the two ELF files are identical once .BTF is removed
# (objcopy rewrites both the same way, so nothing but .BTF's bytes and their layout is dropped).
kb_same_without_btf() {
  local t r=0
  t=$(mktemp -d)
  objcopy --remove-section=.BTF "$1" "$t/a" && objcopy --remove-section=.BTF "$2" "$t/b" || {
    rm -rf "$t"; echo "kb_same_without_btf: objcopy failed on $1 or $2" >&2; return 2; }
  cmp -s "$t/a" "$t/b" || r=1
  rm -rf "$t"
  return $r
}

# kb_compare DIR_A DIR_B: compares kb_outputs of two builds made at the same path (see the top
# of this file) byte for byte. Prints one line per difference:
#   only-in-a FILE | only-in-b FILE | differs FILE [sections: ...] [without .BTF: identical|differs]
# (the section list for ELF files, the .BTF check for .ko files that have a .BTF section), then,
# for a differing text file, the first lines of its word-by-word diff, indented. Returns 1 when anything
# differs, 0 when every output is identical.
kb_compare() {
  local a=$1 b=$2 r=0 f line
  while IFS= read -r line; do
    case $line in
      $'\t'*) echo "only-in-b ${line#$'\t'}" ;;
      *) echo "only-in-a $line" ;;
    esac
    r=1
  done < <(LC_ALL=C comm <(kb_outputs "$a") <(kb_outputs "$b") | grep -v $'^\t\t' || true)
  while IFS= read -r f; do
    [ -e "$a/$f" ] && [ -e "$b/$f" ] || continue
    cmp -s "$a/$f" "$b/$f" && continue
    r=1
    line="differs $f"
    if kb_is_elf "$a/$f" && kb_is_elf "$b/$f"; then
      line+=" sections: $(kb_section_diff "$a/$f" "$b/$f")"
      if [[ $f == *.ko ]] && kb_sections "$a/$f" | grep -q $'^\.BTF\t'; then
        if kb_same_without_btf "$a/$f" "$b/$f"; then line+=" without .BTF: identical"
        else line+=" without .BTF: differs"; fi
      fi
      echo "$line"
    else
      echo "$line"
      # Word by word: a .cmd file is one long command line.
      diff <(tr ' ' '\n' <"$a/$f") <(tr ' ' '\n' <"$b/$f") 2>&1 | head -n 6 | cut -c1-200 |
        sed 's/^/    /' || true
    fi
  done < <(kb_outputs "$a")
  return $r
}

# --- the module list (tests/kbuild-modules.txt) --------------------------------------------
# Each line: a directory relative to the repository, or dkms:<package> (one of
# tests/corpus/fetch-dkms.sh), then optional VAR=VALUE words; '#' starts a comment.

# kb_module_lines [FILE]: the non-comment lines of the module list, trimmed.
kb_module_lines() {
  sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' \
    "${1:-$kb_repo/tests/kbuild-modules.txt}"
}

# kb_kver TREE: the tree's kernel release (UTS_RELEASE: the name DKMS gives it, $kernelver).
kb_kver() {
  sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h"
}

# kb_dkms_manifest: runs tests/corpus/fetch-dkms.sh once (a no-op when its cache is current)
# and sets $KB_DKMS_CACHE and $KB_DKMS_MANIFEST.
kb_dkms_manifest() {
  [ -z "${KB_DKMS_MANIFEST:-}" ] || return 0
  KB_DKMS_CACHE=${MODFORGE_DKMS_CACHE:-$HOME/.cache/modforge-dkms}
  MODFORGE_DKMS_CACHE=$KB_DKMS_CACHE "$kb_repo/tests/corpus/fetch-dkms.sh" >/dev/null ||
    { echo "kb_dkms_manifest: tests/corpus/fetch-dkms.sh failed" >&2; return 1; }
  KB_DKMS_MANIFEST=$KB_DKMS_CACHE/manifest.tsv
}

# kb_resolve LINE ROOT TREE: what to build for one module-list line under the work root ROOT
# with the headers tree TREE. Sets:
#   KB_NAME  the line's first word (the module dir or dkms:<package>)
#   KB_SRC   the source directory to copy (kb_copy "$KB_SRC" "$KB_DST")
#   KB_DST   where it goes: ROOT/<repo-relative dir>, or ROOT/dkms/<name>/<version>/build
#   KB_M     the M= directory (KB_DST or a subdirectory of it)
#   KB_CWD   where make runs (kb_make --cwd): the module dir, or a DKMS package's build dir
#   KB_VARS  array: the package's VAR=VALUE (from fetch-dkms.sh's manifest: @SRC@, @TREE@,
#            @KVER@ replaced), then the line's own
kb_resolve() {
  local line=$1 root=${2%/} tree=$3
  local -a words
  read -r -a words <<<"$line"
  KB_NAME=${words[0]}
  KB_VARS=()
  case $KB_NAME in
    dkms:*)
      kb_dkms_manifest || return 1
      local pkg=${KB_NAME#dkms:} p b m v found=
      while IFS=$'\t' read -r p b m v; do
        [ "$p" = "$pkg" ] || continue
        found=1
        KB_SRC=$KB_DKMS_CACHE/$b KB_DST=$root/$b
        if [ "$m" = . ]; then KB_M=$KB_DST; else KB_M=$KB_DST/$m; fi
        KB_CWD=$KB_DST
        local kver w
        kver=$(kb_kver "$tree")
        [ -n "$kver" ] || { echo "kb_resolve: no UTS_RELEASE in $tree" >&2; return 1; }
        for w in $v; do
          w=${w//@SRC@/$KB_DST}; w=${w//@TREE@/$tree}; w=${w//@KVER@/$kver}
          KB_VARS+=("$w")
        done
      done <"$KB_DKMS_MANIFEST"
      [ -n "$found" ] || { echo "kb_resolve: $pkg is not in $KB_DKMS_MANIFEST" >&2; return 1; }
      ;;
    kernel:*)
      # a kernel directory of the modpost corpus (tests/corpus/kernel-dirs.sh, sourced by the
      # caller with KB_KERNEL_DIRS set to where the prepared sources go): the whole prepared
      # tree is copied, since some sources include files of other directories by relative path
      local d=${KB_NAME#kernel:} ver
      case $(cat "$tree/include/config/kernel.release") in 6.1.*) ver=6.1 ;; 6.12.*) ver=6.12 ;; *) return 1 ;; esac
      KB_SRC=$(kernel_dirs_root "$ver" "${KB_KERNEL_DIRS:?}") || return 1
      KB_DST=$root/kernel KB_M=$root/kernel/$d KB_CWD=$root/kernel/$d
      ;;
    *)
      KB_SRC=$kb_repo/$KB_NAME KB_DST=$root/$KB_NAME KB_M=$root/$KB_NAME KB_CWD=$root/$KB_NAME
      [ -d "$KB_SRC" ] || { echo "kb_resolve: no directory $KB_SRC" >&2; return 1; }
      ;;
  esac
  KB_VARS+=("${words[@]:1}")
}

# kb_need_tools TOOL...: each on PATH (or in /sbin, where kmod's tools live), else FAIL and exit.
kb_need_tools() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || [ -x "/sbin/$t" ] || { echo "FAIL: $t is missing (run scripts/setup.sh)"; exit 1; }
  done
}
