#!/usr/bin/env bash
# `modforge build` against `make -C <tree> M=<dir> modules` (issue 11, "Speed"): the same module,
# tree, VAR=VALUE and -j (the number of cores) for both, interleaved rounds (ours, make, ours,
# make, ...), medians, ratio ours/make, peak RSS; every round compares every output file
# (.o .mod.c .mod .cmd Module.symvers modules.order .ko) of ours with make's, byte for byte.
#
#   nice -n 5 bench/kbuild-bench.sh [--ours PATH] [-n ROUNDS] [--big-rounds N]
#                                   [--modules hello,corpus,xtables] [--trees 6.1,6.12] [--keep]
#
# Modules: hello (written here), the largest module of tests/corpus/modpost-modules/ by source
# size (diag_* excluded: they are made to fail), xtables-addons' extensions/ as DKMS builds it
# (tests/corpus/fetch-dkms.sh's manifest; 6.1 only: it fails to compile on 6.12, with make too).
# Cases, per module and tree:
#   clean   build from a clean directory (restored from the pristine sources, which is what
#           `make M= clean` leaves) with ours' plan cache warm, as a user's would be;
#   cold    ONE clean build of ours with an empty plan cache (no target; ratio to make's clean);
#   noop    rebuild with nothing changed (also checks that neither rewrote a .ko);
#   src     rebuild after touching one source file (the module's largest top-level .c);
#   hdr     rebuild after touching a module-local header included by about half of the objects
#           (from the .cmd files' deps), else the module's first source; the choice is printed;
#   two     hello and the corpus module for both trees: `modforge build DIR --kernel T1 --kernel
#           T2` (into DIR/build-<release>) against two makes one after the other, each in its own
#           copy at that same path; clean builds.
# Ours and make build at the SAME path (each one's directory is renamed into place for its run):
# the objects' debug info holds the source path, so only then can the bytes be equal.  Ours'
# plan cache is $tmp/kcache (MODFORGE_KBUILD_CACHE), filled by the cold run and kept for the
# rest: the temporary paths in its keys would only litter ~/.cache.
# Runs go through bench/measure.c: wall time fork..wait4; CPU (user+sys) and ru_maxrss as wait4()
# reports them, which cover the process and every descendant it waited for (for make: make,
# its sub-makes, gcc, ld, ...; for ours: the driver and the commands it spawns).  So peak RSS is
# the largest single process of the tree (cc1, usually), not the sum of those alive at once.
# Medians over the rounds; peak RSS is the largest of the rounds.
# Targets: noop < 20 ms and <= 1/50 of make; src <= 0.5; clean <= 0.8; two <= 0.6 (hdr: none).
# Exit: 0 identical and targets met, 1 an output differed or a build failed, 2 identical but a
# target missed, 3 setup error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
ours=$repo/build/kbuild/modforge
rounds=5 big_rounds=3 modules=hello,corpus,xtables trees=6.1,6.12 keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --ours) ours=$2; shift 2 ;;
    -n) rounds=$2; shift 2 ;;
    --big-rounds) big_rounds=$2; shift 2 ;;
    --modules) modules=$2; shift 2 ;;
    --trees) trees=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,35p' "$0"; exit 0 ;;
    *) echo "kbuild-bench: unknown argument $1" >&2; exit 3 ;;
  esac
