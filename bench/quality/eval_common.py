# SPDX-License-Identifier: GPL-3.0-or-later
"""What fmnist_eval.py and faces_eval.py share: the Frechet distance, the
feature/probability pass of a classifier, the scoring plumbing of their
Evaluator classes and the train-classifier / score / sanity command line."""
import argparse
import json
import os
import sys

import numpy as np
import torch


def feature_stats(feats):
    mu = feats.mean(axis=0)
    sigma = np.cov(feats, rowvar=False)
    return mu, sigma


def frechet_distance(mu1, s1, mu2, s2):
    """||mu1-mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)) in float64.

    Tr((S1 S2)^(1/2)) = Tr((A S2 A)^(1/2)) with A = S1^(1/2); A S2 A is
    symmetric PSD, so both roots come from eigh, with round-off negatives
    clamped to zero.
    """
    mu1, mu2 = np.asarray(mu1, np.float64), np.asarray(mu2, np.float64)
    s1, s2 = np.asarray(s1, np.float64), np.asarray(s2, np.float64)
    s1 = (s1 + s1.T) / 2
    s2 = (s2 + s2.T) / 2
    w, v = np.linalg.eigh(s1)
    a = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    m = a @ s2 @ a
    m = (m + m.T) / 2
    tr_sqrt = np.sqrt(np.clip(np.linalg.eigvalsh(m), 0, None)).sum()
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2 * tr_sqrt)


def set_determinism(seed, threads):
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


def train_classifier_epochs(model, x, y, loss_fn, epochs, batch_size, lr, seed, report):
    """Adam over shuffled mini-batches, lr / 10 in the last epoch (when there is more than
    one); calls report(epoch, mean_loss) after each epoch. Deterministic for a seed."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    n = x.shape[0]
    for epoch in range(epochs):
        for group in opt.param_groups:
            group["lr"] = lr / 10 if epoch == epochs - 1 and epochs > 1 else lr
        model.train()
        perm = torch.randperm(n, generator=gen)
        total = 0.0
        for i in range(0, n, batch_size):
            idx = perm[i:i + batch_size]
            loss = loss_fn(model(x[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item() * idx.numel()
        report(epoch, total / n)


@torch.no_grad()
def run_model(model, x, activation, batch_size):
    """model.features and activation(model.head(features)) in batches:
    returns (features float64 [N,128], probabilities float64 [N,K])."""
    model.eval()
    feats, probs = [], []
    for i in range(0, x.shape[0], batch_size):
        f = model.features(x[i:i + batch_size])
        feats.append(f.double())
        probs.append(activation(model.head(f)).double())
    return torch.cat(feats).numpy(), torch.cat(probs).numpy()


class Evaluator:
    """A cached classifier plus the reference feature statistics it is scored against.

    A subclass sets SIZE (the classifier's input size) and supplies
    prepare_samples(arr), run_model(model, x), load_model(checkpoint),
    stats_file(size), compute_reference(size) (a dict with at least mu and
    sigma, cached as stats_file(size)) and extra_scores(probs, matched).
    """

    SIZE = None

    def __init__(self, path, threads, train_classifier):
        torch.set_num_threads(threads)
        if not os.path.exists(path):
            print(f"{path} missing: training the classifier first", file=sys.stderr)
            train_classifier(path, threads=threads)
            torch.set_num_threads(threads)
        self.path = path
        self.model = self.load_model(torch.load(path, map_location="cpu", weights_only=True))
        self.model.eval()
        self._stats = {}

    def reference(self, size=None):
        size = self.SIZE if size is None else size
        if size not in self._stats:
            sp = self.stats_file(size)
            if not os.path.exists(sp):
                np.savez(sp, **self.compute_reference(size))
            self._stats[size] = dict(np.load(sp))
        return self._stats[size]

    def score(self, arr):
        x = self.prepare_samples(arr)
        if x.shape[0] < 2:
            raise ValueError("need at least 2 samples for a covariance")
        feats, probs = self.run_model(self.model, x)
        mu, sigma = feature_stats(feats)
        ref, matched = self.reference(self.SIZE), self.reference(arr.shape[-1])
        return {
            "n": int(arr.shape[0]),
            "shape": list(arr.shape),
            "fd": frechet_distance(mu, sigma, ref["mu"], ref["sigma"]),
            "fd_matched": frechet_distance(mu, sigma, matched["mu"], matched["sigma"]),
            **self.extra_scores(probs, matched),
        }


def score_sets(ev, sets):
    """sets: (name, uint8 array) pairs -> one result dict per set, name under "file"."""
    return [dict(file=name, **ev.score(arr)) for name, arr in sets]


def print_results(results, as_json, format_result):
    """JSON, or format_result(result) (one string, may span lines) per result."""
    if as_json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        print(format_result(r))


def run_cli(description, train_classifier, make_evaluator, sanity, format_result, default_classifier,
            epochs, threads, train_help, score_help, sanity_help):
    """The train-classifier / score / sanity command line of both evaluators."""
    p = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train-classifier", help=train_help)
    t.add_argument("--out", default=default_classifier)
    t.add_argument("--epochs", type=int, default=epochs)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--threads", type=int, default=threads)
    s = sub.add_parser("score", help=score_help)
    s.add_argument("samples", nargs="+")
    s.add_argument("--json", action="store_true")
    s.add_argument("--classifier", default=default_classifier)
    s.add_argument("--threads", type=int, default=threads)
    c = sub.add_parser("sanity", help=sanity_help)
    c.add_argument("--json", action="store_true")
    c.add_argument("--classifier", default=default_classifier)
    c.add_argument("--threads", type=int, default=threads)
    a = p.parse_args()

    if a.cmd == "train-classifier":
        train_classifier(a.out, epochs=a.epochs, seed=a.seed, threads=a.threads)
        return
    ev = make_evaluator(a.classifier, a.threads)
    if a.cmd == "score":
        results = score_sets(ev, ((f, np.load(f)) for f in a.samples))
    else:
        results = sanity(ev)
    print_results(results, a.json, format_result)
