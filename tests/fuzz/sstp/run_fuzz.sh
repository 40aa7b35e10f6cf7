#!/bin/sh
# run_fuzz.sh EXE SCRATCH_DIR SEED_DIR [libFuzzer args...]: a bounded run; new inputs
# and crash artifacts go to SCRATCH_DIR (fresh each run), the committed seeds are read only.
set -eu
exe=$1 scratch=$2 seeds=$3
shift 3
rm -rf "$scratch"
mkdir -p "$scratch/corpus"
exec "$exe" -artifact_prefix="$scratch/" -print_final_stats=1 "$@" "$scratch/corpus" "$seeds"
