#!/usr/bin/env bash
# Fetches the six Debian 12 DKMS packages of issue 11 and works out, from each one's own
# dkms.conf and Makefile, the `make -C <tree> M=<dir> VAR=VALUE ... modules` call that DKMS
# ends up making, so the kbuild tests can make the same call (and our driver the same build).
#
# For each package: `apt-get download` into $cache/debs, `dpkg -x` into $cache/x/<pkg>, then
# for each Debian headers tree, as dkms 3.0.10 (Debian 12) does in read_conf/prepare_build/
# actual_build:
#   - copy usr/src/<module>-<version>/ to <dkms_tree>/<PACKAGE_NAME>/<PACKAGE_VERSION>/build,
#   - source dkms.conf in a subshell with kernelver, arch, kernel_source_dir, dkms_tree,
#     source_tree set, take MAKE[0] (or dkms' default make line),
#   - prefix it as dkms does (`make` -> `make KERNELRELEASE=$kernelver`; dkms' -jN is left
#     out: it selects no variable) and run it in the build dir with `make` on PATH being a
#     recorder: a make call whose -C is the kernel tree is recorded (argv and the MAKEFLAGS it
#     inherited: command-line variables of an outer make reach kbuild that way) and not run;
#     any other make call (a package's wrapper Makefile) runs the real make, so the wrapper's
#     own steps run too (openvpn-dco's `config` writes compat-autoconf.h).
# The recorded call is turned into: the M= directory relative to the build dir, and every
# variable kbuild gets, with the build dir written @SRC@, the tree @TREE@ and the kernel
# release @KVER@. Both trees must give the same line and the same prepared build dir, which is
# kept as $cache/dkms/<PACKAGE_NAME>/<PACKAGE_VERSION>/build.
#
# Not carried over: dkms exports CC from the tree's .kernelvariables; kbuild assigns CC in the
# tree's Makefile, which overrides the environment, so it changes nothing there. dkms would
# add CC=clang/LD=ld.lld for a clang-built tree; both Debian trees are gcc-built (checked).
#
# Output: $cache/manifest.tsv, also printed on stdout, one line per package:
#   <package><TAB><prepared build dir, relative to $cache><TAB><module dir, relative to it>
#   <TAB><VAR=VALUE ...> (space-separated; a value never holds whitespace: checked)
# and a readable summary on stderr. Nothing is fetched or recorded again when the manifest
# was made by this same script from the same .deb files (idempotent).
#
# Usage: tests/corpus/fetch-dkms.sh
# Env: MODFORGE_DKMS_CACHE (default ~/.cache/modforge-dkms),
#      MODFORGE_DKMS_TREES (space-separated headers trees; default both Debian trees).
set -euo pipefail

cache=${MODFORGE_DKMS_CACHE:-$HOME/.cache/modforge-dkms}
read -r -a trees <<<"${MODFORGE_DKMS_TREES:-/usr/src/linux-headers-6.1.0-56-amd64 /usr/src/linux-headers-6.12.117+deb12-amd64}"
pkgs=(v4l2loopback-dkms acpi-call-dkms openvpn-dco-dkms evdi-dkms gost-crypto-dkms xtables-addons-dkms)
manifest=$cache/manifest.tsv
real_make=$(command -v make) || { echo "fetch-dkms: make is missing (run scripts/setup.sh)" >&2; exit 1; }
die() { echo "fetch-dkms: $*" >&2; exit 1; }

for t in "${trees[@]}"; do
  [ -f "$t/include/generated/utsrelease.h" ] || die "headers tree $t missing (run scripts/setup.sh)"
done

# --- download and unpack -------------------------------------------------------------------
mkdir -p "$cache/debs"
missing=()
for p in "${pkgs[@]}"; do compgen -G "$cache/debs/${p}_*.deb" >/dev/null || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  # apt-get download writes into the current directory.
  if ! (cd "$cache/debs" && apt-get download "${missing[@]}"); then
    apt-get update -qq
    (cd "$cache/debs" && apt-get download "${missing[@]}")
  fi
