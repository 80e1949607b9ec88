#!/usr/bin/env bash
# Sets the project up on a fresh machine: restore, make TorchSharp's native library loadable, build.
# Safe to run again: every step checks before it changes anything.
#   bash setup.sh                 # default cpu backend (TorchSharp-cpu)
#   TORCH_BACKEND=system bash setup.sh   # managed TorchSharp; libtorch from an existing install
set -euo pipefail
cd "$(dirname "$0")"
backend="${TORCH_BACKEND:-cpu}"

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH." >&2; exit 1; }

echo "setup: restoring packages (TorchBackend=$backend)"
dotnet restore Course.sln -p:TorchBackend="$backend" --verbosity quiet

# TorchSharp 0.107.0's libLibTorchSharp.so was built with GCC 13 and asks for GLIBCXX_3.4.32, which older
# libstdc++ (Debian 12: GCC 12) lacks. Only one symbol needs it; tools/debian12-fix supplies it.
bash tools/debian12-fix/apply.sh

echo "setup: building (Release)"
dotnet build Course.sln -c Release --no-restore -p:TorchBackend="$backend" --verbosity quiet -clp:ErrorsOnly
echo "setup: done. Next: ./course pretrain   (./course --help lists the commands)"
