#!/usr/bin/env bash
# Makes sure Slurm (slurmctld, slurmd, sbatch and the other client commands) and munge are installed, from Debian's
# packages, so the Slurm sweep executor can be tested against the real scheduler.
#   bash tools/slurm/ensure.sh
# On a machine with systemd, Debian sets up the packages' own services (munge with /etc/munge's key; Slurm's do not
# start without /etc/slurm/slurm.conf). The tests leave them alone and start private daemons (tools/slurm/cluster.sh).
set -euo pipefail
exec bash "$(dirname "$0")/../ensure-debian-packages.sh" slurm slurm-wlm munge
