#!/usr/bin/env bash
# Training and per-sample scoring of the DL4J forecaster on the real 3W data: median and p99 time
# to score one sample for one well (ND4J rnnTimeStep vs the plain-Java stepper the detector uses).
# Usage: bash bench/scoring.sh [steps=20000] [runs=3] [dataDir=src/data/3w]   (about 2-4 minutes)
source "$(dirname "$0")/lib.sh"
run_bench 512m ScoringBench "$@"
