#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent quality score for generated Fashion-MNIST images.

A Frechet distance like FID, but in the 128-d penultimate feature space of a
small CNN trained here on Fashion-MNIST (not Inception), measured against the
statistics of the 10,000 real test images. Lower is better.

    python fmnist_eval.py train-classifier [--out PATH]
    python fmnist_eval.py score SAMPLES.npy [SAMPLES2.npy ...] [--json]
    python fmnist_eval.py sanity

SAMPLES.npy: uint8 [N, C, H, W], C = 1 or 3 (3 -> gray with BT.601 weights
0.299/0.587/0.114), H = W in {28, 32, 64, 128}. Every input goes through the
same resize to 28x28: torch.nn.functional.interpolate(mode="bilinear",
antialias=True, align_corners=False) on float pixels (the PIL-style
antialiased triangle filter; identity at 28 px), then x / 127.5 - 1.

"fd" is measured against the 28-px test statistics. "fd_matched" is measured
against the test images sent through the same PIL-bilinear upscale to the
samples' size and this resize back (equal to "fd" for 28-px input): the fair
score for S-px generators trained on upscaled data; "fd" keeps the round-trip
blur floor (about 40 at 32/64/128 px). Both carry a finite-N bias (about 5-8
at N = 512), so compare runs at equal N only.

Besides the distances, each file reports "class_entropy", the entropy
of the histogram of predicted classes (ln 10 = 2.303 when all ten classes are
equally frequent; low values signal mode collapse), and "mean_confidence",
the mean max-softmax probability.
"""
import functools
import glob
import gzip
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval_common  # noqa: E402
from eval_common import feature_stats, score_sets, set_determinism, train_classifier_epochs  # noqa: E402

DATA_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
DEFAULT_CLASSIFIER = os.path.join(
    os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "latentlab", "eval", "fmnist_classifier.pt")
RESIZE_METHOD = "bilinear-antialias"  # recorded in the cached statistics
SIZES = (28, 32, 64, 128)


def read_idx(name):
    """Reads one gzip'd IDX file of the dataset as a numpy uint8 array."""
    with gzip.open(os.path.join(DATA_DIR, name), "rb") as f:
        raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    ndim = magic & 0xFF
    if magic >> 8 != 0x08:
        raise ValueError(f"{name}: not an unsigned-byte IDX file")
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape).copy()


def load_split(split):
    """split: 'train' or 't10k'. Returns images uint8 [N,28,28], labels int64 [N]."""
    images = read_idx(f"{split}-images-idx3-ubyte.gz")
    labels = read_idx(f"{split}-labels-idx1-ubyte.gz").astype(np.int64)
    return images, labels


