# Shared by bench/*.sh: compiles main and test classes, writes the dependency class path to
# target/cp.txt, and runs one benchmark class with the JVM settings of dl4j-facts.md (one OpenMP
# thread, a heap cap, no JavaCPP physical cap). The benchmark appends its figures to bench/RESULTS.md
# together with the command that started it.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS=1
bench_command="bash bench/$(basename "$0")${*:+ $*}"
mvn -B -ntp -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt

# run_bench HEAP CLASS ARGS...: the benchmark JVM (sources under src/test/java/io/wellwatch/bench).
run_bench() {
  local heap=$1 main=$2
  shift 2
  java "-Xmx$heap" -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dwellwatch.logLevel=WARN \
    -Dbench.command="$bench_command" \
    -cp "target/classes:target/test-classes:$(cat target/cp.txt)" "io.wellwatch.bench.$main" "$@"
}
