#!/usr/bin/env bash
# SamplerTune workers as a SLURM job array: one samplertune-worker per array task, each with
# --slots = the task's CPUs. Workers join the coordinator named in experiments/cluster/seed.json
# (written by `samplertune coordinator`), pull runs until the studies finish, and checkpoint and
# leave on SIGTERM. See slurm/README.md.
#
# Two ways to submit (both from the repository root, where ./samplertune built .build/bin):
#   slurm/array.sh submit [sbatch options]   sizes the job from the SAMPLERTUNE_* variables below
#   sbatch [sbatch options] slurm/array.sh   uses the #SBATCH defaults below; sbatch options and
#                                            SBATCH_ARRAY_INX, SBATCH_TIMELIMIT, SBATCH_PARTITION,
#                                            SBATCH_SIGNAL override them
#
# Settings (environment variables; the job inherits the submitting environment):
#   SAMPLERTUNE_ARRAY_SIZE       workers (array tasks)                                     default 4
#   SAMPLERTUNE_ARRAY_THROTTLE   at most this many tasks at once (sbatch --array=...%N)     default none
#   SAMPLERTUNE_CPUS_PER_TASK    CPUs per worker, passed on as --slots                     default 2
#   SAMPLERTUNE_BUDGET_SEC       wall-clock seconds a worker is meant to work              default 3600
#   SAMPLERTUNE_TIME_MARGIN_SEC  added to the budget to give the time limit                default 600
#   SAMPLERTUNE_SIGNAL_LEAD_SEC  SIGTERM this long before the time limit (<= margin)       default 300
#   SAMPLERTUNE_PARTITION        partition (-p)                                            default cluster's default
#   SAMPLERTUNE_JOB_NAME         job name                                                  default samplertune
#   SAMPLERTUNE_HOME             repository root holding .build/bin                        default submit directory
#   SAMPLERTUNE_EXPERIMENTS      experiments folder                                        default $SAMPLERTUNE_HOME/experiments
#   SAMPLERTUNE_SEED_FILE        coordinator seed file                 default $SAMPLERTUNE_EXPERIMENTS/cluster/seed.json
#   SAMPLERTUNE_WORKER_HOSTNAME  address this worker advertises to the cluster             default $(hostname)
#   SAMPLERTUNE_WORKER_CMD       the worker command, split on blanks       default dotnet $SAMPLERTUNE_HOME/.build/bin/samplertune-worker.dll
#   SAMPLERTUNE_DRY_RUN=1        print the sbatch command (submit) or worker command (in a job) instead of running it
#
# The #SBATCH lines are the defaults above, written out (time = 3600 + 600 s; signal lead 300 s).
# B: sends the signal to the batch shell, which `exec` below turns into the worker itself.
#SBATCH --job-name=samplertune
#SBATCH --array=0-3
#SBATCH --cpus-per-task=2
#SBATCH --ntasks=1
#SBATCH --time=01:10:00
#SBATCH --signal=B:TERM@300
#SBATCH --requeue
#SBATCH --output=samplertune-%A_%a.out
#SBATCH --open-mode=append
set -euo pipefail

die() { echo "slurm/array.sh: $*" >&2; exit 2; }

# Non-negative integer check for a setting: nonneg NAME VALUE.
nonneg() { [[ "$2" =~ ^[0-9]+$ ]] || die "$1 must be a whole number of seconds or items, got '$2'"; }

# Seconds as SLURM's D-HH:MM:SS.
slurm_time() { printf '%d-%02d:%02d:%02d' $(($1 / 86400)) $(($1 % 86400 / 3600)) $(($1 % 3600 / 60)) $(($1 % 60)); }

