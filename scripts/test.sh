#!/usr/bin/env bash
# Runs every test tier: set up (packages + build), then CTest (unit, golden corpus,
# differential tests against the real tools, kbuild integration).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/setup.sh"
ctest --test-dir "$here/build" --output-on-failure -j"$(nproc)" "$@"
