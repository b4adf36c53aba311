#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One prepared run on a machine with an NVIDIA GPU: builds the core, the CLI and
# the CUDA tests (the headless preset: no Qt, no OpenCV), runs the CTest label
# `cuda`, then the speed benchmarks, and prints one table. Needs LibTorch through
# a Python torch (the pinned wheel), CMake and a C++ compiler; header-only
# libraries the server lacks come from build-gpu-deps/ (bench/gpu/prepare.sh).
#
#   bench/gpu/check.sh                 # everything, results also under $OUT when set
#   CHECK_SKIP_COMPILE=1 bench/gpu/check.sh   # without the torch.compile side (it compiles for minutes)
#   CHECK_SKIP_QUALITY=1 bench/gpu/check.sh   # without the bf16-against-fp32 Fashion-MNIST score
#
# Budget: under 8 minutes on 16 cores with an H100 or H200.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${OUT:-$root/build-gpu-check}"
mkdir -p "$out"
log="$out/gpu-check.log"
exec > >(tee "$log") 2>&1
start=$(date +%s)
say() { printf '[%4ds] %s\n' $(( $(date +%s) - start )) "$*"; }

py="${LATENTLAB_PYTHON:-$(command -v python3)}"
"$py" -c "import torch" 2>/dev/null || { say "$py cannot import torch: set LATENTLAB_PYTHON to a Python with the pinned wheel"; exit 2; }
say "python: $py, $("$py" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "devices", torch.cuda.device_count())' 2>&1)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
say "cores: $(nproc); cmake $(cmake --version | head -1 | awk '{print $3}'); $(c++ --version | head -1)"

# Header-only libraries and zlib's headers: the server's, else the carried copies.
deps="$root/build-gpu-deps/include"
extra=()
for h in nlohmann/json.hpp CLI/CLI.hpp; do
  if [ ! -f "/usr/include/$h" ] && [ ! -f "$deps/$h" ]; then
    say "missing $h: run bench/gpu/prepare.sh here first and carry build-gpu-deps"; exit 2
  fi
done
extra+=("-DLATENTLAB_EXTRA_INCLUDE=$deps")
if [ ! -f /usr/include/zlib.h ]; then
  libz=$(ldconfig -p | awk '/libz\.so\.1 .*x86-64/ {print $NF; exit}')
  [ -f "$deps/zlib.h" ] && [ -n "$libz" ] || { say "no zlib headers or libz.so.1"; exit 2; }
  extra+=("-DZLIB_INCLUDE_DIR=$deps" "-DZLIB_LIBRARY=$libz")
fi

build="$root/build-headless"
if command -v ninja >/dev/null; then
  cmake --preset headless -DLATENTLAB_PYTHON="$py" "${extra[@]}" >"$out/configure.log" 2>&1
else  # the preset's settings, with Make instead of Ninja
  cmake -S "$root" -B "$build" -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Release -DLATENTLAB_PYTHON="$py" \
    -DLATENTLAB_BUILD_GUI=OFF -DLATENTLAB_WITH_OPENCV=OFF -DCMAKE_DISABLE_FIND_PACKAGE_OpenCV=ON \
    -DCMAKE_DISABLE_FIND_PACKAGE_GIF=ON "${extra[@]}" >"$out/configure.log" 2>&1
fi || { tail -30 "$out/configure.log"; say "configure failed"; exit 3; }
say "configured ($(grep -c . "$out/configure.log") lines in configure.log)"
cmake --build "$build" -j"$(nproc)" --target latentlab-cli test_cuda latentlab_cuda_graphs >"$out/build.log" 2>&1 ||
  { grep -m20 -B2 -A8 "error" "$out/build.log"; say "build failed"; exit 4; }
say "built"

ctest --test-dir "$build" -L cuda --output-on-failure -V >"$out/ctest.log" 2>&1
ctest_rc=$?
sed 's/^[0-9]*: //' "$out/ctest.log" | grep -E "^(PASS|FAIL|SKIP)|of [0-9]+ passed|tests passed|Skipped|\*\*\*"
say "ctest -L cuda: exit $ctest_rc"
if [ "$("$py" -c 'import torch; print(torch.cuda.device_count())' 2>/dev/null)" = 0 ]; then
  say "no CUDA device here: the benchmarks need one (built and tested what runs without)"
  exit 5
fi

