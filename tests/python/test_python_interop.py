#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""PyTorch reads what LatentLab writes.

Trains a tiny 64 px run with latentlab-cli, then checks that
- `latentlab-cli export` writes a safetensors file that safetensors.torch
  opens and that a DCGAN generator written here (the layer layout of the
  pytorch/examples dcgan netG) accepts with load_state_dict(strict=True);
- that generator draws what `latentlab-cli sample --float` draws for the same
  latents, to within 1e-5 in [-1, 1];
- a .llck checkpoint is its 24-byte header plus a safetensors payload, as the
  README tells Python users;
- a checkpoint as a CUDA run writes it (the same tensors, its config saying
  "cuda"), here re-written by Python's safetensors writer, resumes on this
  machine's CPU with its Adam state.

usage: test_python_interop.py LATENTLAB_CLI
"""
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np
import torch
import torch.nn as nn
from safetensors import safe_open
from safetensors.torch import load, load_file, save

from cli_checks import check, run

NZ, NGF, CHANNELS, SIZE = 8, 4, 3, 64
TOLERANCE = 1e-5


class Generator(nn.Module):
    """The DCGAN generator: 4x4 seed, stride-2 blocks with batch norm and ReLU, Tanh."""

    def __init__(self, nz, ngf, channels, size):
        super().__init__()
        blocks = int(math.log2(size)) - 2
        width = ngf * 2 ** (blocks - 1)
        layers = [nn.ConvTranspose2d(nz, width, 4, 1, 0, bias=False), nn.BatchNorm2d(width), nn.ReLU(True)]
        for _ in range(1, blocks):
            layers += [nn.ConvTranspose2d(width, width // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width // 2), nn.ReLU(True)]
            width //= 2
        layers += [nn.ConvTranspose2d(width, channels, 4, 2, 1, bias=False), nn.Tanh()]
        self.main = nn.Sequential(*layers)

    def forward(self, z):
        return self.main(z)


def main():
    cli = sys.argv[1]
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = os.path.join(tmp, "run")
        run(cli, "train", "--data", "synthetic:640", "--out", run_dir, "--image-size", str(SIZE), "--nz", str(NZ),
            "--ngf", str(NGF), "--ndf", "4", "--epochs", "1", "--batch-size", "16", "--recipe", "stable",
            "--sample-every", "0", "--threads", "2")
        checkpoint = os.path.join(run_dir, "checkpoints", "latest.llck")

        # The export, as PyTorch sees it.
        exported = os.path.join(tmp, "netG.safetensors")
        run(cli, "export", "--checkpoint", checkpoint, "--out", exported)
        state = load_file(exported)
        expected_keys = set(Generator(NZ, NGF, CHANNELS, SIZE).state_dict().keys())
        check(set(state.keys()) == expected_keys, f"the export holds exactly netG's {len(expected_keys)} keys")
        check("main.0.weight" in state and "main.12.weight" in state, "keys run from main.0.weight to main.12.weight")
        with safe_open(exported, framework="pt") as f:
            meta = f.metadata()
        check(meta.get("nz") == str(NZ) and meta.get("averaged") == "true", f"metadata names the shape and the EMA: {meta}")
        netG = Generator(NZ, NGF, CHANNELS, SIZE)
        netG.load_state_dict(state, strict=True)
        netG.eval()

        # The same latents through both.
        latents = torch.randn(6, NZ)
        latent_file = os.path.join(tmp, "z.json")
        with open(latent_file, "w") as f:
            json.dump({"format": "latentlab-latents", "version": 1, "nz": NZ, "noise": "normal", "truncation": 1.0,
                       "groups": {"A": [], "B": [], "C": []},
                       "keyframes": [{"ref": None, "vector": [float(v) for v in row]} for row in latents]}, f)
        drawn = os.path.join(tmp, "drawn.npy")
        refs = ",".join(f"{latent_file}#{i}" for i in range(len(latents)))
        run(cli, "sample", "--checkpoint", checkpoint, "--latents", refs, "--float", "--out", drawn, "--device", "cpu")
        theirs = np.load(drawn)
        with torch.no_grad():
            ours = netG(latents.view(-1, NZ, 1, 1)).numpy()
        check(theirs.shape == ours.shape == (6, CHANNELS, SIZE, SIZE), f"both draw {theirs.shape}")
        check(float(np.abs(theirs).max()) <= 1.0 and float(theirs.std()) > 1e-3, "the images are in [-1, 1] and not blank")
        # A tiny young generator draws faint images, so the difference is also held to a
        # small fraction of their range.
        diff, scale = float(np.abs(theirs - ours).max()), float(np.abs(ours).max())
        check(diff <= TOLERANCE and diff <= 1e-3 * scale,
              f"PyTorch draws LatentLab's pixels (max abs difference {diff:.2e} <= {TOLERANCE}, values up to {scale:.3f})")

        # A checkpoint is data: 24 header bytes, then safetensors.
        with open(checkpoint, "rb") as f:
            raw = f.read()
        check(raw[:8] == b"LLCKPT\r\n", "the checkpoint starts with LatentLab's signature")
        tensors = load(raw[24:])
        check(torch.equal(tensors["generator_ema/main.0.weight"], state["main.0.weight"]),
              "the checkpoint's EMA generator is the exported one")
        check("optimizer_g/0.0/exp_avg" in tensors and "fixed_noise" in tensors, "optimizer state and fixed noise are tensors too")

        # A GPU run's checkpoint continues on a machine without CUDA.
        metadata = payload_metadata(raw[24:])
        meta = json.loads(metadata["latentlab"])
        meta["config"]["device"] = "cuda"
        metadata["latentlab"] = json.dumps(meta)
        payload = save(tensors, metadata)
        header = b"LLCKPT\r\n" + struct.pack("<IQI", 2, len(payload), zlib.crc32(payload))
        with open(checkpoint, "wb") as f:
            f.write(header + payload)
        iterations = meta["iteration"]
        result = subprocess.run([cli, "train", "--out", run_dir, "--resume", "--epochs", "2"], capture_output=True, text=True)
        if not torch.cuda.is_available():
            check(result.returncode == 0, f"a cuda run resumes here (exit {result.returncode}: {result.stderr.strip()})")
            check("continues on the CPU" in result.stderr, "and says it continues on the CPU")
            info = run(cli, "info", checkpoint).stdout
            check(f"iteration {2 * iterations}" in info, f"the resumed run reached iteration {2 * iterations}")
    print("PASS")


def payload_metadata(payload):
    """The __metadata__ map of a safetensors payload held in memory."""
    (length,) = struct.unpack("<Q", payload[:8])
    return dict(json.loads(payload[8:8 + length]).get("__metadata__", {}))


if __name__ == "__main__":
    main()
