#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The trainer window's responsiveness while training at full speed on the CPU,
# beside `latentlab-cli bench` at the same settings:
#   1. latentlab-cli bench: images/s without a window;
#   2. the real window under Xvfb training the same model on the same data,
#      with a 10 ms timer on the GUI thread: the stalls (gap - 10 ms) at p50,
#      p99 and max, and the images/s the engine reported meanwhile.
# Usage: bench/gui_responsiveness.sh [SECONDS] [IMAGE_SIZE] [BATCH]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${LATENTLAB_BUILD:-$root/build}"
seconds="${1:-60}"; size="${2:-64}"; batch="${3:-128}"
data="synthetic:4096"
out="$(mktemp -d)"

echo "== latentlab-cli bench --data $data --image-size $size --batch-size $batch"
"$build/app/cli/latentlab-cli" bench --data "$data" --image-size "$size" --batch-size "$batch" --iters 30 --json \
  | tee "$out/cli.json"

echo "== latentlab (window, Xvfb) training for ${seconds}s"
xvfb-run -a -s "-screen 0 1600x1000x24" "$build/app/gui/latentlab" --data "$data" --image-size "$size" \
  --batch-size "$batch" --epochs 100 --out "$out/run" --train --measure-responsiveness "$seconds" \
  --report "$out/gui.json" 2>/dev/null
cat "$out/gui.json"
python3 - "$out/cli.json" "$out/gui.json" <<'PY'
import json, sys
cli = json.load(open(sys.argv[1])); gui = json.load(open(sys.argv[2]))
print(f"window/cli throughput: {gui['images_per_second'] / cli['images_per_second']:.2f}")
PY
