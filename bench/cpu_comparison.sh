#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# latentlab-cli bench and the plain PyTorch script side by side, same model,
# step, batch and torch version, each at its default settings, one after the
# other on an otherwise idle machine.
# Usage: bench/cpu_comparison.sh [IMAGE_SIZE] [BATCH] [ITERS] [DEVICE]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/env.sh"
size="${1:-64}"; batch="${2:-128}"; iters="${3:-50}"; device="${4:-cpu}"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "== latentlab-cli bench --image-size $size --batch-size $batch --iters $iters --device $device --recipe dcgan"
"$LATENTLAB_BUILD/app/cli/latentlab-cli" bench --image-size "$size" --batch-size "$batch" --iters "$iters" --device "$device" \
  --recipe dcgan
echo "== python bench/dcgan_pytorch.py --image-size $size --batch-size $batch --iters $iters --device $device"
"$LATENTLAB_VENV/bin/python" "$root/bench/dcgan_pytorch.py" --image-size "$size" --batch-size "$batch" \
  --iters "$iters" --device "$device" 2>/dev/null
