#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""LatentLab reads what PyTorch's DCGAN recipe saves.

Writes netG/netD state_dicts of the pytorch/examples DCGAN (64 px) with
PyTorch, then checks that
- `latentlab-cli import` makes a checkpoint whose generator draws PyTorch's
  pixels for the same latents (max abs difference <= 1e-5), and `sample`
  opens the .pth directly, DataParallel's "module." prefix included;
- `info` says where the model came from, and `project` works with the
  imported discriminator;
- other architectures, missing, extra and misshapen keys, whole pickled
  models and pickles that would run code are refused with one line naming
  the file and the first offending key, and run nothing.

usage: test_pth_import.py LATENTLAB_CLI
"""
import collections
import json
import os
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn

from cli_checks import check, run

NZ, NGF, NDF, CHANNELS = 8, 4, 4, 3
TOLERANCE = 1e-5


def net_g():
    return nn.Sequential(
        nn.ConvTranspose2d(NZ, NGF * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(NGF * 8), nn.ReLU(True),
        nn.ConvTranspose2d(NGF * 8, NGF * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF * 4), nn.ReLU(True),
        nn.ConvTranspose2d(NGF * 4, NGF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF * 2), nn.ReLU(True),
        nn.ConvTranspose2d(NGF * 2, NGF, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF), nn.ReLU(True),
        nn.ConvTranspose2d(NGF, CHANNELS, 4, 2, 1, bias=False), nn.Tanh())


def net_d():
    return nn.Sequential(
        nn.Conv2d(CHANNELS, NDF, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF, NDF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 2), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF * 2, NDF * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 4), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF * 4, NDF * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 8), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF * 8, 1, 4, 1, 0, bias=False), nn.Sigmoid())


class Wrapper(nn.Module):
    """The reference script's netG: its layers under `main`."""

    def __init__(self, main):
        super().__init__()
        self.main = main

    def forward(self, x):
        return self.main(x)


class RunsCode:
    """A pickle that would call os.system when loaded by Python's pickle."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def main():
    cli = sys.argv[1]
    torch.manual_seed(0)
    g, d = Wrapper(net_g()), Wrapper(net_d())
    with torch.no_grad():  # weights and running statistics far from their initial values
        for module in list(g.modules()) + list(d.modules()):
            if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
                module.weight.normal_(0.0, 0.2)
            if isinstance(module, nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0.0, 0.2)
                module.running_mean.normal_(0.0, 0.2)
                module.running_var.uniform_(0.5, 2.0)
                module.num_batches_tracked.fill_(1234)
    g.eval()

    with tempfile.TemporaryDirectory() as tmp:
        path = lambda name: os.path.join(tmp, name)
        torch.save(g.state_dict(), path("netG.pth"))
        torch.save(d.state_dict(), path("netD.pth"))
        torch.save(collections.OrderedDict(("module." + k, v) for k, v in g.state_dict().items()), path("netG_dp.pth"))

        run(cli, "import", "--pth", path("netG.pth"), "--netd", path("netD.pth"), "--out", path("model.llck"))
        info = run(cli, "info", path("model.llck")).stdout
        check("imported from " + path("netG.pth") in info and "DCGAN 64x64" in info, "info names the origin and the shape")

        latents = torch.randn(5, NZ)
        with open(path("z.json"), "w") as f:
            json.dump({"format": "latentlab-latents", "version": 1, "nz": NZ, "groups": {},
                       "keyframes": [{"ref": None, "vector": [float(v) for v in row]} for row in latents]}, f)
        refs = ",".join(f"{path('z.json')}#{i}" for i in range(len(latents)))
        with torch.no_grad():
            ours = g(latents.view(-1, NZ, 1, 1)).numpy()
        check(float(np.abs(ours).max()) > 0.3, "the reference images are far from blank")
        for source in ["model.llck", "netG.pth", "netG_dp.pth"]:
            out = path(source + ".npy")
            run(cli, "sample", "--checkpoint", path(source), "--latents", refs, "--float", "--out", out, "--device", "cpu")
            diff = float(np.abs(np.load(out) - ours).max())
            check(diff <= TOLERANCE, f"{source} draws PyTorch's pixels (max abs difference {diff:.2e})")

        # The imported discriminator is there for projection (a CLI built
        # without OpenCV reads no image files: CMake says which was built).
        if os.environ.get("LATENTLAB_CLI_READS_IMAGES", "1") == "1":
            from PIL import Image
            face = ((ours[0].transpose(1, 2, 0) + 1) * 127.5).round().clip(0, 255).astype(np.uint8)
            Image.fromarray(face).save(path("face.png"))
            run(cli, "project", "--checkpoint", path("model.llck"), "--images", path("face.png"), "--out",
                path("p.json"), "--steps", "3", "--restarts", "1")
            check(os.path.exists(path("p.json")), "project runs on the imported model with its discriminator")
        else:
            print("skipped: project on image files (this latentlab-cli was built without OpenCV)")
        os.makedirs(path("model-run/checkpoints"))
        with open(path("model.llck"), "rb") as src, open(path("model-run/checkpoints/latest.llck"), "wb") as dst:
            dst.write(src.read())
        refused = run(cli, "train", "--out", path("model-run"), "--resume", expect=1).stderr
        check("imported from PyTorch, it holds no training state to resume" in refused, "an imported model is not resumed")

        # Files that are refused, each with the file and the first offending key.
        state = g.state_dict()
        cases = {
            "linear.pth": (nn.Linear(4, 2).state_dict(), "not a DCGAN state_dict (no main.N.weight convolutions; first key 'weight')"),
            "missing.pth": ({k: v for k, v in state.items() if k != "main.4.running_var"}, "'main.4.running_var' is missing"),
            "extra.pth": (dict(state, **{"main.99.bias": torch.zeros(3)}), "'main.99.bias' is not part of a DCGAN generator"),
            "misshapen.pth": (dict(state, **{"main.3.weight": torch.zeros(NGF * 8, NGF * 2, 4, 4)}),
                              "'main.3.weight' has shape [32, 8, 4, 4], a DCGAN generator of 64 px, nz 8, ngf 4 needs [32, 16, 4, 4]"),
            "model.pth": (g, "a whole pickled model"),
            "code.pth": ({"main.0.weight": RunsCode(path("ran"))}, "posix.system is not allowed"),
        }
        for name, (obj, reason) in cases.items():
            torch.save(obj, path(name))
            result = run(cli, "sample", "--checkpoint", path(name), "--out", path("x.png"), expect=1)
            message = result.stderr.strip()
            check(path(name) in message and reason in message and "\n" not in message, f"{name}: {message}")
        check(not os.path.exists(path("ran")), "the code in code.pth never ran")
        check(not os.path.exists(path("x.png")), "nothing was drawn from a refused file")
    print("PASS")


if __name__ == "__main__":
    main()
