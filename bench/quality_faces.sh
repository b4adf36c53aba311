#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Reproduces docs/QUALITY.md's built-in faces numbers at the window's defaults
# (core/train/quick_start.h: 4096 faces, 32 px, batch 64, ngf 48, ndf 32, 60
# epochs): each seed's run keeps every epoch's checkpoint, 512 eval-mode samples
# are drawn at epoch 15 (about a minute on 2 cores) and epoch 60 (the end), and
# bench/quality/faces_eval.py scores them (Frechet distance in a face-attribute
# classifier's features; lower is better).
#
#   bench/quality_faces.sh [SEEDS] [SIDE]
#   bench/quality_faces.sh "1 2 3" stable
#   bench/quality_faces.sh "1 2 3" "noise02=stable,--instance-noise=0.2"
#
# SIDE is a recipe name or LABEL=RECIPE,--flag=value,... (a '+' in a value
# stands for a comma: --augment=translation+color); --ngf and --ndf in SIDE
# replace the window's 48 and 32. About 4.5 minutes per seed on an idle
# 2-core machine; results go to bench-results/faces/.
set -euo pipefail
source "$(dirname "$0")/quality/bench_env.sh"  # env, build, $PY, $CLI
seeds="${1:-1 2 3}"
side="${2:-stable}"
out="$LATENTLAB_ROOT/bench-results/faces"
label="${side%%=*}"
IFS=, read -r -a flags <<<"${side#*=}"
flags=("${flags[@]//+/,}")
widths=()
[[ " ${flags[*]} " == *" --ngf="* ]] || widths+=(--ngf 48)
[[ " ${flags[*]} " == *" --ndf="* ]] || widths+=(--ndf 32)
mkdir -p "$out"
samples=()
for seed in $seeds; do
  dir="$out/$label-seed$seed"
  if [ ! -f "$dir/e60.npy" ]; then
    rm -rf "$dir"
    "$CLI" train --data synthetic:4096 --out "$dir" --image-size 32 --epochs 60 --batch-size 64 "${widths[@]}" \
      --seed "$seed" --keep 1000 --sample-every 0 --recipe "${flags[@]}" >"$dir.log" 2>&1
    for e in 15 60; do
      ck=$(ls "$dir"/checkpoints/ckpt-e$(printf %04d "$e")-*.llck)
      "$CLI" sample --checkpoint "$ck" --out "$dir/e$e.npy" --count 512 --seed 12345 >/dev/null
    done
    "$CLI" sample --checkpoint "$dir/checkpoints/latest.llck" --out "$dir/grid.png" --count 64 --seed 12345 >/dev/null
  fi
  samples+=("$dir/e15.npy" "$dir/e60.npy")
done
"$PY" "$LATENTLAB_ROOT/bench/quality/faces_eval.py" score --json "${samples[@]}" >"$out/$label-scores.json"
"$PY" - "$out/$label-scores.json" <<'PY'
import json, os, statistics, sys
rows = json.load(open(sys.argv[1]))
by_epoch = {}
for r in rows:
    seed = os.path.basename(os.path.dirname(r["file"]))
    epoch = os.path.basename(r["file"]).split(".")[0]
    by_epoch.setdefault(epoch, []).append((seed, r["fd"], r["attribute_rate_error"]))
for epoch, v in sorted(by_epoch.items(), key=lambda kv: int(kv[0][1:])):
    fds = [fd for _, fd, _ in v]
    sd = statistics.stdev(fds) if len(fds) > 1 else 0.0
    print(f"{epoch}: " + ", ".join(f"{s} {fd:.0f} (attr {a:.3f})" for s, fd, a in v) +
          f"; mean {statistics.mean(fds):.0f} +- {sd:.0f}")
PY
