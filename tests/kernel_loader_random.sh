#!/usr/bin/env bash
# The loader's qemu tier: damaged modules generated AFRESH at test time, asked of the real
# Debian kernels under qemu and compared with the emulated kernel's replay.
#   kernel_loader_random.sh LOADER_REPLAY KO_MUTATE SOURCE_DIR [6.1|6.12 ...]
# The modules of tests/corpus/loader-modules/ are built now with the real kbuild (not
# taken from the stored corpus); `ko-mutate -r` picks each mutation (field, section,
# entry, value) from one module's own tables, with seeds derived from SEED.  The seed is
# printed; SEED=... reproduces a run.  CASES=... mutations per kernel (default 30), one
# boot per kernel (plus one more if a mutation left a module loaded).  A mutation on
# which the real kernel itself crashes is dropped and printed (nothing to compare).
# Env: MODFORGE_ORACLE (default SOURCE_DIR/../shared/tools/kernel-oracle.sh),
#      ORACLE_CACHE, MODFORGE_KEEP=1 keeps the work directory, MODFORGE (required): the
#      modforge binary whose `check load` is compared with the real kernel too.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 LOADER_REPLAY KO_MUTATE SOURCE_DIR [6.1|6.12 ...]" >&2; exit 2; }
replay=$(realpath "$1") mutate=$(realpath "$2") src=$(realpath "$3")
shift 3
versions=("$@"); [ $# -gt 0 ] || versions=(6.1 6.12)
tools=$src/tests/corpus/loader-tools
seed=${SEED:-$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')}
cases=${CASES:-30}
echo "SEED=$seed (rerun with SEED=$seed to reproduce)"

[ -x "$replay" ] || { echo "FAIL: loader-replay $replay missing"; exit 1; }
[ -x "$mutate" ] || { echo "FAIL: ko-mutate $mutate missing"; exit 1; }
[ -x "${MODFORGE:-}" ] || { echo "FAIL: MODFORGE (the modforge binary, for check load) not set"; exit 1; }
source "$src/tests/tier_lib.sh"
need_qemu_tier gcc make strip

work=$(mktemp -d)
[ -n "${MODFORGE_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT
declare -A trees=([6.1]=/usr/src/linux-headers-6.1.0-56-amd64 [6.12]=/usr/src/linux-headers-6.12.117+deb12-amd64)
# the target's shipped modules (sizeof(struct module)): the oracle cache's ($cache)
fail=0
for v in "${versions[@]}"; do
  [ -n "${trees[$v]:-}" ] || { echo "FAIL: unknown kernel version $v"; exit 1; }
  "$tools/build-modules.sh" "$v" "$work/modules-$v" >/dev/null || { echo "FAIL $v: building the modules"; fail=1; continue; }
  b=$work/$v/random-mut
  if ! python3 "$tools/loader-corpus.py" random "$v" "$b" --mods "$work/modules-$v" --ko-mutate "$mutate" \
      --seed "$seed" --cases "$cases" --oracle "$oracle" >"$work/ask-$v.log" 2>&1; then
    echo "FAIL $v: asking the real kernel:"; tail -20 "$work/ask-$v.log"; fail=1; continue
  fi
  grep '# dropped:' "$b/steps" || true
  grep '^# case: rand' "$b/steps" | sed "s/^# case: /$v: /"
  rc=0
  rel=${trees[$v]#/usr/src/linux-headers-}
  "$replay" --kernel "$v" --target "${trees[$v]}" --modules "$cache/$rel/lib/modules/$rel" "$b" >"$b/replay.jsonl" 2>"$b/replay.err" || rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL $v: loader-replay exited $rc: $(head -c 500 "$b/replay.err")"; fail=1; continue
  fi
  python3 "$src/tests/loader-compare.py" --label "$v random" "$b/oracle.jsonl" "$b/replay.jsonl" || fail=1
  python3 "$src/tests/abi/first_reason.py" "$MODFORGE" "${trees[$v]}" "$cache/$rel/lib/modules/$rel" "$b" || fail=1
done
[ $fail -eq 0 ] || echo "FAIL (SEED=$seed)"
exit $fail
