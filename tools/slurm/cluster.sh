#!/usr/bin/env bash
# A private single-node Slurm cluster in one folder: its own munge key and socket, its own slurm.conf, state, logs
# and ports, so it touches nothing of a system Slurm. For trying `course sweep --executor slurm` on one machine, and
# for the tests, which start one per test run and stop it afterwards.
#   bash tools/slurm/cluster.sh start DIR [CTLD_PORT SLURMD_PORT]   # then: export SLURM_CONF=DIR/slurm.conf
#   bash tools/slurm/cluster.sh stop DIR
# Needs root (slurmd starts jobs as their users) and Debian's slurm-wlm and munge (tools/slurm/ensure.sh).
set -euo pipefail

usage() { echo "usage: bash tools/slurm/cluster.sh start|stop DIR [CTLD_PORT SLURMD_PORT]" >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1
dir=$(realpath -m "$2")

stop() {
    # Jobs first: a job's slurmstepd outlives slurmd. This cluster's jobs only, through its own slurm.conf.
    if [ -f "$dir/run/slurmctld.pid" ] && kill -0 "$(cat "$dir/run/slurmctld.pid")" 2>/dev/null; then
        SLURM_CONF="$dir/slurm.conf" scancel --user="$(id -un)" 2>/dev/null || true
        for _ in $(seq 100); do
            [ -z "$(SLURM_CONF="$dir/slurm.conf" squeue --noheader 2>/dev/null)" ] && break
            sleep 0.1
        done
    fi
    # Then the daemons this folder started, by the ids they wrote.
    for name in slurmd slurmctld munged; do
        local pidfile="$dir/run/$name.pid"
        [ -f "$pidfile" ] || continue
        local pid
        pid=$(cat "$pidfile")
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
        fi
        rm -f "$pidfile"
    done
}

case "$action" in
    stop) stop; exit 0 ;;
    start) ;;
    *) usage ;;
esac

ctld_port=${3:-6817}
slurmd_port=${4:-6818}
[ "$(id -u)" = 0 ] || { echo "slurm: the cluster's slurmd must run as root; run this script as root (sudo bash $0 start $dir)." >&2; exit 1; }
for program in munged mungekey slurmctld slurmd sbatch; do
    command -v "$program" >/dev/null || { echo "slurm: $program is missing; install Slurm and munge: bash tools/slurm/ensure.sh" >&2; exit 1; }
done

mkdir -p "$dir"/{munge,run,log,state,spool}
chmod 700 "$dir" "$dir/munge"
[ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key"
chmod 600 "$dir/munge/munge.key"
socket="$dir/munge/munge.socket"

host=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 ))
cat > "$dir/slurm.conf" <<CONF
# Written by tools/slurm/cluster.sh: one node, this host, no accounting.
ClusterName=course
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
# Polls every second, so short test jobs start and end promptly.
SchedulerParameters=sched_interval=1
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

stop
# The daemons get no terminal and no pipe of the caller's (a test reading this script's output would wait on them);
# what they say before their log files open goes to log/start.log.
started() { echo "slurm: $1 did not start; see $dir/log/start.log and $dir/log/$1.log" >&2; cat "$dir/log/start.log" >&2; stop; exit 1; }
munged --socket="$socket" --key-file="$dir/munge/munge.key" --pid-file="$dir/run/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" --force </dev/null >>"$dir/log/start.log" 2>&1 || started munged
export SLURM_CONF="$dir/slurm.conf"
slurmctld -i </dev/null >>"$dir/log/start.log" 2>&1 || started slurmctld
slurmd -N "$host" </dev/null >>"$dir/log/start.log" 2>&1 || started slurmd

# Ready when the node takes jobs.
for _ in $(seq 120); do
    state=$(sinfo --noheader --format=%T 2>/dev/null || true)
    case "$state" in idle*|mixed*|allocated*) echo "slurm: cluster up in $dir (SLURM_CONF=$dir/slurm.conf)"; exit 0 ;; esac
    sleep 0.5
done
echo "slurm: the node did not become idle within 60 s (state: ${state:-none}); logs in $dir/log" >&2
stop
exit 1
