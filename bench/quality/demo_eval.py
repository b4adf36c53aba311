#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Judges the results of the arithmetic demo (bench/quality_demo.sh).

    python demo_eval.py --probe P.llprobe RESULT.npy...

Each RESULT.npy is `arithmetic --result`'s image (uint8 [1, C, S, S]) of one
trial: mean(smiling women) - mean(neutral women) + mean(neutral men). A trial
succeeds when LatentLab's attribute probe calls the result a smiling man
(probability of Male and of Smiling above 0.5). Prints one line per trial and
the success count.
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from projection_eval import load_probe, to_float  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--probe", required=True)
    p.add_argument("results", nargs="+")
    a = p.parse_args()
    net, names = load_probe(a.probe)
    male, smiling = names.index("Male"), names.index("Smiling")
    wins = 0
    for path in a.results:
        with torch.no_grad():
            prob = torch.sigmoid(net(to_float(np.load(path))))[0]
        win = prob[male] > 0.5 and prob[smiling] > 0.5
        wins += int(win)
        print(f"{path}: P(male) {prob[male]:.3f}, P(smiling) {prob[smiling]:.3f} -> "
              f"{'smiling man' if win else 'no'}")
    print(f"smiling men: {wins} of {len(a.results)}")


if __name__ == "__main__":
    main()
