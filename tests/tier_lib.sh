# shellcheck shell=bash
# Sourced by the script tiers (kbuild_modpost.sh, kernel_modpost.sh, kernel_loader_random.sh,
# loader_cli.sh) right after `set -euo pipefail`.
#
# tier_args NAME "$@": the command line "TOOL SOURCE_DIR [6.1|6.12 ...]" (NAME is TOOL in the
# usage line): $tool and $src as real paths, $versions (both when none is named).
tier_args() {
  local name=$1
  shift
  [ $# -ge 2 ] || { echo "usage: $0 $name SOURCE_DIR [6.1|6.12 ...]" >&2; exit 2; }
  tool=$(realpath "$1") src=$(realpath "$2")
  shift 2
  versions=("$@"); [ $# -gt 0 ] || versions=(6.1 6.12)
  [ -x "$tool" ] || { echo "FAIL: $tool is missing or not executable"; exit 1; }
}

# need_qemu_tier TOOL... (after tier_args or with $src set): $oracle (kernel-oracle.sh:
# MODFORGE_ORACLE, else the one beside the repository) and $cache (the kernel images and
# shipped modules it unpacked: ORACLE_CACHE); fails the test at once (exit 1) when the
# oracle, qemu, busybox, python3 or one of the TOOLs is missing.
need_qemu_tier() {
  oracle=${MODFORGE_ORACLE:-$src/../shared/tools/kernel-oracle.sh}
  cache=${ORACLE_CACHE:-$HOME/.cache/modforge-oracle}
  [ -f "$oracle" ] || { echo "FAIL: kernel-oracle.sh not found at $oracle (set MODFORGE_ORACLE)"; exit 1; }
  local t
  for t in qemu-system-x86_64 busybox python3 "$@"; do
    command -v "$t" >/dev/null || { echo "FAIL: $t is missing (run scripts/setup.sh)"; exit 1; }
  done
}

# abi_tier_init: what the check-load qemu tiers share: $abi (the package cache of
# tests/corpus/fetch-abi-history.sh), $work (removed at exit unless MODFORGE_KEEP), now/ms
# (milliseconds since a now), $t_all.
abi_tier_init() {
  abi=${MODFORGE_ABI_CACHE:-$HOME/.cache/modforge-abi}
  work=$(mktemp -d)
  if [ -n "${MODFORGE_KEEP:-}" ]; then echo "work dir: $work"; else trap 'rm -rf "$work"' EXIT; fi
  now() { date +%s%N; }
  ms() { echo $(( ($(now) - $1) / 1000000 )); }
  t_all=$(now)
}
