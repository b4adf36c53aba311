#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Picks faces for the explorer's arithmetic demo from a sample batch.

    python pick_faces.py SAMPLES.npy [--count 3]

SAMPLES.npy is a batch from `latentlab-cli sample --seed SEED --count 64 --out
SAMPLES.npy` (uint8 [N, 3, S, S]); image i there is SEED:i in the explorer's
grid. faces_eval.py's attribute classifier labels every face, and the most
confident ones of each group are printed as the PICKS_A/B/C and KEYFRAMES
settings of scripts/screenshot-explorer:
  A: smiling women, B: neutral women, C: neutral men (so that
  mean(A) - mean(B) + mean(C) should be smiling men), and keyframes: a
  smiling woman, a neutral man and a man with glasses.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faces_eval import DEFAULT_CLASSIFIER, Evaluator, run_model  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("samples")
    parser.add_argument("--count", type=int, default=3, help="faces per group")
    args = parser.parse_args()
    ev = Evaluator(DEFAULT_CLASSIFIER)
    _, probs = run_model(ev.model, ev.prepare_samples(np.load(args.samples)))
    p = {name: probs[:, i] for i, name in enumerate(ev.names)}
    # How surely a face is in a group: the least sure of its attributes.
    groups = {
        "PICKS_A": np.minimum(1 - p["Male"], p["Smiling"]),
        "PICKS_B": np.minimum(1 - p["Male"], 1 - p["Smiling"]),
        "PICKS_C": np.minimum(p["Male"], 1 - p["Smiling"]),
    }
    used = set()
    for name, sureness in groups.items():
        order = [int(i) for i in np.argsort(-sureness) if int(i) not in used][: args.count]
        used.update(order)
        print(f"{name}={','.join(map(str, order))}  # sureness " + " ".join(f"{sureness[i]:.2f}" for i in order))
    keys = [np.minimum(1 - p["Male"], p["Smiling"]), np.minimum(p["Male"], 1 - p["Smiling"]),
            np.minimum(p["Male"], p["Eyeglasses"])]
    keyframes = []
    for sureness in keys:
        keyframes.append(next(int(i) for i in np.argsort(-sureness) if int(i) not in keyframes))
    print("KEYFRAMES=" + ",".join(map(str, keyframes)))


if __name__ == "__main__":
    main()
