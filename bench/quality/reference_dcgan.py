#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference DCGAN on Fashion-MNIST in plain PyTorch: the recipe of the
classic pytorch/examples DCGAN script (re-written, no torchvision), used as
the quality baseline that LatentLab's trainer is scored against.

    python reference_dcgan.py --image-size 32 --max-images 6400 --seed 1 --out /tmp/ref32

Data: the train IDX file; each 28x28 image is resized to --image-size with
PIL Image.resize(BILINEAR) (what torchvision's Resize does to PIL images),
scaled to [0,1] (ToTensor) and normalised with mean 0.5, std 0.5 to [-1,1].
Batches follow DataLoader(shuffle=True, drop_last=False): a fresh permutation
each epoch from one torch.Generator seeded with --seed; the last partial batch
is kept.

Writes to --out: samples.npy (uint8 [512,1,S,S], G in eval mode, i.e. BN
running statistics), samples_train_mode.npy (the same latents with G in train
mode, BN statistics of the 512-sample batch), grid.png (the first 64 eval-mode
samples, 8x8, 2 px padding), log.jsonl (every 50 iterations and the last) and
summary.json.
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
from PIL import Image
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from dcgan_pytorch import discriminator, generator, init_weights  # noqa: E402

DATA_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
SAMPLE_COUNT = 512
SAMPLE_SEED = 12345


def read_train_images():
    with gzip.open(os.path.join(DATA_DIR, "train-images-idx3-ubyte.gz"), "rb") as f:
        raw = f.read()
    if int.from_bytes(raw[0:4], "big") != 0x0803:
        raise ValueError("not an IDX3 unsigned-byte image file")
    n, h, w = (int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, h, w)


def make_batch(images, indices, size):
    """PIL bilinear resize -> [0,1] -> normalise(0.5, 0.5): float [B,1,S,S] in [-1,1]."""
    out = np.empty((len(indices), 1, size, size), dtype=np.float32)
    for j, i in enumerate(indices.tolist()):
        im = Image.fromarray(images[i])
        if im.size != (size, size):
            im = im.resize((size, size), Image.BILINEAR)
        out[j, 0] = np.asarray(im, dtype=np.float32) / 255.0
    return (torch.from_numpy(out) - 0.5) / 0.5


def to_uint8(x):
    return ((x + 1) * 127.5).round().clamp(0, 255).to(torch.uint8).numpy()


def save_grid(samples, path, nrow=8, pad=2):
    """samples uint8 [N,1,S,S]; like torchvision make_grid: black padding, also around the border."""
    n, _, s, _ = samples.shape
    ncol = math.ceil(n / nrow)
    grid = np.zeros((ncol * (s + pad) + pad, nrow * (s + pad) + pad), dtype=np.uint8)
    for i in range(n):
        r, c = divmod(i, nrow)
        grid[pad + r * (s + pad):pad + r * (s + pad) + s, pad + c * (s + pad):pad + c * (s + pad) + s] = samples[i, 0]
    Image.fromarray(grid).save(path)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--image-size", type=int, default=64, choices=(32, 64, 128))
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--max-images", type=int, default=None, help="stop after this many training images")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--nz", type=int, default=100)
    p.add_argument("--ngf", type=int, default=64)
    p.add_argument("--ndf", type=int, default=64)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--beta1", type=float, default=0.5)
    p.add_argument("--out", required=True)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    images = read_train_images()
    nc, size, nz = 1, a.image_size, a.nz

    net_g = generator(nz, a.ngf, nc, size)
    net_g.apply(init_weights)
    net_d = discriminator(a.ndf, nc, size, sigmoid=True)
    net_d.apply(init_weights)
    criterion = nn.BCELoss()
    opt_d = torch.optim.Adam(net_d.parameters(), lr=a.lr, betas=(a.beta1, 0.999))
    opt_g = torch.optim.Adam(net_g.parameters(), lr=a.lr, betas=(a.beta1, 0.999))
    shuffle = torch.Generator().manual_seed(a.seed)

    n = len(images)
    limit = a.max_images if a.max_images is not None else a.epochs * n
    seen, iteration, data_seconds = 0, 0, 0.0
    last = {}
    log = open(os.path.join(a.out, "log.jsonl"), "w")
    start = time.perf_counter()
    for epoch in range(a.epochs):
        perm = torch.randperm(n, generator=shuffle)
        for b0 in range(0, n, a.batch_size):
            if seen >= limit:
                break
            idx = perm[b0:min(b0 + a.batch_size, n, b0 + limit - seen)]
            t0 = time.perf_counter()
            real = make_batch(images, idx, size)
            data_seconds += time.perf_counter() - t0
            b = real.shape[0]

            # D: maximise log D(x) + log(1 - D(G(z)))
            net_d.zero_grad()
            out = net_d(real).view(-1)
            err_d_real = criterion(out, torch.full((b,), 1.0))
            err_d_real.backward()
            d_x = out.mean().item()
            noise = torch.randn(b, nz, 1, 1)
            fake = net_g(noise)
            out = net_d(fake.detach()).view(-1)
            err_d_fake = criterion(out, torch.full((b,), 0.0))
            err_d_fake.backward()
            d_g_z1 = out.mean().item()
            err_d = err_d_real + err_d_fake
            opt_d.step()

            # G: maximise log D(G(z))
            net_g.zero_grad()
            out = net_d(fake).view(-1)
            err_g = criterion(out, torch.full((b,), 1.0))
            err_g.backward()
            d_g_z2 = out.mean().item()
            opt_g.step()

            seen += b
            iteration += 1
            last = dict(iteration=iteration, epoch=epoch, images_seen=seen, loss_d=err_d.item(),
                        loss_g=err_g.item(), d_x=d_x, d_g_z1=d_g_z1, d_g_z2=d_g_z2)
            if iteration % 50 == 0:
                log.write(json.dumps(last) + "\n")
                log.flush()
        if seen >= limit:
            break
    if last and last["iteration"] % 50 != 0:
        log.write(json.dumps(last) + "\n")
    log.close()
    seconds = time.perf_counter() - start

    fixed_noise = torch.randn(SAMPLE_COUNT, nz, 1, 1, generator=torch.Generator().manual_seed(SAMPLE_SEED))
    with torch.no_grad():
        net_g.eval()
        samples = to_uint8(net_g(fixed_noise))
        net_g.train()  # batch statistics; this also moves the running stats, so it comes second
        samples_train = to_uint8(net_g(fixed_noise))
    np.save(os.path.join(a.out, "samples.npy"), samples)
    np.save(os.path.join(a.out, "samples_train_mode.npy"), samples_train)
    save_grid(samples[:64], os.path.join(a.out, "grid.png"))

    summary = dict(seconds=seconds, images_per_s=seen / seconds if seconds > 0 else None,
                   data_seconds=data_seconds, seed=a.seed, iterations=iteration, images_seen=seen,
                   torch=torch.__version__, threads=torch.get_num_threads(), settings=vars(a), last=last)
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(json.dumps({k: summary[k] for k in ("seconds", "images_per_s", "iterations", "images_seen")}))


if __name__ == "__main__":
    main()
