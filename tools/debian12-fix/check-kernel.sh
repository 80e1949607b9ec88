#!/usr/bin/env bash
# Checks that TorchSharp starts inside the .NET Interactive Jupyter kernel, which loads it differently from a build:
# from a folder of copies it makes beside TorchSharp.dll in the NuGet package folder (see apply.sh). Runs a two-cell
# notebook through Jupyter's own client; fails, showing the cell's error, if TorchSharp does not start.
# Needs jupyter-nbconvert and a kernelspec written by `dotnet-interactive jupyter install`.
#   bash tools/debian12-fix/check-kernel.sh [KERNEL_NAME]      # default .net-csharp
set -euo pipefail
kernel="${1:-.net-csharp}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cat > "$work/check.ipynb" <<'EOF'
{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
 {"cell_type": "code", "id": "load", "metadata": {}, "execution_count": null, "outputs": [],
  "source": "#r \"nuget: TorchSharp-cpu, 0.107.0\""},
 {"cell_type": "code", "id": "sum", "metadata": {}, "execution_count": null, "outputs": [],
  "source": "TorchSharp.torch.ones(2).sum().item<float>()"}]}
EOF
jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name="$kernel" \
    --ExecutePreprocessor.timeout=600 --output-dir "$work/out" "$work/check.ipynb" >"$work/log" 2>&1 \
  || { tail -n 40 "$work/log" >&2; echo "check-kernel: TorchSharp did not start in kernel $kernel." >&2; exit 1; }
grep -q '<pre>2</pre>' "$work/out/check.ipynb" \
  || { echo "check-kernel: the second cell did not show 2." >&2; exit 1; }
echo "check-kernel: TorchSharp runs in kernel $kernel (ones(2).sum() = 2)."
