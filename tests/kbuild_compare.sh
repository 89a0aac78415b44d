#!/usr/bin/env bash
# `modforge build` against `make -C <tree> M=<dir> modules` (issue 11), for every module of
# tests/kbuild-modules.txt (samples, tests/corpus/modpost-modules, the six DKMS packages) and,
# with KB_FULL=1, the kernel directories of the modpost corpus (tests/corpus/kernel-dirs.sh:
# fetched from linux-source), on each Debian headers tree:
#  1. make builds every module, the work root is moved aside, our driver builds every module at
#     the same paths (kbuild_lib.sh explains why the paths must be the same); both must agree
#     on success, and a module both build must have every kbuild output byte-identical
#     (a .ko may differ only in .BTF, which Debian's pahole 1.24 writes non-reproducibly with -j:
#     kbuild_make_repro.sh shows make against make); a module make fails to build must fail with
#     ours too, with the same first compiler error;
#  2. make after ours and ours after make find nothing to do (no output's mtime changes, make
#     prints no CC/LD line);
#  3. --build-dir and two --kernel trees in one command give the same outputs as make in that
#     directory (load_multi, samples/exporter);
#  4. every .ko of a sample or corpus module is loaded, in list order, into the real kernel
#     under qemu (kernel-oracle.sh) and into our emulated kernel: same exit code and message
#     for every insmod; every DKMS .ko is loaded into our emulated kernel and must load.
# Usage: kbuild_compare.sh MODFORGE SOURCE_DIR [6.1|6.12 ...]
# Env: KB_ONLY (extended regex over the module lines), KB_FULL=1, KB_NO_QEMU=1 (for local runs
#      only: CI runs the qemu part), MODFORGE_KEEP=1 (keep the work dir), KB_JOBS (default 2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tier_lib.sh"
tier_args MODFORGE "$@"
modforge=$tool
source "$here/kbuild_lib.sh"
[ -n "${KB_NO_QEMU:-}" ] || need_qemu_tier
kmod=$(dirname "$modforge")/../loader/modforge-kmod
[ -x "$kmod" ] || { echo "FAIL: $kmod missing"; exit 1; }
kb_need_tools make objcopy readelf cmp pahole

declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
work=$(mktemp -d /tmp/modforge-kbuild-compare.XXXXXX)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
export MODFORGE_KBUILD_CACHE=$work/cache

