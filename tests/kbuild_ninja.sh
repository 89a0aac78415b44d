#!/usr/bin/env bash
# `modforge ninja` and `modforge build --launcher`, for each Debian headers tree, on
# tests/corpus/modpost-modules/load_multi and samples/exporter.  Every build runs at the same
# path on a fresh copy of the sources and is compared with the reference, `modforge build`
# (no launcher) of that copy, moved aside:
#  (a) ninja's build: every file byte-identical; a second `ninja` rebuilds nothing;
#  (b) ninja through ccache, fresh CCACHE_DIR, built twice from clean: byte-identical both
#      times, the first all misses, the second served from the cache (hits == compiles, the
#      compiles counted from the build's own "CC [M]" lines); then `make M=` on that build
#      finds nothing to compile (the .cmd files keep kbuild's own command);
#  (c) ninja through distcc to a distccd this script starts on 127.0.0.1: distccd's log shows
#      every compile (counted the same way), and every file is identical except where distcc
#      cannot be: it compiles the preprocessed text, so with the trees' -g gcc's column
#      numbers of macro-expanded code differ (.debug_info, .debug_line, .debug_abbrev...).
#      Those objects must differ in .debug_* sections only (and the .ko in the linker's
#      build id, a hash over all of it); the script prints the section-level difference.
#      Running kbuild's unchanged command through distcc gives the same difference.
#
# ccache's base_dir rewrites absolute paths under it into relative ones in what it hands the
# compiler, which changes the DWARF paths: it is emptied here (the project's own build sets
# it). KBUILD_BUILD_TIMESTAMP makes 6.12's pahole -j output reproducible (see
# kbuild_modpost.sh).
#
# Usage: kbuild_ninja.sh MODFORGE SOURCE_DIR [6.1|6.12 ...]
set -euo pipefail
source "$(dirname "$0")/tier_lib.sh"
tier_args MODFORGE "$@"
modforge=$tool

for t in ninja ccache distcc distccd python3 make; do
  command -v "$t" >/dev/null || { echo "FAIL: $t is missing (run scripts/setup.sh)"; exit 1; }
done
declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
mods=("$src/tests/corpus/modpost-modules/load_multi" "$src/samples/exporter")
sectiondiff=$src/tests/elf_section_diff.py

work=$(mktemp -d /tmp/kbuild-ninja.XXXXXX)
chmod 755 "$work"  # distccd may run as its own user: it writes the log in here
daemon=
cleanup() {
  [ -z "$daemon" ] || { kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; }
  [ -n "${MODFORGE_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
export MODFORGE_CACHE=$work/cache
export CCACHE_BASEDIR=
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 1970'
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# fresh M: a clean copy of module M's sources at $work/m/<name>.
fresh() { rm -rf "$work/m/${1##*/}" && mkdir -p "$work/m" && cp -r "$1" "$work/m/"; }

# compare REF GOT [debug]: the same files, each byte-identical; with "debug", an object may
# differ in its .debug_* sections (a .ko also in its build id), printed section by section.
compare() {
  local ref=$1 got=$2 mode=${3:-} f
  diff <(cd "$ref" && find . -type f | sort) <(cd "$got" && find . -type f | sort) >/dev/null ||
    { bad "$got: not the same files as $ref"; diff <(cd "$ref" && find . -type f | sort) <(cd "$got" && find . -type f | sort) || true; return; }
  while read -r f; do
    cmp -s "$ref/$f" "$got/$f" && continue
    case "$mode:$f" in
      debug:*.o | debug:*.ko)
        local secs other
        secs=$(python3 "$sectiondiff" "$ref/$f" "$got/$f" | tr '\n' ' ')
        other=$(tr ' ' '\n' <<<"$secs" | grep -Ev '^$|^(\.rela)?\.debug_' | grep -Fvx .note.gnu.build-id || true)
        echo "    $f differs in: $secs"
        [ -z "$other" ] || bad "$got/$f differs outside the debug sections: $other"
        [[ $f == *.ko || -z $(tr ' ' '\n' <<<"$secs" | grep -Fx .note.gnu.build-id) ]] ||
          bad "$got/$f: an object's build id differs"
        ;;
      *) bad "$got/$f differs from $ref/$f" ;;
    esac
  done < <(cd "$ref" && find . -type f | sort)
}

