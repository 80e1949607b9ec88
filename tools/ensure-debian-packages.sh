#!/usr/bin/env bash
# Installs the Debian packages a set of tests needs when they are missing, or fails naming the command to run.
# Idempotent; installs only what is missing. Needs root (or passwordless sudo) and apt-get to install.
#   bash tools/ensure-debian-packages.sh LABEL PACKAGE...     (LABEL prefixes the messages, e.g. "jupyter")
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bash tools/ensure-debian-packages.sh LABEL PACKAGE..." >&2; exit 2; }
label=$1
shift

missing=()
for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
    echo "$label: ${missing[*]} missing, and this is not a Debian/Ubuntu system. Install what these Debian packages hold by your system's means." >&2
    exit 1
fi
sudo=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null && sudo=(sudo) || {
        echo "$label: missing Debian packages: ${missing[*]}. Install them: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    }
fi
echo "$label: installing ${missing[*]}"
# The package lists may be stale or absent on a fresh machine: one update, then the install. Another apt may hold
# the lock for a while on a shared machine; wait for it rather than fail.
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "$label: apt-get could not install ${missing[*]}. Run: sudo apt-get install -y ${missing[*]}" >&2; exit 1; }
