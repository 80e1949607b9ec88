#!/usr/bin/env bash
# Builds what bench/run-on-device.sh needs into .device/ (ignored by git): the CLI published self-contained with
# managed TorchSharp only, Tiny Shakespeare in a corpus cache, and the C# half of the PyTorch comparison.
#   bash bench/prepare-device.sh PATH/TO/tinyshakespeare/input.txt
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shakespeare=${1:?give the path of Tiny Shakespeare input.txt (sha256 86c4e6aa…)}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# A clean copy, so that the system-backend restore does not disturb this checkout's cpu build.
git -C "$root" worktree add -q --detach "$work/src" HEAD
# The notebook worker is published beside the CLI, self-contained too: the GPU machine has no dotnet to start it with.
for project in Course.Cli Course.Notebooks; do
    dotnet publish "$work/src/src/$project" -c Release -r linux-x64 --self-contained -p:TorchBackend=system -o "$work/pub" --verbosity quiet
done
git -C "$root" worktree remove --force "$work/src"
mkdir -p "$root/.device/cache/tinyshakespeare"
tar cJf "$root/.device/app.tar.xz" -C "$work" pub
cp "$shakespeare" "$root/.device/cache/tinyshakespeare/input.txt"
rm -rf "$root/.device/reference"
"$root/course" reference --out "$root/.device/reference" > /dev/null
du -sh "$root/.device"
