#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Measures grain: pixel noise that a feature-based Frechet distance does not see.

    python grain.py REAL_DIR SAMPLES.npy...

For every image, the mean absolute difference between it and its 3x3 box blur,
over the 6 x 6 pixels of each corner (the background of the built-in faces,
which is smooth in the real images), in 8-bit levels. Prints the real images'
mean and each sample file's mean: grain is what a file has above the real one.
"""
import os
import sys

import numpy as np
from PIL import Image


def corner_grain(batch):
    x = batch.astype(np.float32)  # [N, C, S, S]
    pad = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="edge")
    s = x.shape[-1]
    blur = sum(pad[:, :, dy:dy + s, dx:dx + s] for dy in range(3) for dx in range(3)) / 9.0
    diff = np.abs(x - blur)
    k = 6
    corners = [diff[:, :, :k, :k], diff[:, :, :k, -k:], diff[:, :, -k:, :k], diff[:, :, -k:, -k:]]
    return float(np.mean([c.mean() for c in corners]))


def main():
    real_dir, files = sys.argv[1], sys.argv[2:]
    images = sorted(f for f in os.listdir(real_dir) if f.endswith(".png"))
    real = np.stack([np.asarray(Image.open(os.path.join(real_dir, f)).convert("RGB")).transpose(2, 0, 1)
                     for f in images])
    print(f"real ({len(real)} images): {corner_grain(real):.2f}")
    for f in files:
        print(f"{f}: {corner_grain(np.load(f)):.2f}")


if __name__ == "__main__":
    main()
