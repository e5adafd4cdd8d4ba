#!/usr/bin/env bash
# Builds the benchmarks and runs a short configuration (1 fork, 3 x 1 s warmup, 5 x 1 s
# measurement, -prof gc) once with 1 thread and once with 2, writing text and JSON results to
# benchmarks/results/.
#
#   benchmarks/run.sh                         # every benchmark
#   benchmarks/run.sh 'PeerBenchmarks'        # a regex of benchmarks
#   benchmarks/run.sh 'PeerBenchmarks' -i 10  # extra JMH options after the regex
#
# THREADS="1" benchmarks/run.sh ... runs one thread count only.
set -euo pipefail

cd "$(dirname "$0")/.."
pattern="${1:-.*Benchmarks.*}"
shift || true
threads="${THREADS:-1 2}"

./mvnw -q -B -pl benchmarks -am -DskipTests package

mkdir -p benchmarks/results
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
for t in $threads; do
	out="benchmarks/results/${stamp}-t${t}"
	echo "== ${pattern} with ${t} thread(s) -> ${out}.txt / ${out}.json"
	java -jar benchmarks/target/benchmarks.jar "${pattern}" \
		-f 1 -wi 3 -w 1s -i 5 -r 1s -t "${t}" -prof gc \
		-rf json -rff "${out}.json" "$@" | tee "${out}.txt"
done
