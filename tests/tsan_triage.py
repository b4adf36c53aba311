#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sorts the ThreadSanitizer reports in a test's output by where they happen.

    python3 tests/tsan_triage.py LOG

For every data race it takes the first frame of each of the two accesses
(interceptor frames skipped) and counts the report as "inside Qt" when both
frames are in Qt's libraries (libQt6*.so), whose synchronisation TSan cannot
see in a Qt that is not built with it. Every other report is printed with its
two frames, to be read one by one.
"""
import re
import sys
from collections import Counter

ACCESS = re.compile(r"(?:Previous )?(?:atomic )?(?:[Ww]rite|[Rr]ead) of size \d+.*?:\n((?:\s+#\d+.*\n)+)")
SANITIZER = ("libtsan", "tsan_", "sanitizer_common")


def first_frame(stack):
    for line in stack.splitlines():
        if not any(s in line for s in SANITIZER):
            return line.strip()
    return ""


def main(path):
    reports = open(path, errors="replace").read().split("WARNING: ThreadSanitizer: ")[1:]
    counts = Counter()
    others = []
    for report in reports:
        kind = report.split(" (pid")[0]
        frames = [first_frame(m.group(1)) for m in ACCESS.finditer(report.split("SUMMARY")[0])]
        inside_qt = bool(frames) and all("libQt6" in f for f in frames)
        counts[(kind, "inside Qt" if inside_qt else "to read")] += 1
        if not inside_qt:
            others.append((kind, frames))
    for (kind, where), n in sorted(counts.items()):
        print(f"{n:5d}  {kind}, {where}")
    for kind, frames in others:
        print(f"\n{kind}:")
        for f in frames:
            print(f"    {f}")


if __name__ == "__main__":
    main(sys.argv[1])
