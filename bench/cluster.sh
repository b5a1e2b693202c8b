#!/usr/bin/env bash
# Cross-node against same-node relay: a single node, and a two-node cluster through a
# redis-server this starts on 127.0.0.1 (it must be installed). Results: docs/cluster-benchmark.md.
# Usage: bench/cluster.sh [-Dbench.pairs=20] [-Dbench.messages=5000] [-Dbench.pacedRate=50] [-Dbench.pacedRounds=1]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile -Dinvoker.skip
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
exec java -Xmx1g "$@" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  -Djava.util.logging.config.file=/dev/null local.textchat.bench.ClusterRelayBenchmark
