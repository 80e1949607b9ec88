#!/usr/bin/env bash
# Makes sure Jupyter's own client (nbclient, nbconvert, jupyter_client, nbformat) is installed, from Debian's
# packages, so the chapters can be run and tested the way learners run them. With --browser, also the classic
# Notebook UI and Chromium with its driver (for the browser test). Idempotent; installs only what is missing.
#   bash tools/jupyter/ensure.sh [--browser]
# Needs root (or sudo) and apt-get to install; otherwise it names the packages and the command, and fails.
set -euo pipefail

packages=(jupyter-nbconvert python3-nbclient jupyter-client python3-nbformat python3-zmq)
case "$*" in
    "") ;;
    --browser) packages+=(jupyter-notebook chromium chromium-driver) ;;
    *) echo "usage: bash tools/jupyter/ensure.sh [--browser]" >&2; exit 2 ;;
esac

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
    echo "jupyter: ${missing[*]} missing, and this is not a Debian/Ubuntu system. Install Jupyter's nbconvert, nbclient," >&2
    echo "         jupyter_client and nbformat for /usr/bin/python3 by your system's means." >&2
    exit 1
fi
sudo=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null && sudo=(sudo) || {
        echo "jupyter: missing Debian packages: ${missing[*]}. Install them: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    }
fi
echo "jupyter: installing ${missing[*]}"
# The package lists may be stale or absent on a fresh machine; one update, then the install.
"${sudo[@]}" apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "jupyter: apt-get could not install ${missing[*]}." >&2; exit 1; }
