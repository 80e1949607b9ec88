#!/usr/bin/env bash
# The kernel benchmark on this machine: registers this build's course kernel and the official .NET Interactive kernel in
# a temporary Jupyter folder, then runs bench/kernels.py with Jupyter's own client. Extra arguments go to kernels.py.
#   bash bench/kernels.sh --chapters notebooks/01-scaled-dot-product-attention.ipynb > bench/results/DATE-kernels.json
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash tools/jupyter/ensure.sh
jupyter_root="$(mktemp -d)"; trap 'rm -rf "$jupyter_root"' EXIT
bash tools/jupyter/official-kernel.sh --prefix "$jupyter_root" >&2
./course kernel install --prefix "$jupyter_root" >&2
export JUPYTER_PATH="$jupyter_root/share/jupyter" JUPYTER_DATA_DIR="$jupyter_root/data" JUPYTER_RUNTIME_DIR="$jupyter_root/runtime"
/usr/bin/python3 bench/kernels.py "$@"
