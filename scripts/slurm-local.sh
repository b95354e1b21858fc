#!/usr/bin/env bash
# Single-node SLURM on loopback for tests and local trials of slurm/array.sh.
#
#   scripts/slurm-local.sh start    install (root, Debian) and start munged, slurmctld, slurmd; wait for an idle node
#   scripts/slurm-local.sh stop     stop the daemons this script started (by their pid files)
#   scripts/slurm-local.sh status   exit 0 when the local node answers sinfo, 1 otherwise
#
# Idempotent: a second `start` finds the daemons alive and the node up and returns at once, silently.
# State, spool, logs and slurm.conf live in $SLURM_LOCAL_DIR (default /tmp/samplertune-slurm);
# /etc/slurm/slurm.conf is a symlink to that slurm.conf so sbatch/squeue/sinfo need no SLURM_CONF.
# Jobs run as the submitting user; the node oversubscribes each CPU 4 ways (OverSubscribe=FORCE:4)
# so a 2-CPU machine can run several 2-CPU array tasks at once.
set -euo pipefail

dir="${SLURM_LOCAL_DIR:-/tmp/samplertune-slurm}"
conf="$dir/slurm.conf"
etc_conf=/etc/slurm/slurm.conf
node="$(hostname -s)"
cpus="$(nproc)"

log() { echo "slurm-local: $*" >&2; }
die() { log "$*"; exit 1; }

# True when the pid in file $1 is alive.
alive() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

node_state() { SLURM_CONF="$conf" sinfo -h -N -n "$node" -o '%T' 2>/dev/null | head -n 1; }

install_packages() {
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null \
    && command -v sbatch >/dev/null && return 0
  [[ "$(id -u)" = 0 ]] && command -v apt-get >/dev/null || die "slurm-wlm and munge are missing (install them as root: apt-get install slurm-wlm munge)"
  log "installing slurm-wlm and munge..."
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends slurm-wlm munge; } >"/tmp/slurm-local-apt.log" 2>&1 \
    || die "apt-get install slurm-wlm munge failed (see /tmp/slurm-local-apt.log)"
}

start_munge() {
  # munged refuses to run without a private key and a socket directory owned by its user.
  if [[ ! -s /etc/munge/munge.key ]]; then
    install -d -o munge -g munge -m 0700 /etc/munge
    if command -v mungekey >/dev/null; then mungekey --create --force >/dev/null
    else dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; fi
    chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
  fi
  install -d -o munge -g munge -m 0755 /run/munge
  if alive /run/munge/munged.pid && munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then return 0; fi
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "munged did not start (see /var/log/munge/munged.log)"
}

write_conf() {
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  local tmp="$conf.new"
  cat >"$tmp" <<EOF
# Written by scripts/slurm-local.sh: one node on loopback, no accounting, no cgroups.
ClusterName=samplertune
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
# CPUs only: memory is not a consumable resource here, so jobs need no --mem.
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
MailProg=/bin/true
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# A node that restarts comes back by itself instead of staying DOWN.
ReturnToService=2
# Seconds between SIGTERM and SIGKILL on scancel and at the time limit.
KillWait=10
# Finished jobs stay visible to scontrol show job for this many seconds.
MinJobAge=300
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
EOF
  if [[ -f "$conf" ]] && cmp -s "$tmp" "$conf"; then rm -f "$tmp"; else mv "$tmp" "$conf"; fi
  mkdir -p /etc/slurm
  if [[ -L "$etc_conf" || ! -e "$etc_conf" ]]; then
    ln -sfn "$conf" "$etc_conf"
  elif [[ "$(readlink -f "$etc_conf")" != "$conf" ]]; then
    log "note: $etc_conf is not ours; export SLURM_CONF=$conf for sbatch/squeue/sinfo"
  fi
}

start() {
  # The quiet fast path: daemons alive and the node schedulable.
  if [[ -f "$conf" ]] && alive "$dir/slurmctld.pid" && alive "$dir/slurmd.pid" && alive /run/munge/munged.pid; then
    case "$(node_state)" in idle|mixed|allocated|completing) return 0 ;; esac
  fi
  [[ "$(id -u)" = 0 ]] || die "start needs root (munged, slurmd)"
  install_packages
  write_conf
  start_munge
  export SLURM_CONF="$conf"
  alive "$dir/slurmctld.pid" || /usr/sbin/slurmctld -f "$conf"
  alive "$dir/slurmd.pid" || /usr/sbin/slurmd -f "$conf" -N "$node"
  local state=""
  for _ in $(seq 60); do
    state="$(node_state)"
    case "$state" in
      idle|mixed|allocated|completing) log "node $node is $state ($cpus CPUs, partition local)"; return 0 ;;
      down*|drain*) scontrol update NodeName="$node" State=RESUME 2>/dev/null || true ;;
    esac
    sleep 0.5
  done
  die "node $node is not up after 30 s (state '${state:-none}'); logs in $dir/log"
}

stop_pid() {
  local file="$1" name="$2"
  alive "$file" || return 0
  local pid; pid="$(cat "$file")"
  kill "$pid"
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || { log "stopped $name"; return 0; }; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  log "killed $name"
}

stop() {
  stop_pid "$dir/slurmd.pid" slurmd
  stop_pid "$dir/slurmctld.pid" slurmctld
  stop_pid /run/munge/munged.pid munged
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) [[ -f "$conf" ]] && [[ -n "$(node_state)" ]] ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
