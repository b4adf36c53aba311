#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The headline demo, measured: on a generator trained at the window's
# defaults, `pick` finds 3 smiling women (A), 3 neutral women (B) and 3
# neutral men (C) with LatentLab's attribute probe, each group from 4 fresh
# batches of 64; `arithmetic` draws mean(A) - mean(B) + mean(C); the probe
# judges whether that is a smiling man. 10 trials (batch seeds 1000t, 1000t +
# 100, 1000t + 200).
#
#   bench/quality_demo.sh [CHECKPOINT] [PROBE]
#
# Defaults: bench/quality_faces.sh's stable seed-1 run at epoch 60 and the
# probe bench/quality_projection.sh trains.
set -euo pipefail
source "$(dirname "$0")/quality/bench_env.sh"  # env, build, $PY, $CLI
ck="${1:-$LATENTLAB_ROOT/bench-results/faces/noise02-seed1/checkpoints/ckpt-e0060-i000003840.llck}"
probe="${2:-$LATENTLAB_ROOT/bench-results/projection/faces.llprobe}"
out="${DEMO_OUT:-$LATENTLAB_ROOT/bench-results/demo}"
mkdir -p "$out"
[ -f "$probe" ] || "$CLI" probe --data synthetic:4096 --image-size 32 --seed 1 --out "$probe" >/dev/null 2>&1
results=()
for t in $(seq 1 10); do
  a=$("$CLI" pick --checkpoint "$ck" --probe "$probe" --want Smiling,-Male --seed $((1000 * t)) 2>/dev/null)
  b=$("$CLI" pick --checkpoint "$ck" --probe "$probe" --want -Smiling,-Male --seed $((1000 * t + 100)) 2>/dev/null)
  c=$("$CLI" pick --checkpoint "$ck" --probe "$probe" --want -Smiling,Male --seed $((1000 * t + 200)) 2>/dev/null)
  "$CLI" arithmetic --checkpoint "$ck" --a "$a" --b "$b" --c "$c" --out "$out/trial$t.png" --result "$out/trial$t.npy" >/dev/null
  echo "trial $t: --a $a --b $b --c $c"
  results+=("$out/trial$t.npy")
done
"$PY" "$LATENTLAB_ROOT/bench/quality/demo_eval.py" --probe "$probe" "${results[@]}"
