#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Reproduces docs/QUALITY.md's Fashion-MNIST comparison in one command: the
# plain PyTorch reference recipe and LatentLab's recipes, each for one epoch
# over the 60,000 training images, several seeds, each scored by
# bench/quality/fmnist_eval.py (Frechet distance in a Fashion-MNIST
# classifier's features; lower is better) on 512 eval-mode samples.
#
#   bench/quality_fmnist.sh [SIZE] [SEEDS] [SIDES]
#   bench/quality_fmnist.sh 64 "1 2 3" "reference dcgan stable"   # the documented run
#   bench/quality_fmnist.sh 32 "1 2 3" "dcgan stable"             # the quicker search size
#   bench/quality_fmnist.sh 32 1 "noise02=stable,--instance-noise=0.2"  # a variant
#
# A side is `reference`, a recipe name, or LABEL=RECIPE,--flag=value,... (a
# recipe with extra train flags, reported under LABEL).
#
# One 64-px epoch takes 12-15 minutes per run on 2 cores; results go to
# bench-results/quality-SIZE/ (one folder per side and seed) and a table is printed.
set -euo pipefail
source "$(dirname "$0")/quality/bench_env.sh"  # env, build, $PY, $CLI
size="${1:-64}"
seeds="${2:-1 2 3}"
sides="${3:-reference dcgan stable}"
DATA="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}/train-images-idx3-ubyte.gz"
out="$LATENTLAB_ROOT/bench-results/quality-$size"
mkdir -p "$out"
samples=()
for side in $sides; do
  for seed in $seeds; do
    dir="$out/${side%%=*}-seed$seed"
    if [ "$side" = reference ]; then
      [ -f "$dir/samples.npy" ] || "$PY" "$LATENTLAB_ROOT/bench/quality/reference_dcgan.py" \
        --image-size "$size" --seed "$seed" --threads 2 --out "$dir" >"$dir.log" 2>&1
      samples+=("$dir/samples.npy")
    else
      recipe="${side#*=}"
      IFS=, read -r -a flags <<<"$recipe"
      if [ ! -f "$dir/samples.npy" ]; then
        rm -rf "$dir"
        "$CLI" train --data "$DATA" --out "$dir" --image-size "$size" --epochs 1 --batch-size 64 \
          --seed "$seed" --sample-every 0 --recipe "${flags[@]}" >"$dir.log" 2>&1
        "$CLI" sample --checkpoint "$dir/checkpoints/latest.llck" --out "$dir/samples.npy" --count 512 --seed 12345 >/dev/null
        "$CLI" sample --checkpoint "$dir/checkpoints/latest.llck" --out "$dir/grid.png" --count 64 --seed 12345 >/dev/null
      fi
      samples+=("$dir/samples.npy")
    fi
  done
done
"$PY" "$LATENTLAB_ROOT/bench/quality/fmnist_eval.py" score --json "${samples[@]}" >"$out/scores.json"
"$PY" - "$out/scores.json" <<'PY'
import json, statistics, sys, os
rows = json.load(open(sys.argv[1]))
by_side = {}
for r in rows:
    side = os.path.basename(os.path.dirname(r["file"])).rsplit("-seed", 1)[0]
    by_side.setdefault(side, []).append(r["fd_matched"])
print(f"{'side':12} {'seeds':>5} {'mean':>7} {'sd':>6} {'best':>7} {'worst':>7} worst/best")
for side, v in by_side.items():
    sd = statistics.stdev(v) if len(v) > 1 else 0.0
    print(f"{side:12} {len(v):5d} {statistics.mean(v):7.1f} {sd:6.1f} {min(v):7.1f} {max(v):7.1f} {max(v)/min(v):9.2f}")
PY