class Classifier(nn.Module):
    """2 conv blocks + a 128-unit penultimate layer + 10-way output."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2),   # 14x14
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2),  # 7x7
            nn.Flatten(),
            nn.Linear(64 * 7 * 7, 128), nn.ReLU(inplace=True),
        )
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(128, 10)

    def features(self, x):
        return self.body(x)

    def forward(self, x):
        return self.head(self.dropout(self.body(x)))


def to_model_input(images_u8):
    """uint8 [N,28,28] -> float [N,1,28,28] in [-1,1]."""
    return torch.from_numpy(np.ascontiguousarray(images_u8)).float().unsqueeze(1) / 127.5 - 1.0


def prepare_samples(arr):
    """uint8 [N,C,H,W] (C 1/3, H=W in SIZES) -> float [N,1,28,28] in [-1,1]."""
    if arr.dtype != np.uint8:
        raise ValueError(f"expected uint8 samples, got {arr.dtype}")
    if arr.ndim != 4 or arr.shape[1] not in (1, 3) or arr.shape[2] != arr.shape[3] or arr.shape[2] not in SIZES:
        raise ValueError(f"expected [N, 1|3, S, S] with S in {SIZES}, got {list(arr.shape)}")
    x = torch.from_numpy(np.ascontiguousarray(arr)).float()  # 0..255
    if x.shape[1] == 3:
        w = torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)
        x = (x * w).sum(dim=1, keepdim=True)
    if x.shape[-1] != 28:
        x = F.interpolate(x, size=(28, 28), mode="bilinear", antialias=True, align_corners=False)
    return x / 127.5 - 1.0


# run_model(model, x) -> (features float64 [N,128], softmax probabilities float64 [N,10])
run_model = functools.partial(eval_common.run_model, activation=functools.partial(F.softmax, dim=1), batch_size=1000)


def stats_path(classifier_path):
    root, _ = os.path.splitext(classifier_path)
    return root + "_test_stats.npz"


def train_classifier(out, epochs=4, batch_size=128, lr=1e-3, seed=0, threads=2):
    """Adam at lr, the last epoch at lr / 10."""
    set_determinism(seed, threads)
    start = time.perf_counter()
    train_x, train_y = load_split("train")
    test_x, test_y = load_split("t10k")
    xtr, ytr = to_model_input(train_x), torch.from_numpy(train_y)
    xte, yte = to_model_input(test_x), torch.from_numpy(test_y)

    model = Classifier()
    last = {}

    def report(epoch, mean_loss):
        last["feats"], probs = run_model(model, xte)
        last["acc"] = float((probs.argmax(1) == test_y).mean())
        print(f"epoch {epoch + 1}/{epochs}: train loss {mean_loss:.4f}, test accuracy {last['acc']:.4f} "
              f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)

    train_classifier_epochs(model, xtr, ytr, F.cross_entropy, epochs, batch_size, lr, seed, report)
    feats, acc = last["feats"], last["acc"]

    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    torch.save(model.state_dict(), out)
    mu, sigma = feature_stats(feats)
    np.savez(stats_path(out), mu=mu, sigma=sigma, test_accuracy=acc, resize=RESIZE_METHOD)
    for stale in glob.glob(stats_path(out).replace(".npz", "_*px.npz")):
        os.remove(stale)  # per-size statistics of an older classifier
    print(f"saved {out} and {stats_path(out)}; test accuracy {acc:.4f}; "
          f"{time.perf_counter() - start:.0f} s", file=sys.stderr)
    return model, acc


class Evaluator(eval_common.Evaluator):
    """The cached classifier plus the test-set feature statistics it is scored against.

    reference(28): the 10,000 test images as they are.
    reference(S), S > 28: the test images as the training pipeline sees them,
    PIL bilinear up to S px, then this script's resize back to 28 px. Scoring
    S-px samples against it ("fd_matched") removes the blur of that round trip
    (about 40 FD units at N = 512), which no S-px generator can avoid.
    """

    SIZE = 28
    prepare_samples = staticmethod(prepare_samples)
    run_model = staticmethod(run_model)

    def __init__(self, path, threads=2):
        super().__init__(path, threads, train_classifier)

    def load_model(self, checkpoint):
        model = Classifier()
        model.load_state_dict(checkpoint)
        return model

    def stats_file(self, size):
        return stats_path(self.path) if size == 28 else stats_path(self.path).replace(".npz", f"_{size}px.npz")

    def compute_reference(self, size):
        from PIL import Image

        test_x, test_y = load_split("t10k")
        if size != 28:
            test_x = np.stack([np.asarray(Image.fromarray(im).resize((size, size), Image.BILINEAR))
                               for im in test_x])
        feats, probs = run_model(self.model, prepare_samples(test_x[:, None]))
        mu, sigma = feature_stats(feats)
        acc = float((probs.argmax(1) == test_y).mean())
        return dict(mu=mu, sigma=sigma, test_accuracy=acc, resize=RESIZE_METHOD)

    def extra_scores(self, probs, matched):
        hist = np.bincount(probs.argmax(1), minlength=10) / probs.shape[0]
        nz = hist[hist > 0]
        return {
            "class_entropy": 0.0 - float((nz * np.log(nz)).sum()),
            "mean_confidence": float(probs.max(1).mean()),
            "class_histogram": [round(float(h), 4) for h in hist],
        }


def format_result(r):
    return (f"{r['file']}: fd {r['fd']:.3f}  fd_matched {r['fd_matched']:.3f}  class_entropy {r['class_entropy']:.3f} (max {math.log(10):.3f})  "
            f"mean_confidence {r['mean_confidence']:.3f}  n {r['n']}  shape {r['shape']}")


def sanity(ev, n=512, seed=0):
    """Scores four reference sets: real test, real train through 64 px, noise, one image repeated."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    test_x, _ = load_split("t10k")
    train_x, _ = load_split("train")
    real_test = test_x[rng.choice(len(test_x), n, replace=False)][:, None]
    picked = train_x[rng.choice(len(train_x), n, replace=False)]
    up64 = np.stack([np.asarray(Image.fromarray(im).resize((64, 64), Image.BILINEAR)) for im in picked])[:, None]
    noise = rng.integers(0, 256, size=(n, 1, 28, 28), dtype=np.uint8)
    copies = np.repeat(test_x[rng.integers(len(test_x))][None, None], n, axis=0)
    sets = [("a) 512 real test images", real_test),
            ("b) 512 real train images, PIL bilinear to 64 px", up64),
            ("c) 512 uniform-noise images", noise),
            ("d) 512 copies of one real image", copies)]
    return score_sets(ev, sets)


def main():
    eval_common.run_cli(
        __doc__, train_classifier, Evaluator, sanity, format_result, DEFAULT_CLASSIFIER, epochs=4, threads=2,
        train_help="train the feature classifier and cache the test statistics",
        score_help="Frechet distance of sample files to the test statistics",
        sanity_help="score real, resized-real, noise and collapsed reference sets")


if __name__ == "__main__":
    main()
