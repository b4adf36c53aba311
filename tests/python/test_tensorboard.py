# SPDX-License-Identifier: GPL-3.0-or-later
"""TensorBoard reads a run's event file: the scalars of metrics.jsonl and
epochs.jsonl at their iterations, the saved sample grids as images, and, from
a file whose last record was cut short (a killed run), every record before it.

    python test_tensorboard.py path/to/latentlab-cli
"""
import glob
import io
import json
import os
import sys
import tempfile

import numpy as np
from PIL import Image
from tensorboard.backend.event_processing import event_file_loader
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from cli_checks import check, run

KEYS = ["loss_d", "loss_g", "d_x", "d_g_z1", "d_g_z2", "accuracy_real", "accuracy_fake",
        "images_per_second", "data_wait_seconds", "lr_g", "lr_d"]
EPOCH_KEYS = ["loss_d", "loss_g", "d_x", "d_g_z1", "d_g_z2", "accuracy_real", "accuracy_fake"]


def same(a, b):
    return abs(float(np.float32(a)) - float(b)) <= 1e-6 * max(1.0, abs(b))


def events_in(path):
    return list(event_file_loader.EventFileLoader(path).Load())


def main(cli):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run")
        run(cli, "train", "--data", "synthetic:192", "--out", out, "--image-size", "32", "--epochs", "2",
            "--batch-size", "32", "--ngf", "8", "--ndf", "8", "--nz", "8", "--log-every", "4",
            "--sample-every", "5", "--threads", "1", "--workers", "1")
        files = glob.glob(os.path.join(out, "tensorboard", "events.out.tfevents.*"))
        check(len(files) == 1, f"one event file in RUN/tensorboard ({files})")

        acc = EventAccumulator(os.path.join(out, "tensorboard"), size_guidance={"scalars": 0, "images": 0})
        acc.Reload()
        lines = [json.loads(line) for line in open(os.path.join(out, "metrics.jsonl"))]
        iterations = [line["iteration"] for line in lines]
        for key in KEYS:
            events = acc.Scalars("train/" + key)
            check([e.step for e in events] == iterations, f"train/{key} at the iterations of metrics.jsonl")
            check(all(same(e.value, line[key]) for e, line in zip(events, lines)),
                  f"train/{key} has metrics.jsonl's values")
        check(lines[0]["lr_g"] == 2e-4 and lines[0]["lr_d"] == 2e-4, "the learning rates are logged")

        epochs = [json.loads(line) for line in open(os.path.join(out, "epochs.jsonl"))]
        for key in EPOCH_KEYS:
            events = acc.Scalars("epoch/" + key)
            check(len(events) == len(epochs) == 2 and all(same(e.value, s[key]) for e, s in zip(events, epochs)),
                  f"epoch/{key} has epochs.jsonl's values")
        check([e.step for e in acc.Scalars("epoch/loss_d")] == [6, 12], "epoch averages sit at each epoch's last iteration")

        grids = sorted(glob.glob(os.path.join(out, "samples", "*.png")))
        images = acc.Images("samples")
        check(len(images) == len(grids) and len(grids) >= 3, f"every saved grid is an image ({len(images)}/{len(grids)})")
        last = np.asarray(Image.open(io.BytesIO(images[-1].encoded_image_string)))
        saved = np.asarray(Image.open(os.path.join(out, "samples", "epoch_002.png")))
        check(images[-1].step == 12 and last.shape == saved.shape and (last == saved).all(),
              "the last image is the epoch-2 grid, pixel for pixel")

        # A killed run: the last record is cut short; the records before it still read.
        whole = events_in(files[0])
        data = open(files[0], "rb").read()
        cut = os.path.join(tmp, "cut", os.path.basename(files[0]))
        os.makedirs(os.path.dirname(cut))
        with open(cut, "wb") as f:
            f.write(data[:-9])
        partial = events_in(cut)
        check(len(partial) == len(whole) - 1 and partial[-1] == whole[-2],
              f"a truncated file reads up to its last whole record ({len(partial)} of {len(whole)})")

        # A resumed run starts a new file with TensorBoard's "session started" mark at the
        # checkpoint's iteration, so points a crashed run logged after it are dropped.
        run(cli, "train", "--out", out, "--resume", "--epochs", "3", "--threads", "1", "--workers", "1")
        newer = sorted(set(glob.glob(os.path.join(out, "tensorboard", "events.out.tfevents.*"))) - set(files))
        check(len(newer) == 1, f"the resumed run writes a second event file ({newer})")
        starts = [e for e in events_in(newer[0]) if e.HasField("session_log")]
        check(len(starts) == 1 and starts[0].session_log.status == 1 and starts[0].step == 12,
              "the resumed run's file marks a session start at iteration 12")

        off = os.path.join(tmp, "off")
        run(cli, "train", "--data", "synthetic:64", "--out", off, "--image-size", "32", "--epochs", "1",
            "--batch-size", "32", "--ngf", "8", "--ndf", "8", "--nz", "8", "--threads", "1", "--tensorboard", "off")
        check(not os.path.exists(os.path.join(off, "tensorboard")), "--tensorboard off writes no event file")


if __name__ == "__main__":
    main(sys.argv[1])