done
die() { echo "kbuild-bench: $*" >&2; exit 3; }
# shellcheck source=bench/bench-lib.sh
. "$here/bench-lib.sh"
bench_workdir kbuild-bench
bench_runner || die "$bench_runner_error"
[ -x "$ours" ] || die "no $ours (build the modforge target)"
ours=$(cd "$(dirname "$ours")" && pwd)/$(basename "$ours")
make_bin=$(command -v make) || die "make missing (scripts/setup.sh)"
command -v objcopy >/dev/null || die "objcopy missing (binutils)"
jobs=$(nproc)
declare -A tree_of=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
declare -A kver_of
for v in ${trees//,/ }; do
  t=${tree_of[$v]:-}; [ -n "$t" ] || die "unknown tree $v (6.1 or 6.12)"
  [ -f "$t/include/generated/utsrelease.h" ] || die "headers tree $t missing (scripts/setup.sh)"
  kver_of[$v]=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$t/include/generated/utsrelease.h")
done
export MODFORGE_KBUILD_CACHE=$tmp/kcache
mkdir -p "$tmp/src" "$tmp/st" "$tmp/w" "$tmp/t" "$tmp/kcache"

# --- the modules: pristine sources in $tmp/src/<name>, M subdirectory, VAR=VALUE template -----
declare -A msub vars_tpl
mk_hello() {
  mkdir -p "$tmp/src/hello"
  cat >"$tmp/src/hello/hello.c" <<'EOF'
#include <linux/init.h>
#include <linux/module.h>
static int __init hello_init(void) { pr_info("hello\n"); return 0; }
static void __exit hello_exit(void) { pr_info("bye\n"); }
module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hello");
EOF
  echo 'obj-m := hello.o' >"$tmp/src/hello/Kbuild"
  msub[hello]=. vars_tpl[hello]=
}
mk_corpus() {
  local d best='' best_size=-1 size
  for d in "$repo"/tests/corpus/modpost-modules/*/; do
    case $(basename "$d") in diag_*) continue ;; esac
    size=$(find "$d" -maxdepth 1 -type f -name '*.[chS]' -printf '%s\n' | awk '{s += $1} END {print s + 0}')
    if [ "$size" -gt "$best_size" ]; then best=$d best_size=$size; fi
  done
  [ -n "$best" ] || die "no module in tests/corpus/modpost-modules/"
  corpus_name=$(basename "$best")
  cp -a "$best" "$tmp/src/corpus"
  msub[corpus]=. vars_tpl[corpus]=
  echo "corpus module: $corpus_name ($best_size bytes of source)"
}
mk_xtables() {
  local fetch=$repo/tests/corpus/fetch-dkms.sh
  [ -x "$fetch" ] || fetch=/work/wt/kb-corpus/tests/corpus/fetch-dkms.sh
  [ -x "$fetch" ] || die "no tests/corpus/fetch-dkms.sh"
  local line pkg bdir m vars
  line=$("$fetch" 2>"$tmp/fetch.log" | grep '^xtables-addons-dkms	') || { cat "$tmp/fetch.log" >&2; die "fetch-dkms.sh gave no xtables-addons-dkms line"; }
  IFS=$'\t' read -r _ bdir m vars <<<"$line"
  cp -a "${MODFORGE_DKMS_CACHE:-$HOME/.cache/modforge-dkms}/$bdir" "$tmp/src/xtables"
  msub[xtables]=$m vars_tpl[xtables]=$vars
  echo "xtables-addons: $bdir, M=@SRC@/$m $vars"
}

# --- running one tool in one state ---------------------------------------------------------------
# A state is a directory $tmp/st/<key>.<ours|make>; for a run it is renamed to the active path
# $tmp/w/<key> (rename keeps every mtime), then renamed back.
vars_for() {  # MOD VER SRC -> the VAR=VALUE words, one a line
  local v=${vars_tpl[$1]} w
  v=${v//@TREE@/${tree_of[$2]}}; v=${v//@KVER@/${kver_of[$2]}}; v=${v//@SRC@/$3}
  for w in $v; do printf '%s\n' "$w"; done
}
mdir_for() { [ "${msub[$1]}" = . ] && echo "$2" || echo "$2/${msub[$1]}"; }

# run WHO KEY MOD TAG VER [VER2]: one timed run appended to $tmp/t/TAG.WHO ("wall user sys rss st").
run() {
  local who=$1 key=$2 mod=$3 tag=$4 act=$tmp/w/$2 line
  shift 4
  mv "$tmp/st/$key.$who" "$act"
  local -a vars argv
  mapfile -t vars < <(vars_for "$mod" "$1" "$act")
  if [ "$who" = ours ]; then
    argv=("$ours" build "$(mdir_for "$mod" "$act")")
    for v in "$@"; do argv+=(--kernel "${tree_of[$v]}"); done
    argv+=("${vars[@]}" -j "$jobs")
    line=$("$measure" /dev/null "$tmp/out" "$tmp/err" "${argv[@]}")
  elif [ $# = 1 ]; then
    line=$("$measure" /dev/null "$tmp/out" "$tmp/err" "$make_bin" -C "${tree_of[$1]}" \
           M="$(mdir_for "$mod" "$act")" "${vars[@]}" -j"$jobs" modules)
  else
    # Two trees, two makes one after the other, each in its copy $act/build-<release>.
    local l1 l2
    l1=$("$measure" /dev/null "$tmp/out" "$tmp/err" "$make_bin" -C "${tree_of[$1]}" \
         M="$act/build-${kver_of[$1]}" -j"$jobs" modules)
    l2=$("$measure" /dev/null "$tmp/out2" "$tmp/err2" "$make_bin" -C "${tree_of[$2]}" \
         M="$act/build-${kver_of[$2]}" -j"$jobs" modules)
    cat "$tmp/out2" >>"$tmp/out"; cat "$tmp/err2" >>"$tmp/err"
    line=$(awk -v a="$l1" -v b="$l2" 'BEGIN {split(a, x); split(b, y)
      print x[1] + y[1], x[2] + y[2], x[3] + y[3], (x[4] > y[4] ? x[4] : y[4]), (x[5] ? x[5] : y[5])}')
  fi
  mv "$act" "$tmp/st/$key.$who"
  echo "$line" >>"$tmp/t/$tag.$who"
  if [ "${line##* }" != 0 ]; then
    echo "  $tag: $who exited with ${line##* }; its stderr ends:"; tail -15 "$tmp/err" | sed 's/^/    /'
    [ "$who" = ours ] || die "make failed: the benchmark needs a module make builds"
    return 1
  fi
}

# The files a build wrote in a state: everything but the pristine sources (also under a
# build-<release>/ copy), ours' mirror marker and ours' compile_commands.json (make writes
# none); symbolic links (ours' mirror) are sources.
outputs() {  # STATE_DIR MOD
  (cd "$1" && find . -type f ! -name .modforge-build ! -name compile_commands.json -printf '%P\n') |
    awk -v srcs="$tmp/src/$2.list" 'BEGIN { while ((getline l < srcs) > 0) s[l] = 1 }
      { q = $0; sub(/^build-[^\/]*\//, "", q); if (!($0 in s) && !(q in s)) print }' | LC_ALL=C sort
}
# compare KEY MOD TAG: every output of ours' state against make's; a .ko that differs only in
# .BTF (pahole -j is not reproducible on larger modules) is counted, not failed.
compare() {
  local a=$tmp/st/$1.ours b=$tmp/st/$1.make f bad=0
  outputs "$a" "$2" >"$tmp/la"; outputs "$b" "$2" >"$tmp/lb"
  if ! cmp -s "$tmp/la" "$tmp/lb"; then
    echo "  $3: different sets of files (< ours only, > make only):"
    diff "$tmp/la" "$tmp/lb" | grep '^[<>]' | head -5 | sed 's/^/    /'
    return 1
  fi
  grep -q '\.ko$' "$tmp/la" || { echo "  $3: no .ko was built"; return 1; }
  while read -r f; do
    cmp -s "$a/$f" "$b/$f" && continue
    if [[ $f == *.ko ]] && objcopy -R .BTF "$a/$f" "$tmp/a.ko" && objcopy -R .BTF "$b/$f" "$tmp/b.ko" &&
       cmp -s "$tmp/a.ko" "$tmp/b.ko"; then
      btf_only=$((btf_only + 1)); echo "  $3: $f differs only in .BTF"; continue
    fi
    [ $bad -lt 5 ] && echo "  $3: $f differs"
    bad=$((bad + 1))
  done <"$tmp/la"
  [ $bad = 0 ]
}
# newer_ko KEY STAMP: how many .ko files of each state are newer than STAMP ("ours make").
newer_ko() {
  local who n=
  for who in ours make; do n+="$(find "$tmp/st/$1.$who" -name '*.ko' -newer "$2" | wc -l) "; done
  echo "${n% }"
}

fresh() {  # fresh KEY MOD WHO [two-tree make copy VERS...]
  local key=$1 mod=$2 who=$3 v
  shift 3
  rm -rf "${tmp:?}/st/$key.$who"
  if [ $# = 0 ]; then cp -a "$tmp/src/$mod" "$tmp/st/$key.$who"; return; fi
  mkdir "$tmp/st/$key.$who"
  for v in "$@"; do cp -a "$tmp/src/$mod" "$tmp/st/$key.$who/build-${kver_of[$v]}"; done
}

rc=0 btf_only=0
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# record TAG MOD TREE CASE TARGET: the medians of TAG into results.tsv and a line on stdout.
record() {
  local tag=$1 o m orss mrss n oc mc
  o=$(awk '{print $1/1e9}' "$tmp/t/$tag.ours" | median)
  m=$(awk '{print $1/1e9}' "$tmp/t/$tag.make" | median)
  orss=$(awk '{print $4}' "$tmp/t/$tag.ours" | sort -n | tail -1)
  mrss=$(awk '{print $4}' "$tmp/t/$tag.make" | sort -n | tail -1)
  n=$(wc -l <"$tmp/t/$tag.ours")
  oc=$(awk '{print ($2+$3)/1e6}' "$tmp/t/$tag.ours" | median)
  mc=$(awk '{print ($2+$3)/1e6}' "$tmp/t/$tag.make" | median)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$2" "$3" "$4" "$n" "$o" "$m" "$orss" "$mrss" "$5" "$oc" "$mc" >>"$tmp/results.tsv"
  printf '  %-5s ours %s s, make %s s (rounds: ours %s; make %s)\n' "$4" "$o" "$m" \
    "$(awk '{printf "%s%.3f", (NR > 1 ? " " : ""), $1/1e9}' "$tmp/t/$tag.ours")" \
    "$(awk '{printf "%s%.3f", (NR > 1 ? " " : ""), $1/1e9}' "$tmp/t/$tag.make")"
}
fail() { echo "  $*"; rc=1; }

# bench_module MOD VER: cold, clean, noop, src, hdr in place.
bench_module() {
  local mod=$1 v=$2 key=$1-$2 tag i n f hdr src act
  act=$tmp/w/$key
  echo "== $mod on ${kver_of[$v]}"
  fresh "$key" "$mod" ours; fresh "$key" "$mod" make
  # cold: an empty plan cache, then its entries join the shared one.
  rm -rf "$tmp/cold"; mkdir "$tmp/cold"
  MODFORGE_KBUILD_CACHE=$tmp/cold run ours "$key" "$mod" "$key.cold" "$v" || fail "cold build failed"
  cp -a "$tmp/cold/." "$tmp/kcache/"
  n=$rounds; [ "$mod" = xtables ] && n=$big_rounds
  for ((i = 1; i <= n; i++)); do
    fresh "$key" "$mod" ours; fresh "$key" "$mod" make
    run ours "$key" "$mod" "$key.clean" "$v" || fail "clean round $i: ours failed"
    run make "$key" "$mod" "$key.clean" "$v"
    compare "$key" "$mod" "clean round $i" || rc=1
  done
  record "$key.clean" "$mod" "$v" clean 0.8
  cp "$tmp/t/$key.clean.make" "$tmp/t/$key.cold.make"
  record "$key.cold" "$mod" "$v" cold -
  for ((i = 1; i <= rounds; i++)); do
    touch "$tmp/stamp"; sleep 0.01
    run ours "$key" "$mod" "$key.noop" "$v" || fail "noop round $i: ours failed"
    run make "$key" "$mod" "$key.noop" "$v"
    [ "$(newer_ko "$key" "$tmp/stamp")" = "0 0" ] || fail "noop round $i: a .ko was rewritten (ours make: $(newer_ko "$key" "$tmp/stamp"))"
    compare "$key" "$mod" "noop round $i" || rc=1
  done
  record "$key.noop" "$mod" "$v" noop noop
  # One source: the largest .c of the module directory; the header: the module-local .h that
  # the most nearly half of the objects depend on (make's .cmd files), else the first source.
  local md; md=$(mdir_for "$mod" "")
  src=$(cd "$tmp/src/$mod/${md#/}" && ls -S -- *.c | head -1)
  src=${md#/}${md:+/}$src; src=${src#./}
  local nobj
  nobj=$(find "$tmp/st/$key.make" -name '.*.o.cmd' ! -name '*.mod.o.cmd' | wc -l)
  hdr=$(find "$tmp/st/$key.make" -name '.*.o.cmd' ! -name '*.mod.o.cmd' -print0 |
        { xargs -0 grep -HoE "$act/[^ ]*\.h( |$)" || true; } | sed 's/ $//' | sort -u | sed 's/^[^:]*://' | sort | uniq -c |
        awk -v n="$nobj" '{d = $1 - n / 2; d = d < 0 ? -d : d; if (best == "" || d < bd) { best = $2; bd = d; c = $1 } }
                          END { if (best != "") print c, best }')
  local hdr_users=
  if [ -n "$hdr" ]; then hdr_users=${hdr%% *}; hdr=${hdr#* }; hdr=${hdr#"$act"/}
  else hdr=$(cd "$tmp/src/$mod/${md#/}" && ls -- *.c | head -1); hdr=${md#/}${md:+/}$hdr; hdr=${hdr#./}; fi
  if [ -n "$hdr_users" ]; then echo "  src: touching $src; hdr: touching $hdr ($hdr_users of $nobj objects depend on it)"
  else echo "  src: touching $src; hdr: touching $hdr (no module-local header: the first source)"; fi
  for f in src hdr; do
    local file=$src; [ $f = hdr ] && file=$hdr
    for ((i = 1; i <= rounds; i++)); do
      touch "$tmp/stamp"; sleep 0.01
      touch "$tmp/st/$key.ours/$file" "$tmp/st/$key.make/$file"
      run ours "$key" "$mod" "$key.$f" "$v" || fail "$f round $i: ours failed"
      run make "$key" "$mod" "$key.$f" "$v"
      case $(newer_ko "$key" "$tmp/stamp") in 0\ *|*\ 0) fail "$f round $i: touching $file relinked no .ko (ours make: $(newer_ko "$key" "$tmp/stamp"))" ;; esac
      compare "$key" "$mod" "$f round $i" || rc=1
    done
    record "$key.$f" "$mod" "$v" "$f" "$([ $f = src ] && echo 0.5 || echo -)"
  done
}

# bench_two MOD: both trees in one command against two makes in a row, clean builds.
bench_two() {
  local mod=$1 key=two-$1 i
  echo "== $mod, two trees (${kver_of[6.1]} and ${kver_of[6.12]})"
  # Warm ours' plan cache for the build-<release> directories, untimed.
  fresh "$key" "$mod" ours
  run ours "$key" "$mod" "$key.warm" 6.1 6.12 || fail "two trees: ours failed"
  for ((i = 1; i <= rounds; i++)); do
    fresh "$key" "$mod" ours; fresh "$key" "$mod" make 6.1 6.12
    run ours "$key" "$mod" "$key.two" 6.1 6.12 || fail "two round $i: ours failed"
    run make "$key" "$mod" "$key.two" 6.1 6.12
    compare "$key" "$mod" "two round $i" || rc=1
  done
  record "$key.two" "$mod" "6.1+6.12" two 0.6
}

echo "kbuild-bench: ours=$ours ($(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?')), $rounds rounds ($big_rounds for xtables' clean builds), -j$jobs, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$tmp/results.tsv"
for mod in ${modules//,/ }; do
  case $mod in
    hello) mk_hello ;; corpus) mk_corpus ;; xtables) mk_xtables ;;
    *) die "unknown module $mod (hello, corpus, xtables)" ;;
  esac
  (cd "$tmp/src/$mod" && find . \( -type f -o -type l \) -printf '%P\n') >"$tmp/src/$mod.list"
done
start=$SECONDS
for mod in ${modules//,/ }; do
  for v in ${trees//,/ }; do
    if [ "$mod" = xtables ] && [ "$v" = 6.12 ]; then
      echo "== xtables on ${kver_of[$v]}: skipped (xtables-addons 3.23 fails to compile on 6.12, with make too)"
      continue
    fi
    bench_module "$mod" "$v"
  done
done
case ,$trees, in *,6.1,*6.12,*|*,6.12,*6.1,*)
  for mod in ${modules//,/ }; do [ "$mod" = xtables ] || bench_two "$mod"; done ;;
esac
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg), $((SECONDS - start)) s"
[ $btf_only = 0 ] || echo "note: $btf_only .ko comparisons differed only in .BTF (pahole -j), equal without it"

# --- the table -----------------------------------------------------------------------------------
echo
echo "| module | tree | case | rounds | ours s | make s | ours/make | target | met | CPU ours s | CPU make s | peak RSS ours | peak RSS make |"
echo "|---|---|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|"
miss=0
while IFS=$'\t' read -r mod v c n o m orss mrss target oc mc; do
  name=$mod; [ "$mod" = corpus ] && name=$corpus_name
  read -r ratio tdesc met < <(awk -v o="$o" -v m="$m" -v t="$target" 'BEGIN {
    r = o / m
    if (t == "noop") { d = "<20ms,<=0.02"; ok = (o < 0.020 && r <= 0.02) }
    else if (t == "-") { d = "-"; ok = -1 }
    else { d = "<=" t; ok = (r <= t) }
    printf "%.3f %s %s\n", r, d, ok < 0 ? "-" : ok ? "yes" : "NO" }')
  [ "$met" = NO ] && miss=1
  printf '| %s | %s | %s | %s | %.3f | %.3f | %s | %s | %s | %.3f | %.3f | %d MB | %d MB |\n' "$name" "$v" "$c" "$n" \
    "$o" "$m" "$ratio" "$tdesc" "$met" "$oc" "$mc" $((orss / 1024)) $((mrss / 1024))
done <"$tmp/results.tsv"
if [ $rc = 0 ] && [ $miss = 1 ]; then rc=2; fi
exit $rc