fi
debs=()
for p in "${pkgs[@]}"; do
  d=("$cache/debs/${p}"_*.deb)
  [ ${#d[@]} -eq 1 ] || die "expected one $p .deb in $cache/debs, found: ${d[*]}"
  debs+=("${d[0]}")
done

# The manifest is current when this script, the trees and the .deb files are what made it.
stamp=$( { sha256sum "$0" | cut -d' ' -f1; printf '%s\n' "${trees[@]}"; sha256sum "${debs[@]}" | cut -d' ' -f1; } | sha256sum | cut -d' ' -f1)
if [ -f "$manifest" ] && [ "$(cat "$cache/manifest.stamp" 2>/dev/null)" = "$stamp" ]; then
  ok=1
  while IFS=$'\t' read -r _ b _ _; do [ -d "$cache/$b" ] || ok=; done <"$manifest"
  if [ -n "$ok" ]; then cat "$manifest"; exit 0; fi
fi
rm -f "$manifest" "$cache/manifest.stamp"

for i in "${!pkgs[@]}"; do
  x=$cache/x/${pkgs[i]}
  if [ ! -f "$x/.unpacked" ]; then
    rm -rf "$x" && mkdir -p "$x"
    dpkg -x "${debs[i]}" "$x"
    touch "$x/.unpacked"
  fi
done

# --- the recorder ----------------------------------------------------------------------------
tmp=$cache/tmp
rm -rf "$tmp" && mkdir -p "$tmp/bin"
cat >"$tmp/bin/make" <<'EOF'
#!/usr/bin/env bash
# make on PATH while a dkms MAKE line runs: records a call into the kernel tree, runs any other.
set -euo pipefail
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  d=
  case ${args[i]} in
    -C) d=${args[i + 1]:-} ;;
    -C?*) d=${args[i]#-C} ;;
    --directory=*) d=${args[i]#--directory=} ;;
  esac
  if [ -n "$d" ] && [ "$(realpath -m "$d")" = "$(realpath -m "$FETCH_DKMS_TREE")" ]; then
    [ ! -e "$FETCH_DKMS_REC.args" ] || { echo "fetch-dkms recorder: a second kbuild call" >&2; exit 1; }
    printf '%s\0' "$@" >"$FETCH_DKMS_REC.args"
    printf '%s' "${MAKEFLAGS:-}" >"$FETCH_DKMS_REC.makeflags"
    exit 0
  fi
done
exec -a make "$FETCH_DKMS_REAL_MAKE" "$@"
EOF
chmod +x "$tmp/bin/make"

# split_makeflags STRING: the command-line variables in a MAKEFLAGS value (after " -- ", split
# at unescaped spaces, make's backslash escapes undone), one per line.
split_makeflags() {
  local s=$1 out='' c='' i=0 esc=''
  case $s in
    *' -- '*) s=${s#*' -- '} ;;
    '-- '*) s=${s#'-- '} ;;
    *) return 0 ;;
  esac
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    if [ -n "$esc" ]; then out+=$c; esc=
    elif [ "$c" = '\' ]; then esc=1
    elif [ "$c" = ' ' ]; then [ -z "$out" ] || printf '%s\n' "$out"; out=
    else out+=$c
    fi
  done
  [ -z "$out" ] || printf '%s\n' "$out"
}

# record PKG_SRC TREE SCRATCH: sets $rec_name $rec_version $rec_build, $rec_make (the make
# command dkms runs, with placeholders) and $rec_line (the manifest fields after the package and
# build dir) for one tree.
record() {
  local src=$1 tree=$2 scratch=$3
  local kver
  kver=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$tree/include/generated/utsrelease.h")
  [ -n "$kver" ] || die "no UTS_RELEASE in $tree"
  if grep -qE '^CONFIG_(CC_IS_CLANG|LD_IS_LLD)=y' "$tree/.config"; then
    die "$tree is clang/lld-built: dkms would add CC=clang/LD=ld.lld, which this script does not"
  fi
  local base=${src%/}; base=${base##*/}
  # dkms_tree/source_tree as dkms sets them: the build dir is derived from PACKAGE_NAME/VERSION.
  local conf
  conf=$(
    kernelver=$kver arch=x86_64 kernel_source_dir=$tree dkms_tree=$scratch/dkms
    source_tree=$scratch/src kernel_config=$tree/.config
    # shellcheck disable=SC1091
    set +eu; source "$src/dkms.conf" >/dev/null; set -eu
    [ -z "${MAKE_MATCH[*]:-}" ] || { echo "MAKE_MATCH is not supported" >&2; exit 1; }
    printf '%s\n%s\n' "$PACKAGE_NAME" "$PACKAGE_VERSION"
  )
  rec_name=$(sed -n 1p <<<"$conf") rec_version=$(sed -n 2p <<<"$conf")
  [ -n "$rec_name" ] && [ -n "$rec_version" ] || die "$src/dkms.conf: no PACKAGE_NAME/PACKAGE_VERSION"
  rec_build=$scratch/dkms/$rec_name/$rec_version/build
  mkdir -p "$rec_build" && cp -a "$src/." "$rec_build/"
  local make_command
  make_command=$(
    kernelver=$kver arch=x86_64 kernel_source_dir=$tree dkms_tree=$scratch/dkms
    source_tree=$scratch/src kernel_config=$tree/.config
    set +eu; source "$src/dkms.conf" >/dev/null; set -eu
    mc=${MAKE[0]:-}
    [ -n "$mc" ] || mc="make -C $kernel_source_dir M=$dkms_tree/$PACKAGE_NAME/$PACKAGE_VERSION/build"
    printf '%s' "$mc"
  )
  local the_make_command="${make_command/#make/make KERNELRELEASE=$kver}"
  rec_make=${the_make_command//"$rec_build"/@SRC@}; rec_make=${rec_make//"$tree"/@TREE@}
  rec_make=${rec_make//"$kver"/@KVER@}
  local rec=$scratch/rec
  rm -f "$rec".*
  # dkms runs it with eval, in the build dir, from a shell that is not inside a make.
  if ! (cd "$rec_build" && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS PATH="$tmp/bin:$PATH" \
        FETCH_DKMS_TREE="$tree" FETCH_DKMS_REC="$rec" FETCH_DKMS_REAL_MAKE="$real_make" \
        bash -c "eval \"\$1\"" _ "$the_make_command") >"$scratch/make.log" 2>&1; then
    cat "$scratch/make.log" >&2; die "$base: the dkms MAKE line failed for $tree: $the_make_command"
  fi
  [ -f "$rec.args" ] || { cat "$scratch/make.log" >&2; die "$base: the MAKE line made no call into $tree: $the_make_command"; }

  # Explicit arguments win over the inherited command-line variables (make reads MAKEFLAGS first).
  local -a argv inherited vars=() targets=()
  mapfile -d '' -t argv <"$rec.args"
  mapfile -t inherited < <(split_makeflags "$(cat "$rec.makeflags")")
  local -A explicit=()
  local a m= i
  for ((i = 0; i < ${#argv[@]}; i++)); do
    a=${argv[i]}
    case $a in
      -C) i=$((i + 1)) ;;
      -C?* | --directory=*) ;;
      -j* | -s | -w | --no-print-directory | --silent | --quiet) ;;
      -*) die "$base: unexpected make option $a in: ${argv[*]}" ;;
      *=*) explicit[${a%%=*}]=1 ;;
      *) targets+=("$a") ;;
    esac
  done
  for a in "${inherited[@]}"; do
    [ -n "${explicit[${a%%=*}]:-}" ] || vars+=("$a")
  done
  for a in "${argv[@]}"; do
    case $a in -*) ;; *=*) vars+=("$a") ;; esac
  done
  [ "${targets[*]:-modules}" = modules ] || die "$base: kbuild targets '${targets[*]}', expected modules"
  local -a kept=()
  for a in "${vars[@]}"; do
    case $a in M=*) m=${a#M=} ;; *) kept+=("$a") ;; esac
  done
  [ -n "$m" ] || die "$base: no M= in the kbuild call: ${argv[*]}"
  m=$(realpath -m "$m")
  local b; b=$(realpath -m "$rec_build")
  case $m in "$b") m=. ;; "$b"/*) m=${m#"$b"/} ;; *) die "$base: M=$m is outside the build dir $b" ;; esac
  local line=$m out=
  for a in "${kept[@]}"; do
    a=${a//"$b"/@SRC@}; a=${a//"$rec_build"/@SRC@}; a=${a//"$tree"/@TREE@}; a=${a//"$kver"/@KVER@}
    [[ $a != *[[:space:]]* ]] || die "$base: variable with whitespace: $a"
    [[ $a != *"$cache"* ]] || die "$base: a variable still names the cache: $a"
    out+="${out:+ }$a"
  done
  rec_line="$line"$'\t'"$out"
}

tmpman=$tmp/manifest.tsv
: >"$tmpman"
for i in "${!pkgs[@]}"; do
  p=${pkgs[i]}
  srcs=("$cache/x/$p"/usr/src/*/)
  [ ${#srcs[@]} -eq 1 ] && [ -f "${srcs[0]}dkms.conf" ] || die "$p: expected one usr/src/<dir>/dkms.conf, found ${srcs[*]}"
  first= firstbuild=
  for j in "${!trees[@]}"; do
    scratch=$tmp/rec-$i-$j
    rm -rf "$scratch" && mkdir -p "$scratch"
    record "${srcs[0]}" "${trees[j]}" "$scratch"
    if [ -z "$first" ]; then
      first=$rec_line firstbuild=$rec_build
    else
      [ "$rec_line" = "$first" ] || die "$p: the trees give different calls:"$'\n'"  $first"$'\n'"  $rec_line"
      # The wrapper's own steps (not kbuild's) must leave the same files for every tree.
      diff -r "$firstbuild" "$rec_build" >&2 || die "$p: the MAKE line's own steps differ between trees"
    fi
  done
  keep=dkms/$rec_name/$rec_version/build
  rm -rf "${cache:?}/dkms/$rec_name/$rec_version"
  mkdir -p "$cache/dkms/$rec_name/$rec_version"
  mv "$firstbuild" "$cache/$keep"
  added=$(cd "$cache/$keep" && find . -type f | sort | while read -r f; do [ -e "${srcs[0]}$f" ] || printf ' %s' "${f#./}"; done)
  printf '%s\t%s\t%s\n' "$p" "$keep" "$first" >>"$tmpman"
  mdir=${first%%$'\t'*}; [ "$mdir" = . ] && mdir= || mdir=/$mdir
  {
    echo "$p: source ${srcs[0]#"$cache/"}"
    echo "  dkms MAKE[0] (as dkms runs it, $rec_name $rec_version): $rec_make"
    echo "  kbuild: make -C @TREE@ M=@SRC@$mdir ${first#*$'\t'} modules"
    [ -z "$added" ] || echo "  written by the MAKE line's own steps:$added"
  } >&2
done
mv "$tmpman" "$manifest"
echo "$stamp" >"$cache/manifest.stamp"
rm -rf "$tmp"
cat "$manifest"
