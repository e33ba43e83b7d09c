#!/usr/bin/env bash
# Training and per-sample scoring benchmark of the DL4J forecaster on the real 3W data.
# Usage: bench/scoring.sh [steps=20000] [runs=3] [dataDir=src/data/3w]
# JVM settings as measured in dl4j-facts.md: one OpenMP thread, a heap cap, no JavaCPP physical cap.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
export OMP_NUM_THREADS=1
exec java -Xmx512m -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dwellwatch.logLevel=WARN \
  -cp "target/classes:target/test-classes:$(cat target/cp.txt)" io.wellwatch.bench.ScoringBench "$@"
