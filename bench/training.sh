#!/usr/bin/env bash
# Training-speed benchmark: retraining the default network on 500 real 3W samples with DL4J's fit,
# with the plain-Java trainer (the default) and with PyTorch as the reference, on identical data,
# windows, minibatches, initial parameters and optimiser, in one run. Prints medians and ratios and
# appends them to bench/RESULTS.md.
# Usage: bash bench/training.sh [rounds=5]
# Needs Debian's python3-torch for /usr/bin/python3 (installed here with apt-get when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
py=/usr/bin/python3
if ! "$py" -c "import torch" 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null
  else
    echo "PyTorch missing for $py: run 'sudo apt-get install -y python3-torch'" >&2
    exit 1
  fi
fi
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
export OMP_NUM_THREADS=1
exec java -Xmx512m -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dwellwatch.logLevel=WARN \
  -Dbench.command="bash bench/training.sh $*" \
  -cp "target/classes:target/test-classes:$(cat target/cp.txt)" io.wellwatch.bench.TrainingBench "${1:-5}" "$py"
