#!/usr/bin/env bash
# Demo benchmark: time from start to the first model, and the demo's peak heap and RSS; the figures
# are printed and appended to bench/RESULTS.md with the date, machine, load and command.
# Usage: bash bench/demo.sh [duration, default 150s]   (builds the jar if it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-150s}
command="bash bench/demo.sh${*:+ $*}"
[ -f target/wellwatch.jar ] || mvn -B -q -DskipTests package
rm -rf state/demo
export OMP_NUM_THREADS=1
load_start=$(uptime)
started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
log=$(mktemp)
start=$(date +%s.%N)
java -Xmx1g -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -jar target/wellwatch.jar demo \
  --duration "$duration" --status-every 1s --port 4850 >"$log" 2>/dev/null &
pid=$!
first=""
while kill -0 "$pid" 2>/dev/null; do
  if [ -z "$first" ] && grep -q "model v1" "$log"; then
    first=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN{printf "%.1f", a-b}')
  fi
  sleep 0.5
done
wait "$pid" || true
figures=$(
  echo "demo ran for $duration at 25x"
  echo "time from demo start to the first model in service: ${first:-never} s"
  grep -E "^WELL-" "$log" | tail -2
  grep "Peak heap" "$log" || true
)
rm -f "$log"
echo "$figures"
{
  echo
  echo "## Demo: time to the first model, peak heap and RSS (bench/demo.sh) — $started_at"
  echo "- command: \`$command\`"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) memory, $(java -version 2>&1 | sed -n 1p)"
  echo "- load (\`uptime\`) at start: $load_start; at end: $(uptime)"
  echo
  echo '```'
  echo "$figures"
  echo '```'
} >> bench/RESULTS.md
echo "appended to bench/RESULTS.md"
