#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `latentlab-cli bench --device cuda` runs, with batches made on the device and
# on host threads. Exits 77 (skipped) where there is no CUDA device.
set -uo pipefail
cli="$1"
for placement in device host; do
  out=$("$cli" bench --device cuda --data-placement "$placement" --image-size 32 --batch-size 64 \
        --iters 20 --warmup 3 --json 2>&1)
  rc=$?
  if grep -q "no CUDA device is available\|no CUDA support installed" <<<"$out"; then
    echo "SKIP: no CUDA device ($out)"
    exit 77
  fi
  if [ $rc -ne 0 ]; then echo "bench --data-placement $placement failed ($rc): $out"; exit 1; fi
  grep -q '"device": "cuda' <<<"$out" || { echo "not on CUDA: $out"; exit 1; }
  want=false; [ "$placement" = device ] && want=true
  grep -q "\"batches_on_device\": $want" <<<"$out" || { echo "batches_on_device is not $want: $out"; exit 1; }
  echo "$placement: $(grep images_per_second <<<"$out")"
done
