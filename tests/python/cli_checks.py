# SPDX-License-Identifier: GPL-3.0-or-later
"""What the Python tests share: running latentlab-cli and reporting checks."""
import subprocess
import sys


def run(cli, *args, expect=0):
    """Runs latentlab-cli; fails the test unless it exits with `expect`."""
    result = subprocess.run([cli, *args], capture_output=True, text=True)
    if result.returncode != expect:
        sys.exit(f"FAIL: latentlab-cli {' '.join(args)} exited {result.returncode}, expected {expect}:\n"
                 f"{result.stdout}{result.stderr}")
    return result


def check(condition, message):
    if not condition:
        sys.exit("FAIL: " + message)
    print("ok:", message)
