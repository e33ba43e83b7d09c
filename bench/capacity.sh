#!/usr/bin/env bash
# Capacity: the largest number of wells at 1 Hz one WellWatch server sustains with p99 end-to-end
# latency (PLC write -> RiskLevel notification at a subscribed client) under 100 ms; memory per
# well; server CPU by pipeline stage (JFR). The server runs as its own JVM (Main serve); the PLC
# simulator and the two measuring clients run in this one.
# Usage: bash bench/capacity.sh [steps=10,25,50,100,200,400,800] [measureSeconds=40] [samplingPeriodMs=20] [warmupSeconds=45]
# Bounded: each step takes about warm-up + measure + 30-60 s of start-up; stops at the first failing N.
source "$(dirname "$0")/lib.sh"
run_bench 2g CapacityBench "$@"
