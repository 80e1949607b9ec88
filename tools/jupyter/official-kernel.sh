#!/usr/bin/env bash
# Registers the official .NET Interactive C# kernel (the dotnet tool Microsoft.dotnet-interactive, pinned in
# .config/dotnet-tools.json) with Jupyter, as ".net-csharp", without the HTTP API that its own installer opens on
# every network interface: --http-local-only keeps that API on this machine's loopback.
#   bash tools/jupyter/official-kernel.sh                # for this user (~/.local/share/jupyter/kernels)
#   bash tools/jupyter/official-kernel.sh --prefix DIR   # into DIR/share/jupyter/kernels (set JUPYTER_PATH=DIR/share/jupyter)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

case "${1:-}" in
    "") kernels="${JUPYTER_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/jupyter}/kernels" ;;
    --prefix) [ $# -eq 2 ] || { echo "usage: bash tools/jupyter/official-kernel.sh [--prefix DIR]" >&2; exit 2; }
              kernels="$2/share/jupyter/kernels" ;;
    *) echo "usage: bash tools/jupyter/official-kernel.sh [--prefix DIR]" >&2; exit 2 ;;
esac

# The tool restores into the NuGet package folder, like any package; the kernel is its app dll run by dotnet.
(cd "$root" && dotnet tool restore >/dev/null)
version="$(sed -n 's/.*"version": "\(1\.0\.[0-9]*\)".*/\1/p' "$root/.config/dotnet-tools.json" | head -1)"
packages="${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')}"
app="$(ls "${packages%/}"/microsoft.dotnet-interactive/"$version"/tools/net*/any/Microsoft.DotNet.Interactive.App.dll 2>/dev/null | head -1)"
[ -f "$app" ] || { echo "official-kernel: Microsoft.DotNet.Interactive.App.dll $version not found under $packages after 'dotnet tool restore'." >&2; exit 1; }
dotnet_host="$(command -v dotnet)"

mkdir -p "$kernels/.net-csharp"
cat > "$kernels/.net-csharp/kernel.json" <<JSON
{
  "argv": ["$dotnet_host", "$app", "jupyter", "--default-kernel", "csharp", "--http-local-only", "{connection_file}"],
  "display_name": ".NET (C#)",
  "language": "C#",
  "metadata": {"debugger": false}
}
JSON
echo "official-kernel: registered .NET Interactive $version as .net-csharp in $kernels"
# TorchSharp's loader for notebooks first asks the system loader for libtorch_cpu.so by name, so a libtorch installed
# system-wide (Debian's libtorch-dev, pulled in by python3-torch) is found before TorchSharp's own libtorch 2.10 and
# the first tensor fails with "undefined symbol" in libLibTorchSharp.so. Apps (the runner, the course kernel) are not
# affected: they load the libtorch beside them.
if command -v ldconfig >/dev/null && system_libtorch="$(ldconfig -p | sed -n 's/.*libtorch_cpu\.so (.*=> //p' | head -1)" && [ -n "$system_libtorch" ]; then
    echo "official-kernel: warning: $system_libtorch is on the system loader's path; TorchSharp in this kernel will load it" >&2
    echo "                 instead of its own libtorch and fail. Remove it (dpkg -S $system_libtorch names its package) to use this kernel." >&2
fi
