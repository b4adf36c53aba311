#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent quality score for generated synthetic faces.

LatentLab's built-in synthetic faces are procedural, with known binary
attributes (Male, Smiling, Mustache, Eyeglasses, hair colours, Long_Hair,
Pale_Skin, ...). This script trains a small multi-label CNN on them and
scores samples in its 128-d penultimate feature space: a Frechet distance
like FID (not Inception), plus the rate at which each attribute is predicted.

    python faces_eval.py train-classifier [--out PATH]
    python faces_eval.py score SAMPLES.npy [SAMPLES2.npy ...] [--json]
    python faces_eval.py sanity

The faces come from `latentlab-cli synthetic` (override the binary with
LATENTLAB_CLI) at held-out seeds that training runs never use: 9001 (8192
faces, classifier training), 9002 (4096 faces, reference statistics and
attribute accuracy), 9003 (512 faces, sanity). They are cached as .npz under
~/.cache/latentlab/eval/faces/.

SAMPLES.npy: uint8 [N, 3, S, S], S in {32, 64, 128}. Every input goes
through the same resize to 32x32: torch.nn.functional.interpolate(
mode="bilinear", antialias=True, align_corners=False) on float pixels
(identity at 32 px), then x / 127.5 - 1.

"fd" is measured against the seed-9002 faces rendered at 32 px. "fd_matched"
is measured against the same faces rendered at the samples' size S and sent
through this resize (equal to "fd" for 32-px input): the fair score for S-px
generators trained on S-px faces. Both carry a finite-N bias, so compare
runs at equal N only.

