# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the quality benchmarks: the project's environment, a build of
# latentlab-cli (skipped with LATENTLAB_NO_BUILD=1, which uses the binary as
# built, e.g. while a queue of runs shares it), and the paths they use.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/env.sh"
[ -n "${LATENTLAB_NO_BUILD:-}" ] || "$LATENTLAB_ROOT/scripts/build" >/dev/null
PY="$LATENTLAB_VENV/bin/python"
CLI="$LATENTLAB_BUILD/app/cli/latentlab-cli"
