#!/usr/bin/env bash
# Makes TorchSharp's libLibTorchSharp.so load on systems whose libstdc++ lacks GLIBCXX_3.4.32 (e.g. Debian 12).
# Patches the copy in the NuGet package folder, from which every build copies it, and only when needed:
#   1. build libglibcxx_shim.so (provides std::ios_base_library_init) and put it beside the library;
#   2. mark the GLIBCXX_3.4.32 requirement weak, so the loader no longer refuses the file;
#   3. add the shim as a needed library (RUNPATH has $ORIGIN, so it is found beside it).
# The patched file is written to a temporary name and renamed, so an interrupted run leaves no half file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
packages="${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')}"
native="${packages%/}/torchsharp/0.107.0/runtimes/linux-x64/native"
lib="$native/libLibTorchSharp.so"

[ "$(uname -s)" = Linux ] || exit 0
[ -f "$lib" ] || { echo "debian12-fix: $lib not found; run 'dotnet restore' first." >&2; exit 1; }
# ldd names a missing strict version as ": version `X' not found" (a weak one as "weak version"), and a missing shim
# as "libglibcxx_shim.so => not found".
needs_fix() { ldd "$lib" 2>&1 | grep -qE ": version .GLIBCXX_3\.4\.32' not found|libglibcxx_shim\.so => not found"; }
if ! needs_fix; then
    echo "debian12-fix: libstdc++ is new enough or the fix is applied; nothing to do."
    exit 0
fi

need_install=()
command -v g++ >/dev/null || need_install+=(g++)
command -v patchelf >/dev/null || need_install+=(patchelf)
if [ ${#need_install[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "debian12-fix: installing ${need_install[*]}"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}") >/dev/null \
          || { echo "debian12-fix: could not install ${need_install[*]}; install them (sudo apt-get install ${need_install[*]}) and rerun." >&2; exit 1; }
    else
        echo "debian12-fix: this system's libstdc++ lacks GLIBCXX_3.4.32 and the fix needs ${need_install[*]}." >&2
        echo "              Install them (sudo apt-get install ${need_install[*]}) and rerun setup.sh." >&2
        exit 1
    fi
fi

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
g++ -O2 -shared -fPIC -o "$work/libglibcxx_shim.so" "$here/glibcxx_shim.cpp"
g++ -O2 -o "$work/weaken_glibcxx" "$here/weaken_glibcxx.cpp"
cp "$lib" "$work/libLibTorchSharp.so"
"$work/weaken_glibcxx" "$work/libLibTorchSharp.so" GLIBCXX_3.4.32 >/dev/null
patchelf --print-needed "$work/libLibTorchSharp.so" | grep -qx libglibcxx_shim.so \
  || patchelf --add-needed libglibcxx_shim.so "$work/libLibTorchSharp.so"
cp "$work/libglibcxx_shim.so" "$native/libglibcxx_shim.so.tmp" && mv "$native/libglibcxx_shim.so.tmp" "$native/libglibcxx_shim.so"
cp "$work/libLibTorchSharp.so" "$lib.tmp" && mv "$lib.tmp" "$lib"
if needs_fix; then
    echo "debian12-fix: the patch did not take; $lib still needs GLIBCXX_3.4.32." >&2; exit 1
fi
echo "debian12-fix: patched $lib (GLIBCXX_3.4.32 now optional; shim beside it)."