# ninja_build TREE M [modforge ninja options]: writes $work/nb/<name>/build.ninja and runs
# ninja; its output is in $work/out.
ninja_build() {
  local tree=$1 m=$2 n=${2##*/}
  shift 2
  mkdir -p "$work/nb/$n"
  "$modforge" ninja "$work/m/$n" --kernel "$tree" -o "$work/nb/$n/build.ninja" "$@" >/dev/null
  ninja -C "$work/nb/$n" -j2 >"$work/out" 2>&1 || { cat "$work/out"; bad "ninja failed for $m on $tree"; return 1; }
}

compiles() { grep -cE '^  (CC|AS) \[M\] ' "$work/out" || true; }

# (c)'s daemon: on a free port, logging every job.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
: >"$work/distccd.log"
chmod 666 "$work/distccd.log"
distccd --daemon --allow 127.0.0.1 --listen 127.0.0.1 --port "$port" --log-file "$work/distccd.log" \
  --log-level info --no-detach &
daemon=$!
export DISTCC_HOSTS=127.0.0.1:$port DISTCC_DIR=$work/distcc DISTCC_FALLBACK=0  # no fallback: a refused job fails
mkdir -p "$DISTCC_DIR"
for _ in $(seq 50); do grep -q 'listening on' "$work/distccd.log" && break; sleep 0.1; done
grep -q 'listening on' "$work/distccd.log" || { cat "$work/distccd.log"; echo "FAIL: distccd did not start"; exit 1; }

for v in "${versions[@]}"; do
  tree=${trees[$v]}
  echo "== $v ($tree)"
  for m in "${mods[@]}"; do
    n=${m##*/}
    ref=$work/ref/$v/$n
    fresh "$m"
    "$modforge" build "$work/m/$n" --kernel "$tree" -j2 >/dev/null 2>&1 || { bad "modforge build $n ($v)"; continue; }
    mkdir -p "$work/ref/$v" && mv "$work/m/$n" "$ref"

    # (a)
    fresh "$m"
    ninja_build "$tree" "$m" || continue
    compare "$ref" "$work/m/$n"
    ninja -C "$work/nb/$n" -j2 >"$work/out" 2>&1 || bad "second ninja run for $n ($v)"
    ! grep -E '^  [A-Z]+ +(\[M\] )?' "$work/out" || bad "second ninja run rebuilt something ($n, $v)"
    compare "$ref" "$work/m/$n"
    echo "  (a) $n: ninja's build identical to modforge build's; no-op rerun"
    if [ "$n" = load_multi ]; then
      # A Kbuild edit that adds an object: build.ninja rewrites itself and builds it.
      printf 'int lm_extra(void);\nint lm_extra(void) { return 0; }\n' >"$work/m/$n/load_multi_extra.c"
      sed -i 's/load_multi_calc\.o$/load_multi_calc.o load_multi_extra.o/' "$work/m/$n/Kbuild"
      ninja -C "$work/nb/$n" -j2 >"$work/out" 2>&1 || { cat "$work/out"; bad "ninja after the Kbuild edit ($v)"; }
      grep -q 'load_multi_extra\.o' "$work/nb/$n/build.ninja" && grep -q '^  CC \[M\] .*load_multi_extra\.o$' "$work/out" ||
        bad "build.ninja did not follow the Kbuild edit ($v)"
      echo "  (a) $n: build.ninja followed a Kbuild edit (a new object)"
    fi

    # (b)
    export CCACHE_DIR=$work/ccache-$v-$n  # fresh: 6.12's .module-common.o is the same compile for every module
    for round in 1 2; do
      fresh "$m"
      ninja_build "$tree" "$m" --launcher ccache || continue 2
      compare "$ref" "$work/m/$n"
      c=$(compiles)
      read -r hits misses < <(ccache --print-stats |
        awk '$1 ~ /^(direct|preprocessed)_cache_hit$/ {h += $2} $1 == "cache_miss" {m = $2} END {print h + 0, m + 0}')
      echo "  (b) $n round $round: $c compiles, ccache hits $hits, misses $misses (counters since round 1)"
      if [ "$round" = 1 ]; then
        [ "$hits" = 0 ] && [ "$misses" = "$c" ] || bad "first ccache round of $n ($v): expected $c misses, no hit"
        first=$c
      else
        [ "$c" = "$first" ] && [ "$hits" = "$c" ] || bad "second ccache round of $n ($v): $hits hits for $c compiles"
      fi
    done
    ccache -s | sed 's/^/      /'
    make -C "$tree" M="$work/m/$n" modules >"$work/make.out" 2>&1 || { cat "$work/make.out"; bad "make M= after the ccache build ($n, $v)"; }
    ! grep -E '^  (CC|LD|AS) ' "$work/make.out" || bad "make M= rebuilt after the ccache build ($n, $v)"
    compare "$ref" "$work/m/$n"

    # (c)
    fresh "$m"
    before=$(grep -c 'completed ok' "$work/distccd.log" || true)
    ninja_build "$tree" "$m" --launcher distcc || continue
    c=$(compiles)
    jobs=$(($(grep -c 'completed ok' "$work/distccd.log" || true) - before))
    echo "  (c) $n: $c compiles, distccd completed $jobs"
    [ "$jobs" = "$c" ] && [ "$c" -gt 0 ] || bad "distccd saw $jobs jobs for $c compiles ($n, $v)"
    compare "$ref" "$work/m/$n" debug
    # The difference is distcc's: kbuild's own command (from the .cmd file, as make saved it)
    # through distcc writes the same object as the launcher's form did.  Checked on the first
    # compiled object whose command has no tail (6.12's objtool after a single-object
    # module's compile needs make's environment).
    o=
    for f in $(cd "$work/m/$n" && grep -l '^source_' .*.o.cmd | sort | awk '/^\.\./ {print 3, $0; next} /\.mod\.o\.cmd$/ {print 2, $0; next} {print 1, $0}' | sort | cut -d' ' -f2); do
      grep -q ' ; ' "$work/m/$n/$f" || { o=$f; break; }
    done
    o=${o#.} o=${o%.cmd}
    cmd=$(sed -n '1s/^\(saved\)\?cmd_[^ ]* := //p' "$work/m/$n/.$o.cmd" | sed 's/\$\$/$/g; s/\$(pound)/#/g')
    cp "$work/m/$n/$o" "$work/launcher.o"
    if (cd "$tree" && eval "distcc $cmd") 2>"$work/distcc.err"; then
      rm -f "$work/m/$n/.$o.d"
      after=$(grep -c 'completed ok' "$work/distccd.log" || true)
      if ! cmp "$work/launcher.o" "$work/m/$n/$o"; then
        bad "$o: kbuild's command through distcc and the launcher's form differ"
      elif [ "$after" != $((before + jobs + 1)) ]; then
        bad "kbuild's command for $o was not distributed"
      else
        echo "      kbuild's own command for $o through distcc: distributed, the same object"
      fi
    else
      cat "$work/distcc.err"
      bad "kbuild's command for $o through distcc failed"
    fi
  done
done

echo "distccd's log, compile lines:"
grep 'completed ok' "$work/distccd.log" | sed 's/^/  /'
[ $fail = 0 ] && echo PASS || { echo FAIL; exit 1; }