cli="$build/app/cli/latentlab-cli"
results="$out/bench.jsonl"
: >"$results"
ours() {  # SIZE BATCH PLACEMENT ITERS [PRECISION] [GRAPHS]; the lecture's step, as the Python script runs it
  local j side="latentlab $3 ${5:-fp32}${6:+ graphs}"
  j=$("$cli" bench --device cuda --image-size "$1" --batch-size "$2" --data-placement "$3" --iters "$4" --warmup 10 \
      --recipe dcgan --precision "${5:-fp32}" --cuda-graphs "${6:-off}" --json 2>"$out/bench-err.log") &&
    echo "{\"side\": \"$side\", \"report\": $(tr -d '\n' <<<"$j")}" >>"$results" ||
    { say "$side $1 px batch $2 failed: $(tail -3 "$out/bench-err.log")"; }
  grep -h "^note:" "$out/bench-err.log" | head -3
}
theirs() {  # SIZE BATCH COMPILE ITERS [TIMEOUT]
  local j
  j=$(timeout "${5:-120}" "$py" "$root/bench/dcgan_pytorch.py" --device cuda --image-size "$1" --batch-size "$2" \
      --compile "$3" --iters "$4" --warmup 10 --json 2>"$out/pytorch-err.log") &&
    echo "{\"side\": \"pytorch $3\", \"report\": $(tr -d '\n' <<<"$j")}" >>"$results" ||
    { say "pytorch $3 $1 px batch $2 failed or timed out: $(tail -3 "$out/pytorch-err.log")"; }
}
for batch in 128 1024; do
  iters=$(( batch == 128 ? 300 : 100 ))
  ours 64 "$batch" device "$iters"; say "latentlab device batch $batch"
  ours 64 "$batch" host "$iters"; say "latentlab host batch $batch"
  ours 64 "$batch" device "$iters" bf16; say "latentlab device bf16 batch $batch"
  ours 64 "$batch" device "$iters" fp32 on; say "latentlab device fp32 CUDA graphs batch $batch"
  ours 64 "$batch" device "$iters" bf16 on; say "latentlab device bf16 CUDA graphs batch $batch"
  theirs 64 "$batch" none "$iters"; say "pytorch eager batch $batch"
done
if [ -z "${CHECK_SKIP_COMPILE:-}" ]; then
  theirs 64 128 max-autotune 300 240; say "pytorch max-autotune batch 128"
fi

# bf16 against fp32 on Fashion-MNIST: 1 epoch at 64 px, seeds 1-3 each, scored by the
# project's evaluator on this machine (docs/QUALITY.md; target: within 10%).
deps_root="$root/build-gpu-deps"
if [ -f "$deps_root/fashion-mnist/train-images-idx3-ubyte.gz" ] && [ -z "${CHECK_SKIP_QUALITY:-}" ]; then
  for precision in fp32 bf16; do for seed in 1 2 3; do
    run="$out/fmnist-$precision-seed$seed"
    rm -rf "$run"
    "$cli" train --data "$deps_root/fashion-mnist/train-images-idx3-ubyte.gz" --out "$run" --image-size 64 --epochs 1 \
      --batch-size 64 --seed "$seed" --device cuda --precision "$precision" --sample-every 0 >"$run.log" 2>&1 &&
      "$cli" sample --checkpoint "$run/checkpoints/latest.llck" --out "$run/samples.npy" --count 512 --seed 12345 \
        >/dev/null 2>>"$run.log" ||
      say "fmnist $precision failed: $(tail -3 "$run.log")"
    say "fmnist $precision seed $seed: $(grep -m1 'epoch 1 done' "$run.log")"
  done; done
  FASHION_MNIST_DIR="$deps_root/fashion-mnist" XDG_CACHE_HOME="$deps_root/cache" \
    "$py" "$root/bench/quality/fmnist_eval.py" score --json "$out"/fmnist-*/samples.npy >"$out/fmnist-scores.json" \
    2>"$out/fmnist-eval.log" || say "scoring failed: $(tail -3 "$out/fmnist-eval.log")"
  "$py" - "$out/fmnist-scores.json" <<'PY'
import json, os, sys
for r in json.load(open(sys.argv[1])):
    print(f"  {os.path.basename(os.path.dirname(r['file'])):14} fd_matched {r['fd_matched']:.1f}")
PY
fi

"$py" - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(f"\n{'side':26} {'px':>3} {'batch':>5} {'images/s':>10} {'ms/iter':>8}  device")
for r in rows:
    t = r["report"]
    print(f"{r['side']:26} {t['image_size']:3d} {t['batch_size']:5d} {t['images_per_second']:10.0f} "
          f"{t['ms_per_iteration']:8.2f}  {t['device']}")
PY
say "done (ctest exit $ctest_rc)"
exit $ctest_rc
