# SPDX-License-Identifier: GPL-3.0-or-later
# Shared settings for LatentLab's scripts. Sourced, not run.

LATENTLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The one pinned LibTorch: the PyPI torch wheel (CUDA build).
LATENTLAB_TORCH_VERSION="2.11.0"
LATENTLAB_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/latentlab"
LATENTLAB_VENV="${LATENTLAB_VENV:-$LATENTLAB_CACHE/venv-torch-$LATENTLAB_TORCH_VERSION}"
LATENTLAB_BUILD="${LATENTLAB_BUILD:-$LATENTLAB_ROOT/build}"
