#!/usr/bin/env bash
# Relay and codec benchmark against the real endpoint on Tyrus at 127.0.0.1.
# Usage: bench/relay.sh [-Dbench.pairs=20] [-Dbench.messages=5000]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile -Dinvoker.skip
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
exec java -Xmx1g "$@" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  -Djava.util.logging.config.file=/dev/null local.textchat.bench.RelayBenchmark