submit() {
  local size="${SAMPLERTUNE_ARRAY_SIZE:-4}" cpus="${SAMPLERTUNE_CPUS_PER_TASK:-2}"
  local budget="${SAMPLERTUNE_BUDGET_SEC:-3600}" margin="${SAMPLERTUNE_TIME_MARGIN_SEC:-600}"
  local lead="${SAMPLERTUNE_SIGNAL_LEAD_SEC:-300}" throttle="${SAMPLERTUNE_ARRAY_THROTTLE:-}"
  local name="${SAMPLERTUNE_JOB_NAME:-samplertune}" partition="${SAMPLERTUNE_PARTITION:-}"
  nonneg SAMPLERTUNE_ARRAY_SIZE "$size"; nonneg SAMPLERTUNE_CPUS_PER_TASK "$cpus"
  nonneg SAMPLERTUNE_BUDGET_SEC "$budget"; nonneg SAMPLERTUNE_TIME_MARGIN_SEC "$margin"
  nonneg SAMPLERTUNE_SIGNAL_LEAD_SEC "$lead"
  ((size >= 1 && cpus >= 1)) || die "SAMPLERTUNE_ARRAY_SIZE and SAMPLERTUNE_CPUS_PER_TASK must be at least 1"
  # A lead longer than the margin would stop workers before their budget is spent;
  # SLURM caps --signal at 65535 s and may send it up to 60 s early.
  ((lead <= margin)) || die "SAMPLERTUNE_SIGNAL_LEAD_SEC ($lead) must not exceed SAMPLERTUNE_TIME_MARGIN_SEC ($margin)"
  ((lead <= 65535)) || die "SAMPLERTUNE_SIGNAL_LEAD_SEC must be at most 65535"
  local limit=$((budget + margin))
  ((limit >= 60)) || limit=60  # SLURM time limits have minute resolution

  local array="0-$((size - 1))"
  [[ -z "$throttle" ]] || { nonneg SAMPLERTUNE_ARRAY_THROTTLE "$throttle"; array+="%$throttle"; }
  # The job runs this file from sbatch's spool copy, so fix the install location now.
  export SAMPLERTUNE_HOME="${SAMPLERTUNE_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
  local cmd=(sbatch --job-name="$name" --array="$array" --cpus-per-task="$cpus"
    --time="$(slurm_time "$limit")" --signal="B:TERM@$lead")
  [[ -z "$partition" ]] || cmd+=(--partition="$partition")
  cmd+=("$@" "${BASH_SOURCE[0]}")
  if [[ "${SAMPLERTUNE_DRY_RUN:-0}" = 1 ]]; then echo "${cmd[*]}"; return 0; fi
  exec "${cmd[@]}"
}

work() {
  [[ -n "${SLURM_JOB_ID:-}" ]] || die "not inside a SLURM job; submit with 'slurm/array.sh submit' or 'sbatch slurm/array.sh'"
  local home="${SAMPLERTUNE_HOME:-${SLURM_SUBMIT_DIR:?}}"
  local experiments="${SAMPLERTUNE_EXPERIMENTS:-$home/experiments}"
  local seed="${SAMPLERTUNE_SEED_FILE:-$experiments/cluster/seed.json}"
  # SLURM_CPUS_PER_TASK is set only when --cpus-per-task was given (it is, above); else one slot.
  local slots="${SLURM_CPUS_PER_TASK:-1}"
  local host="${SAMPLERTUNE_WORKER_HOSTNAME:-$(hostname)}"
  local worker
  if [[ -n "${SAMPLERTUNE_WORKER_CMD:-}" ]]; then
    read -r -a worker <<<"$SAMPLERTUNE_WORKER_CMD"
  else
    local dll="$home/.build/bin/samplertune-worker.dll"
    [[ -f "$dll" ]] || die "$dll not found: run ./samplertune once in $home to build it, or set SAMPLERTUNE_HOME"
    worker=(dotnet "$dll")
  fi
  export SAMPLERTUNE_HOME="$home" SAMPLERTUNE_EXPERIMENTS="$experiments"
  cd "$home" || die "SAMPLERTUNE_HOME $home is not a folder on $(hostname)"
  local cmd=("${worker[@]}" --seed-file "$seed" --slots "$slots" --hostname "$host")
  echo "slurm/array.sh: task ${SLURM_ARRAY_TASK_ID:-none} of job ${SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID} on $(hostname): ${cmd[*]}" >&2
  if [[ "${SAMPLERTUNE_DRY_RUN:-0}" = 1 ]]; then echo "${cmd[*]}"; return 0; fi
  # exec: the worker takes this shell's pid, so SLURM's B:TERM and scancel reach it directly.
  exec "${cmd[@]}"
}

if [[ "${1:-}" = submit ]]; then shift; submit "$@"; else work; fi
