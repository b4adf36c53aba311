#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Run on a development machine before bench/gpu/check.sh goes to a GPU server:
# copies the header-only libraries the build needs (nlohmann-json, CLI11, and
# zlib's headers, all from this machine's Debian packages) into
# build-gpu-deps/include, and Fashion-MNIST with the trained quality evaluator
# into build-gpu-deps/ (about 32 MB): an ignored folder that travels with the
# work tree (the device tool's `carry`). check.sh uses the server's own copies where it
# has them and these otherwise.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/build-gpu-deps/include"
rm -rf "$root/build-gpu-deps"
mkdir -p "$dest"
for dir in /usr/include/nlohmann /usr/include/CLI; do
  [ -d "$dir" ] || { echo "prepare: $dir is missing (run scripts/setup)" >&2; exit 1; }
  cp -r "$dir" "$dest/"
done
cp /usr/include/zlib.h /usr/include/zconf.h "$dest/" 2>/dev/null ||
  cp /usr/include/zlib.h /usr/include/x86_64-linux-gnu/zconf.h "$dest/"
# Fashion-MNIST and the cached quality evaluator, for check.sh's bf16-against-fp32 score.
fm="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
evals="${XDG_CACHE_HOME:-$HOME/.cache}/latentlab/eval"
if [ -f "$fm/train-images-idx3-ubyte.gz" ] && [ -f "$evals/fmnist_classifier.pt" ]; then
  mkdir -p "$root/build-gpu-deps/fashion-mnist" "$root/build-gpu-deps/cache/latentlab/eval"
  cp "$fm"/*.gz "$root/build-gpu-deps/fashion-mnist/"
  cp "$evals"/fmnist_classifier* "$root/build-gpu-deps/cache/latentlab/eval/"
else
  echo "prepare: no Fashion-MNIST or no trained evaluator (run bench/quality_fmnist.sh once): check.sh will skip the bf16 score"
fi
du -sh "$root/build-gpu-deps"
