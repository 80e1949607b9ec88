#!/usr/bin/env bash
# Makes TorchSharp's libLibTorchSharp.so load on systems whose libstdc++ lacks GLIBCXX_3.4.32 (e.g. Debian 12).
# Patches the copy in the NuGet package folder, from which every build copies it, and only when needed:
#   1. build libglibcxx_shim.so (provides std::ios_base_library_init) and put it beside the library;
#   2. mark the GLIBCXX_3.4.32 requirement weak, so the loader no longer refuses the file;
#   3. add the shim as a needed library (RUNPATH has $ORIGIN, so it is found beside it).
# The patched file is written to a temporary name and renamed, so an interrupted run leaves no half file.
# Then it brings TorchSharp's own copies of the library up to date (see sync_consolidated_copies below).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
packages="${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')}"
native="${packages%/}/torchsharp/0.107.0/runtimes/linux-x64/native"
lib="$native/libLibTorchSharp.so"

[ "$(uname -s)" = Linux ] || exit 0
[ -f "$lib" ] || { echo "debian12-fix: $lib not found; run 'dotnet restore' first." >&2; exit 1; }
# ldd names a missing strict version as ": version `X' not found" (a weak one as "weak version"), and a missing shim
# as "libglibcxx_shim.so => not found". ldd's output is read whole first: piped straight into grep -q, ldd could die of
# SIGPIPE when grep stops at the first match, and pipefail then made an unpatched library look fixed (1 run in ~10).
needs_fix() {
    local out; out="$(ldd "$lib" 2>&1)" || true
    grep -qE ": version .GLIBCXX_3\.4\.32' not found|libglibcxx_shim\.so => not found" <<<"$out"
}

# In notebooks and scripts (.NET Interactive, F# Interactive) TorchSharp loads its natives from a folder it fills itself:
# it copies every .so of libtorch-cpu-linux-x64 and of this package into lib/<tfm>/cpu (or cuda-<version>) beside
# TorchSharp.dll, the first time a notebook uses it, and never overwrites a file that is there. A copy made before
# this fix (a notebook run before setup.sh) keeps the unpatched library for good, and the kernel then fails with
# "doesn't contain a reference to libtorch-cpu-linux-x64" (the loader's real error: GLIBCXX_3.4.32 not found). So
# every run makes the patched files in those folders equal to the package's; folders not made yet will copy them.
synced=0
sync_consolidated_copies() {
    local dir name
    for dir in "${native%/runtimes/linux-x64/native}"/lib/*/*/; do
        dir="${dir%/}"
        [ -f "$dir/libLibTorchSharp.so" ] || continue
        for name in libLibTorchSharp.so libglibcxx_shim.so; do
            if [ -f "$native/$name" ] && ! cmp -s "$native/$name" "$dir/$name"; then
                cp "$native/$name" "$dir/$name.tmp"
                mv "$dir/$name.tmp" "$dir/$name"
                echo "debian12-fix: updated TorchSharp's consolidated copy (used by notebooks) $dir/$name"
                synced=1
            fi
        done
    done
}

if ! needs_fix; then
    sync_consolidated_copies
    [ "$synced" = 1 ] || echo "debian12-fix: libstdc++ is new enough or the fix is applied; nothing to do."
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
sync_consolidated_copies
