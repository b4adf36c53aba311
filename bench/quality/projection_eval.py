#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scores a projection of held-out faces (bench/quality_projection.sh).

    python projection_eval.py --probe P.llprobe --originals DIR --attributes LIST \
        --reconstructions R.npy --random S.npy

DIR holds the held-out PNGs (`latentlab-cli synthetic`), in the order
`project` was given them (sorted names); R.npy their reconstructions
(`sample --latents FILE#0,...`), S.npy random samples of the same generator.
Prints, per image and on average, the per-pixel mean squared error in [-1, 1]
of the reconstruction and of the nearest random sample, and how often
LatentLab's attribute probe (loaded here into PyTorch from its safetensors
file) gives the reconstruction the attribute it gives the original, per
attribute, and the originals' true attributes.
"""
import argparse
import json
import os

import numpy as np
import torch
from PIL import Image
from safetensors import safe_open

VISIBLE = ["Male", "Smiling", "Mustache", "Eyeglasses", "Black_Hair", "Brown_Hair", "Blond_Hair", "Red_Hair",
           "Gray_Hair", "Long_Hair"]


def load_probe(path):
    with safe_open(path, "pt") as f:
        meta = f.metadata()
        state = {k: f.get_tensor(k) for k in f.keys()}
    names = json.loads(meta["names"])
    c = int(meta["channels"])
    nn = torch.nn
    net = nn.Sequential(nn.Conv2d(c, 32, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(32, 64, 4, 2, 1), nn.BatchNorm2d(64),
                        nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1), nn.LeakyReLU(0.2), nn.AdaptiveAvgPool2d(4),
                        nn.Flatten(), nn.Linear(128 * 16, len(names)))
    net.load_state_dict(state)
    return net.eval(), names


def to_float(u8):
    return torch.from_numpy(u8.astype(np.float32) / 127.5 - 1.0)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--probe", required=True)
    p.add_argument("--originals", required=True)
    p.add_argument("--attributes", required=True)
    p.add_argument("--reconstructions", required=True)
    p.add_argument("--random", required=True)
    a = p.parse_args()
    files = sorted(f for f in os.listdir(a.originals) if f.endswith(".png"))
    originals = np.stack([np.asarray(Image.open(os.path.join(a.originals, f)).convert("RGB")).transpose(2, 0, 1)
                          for f in files])
    recon, rand = np.load(a.reconstructions), np.load(a.random)
    x, r, s = to_float(originals), to_float(recon), to_float(rand)
    assert x.shape == r.shape, (x.shape, r.shape)
    mse = ((x - r) ** 2).flatten(1).mean(1)
    nearest = torch.stack([((s - xi) ** 2).flatten(1).mean(1).min() for xi in x])
    net, names = load_probe(a.probe)
    with torch.no_grad():
        po, pr = torch.sigmoid(net(x)) > 0.5, torch.sigmoid(net(r)) > 0.5
    lines = open(a.attributes).read().split("\n")
    header = lines[1].split()
    truth = {}
    for line in lines[2:]:
        parts = line.split()
        if parts:
            truth[parts[0]] = [int(v) > 0 for v in parts[1:]]
    true = torch.tensor([[truth[f][header.index(n)] for n in names] for f in files])
    print(f"images: {len(files)}")
    print(f"pixel MSE in [-1, 1]: reconstruction {mse.mean():.4f} (median {mse.median():.4f}), nearest of "
          f"{len(rand)} random samples {nearest.mean():.4f} (median {nearest.median():.4f}); reconstruction below "
          f"nearest for {(mse < nearest).sum().item()} of {len(files)}")
    print(f"probe on the originals agrees with their true attributes: {(po == true).float().mean():.3f}")
    print("attribute kept (probe on reconstruction = probe on original), per attribute:")
    kept_all = []
    for n in VISIBLE:
        if n not in names:
            continue
        i = names.index(n)
        kept = (pr[:, i] == po[:, i]).float().mean().item()
        kept_all.append(kept)
        print(f"  {n:12s} {kept:.3f}  (present in {po[:, i].sum().item()} originals)")
    every = (pr[:, [names.index(n) for n in VISIBLE if n in names]] == po[:, [names.index(n) for n in VISIBLE
                                                                                  if n in names]]).all(1)
    print(f"  mean over attributes {np.mean(kept_all):.3f}; images keeping every visible attribute: "
          f"{every.sum().item()} of {len(files)}")


if __name__ == "__main__":
    main()
