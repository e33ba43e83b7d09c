#!/usr/bin/env bash
# Scoring throughput of N wells (real WellDetectors, own model each) with 1 and 2 scoring threads,
# idle and while a real DL4J training runs again and again in the background.
# Usage: bash bench/throughput.sh [wells=100] [secondsPerPhase=20] [threads=1,2]   (about 3-5 minutes)
source "$(dirname "$0")/lib.sh"
run_bench 1g ThroughputBench "$@"