mapfile -t lines < <(kb_module_lines "$here/kbuild-modules.txt")
if [ -n "${KB_FULL:-}" ]; then
  source "$here/corpus/kernel-dirs.sh"
  KB_KERNEL_DIRS=$work/kernel-src
  mapfile -t -O ${#lines[@]} lines < <(kernel_dir_lines)
fi
if [ -n "${KB_ONLY:-}" ]; then
  mapfile -t lines < <(printf '%s\n' "${lines[@]}" | grep -E -- "$KB_ONLY" || true)
fi
[ ${#lines[@]} -gt 0 ] || { echo "FAIL: no modules"; exit 1; }

# kb_copy, but the kernel directories share one copy of the prepared kernel sources
copy_src() { case $KB_NAME in kernel:*) [ -d "$KB_DST" ] || kb_copy "$KB_SRC" "$KB_DST" ;; *) kb_copy "$KB_SRC" "$KB_DST" ;; esac; }

# --pch always: every .mod.o goes through the precompiled header (made and checked on the
# first module of each tree, used by every other); the other kbuild tiers build with the
# default, where a single module compiles its .mod.c plainly.
ours_build() {  # like kb_make, for our driver: ours_build CWD TREE DIR VARS...
  local cwd=$1 tree=$2 dir=$3
  shift 3
  set +e
  (cd "$cwd" && PWD=$cwd "$modforge" build "$dir" --kernel "$tree" -j"${KB_JOBS:-2}" --pch always "$@") \
    > "$dir.ours.out" 2> "$dir.ours.err"
  KB_RC=$?
  set -e
}

# mtimes of every output under the root, to see that a build did nothing
# (compile_commands.json: ours writes it, make does not)
snapshot() { (cd "$1" && find . -type f ! -name '*.make.*' ! -name '*.ours.*' ! -name compile_commands.json -printf '%p %T@\n' | sort); }

# only_btf OUT: kb_compare's report lists nothing but .ko files identical without .BTF.
only_btf() { ! grep -v 'without .BTF: identical' <<<"$1" | grep -q '^\(differs\|only-in\)'; }

# the failing tool's own first error (the compiler's "error:", modpost's "ERROR:" or "FATAL:"), not make's
first_error() { grep -m1 -i -E 'error:|fatal:' "$1" || true; }

fail=0
summary=()
declare -A pch_seen=()
for v in "${versions[@]}"; do
  tree=${trees[$v]}
  root=$work/$v/root
  mkdir -p "$root"
  # 1. make, then ours at the same paths
  declare -A make_rc=() ours_rc=()
  for l in "${lines[@]}"; do
    kb_resolve "$l" "$root" "$tree"
    copy_src
    kb_make --cwd "$KB_CWD" "$tree" "$KB_M" "${KB_VARS[@]}" || true
    make_rc[$KB_NAME]=$KB_RC
  done
  kb_stash "$root" make
  for l in "${lines[@]}"; do
    kb_resolve "$l" "$root" "$tree"
    copy_src
    ours_build "$KB_CWD" "$tree" "$KB_M" "${KB_VARS[@]}"
    ours_rc[$KB_NAME]=$KB_RC
  done
  # the PCH was made for this tree and kept (its check passed), so the modules above used it
  pchs=$(find "$MODFORGE_KBUILD_CACHE/kbuild/pch" -mindepth 2 -maxdepth 2 -name modpch.h.gch 2>/dev/null | wc -l)
  if [ "$pchs" -lt "$((${#pch_seen[@]} + 1))" ]; then
    echo "FAIL $v: no precompiled header was kept for the .mod.c compiles (cache: $pchs)"; fail=1
  fi
  pch_seen[$v]=1
  built=0 identical=0 btf_only=0 failed_same=0
  for l in "${lines[@]}"; do
    kb_resolve "$l" "$root" "$tree"
    m=${make_rc[$KB_NAME]} o=${ours_rc[$KB_NAME]}
    rel=${KB_M#"$root"/}
    if [ "$m" = 0 ] && [ "$o" = 0 ]; then
      built=$((built + 1))
      if out=$(kb_compare "$root.make/$rel" "$KB_M"); then
        identical=$((identical + 1))
      elif only_btf "$out"; then
        btf_only=$((btf_only + 1))
        echo "$v $KB_NAME: .ko files differ only in .BTF:"; sed 's/^/    /' <<<"$out"
      else
        echo "FAIL $v $KB_NAME: outputs differ from make's:"; sed 's/^/    /' <<<"$out"; fail=1
      fi
    elif [ "$m" != 0 ] && [ "$o" != 0 ]; then
      em=$(first_error "$root.make/$rel.make.err") eo=$(first_error "$KB_M.ours.err")
      if [ "$em" != "$eo" ]; then
        # with -j2 which failing compile comes first is a race (in make too): both again with -j1
        j1=$work/$v/j1
        rm -rf "$j1" "$j1.make"
        kb_resolve "$l" "$j1" "$tree"; copy_src
        KB_JOBS=1 kb_make --cwd "$KB_CWD" "$tree" "$KB_M" "${KB_VARS[@]}" || true
        kb_stash "$j1" make
        kb_resolve "$l" "$j1" "$tree"; copy_src
        KB_JOBS=1 ours_build "$KB_CWD" "$tree" "$KB_M" "${KB_VARS[@]}"
        em=$(first_error "$j1.make/${KB_M#"$j1"/}.make.err") eo=$(first_error "$KB_M.ours.err")
        kb_resolve "$l" "$root" "$tree"
      fi
      if [ "$em" = "$eo" ] && [ -n "$em" ]; then
        failed_same=$((failed_same + 1))
        echo "$v $KB_NAME: fails with both (exit $m / $o): $em"
      else
        echo "FAIL $v $KB_NAME: both fail but differently:"; echo "    make: $em"; echo "    ours: $eo"; fail=1
      fi
    else
      echo "FAIL $v $KB_NAME: make exit $m, ours exit $o"; sed 's/^/    /' "$KB_M.ours.err" | head -20; fail=1
    fi
  done

  # 2. each sees the other's build as up to date
  before=$(snapshot "$root")
  quiet_make=0
  for l in "${lines[@]}"; do
    kb_resolve "$l" "$root" "$tree"
    [ "${ours_rc[$KB_NAME]}" = 0 ] || continue
    kb_make --cwd "$KB_CWD" "$tree" "$KB_M" "${KB_VARS[@]}" || true
    if grep -qE '^\s+(CC|LD|MODPOST|AS)\b' "$KB_OUT"; then
      echo "FAIL $v $KB_NAME: make rebuilt after ours:"; grep -E '^\s+(CC|LD|MODPOST|AS)' "$KB_OUT" | head -5; fail=1
    else
      quiet_make=$((quiet_make + 1))
    fi
  done
  [ "$before" = "$(snapshot "$root")" ] || { echo "FAIL $v: make after ours changed files"; diff <(echo "$before") <(snapshot "$root") | head; fail=1; }
  kb_stash "$root" ours
  mv "$root.make" "$root"
  before=$(snapshot "$root")
  quiet_ours=0
  for l in "${lines[@]}"; do
    kb_resolve "$l" "$root" "$tree"
    [ "${make_rc[$KB_NAME]}" = 0 ] || continue
    ours_build "$KB_CWD" "$tree" "$KB_M" "${KB_VARS[@]}"
    if [ -s "$KB_M.ours.out" ] && grep -qE '^\s+(CC|LD|MODPOST|AS)\b' "$KB_M.ours.out"; then
      echo "FAIL $v $KB_NAME: ours rebuilt after make:"; head -5 "$KB_M.ours.out"; fail=1
    else
      quiet_ours=$((quiet_ours + 1))
    fi
  done
  [ "$before" = "$(snapshot "$root")" ] || { echo "FAIL $v: ours after make changed files"; diff <(echo "$before") <(snapshot "$root") | head; fail=1; }
  summary+=("$v: ${#lines[@]} modules: $built built by both ($identical identical, $btf_only differing only in .BTF), $failed_same failing alike; make quiet after ours: $quiet_make, ours quiet after make: $quiet_ours")

  # 3. --build-dir and two trees at once, against make in the same directory
  for d in tests/corpus/modpost-modules/load_multi samples/exporter; do
    b=$work/$v/bd
    rm -rf "$b" "$b.make"; mkdir -p "$b"
    kb_copy "$src/$d" "$b/out"
    kb_make "$tree" "$b/out" >/dev/null || { echo "FAIL $v $d: make"; fail=1; continue; }
    mv "$b" "$b.make"; mkdir -p "$b"
    "$modforge" build "$src/$d" --kernel "$tree" -O "$b/out" > /dev/null 2> "$b.err" || { echo "FAIL $v $d: -O build"; cat "$b.err"; fail=1; continue; }
    out=$(kb_compare "$b.make/out" "$b/out") || only_btf "$out" || { echo "FAIL $v $d --build-dir:"; echo "$out"; fail=1; }
    kb_unlisted "$b.make/out" "$b/out" | grep -v -e '^\.modforge-build$' -e '^compile_commands\.json$' | grep -q . && {
      echo "FAIL $v $d --build-dir: unexpected files"; kb_unlisted "$b.make/out" "$b/out"; fail=1; }
    # two trees: this tree's outputs land in <O>/<release>; make builds there first
    rel=$(kb_kver "$tree")
    rm -rf "$b" "$b.make"; mkdir -p "$b"
    kb_copy "$src/$d" "$b/$rel"
    kb_make "$tree" "$b/$rel" >/dev/null || { echo "FAIL $v $d: make"; fail=1; continue; }
    mv "$b" "$b.make"; mkdir -p "$b"
    "$modforge" build "$src/$d" --kernel "${trees[6.1]}" --kernel "${trees[6.12]}" -O "$b" > /dev/null 2> "$b.err" ||
      { echo "FAIL $v $d: two-tree build"; cat "$b.err"; fail=1; continue; }
    out=$(kb_compare "$b.make/$rel" "$b/$rel") || only_btf "$out" || { echo "FAIL $v $d two trees:"; echo "$out"; fail=1; }
  done
  summary+=("$v: --build-dir and two-tree builds of load_multi and samples/exporter compared")

  # 4. loads: ours (root.ours holds our build)
  ours_root=$root.ours
  steps=$work/$v/steps; : > "$steps"
  dkms_kos=()
  for l in "${lines[@]}"; do
    kb_resolve "$l" "$ours_root" "$tree"
    [ "${ours_rc[$KB_NAME]}" = 0 ] || continue
    while read -r ko; do
      case $KB_NAME in dkms:*) dkms_kos+=("$ko") ;; *) echo "insmod $ko" >> "$steps" ;; esac
    done < <(cd "$KB_M" && find "$PWD" -name '*.ko' | sort)
  done
  pkg=${tree#/usr/src/linux-headers-}
  export MODFORGE_STATE=$work/$v/state MODFORGE_TARGET=$tree MODFORGE_MODULES=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}/$pkg/lib/modules/$pkg
  [ -d "$MODFORGE_MODULES" ] || MODFORGE_MODULES=/lib/modules/$pkg
  # the DKMS modules need modules of the kernel (videodev, udp_tunnel ...): after the corpus
  # insmods, each DKMS module with what modprobe --show-depends lists before it (from a module
  # tree of the shipped modules plus them, indexed by our depmod), as insmod steps in the same
  # boot; a dependency loaded before answers "File exists" in both kernels
  if [ ${#dkms_kos[@]} -gt 0 ]; then
    rel=$(kb_kver "$tree") mroot=$work/$v/mroot
    mkdir -p "$mroot/lib/modules/$rel/extra"
    cp -rs "$MODFORGE_MODULES/kernel" "$mroot/lib/modules/$rel/kernel"
    cp "$MODFORGE_MODULES"/modules.{order,builtin,builtin.modinfo} "$mroot/lib/modules/$rel/"
    cp "${dkms_kos[@]}" "$mroot/lib/modules/$rel/extra/"
    "$kmod" depmod -b "$mroot" "$rel" 2> /dev/null
    for ko in "${dkms_kos[@]}"; do
      MODFORGE_STATE=$work/$v/dstate "$kmod" modprobe --show-depends -d "$mroot" -S "$rel" "$(basename "$ko" .ko)" |
        grep '^insmod ' >> "$steps" || { echo "FAIL $v: modprobe --show-depends $(basename "$ko")"; fail=1; }
    done
  fi
  : > "$work/$v/ours.jsonl"
  i=0
  while read -r cmd ko params; do
    set +e; "$kmod" insmod "$ko" $params > /dev/null 2> "$work/$v/err"; rc=$?; set -e
    python3 -c 'import json,sys; print(json.dumps({"step": int(sys.argv[1]), "rc": int(sys.argv[2]), "stderr": open(sys.argv[3]).read()}))' \
      "$i" "$rc" "$work/$v/err" >> "$work/$v/ours.jsonl"
    i=$((i + 1))
  done < "$steps"
  summary+=("$v: ${#dkms_kos[@]} DKMS .ko files (with their kernel dependencies) and the samples and corpus modules: $i insmods")
  [ -n "${KB_NO_QEMU:-}" ] || [ -s "$steps" ] || { echo "FAIL $v: nothing to load"; fail=1; }
  if [ -z "${KB_NO_QEMU:-}" ]; then
    bash "$oracle" -k "$v" -f "$steps" -o "$work/$v/real.jsonl" > "$work/$v/oracle.log" 2>&1 || true
    if python3 - "$work/$v/real.jsonl" "$work/$v/ours.jsonl" "$v" <<'PY'; then :; else fail=1; fi
import json, re, sys
real = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
real = [r for r in real if not r.get("final")]
ours = [json.loads(l) for l in open(sys.argv[2])]
v = sys.argv[3]
if len(real) != len(ours):
    print(f"FAIL {v}: the real kernel ran {len(real)} insmods, ours {len(ours)}"); sys.exit(1)
def norm(t):  # the .ko's directory differs between the guest and the host (which unpacks .ko.xz)
    return re.sub(r"\S*/([\w-]+\.ko)(\.xz|\.zst|\.gz)?", r"\1", t).rstrip("\n")
# Modules whose init function fails in the qemu guest at run time; our emulated kernel runs
# no code (loader/kernel/init_return.h), so for these only the real kernel's answer is shown:
#   gost-test: its init runs GOST self-tests through the crypto API (EIO in the guest);
#   xt_pknock: its init fails registering in the guest (ENXIO);
#   libcrc32c: its init allocates the crc32c transform, whose module the guest cannot load (ENOENT);
#   coretemp: its init finds no Intel CPU with a digital thermal sensor under qemu (ENODEV).
runtime = {"gost-test", "xt_pknock", "libcrc32c", "coretemp"}
def name(r):
    return re.sub(r"\.ko(\.xz|\.zst|\.gz)?$", "", (r.get("file") or "").rsplit("/", 1)[-1])
bad, shown = [], 0
for r, o in zip(real, ours):
    if r.get("rc") == o["rc"] and norm(r.get("stderr", "")) == norm(o["stderr"]):
        continue
    if o["rc"] == 0 and r.get("rc") != 0 and name(r) in runtime:
        shown += 1
        print(f"{v} step {o['step']}: {name(r)}: init fails in the guest ({r.get('errname')}); ours cannot run it, loads")
        continue
    bad.append((r, o))
for r, o in bad[:10]:
    print(f"FAIL {v} step {o['step']}: real rc {r.get('rc')} {r.get('stderr')!r}, ours rc {o['rc']} {o['stderr']!r}")
loaded = sum(1 for r in real if r.get("rc") == 0)
print(f"{v}: real kernel vs ours: {len(ours) - len(bad) - shown}/{len(ours)} insmods identical, {shown} init failures only the guest can see ({loaded} load)")
sys.exit(1 if bad else 0)
PY
  fi
  unset MODFORGE_STATE MODFORGE_TARGET MODFORGE_MODULES
  rm -rf "$root" "$root.make" "$root.ours"
done
printf '%s\n' "${summary[@]}"
[ $fail = 0 ] && echo "PASS" || echo "FAIL"
exit $fail
