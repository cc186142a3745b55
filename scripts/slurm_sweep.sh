#!/bin/bash
# A glassland sweep as a Slurm batch job, one MPI rank per GPU (docs/sweep.md, "Many ranks and
# GPUs"):
#   sbatch scripts/slurm_sweep.sh [SWEEP.json] [more glassland sweep options]
# from the repository root (or wherever the sweep file's paths are meant from): the job runs in
# the directory it was submitted from. Options given to sbatch override the #SBATCH lines below
# (e.g. sbatch --nodes=1 --ntasks-per-node=2 ...). GLASSLAND=path picks the program (default
# build/glassland). The sweep runs with --restart, so a requeued or resubmitted job continues
# where the last one stopped; a first job with no record starts from the beginning.
#SBATCH --job-name=glassland-sweep
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=4
#SBATCH --gpus-per-task=1
#SBATCH --cpus-per-task=4
#SBATCH --time=24:00:00
#SBATCH --output=sweep-%j.log
#SBATCH --requeue
set -euo pipefail
cd "${SLURM_SUBMIT_DIR:-.}"
sweep_file=${1:-inputs/sweep/paper000_entropy_full.json}
shift || true
program=${GLASSLAND:-build/glassland}
if [[ ! -x $program ]]; then
  echo "slurm_sweep: $program is not an executable program (build it, or set GLASSLAND=path)" >&2
  exit 1
fi
if [[ ! -f $sweep_file ]]; then
  echo "slurm_sweep: $sweep_file: no such sweep file (give it as the first argument)" >&2
  exit 1
fi
# One GPU per task: Slurm then shows each rank only its own GPU (CUDA_VISIBLE_DEVICES), which
# the rank takes as its device 0. srun is given the job's task geometry again: since Slurm 22.05
# it no longer inherits --cpus-per-task from sbatch, and being explicit costs nothing.
task_options=(--ntasks="${SLURM_NTASKS:?not inside a Slurm job: submit with sbatch}")
task_options+=(--cpus-per-task="${SLURM_CPUS_PER_TASK:-1}")
if [[ -n ${SLURM_GPUS_PER_TASK:-} ]]; then
  task_options+=(--gpus-per-task="$SLURM_GPUS_PER_TASK")
fi
# A host backend (OpenMP) uses the task's cores; the sweep sets 1 when nothing is set.
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-${SLURM_CPUS_PER_TASK:-1}}
echo "slurm_sweep: job ${SLURM_JOB_ID:-?}, $SLURM_NTASKS ranks, $(date -u +%FT%TZ): $sweep_file"
srun --mpi=pmix --cpu-bind=cores "${task_options[@]}" "$program" sweep "$sweep_file" --restart "$@"
