#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The comparison side of `latentlab-cli bench`: the same DCGAN, the same
iteration (D on a real batch, D on a separate fake batch, G with flipped
labels, Adam 2e-4/0.5) and the same batch, written the way a PyTorch user
would write it, run at PyTorch's default settings on random data.

    python bench/dcgan_pytorch.py --image-size 64 --batch-size 128 --iters 50
"""
import argparse
import json
import math
import resource
import time

import torch
from torch import nn


def generator(nz, ngf, nc, size):
    blocks = int(math.log2(size)) - 2
    width = ngf * 2 ** (blocks - 1)
    layers = [nn.ConvTranspose2d(nz, width, 4, 1, 0, bias=False), nn.BatchNorm2d(width), nn.ReLU(True)]
    for _ in range(blocks - 1):
        layers += [nn.ConvTranspose2d(width, width // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width // 2), nn.ReLU(True)]
        width //= 2
    layers += [nn.ConvTranspose2d(width, nc, 4, 2, 1, bias=False), nn.Tanh()]
    return nn.Sequential(*layers)


def discriminator(ndf, nc, size, sigmoid=False):
    """Logits, or probabilities with sigmoid=True (a final nn.Sigmoid, for nn.BCELoss)."""
    blocks = int(math.log2(size)) - 2
    width = ndf
    layers = [nn.Conv2d(nc, width, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True)]
    for _ in range(blocks - 1):
        layers += [nn.Conv2d(width, width * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width * 2), nn.LeakyReLU(0.2, inplace=True)]
        width *= 2
    layers += [nn.Conv2d(width, 1, 4, 1, 0, bias=False)]
    if sigmoid:
        layers += [nn.Sigmoid()]
    return nn.Sequential(*layers)


def init_weights(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--image-size", type=int, default=64)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--iters", type=int, default=50)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--device", default="auto")
    p.add_argument("--nz", type=int, default=100)
    p.add_argument("--ngf", type=int, default=64)
    p.add_argument("--ndf", type=int, default=64)
    p.add_argument("--compile", default="none", choices=["none", "default", "max-autotune"],
                   help="torch.compile both models with this mode (the compile happens in the warm-up)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args()

    device = torch.device("cuda" if a.device == "auto" and torch.cuda.is_available() else
                          ("cpu" if a.device == "auto" else a.device))
    torch.manual_seed(1)
    g = generator(a.nz, a.ngf, 3, a.image_size).to(device)
    d = discriminator(a.ndf, 3, a.image_size).to(device)
    g.apply(init_weights)
    d.apply(init_weights)
    if a.compile != "none":
        g = torch.compile(g, mode=None if a.compile == "default" else a.compile)
        d = torch.compile(d, mode=None if a.compile == "default" else a.compile)
    criterion = nn.BCEWithLogitsLoss()
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    b = a.batch_size
    data = torch.rand(b * 4, 3, a.image_size, a.image_size) * 2 - 1
    real_label = torch.ones(b, device=device)
    fake_label = torch.zeros(b, device=device)

    times = []
    for it in range(a.warmup + a.iters):
        start = time.perf_counter()
        real = data[(it % 4) * b:(it % 4 + 1) * b].to(device)
        d.zero_grad()
        loss_real = criterion(d(real).view(-1), real_label)
        loss_real.backward()
        noise = torch.randn(b, a.nz, 1, 1, device=device)
        fake = g(noise)
        loss_fake = criterion(d(fake.detach()).view(-1), fake_label)
        loss_fake.backward()
        opt_d.step()
        g.zero_grad()
        loss_g = criterion(d(fake).view(-1), real_label)
        loss_g.backward()
        opt_g.step()
        (loss_real + loss_fake).item()
        loss_g.item()
        if device.type == "cuda":
            torch.cuda.synchronize()
        if it >= a.warmup:
            times.append(time.perf_counter() - start)

    total = sum(times)
    report = {
        "device": str(device) + (f" ({torch.get_num_threads()} threads)" if device.type == "cpu" else ""),
        "torch": torch.__version__,
        "image_size": a.image_size,
        "batch_size": b,
        "compile": a.compile,
        "iterations": len(times),
        "images_per_second": b * len(times) / total,
        "ms_per_iteration": 1000 * total / len(times),
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if a.json:
        print(json.dumps(report, indent=2))
    else:
        for k, v in report.items():
            print(f"{k:18} {v:.1f}" if isinstance(v, float) else f"{k:18} {v}")


if __name__ == "__main__":
    main()