"attribute_rates" is the fraction of samples the classifier predicts
positive (p > 0.5) for each attribute; "reference_rates" is the same on the
seed-9002 faces at the matched size. "attribute_rate_error" is the mean
absolute difference of the two vectors: a mode-dropping signal (a generator
that never draws glasses moves it by rate(Eyeglasses) / n_attributes).
"""
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval_common  # noqa: E402
from eval_common import feature_stats, score_sets, set_determinism, train_classifier_epochs  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.environ.get("LATENTLAB_CLI", os.path.join(REPO, "build", "app", "cli", "latentlab-cli"))
CACHE_DIR = os.path.join(
    os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "latentlab", "eval", "faces")
DEFAULT_CLASSIFIER = os.path.join(CACHE_DIR, "faces_classifier.pt")
RESIZE_METHOD = "bilinear-antialias"  # recorded in the cached statistics
SIZE = 32
SIZES = (32, 64, 128)
TRAIN_SEED, TRAIN_COUNT = 9001, 8192
REF_SEED, REF_COUNT = 9002, 4096
SANITY_SEED = 9003


def load_faces(seed, count, size=SIZE):
    """Faces of `latentlab-cli synthetic --seed seed --count count --size size`.

    Returns images uint8 [N,3,S,S], attributes int8 [N,A] in {-1,+1} and the
    attribute names; cached as an .npz (the PNG folder is deleted).
    """
    path = os.path.join(CACHE_DIR, f"synthetic_seed{seed}_n{count}_{size}px.npz")
    if not os.path.exists(path):
        from PIL import Image

        os.makedirs(CACHE_DIR, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix="synthetic_", dir=CACHE_DIR)
        try:
            out = os.path.join(tmp, "faces")
            subprocess.run([CLI, "synthetic", "--out", out, "--count", str(count), "--size", str(size),
                            "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
            with open(os.path.join(out, "list_attr_celeba.txt")) as f:
                lines = [line.split() for line in f if line.strip()]
            names = lines[1]
            rows = lines[2:]
            if int(lines[0][0]) != count or len(rows) != count:
                raise RuntimeError(f"{out}: expected {count} faces, the attribute file lists {len(rows)}")
            attrs = np.array([[int(v) for v in r[1:]] for r in rows], dtype=np.int8)
            images = np.stack([np.asarray(Image.open(os.path.join(out, "img_align_celeba", r[0])).convert("RGB"))
                               for r in rows]).transpose(0, 3, 1, 2)
            if images.shape[1:] != (3, size, size):
                raise RuntimeError(f"{out}: unexpected image shape {images.shape}")
            np.savez(path + ".tmp.npz", images=images, attrs=attrs, names=np.array(names))
            os.replace(path + ".tmp.npz", path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    d = np.load(path)
    return d["images"], d["attrs"], [str(n) for n in d["names"]]


class Classifier(nn.Module):
    """2 conv blocks + a 128-unit penultimate layer + one logit per attribute."""

    def __init__(self, n_attributes):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2),   # 16x16
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2),  # 8x8
            nn.Flatten(),
            nn.Linear(64 * 8 * 8, 128), nn.ReLU(inplace=True),
        )
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(128, n_attributes)

    def features(self, x):
        return self.body(x)

    def forward(self, x):
        return self.head(self.dropout(self.body(x)))


def prepare_samples(arr):
    """uint8 [N,3,S,S] (S in SIZES) -> float [N,3,32,32] in [-1,1]."""
    if arr.dtype != np.uint8:
        raise ValueError(f"expected uint8 samples, got {arr.dtype}")
    if arr.ndim != 4 or arr.shape[1] != 3 or arr.shape[2] != arr.shape[3] or arr.shape[2] not in SIZES:
        raise ValueError(f"expected [N, 3, S, S] with S in {SIZES}, got {list(arr.shape)}")
    x = torch.from_numpy(np.ascontiguousarray(arr)).float()  # 0..255
    if x.shape[-1] != SIZE:
        x = F.interpolate(x, size=(SIZE, SIZE), mode="bilinear", antialias=True, align_corners=False)
    return x / 127.5 - 1.0


# run_model(model, x) -> (features float64 [N,128], sigmoid probabilities float64 [N,A])
run_model = functools.partial(eval_common.run_model, activation=torch.sigmoid, batch_size=1024)


def stats_path(classifier_path, size=SIZE):
    root, _ = os.path.splitext(classifier_path)
    return root + ("_ref_stats.npz" if size == SIZE else f"_ref_stats_{size}px.npz")


def reference_stats(model, size):
    """Feature statistics, predicted rates and accuracies on the seed-9002 faces rendered at size."""
    images, attrs, _ = load_faces(REF_SEED, REF_COUNT, size)
    feats, probs = run_model(model, prepare_samples(images))
    mu, sigma = feature_stats(feats)
    pred = probs > 0.5
    return dict(mu=mu, sigma=sigma, rates=pred.mean(0), label_rates=(attrs > 0).mean(0),
                accuracy=(pred == (attrs > 0)).mean(0), resize=RESIZE_METHOD)


def train_classifier(out, epochs=10, batch_size=128, lr=1e-3, seed=0, threads=1):
    """Multi-label BCE, Adam at lr, the last epoch at lr / 10."""
    set_determinism(seed, threads)
    start = time.perf_counter()
    train_x, train_y, names = load_faces(TRAIN_SEED, TRAIN_COUNT)
    ref_x, ref_y, ref_names = load_faces(REF_SEED, REF_COUNT)
    if ref_names != names:
        raise RuntimeError(f"attribute lists differ: {names} vs {ref_names}")
    print(f"faces loaded ({time.perf_counter() - start:.0f} s): {len(names)} attributes {names}", file=sys.stderr)
    xtr, ytr = prepare_samples(train_x), torch.from_numpy(train_y > 0).float()
    xref = prepare_samples(ref_x)

    model = Classifier(len(names))

    def report(epoch, mean_loss):
        _, probs = run_model(model, xref)
        acc = ((probs > 0.5) == (ref_y > 0)).mean(0)
        print(f"epoch {epoch + 1}/{epochs}: train loss {mean_loss:.4f}, seed-{REF_SEED} accuracy "
              f"mean {acc.mean():.4f} min {acc.min():.4f} ({names[int(acc.argmin())]}) "
              f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)

    train_classifier_epochs(model, xtr, ytr, F.binary_cross_entropy_with_logits, epochs, batch_size, lr, seed, report)

    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    torch.save({"state_dict": model.state_dict(), "attributes": names}, out)
    st = reference_stats(model, SIZE)
    np.savez(stats_path(out), **st)
    root, _ = os.path.splitext(out)
    for f in os.listdir(os.path.dirname(os.path.abspath(out))):
        full = os.path.join(os.path.dirname(os.path.abspath(out)), f)
        if full.startswith(root + "_ref_stats_") and f.endswith("px.npz"):
            os.remove(full)  # per-size statistics of an older classifier
    print("per-attribute accuracy on seed %d: %s" % (REF_SEED, "  ".join(
        f"{a} {v:.3f}" for a, v in zip(names, st["accuracy"]))), file=sys.stderr)
    print(f"saved {out} and {stats_path(out)}; mean accuracy {st['accuracy'].mean():.4f}; "
          f"{time.perf_counter() - start:.0f} s", file=sys.stderr)
    return model, st["accuracy"]


class Evaluator(eval_common.Evaluator):
    """The cached classifier plus the seed-9002 statistics it is scored against.

    reference(32): the faces rendered at 32 px. reference(S), S > 32: rendered
    at S px and resized to 32 px like the samples ("fd_matched").
    """

    SIZE = SIZE
    prepare_samples = staticmethod(prepare_samples)
    run_model = staticmethod(run_model)

    def __init__(self, path, threads=1):
        super().__init__(path, threads, train_classifier)

    def load_model(self, checkpoint):
        self.names = list(checkpoint["attributes"])
        model = Classifier(len(self.names))
        model.load_state_dict(checkpoint["state_dict"])
        return model

    def stats_file(self, size):
        return stats_path(self.path, size)

    def compute_reference(self, size):
        return reference_stats(self.model, size)

    def extra_scores(self, probs, matched):
        rates = (probs > 0.5).mean(0)
        return {
            "attribute_rate_error": float(np.abs(rates - matched["rates"]).mean()),
            "attribute_rates": {a: round(float(r), 4) for a, r in zip(self.names, rates)},
            "reference_rates": {a: round(float(r), 4) for a, r in zip(self.names, matched["rates"])},
        }


def format_result(r):
    return (f"{r['file']}: fd {r['fd']:.3f}  fd_matched {r['fd_matched']:.3f}  "
            f"attribute_rate_error {r['attribute_rate_error']:.4f}  n {r['n']}  shape {r['shape']}\n"
            "  attribute_rates (sample/reference): " + "  ".join(
                f"{a} {v:.3f}/{r['reference_rates'][a]:.3f}" for a, v in r["attribute_rates"].items()))


def sanity(ev, n=512, seed=0):
    """Scores four reference sets: real 32 px, real 64 px, noise, one face repeated."""
    rng = np.random.default_rng(seed)
    real32, _, _ = load_faces(SANITY_SEED, n, SIZE)
    real64, _, _ = load_faces(SANITY_SEED, n, 64)
    noise = rng.integers(0, 256, size=(n, 3, SIZE, SIZE), dtype=np.uint8)
    copies = np.repeat(real32[rng.integers(n)][None], n, axis=0)
    sets = [(f"a) {n} real faces, seed {SANITY_SEED}, 32 px", real32),
            (f"b) {n} real faces, seed {SANITY_SEED}, 64 px", real64),
            (f"c) {n} uniform-noise images", noise),
            (f"d) {n} copies of one real face", copies)]
    return score_sets(ev, sets)


def main():
    eval_common.run_cli(
        __doc__, train_classifier, Evaluator, sanity, format_result, DEFAULT_CLASSIFIER, epochs=10, threads=1,
        train_help="train the attribute classifier and cache the reference statistics",
        score_help="Frechet distance and attribute rates of sample files",
        sanity_help="score real, 64-px real, noise and collapsed reference sets")


if __name__ == "__main__":
    main()
