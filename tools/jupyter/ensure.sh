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

exec bash "$(dirname "$0")/../ensure-debian-packages.sh" jupyter "${packages[@]}"
