#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 9's projection bar on the built-in faces: 64 held-out faces (seed 999,
# never trained on) are projected into a generator trained at the window's
# defaults; the reconstructions are compared with the nearest of 4096 random
# samples (pixel MSE) and judged by LatentLab's attribute probe (trained on
# the run's own faces, seed 1).
#
#   bench/quality_projection.sh [CHECKPOINT] [PROJECT FLAGS...]
#   bench/quality_projection.sh bench-results/faces/noise02-seed1/checkpoints/latest.llck
#
# The default checkpoint is bench/quality_faces.sh's seed-1 run (window defaults).
set -euo pipefail
source "$(dirname "$0")/quality/bench_env.sh"  # env, build, $PY, $CLI
ck="${1:-$LATENTLAB_ROOT/bench-results/faces/noise02-seed1/checkpoints/latest.llck}"
shift || true
out="${PROJECTION_OUT:-$LATENTLAB_ROOT/bench-results/projection}"
mkdir -p "$out"
[ -d "$out/heldout" ] || "$CLI" synthetic --out "$out/heldout" --count 64 --size 32 --seed 999 >/dev/null
[ -f "$out/faces.llprobe" ] || "$CLI" probe --data synthetic:4096 --image-size 32 --seed 1 --out "$out/faces.llprobe" \
  >"$out/probe.log" 2>&1
"$CLI" project --checkpoint "$ck" --images "$out/heldout/img_align_celeba" --out "$out/latents.json" --seed 1 "$@" \
  >"$out/project.log" 2>&1
refs=$(seq -s, -f "$out/latents.json#%g" 0 63)
"$CLI" sample --checkpoint "$ck" --latents "$refs" --out "$out/reconstructions.npy" >/dev/null
"$CLI" sample --checkpoint "$ck" --count 4096 --seed 12345 --out "$out/random.npy" >/dev/null
"$PY" "$LATENTLAB_ROOT/bench/quality/projection_eval.py" --probe "$out/faces.llprobe" \
  --originals "$out/heldout/img_align_celeba" --attributes "$out/heldout/list_attr_celeba.txt" \
  --reconstructions "$out/reconstructions.npy" --random "$out/random.npy"
