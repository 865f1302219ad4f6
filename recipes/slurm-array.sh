#!/bin/bash
# Slurm job array for grading one class with Belay: each array task grades one shard of the class, then one
# dependent job merges the shards into the gradebook a single run would have written (byte-identical with
# --reproducible). Tested for real by Tests/BelayCLITests/SlurmTests.swift on a single-node Slurm.
#
# Submit from the folder holding class/ (one sub-folder or .zip per student); the array must be 1-N:
#
#   job=$(sbatch --parsable --array=1-16 recipes/slurm-array.sh)
#   sbatch --dependency=afterok:$job --kill-on-invalid-dep=yes recipes/slurm-array.sh merge
#
# Shard K of N goes to shards/K/ (belay grade --shard K/N), the merge to grades/. Settings, from the environment
# (sbatch passes it on): BELAY (the belay binary), BELAY_CLASS, BELAY_SHARDS, BELAY_OUT, and BELAY_ARGS for
# extra `belay grade` options such as "--data course-data/ --rubric rubric.yaml --timeout 600".
# Rerunning a failed task is safe: `belay grade` skips students whose reports are complete and current.
#SBATCH --job-name=belay-grade
#SBATCH --cpus-per-task=2
#SBATCH --time=02:00:00
#SBATCH --output=belay-%A_%a.log
set -euo pipefail

belay=${BELAY:-belay}
class=${BELAY_CLASS:-class}
shards=${BELAY_SHARDS:-shards}
out=${BELAY_OUT:-grades}
read -r -a extra <<< "${BELAY_ARGS:-}"

if [ "${1:-}" = merge ]; then
  # Every shard folder: merge names the missing ones and refuses if a task did not finish.
  exec "$belay" gradebook merge "$shards"/*/ --out "$out" --reproducible
fi

k=${SLURM_ARRAY_TASK_ID:?submit as an array: sbatch --array=1-N $0}
n=${SLURM_ARRAY_TASK_COUNT:?submit as an array: sbatch --array=1-N $0}
if [ "${SLURM_ARRAY_TASK_MIN:-1}" != 1 ] || [ "${SLURM_ARRAY_TASK_MAX:-$n}" != "$n" ]; then
  echo "the array must be 1-N (got ${SLURM_ARRAY_TASK_MIN:-?}-${SLURM_ARRAY_TASK_MAX:-?}, $n tasks)" >&2
  exit 64
fi
mkdir -p "$shards"
exec "$belay" grade "$class" --out "$shards/$k" --shard "$k/$n" --jobs "${SLURM_CPUS_PER_TASK:-1}" \
  --reproducible "${extra[@]}"
