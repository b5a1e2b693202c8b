#!/usr/bin/env bash
# A/B benchmark in one run: textchat (the packaged WAR on embedded Tomcat 11), a raw pass-through
# endpoint on the same Tomcat (the floor: no decode, no registry), and the tutorial's own Node
# server (the anchor, ../shared/anchor, run as its README says). Every server is started fresh
# for each measurement, in alternating order, and driven by the same load generator
# (src/test/java/local/textchat/bench/LoadGenerator.java) on 127.0.0.1. Run it alone on the
# machine (no build, no browser, no helper: check `uptime` first). Results go to
# target/bench/results.txt; copy the figures into docs/benchmark.md.
#
# Usage: bench/compare.sh [quick]       (quick: shorter runs and 2,000 idle users, to try it out)
set -euo pipefail
cd "$(dirname "$0")/.."
ANCHOR="${ANCHOR:-$(cd .. && pwd)/shared/anchor}"
OUT=target/bench
# 18,500 idle users + a burst of 1,000: each process here may open at most `ulimit -n` files
# (20,000 on the machine the figures come from, not raisable), sockets included.
SECONDS_PER_RUN=10; USERS=18500; BURST=1000; ROUNDS=2; DEFAULT_USERS=5000
if [ "${1:-}" = quick ]; then SECONDS_PER_RUN=3; USERS=2000; BURST=200; ROUNDS=1; DEFAULT_USERS=1000; fi
limit="$(ulimit -n)"
if [ "$limit" != unlimited ] && [ $((USERS + BURST + 300)) -gt "$limit" ]; then USERS=$((limit - BURST - 300)); fi
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"

echo "== building (WAR, test classes, Tomcat jars; npm install in the anchor's directory)"
mvn -B -q package -DskipTests -Dinvoker.skip
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$OUT/classpath" -Dmdep.includeScope=test
TOMCAT_VERSION="$(sed -n "s:.*<tomcat11.version>\(.*\)</tomcat11.version>.*:\1:p" pom.xml)"
for artifact in org.apache.tomcat.embed:tomcat-embed-core org.apache.tomcat.embed:tomcat-embed-websocket \
                org.apache.tomcat:tomcat-annotations-api; do
  mvn -B -q dependency:copy -Dartifact="$artifact:$TOMCAT_VERSION" -DoutputDirectory="$OUT/tomcat"
done
# The anchor runs from its own directory, as its README says (never copied into this project).
(cd "$ANCHOR" && npm install --silent --no-audit --no-fund)
CP="target/test-classes:target/classes:$(cat "$OUT/classpath")"

# textchat's limits are for the public internet; the benchmark lifts the ones that would refuse its load.
SETTINGS=(textchat.iceServers=[] textchat.ratePerSecond=1000000 textchat.rateBurst=1000000
          textchat.maxUsers=100000 textchat.maxSocketsPerAddress=100000 textchat.resumeGraceSeconds=0
          textchat.pingIntervalSeconds=600 textchat.idleTimeoutSeconds=1200)
HEAP=(-Xms512m -Xmx512m)
# Tomcat as docs/deploy.md sets it up for a large node: 1 KiB socket and WebSocket buffers.
LEAN_TOMCAT=(-Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=1024)
LEAN_CONNECTOR=(connector.socket.appReadBufSize=1024 connector.socket.appWriteBufSize=1024)
PID=""; URL=""; JVM=false; LAUNCHER=""
# WildFly rows (only when SERVERS names them): the distribution `mvn verify` unpacks for its
# container tests, or WILDFLY_HOME.
WILDFLY_VERSION="$(sed -n "s:.*<wildfly.version>\(.*\)</wildfly.version>.*:\1:p" pom.xml)"
WILDFLY_HOME="${WILDFLY_HOME:-target/containers/wildfly-$WILDFLY_VERSION}"

start() {  # start <tutorial|textchat|textchat-lean|textchat-inline|raw|tyrus|wildfly|wildfly-io>: sets PID, URL, JVM
  local log="$OUT/$1.log"
  case "$1" in
    tutorial)
      (cd "$ANCHOR" && exec node tutorial-server.js) >/dev/null 2>"$log" < <(sleep 100000) &
      PID=$!; URL="ws://127.0.0.1:9090/"; JVM=false
      for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/9090) 2>/dev/null && break; sleep 0.1; done ;;
    textchat|raw|textchat-lean|textchat-inline)
      rm -rf "$OUT/tomcat-base"
      local jvm=() connector=()
      if [ "$1" = textchat-lean ]; then jvm=("${LEAN_TOMCAT[@]}"); connector=("${LEAN_CONNECTOR[@]}"); fi
      # An experiment, not a deployment: the poller runs each socket's work itself (BenchTomcat).
      if [ "$1" = textchat-inline ]; then connector=(executor=inline); fi
      java "${HEAP[@]}" "${jvm[@]}" -cp "$OUT/tomcat/*" src/test/bench/BenchTomcat.java target/textchat.war \
        "$OUT/tomcat-base" "${SETTINGS[@]}" "${connector[@]}" >"$log" 2>&1 < <(sleep 100000) &
      PID=$!; JVM=true
      local port; port="$(awaitPort "$log")"
      if [ "$1" = raw ]; then URL="ws://127.0.0.1:$port/raw/signal"; else URL="ws://127.0.0.1:$port/textchat/signal"; fi ;;
    wildfly|wildfly-io)
      # The WAR on WildFly, configured through environment variables (docs/deploy.md), its own
      # server directory; wildfly-io runs the endpoint on Undertow's I/O threads
      # (dispatch-to-worker="false", docs/deploy.md: single node only).
      local server="$OUT/wildfly-base"
      [ -x "$WILDFLY_HOME/bin/standalone.sh" ] || { echo "no WildFly at $WILDFLY_HOME: run mvn verify (it unpacks it) or set WILDFLY_HOME" >&2; exit 1; }
      rm -rf "$server"; mkdir -p "$server/deployments"
      cp -r "$WILDFLY_HOME/standalone/configuration" "$server/configuration"
      if [ "$1" = wildfly-io ]; then
        grep -q '<websockets/>' "$server/configuration/standalone.xml" || { echo "standalone.xml has no <websockets/>" >&2; exit 1; }
        sed -i 's|<websockets/>|<websockets dispatch-to-worker="false"/>|' "$server/configuration/standalone.xml"
      fi
      cp target/textchat.war "$server/deployments/"
      local env=()
      for setting in "${SETTINGS[@]}"; do
        local key="${setting%%=*}"
        key="$(sed -E 's/([a-z])([A-Z])/\1_\2/g; s/\./_/g' <<< "$key" | tr a-z A-Z)"
        env+=("$key=${setting#*=}")
      done
      env "${env[@]}" LAUNCH_JBOSS_IN_BACKGROUND=true JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")" \
        JAVA_OPTS="${HEAP[*]} -Djava.net.preferIPv4Stack=true" \
        sh "$WILDFLY_HOME/bin/standalone.sh" -Djboss.server.base.dir="$(pwd)/$server" -b 127.0.0.1 -bmanagement 127.0.0.1 \
        >"$log" 2>&1 < /dev/null &
      local launcher=$!; LAUNCHER=$launcher
      for _ in $(seq 900); do [ -f "$server/deployments/textchat.war.deployed" ] && break; sleep 0.2; done
      [ -f "$server/deployments/textchat.war.deployed" ] || { echo "WildFly did not deploy; see $log" >&2; exit 1; }
      # The server's own JVM (standalone.sh waits for it), so its CPU is read, not the script's.
      PID="$(pgrep -P "$launcher" java | head -1)"; JVM=true
      URL="ws://127.0.0.1:8080/textchat/signal" ;;
    tyrus)
      java "${HEAP[@]}" -cp "$CP" -Djava.util.logging.config.file=/dev/null local.textchat.bench.TyrusServer \
        "${SETTINGS[@]}" >"$log" 2>&1 < <(sleep 100000) &
      PID=$!; JVM=true
      URL="ws://127.0.0.1:$(awaitPort "$log")/textchat/signal" ;;
  esac
}

awaitPort() {
  for _ in $(seq 600); do
    if grep -q '^port ' "$1"; then grep '^port ' "$1" | head -1 | cut -d' ' -f2; return; fi
    sleep 0.1
  done
  echo "server did not start; see $1" >&2; exit 1
}

# A WildFly JVM is the launcher's child: standalone.sh passes the TERM on and waits for it.
stop() { kill "$PID" 2>/dev/null || true; wait "${LAUNCHER:-$PID}" 2>/dev/null || true; LAUNCHER=""; sleep 1; }

measure() {  # measure <server> <mode args...>
  local server="$1"; shift
  start "$server"
  sleep 2
  local line
  local metrics=()
  if [ "$server" != tutorial ] && [ "$server" != raw ]; then metrics=(metrics="${URL%/signal}/metrics"); metrics=("${metrics[0]/ws:/http:}"); fi
  line="$(java -Xmx4g -cp "$CP" local.textchat.bench.LoadGenerator url="$URL" pid="$PID" jvm="$JVM" "${metrics[@]}" "$@" | grep '^result ')"
  stop
  echo "$server ${line#result }" | tee -a "$RESULTS"
}

{
  echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
       "$(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1); node $(node --version);" \
       "Tomcat $TOMCAT_VERSION; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$RESULTS"

# ONLY=relay|latency|logins runs one part, SERVERS="tutorial tyrus" some servers (the A/B in the docs is a whole run).
for round in $(seq "$ROUNDS"); do
  if [ "${ONLY:-}" = logins ]; then break; fi
  read -r -a order <<< "${SERVERS:-tutorial textchat raw textchat-inline}"  # SERVERS="a b" picks and orders
  if [ $((round % 2)) = 0 ]; then for ((i = 0, j = ${#order[@]} - 1; i < j; i++, j--)); do
    t="${order[i]}"; order[i]="${order[j]}"; order[j]="$t"; done; fi
  if [ -z "${ONLY:-}" ] || [ "$ONLY" = relay ]; then
    for server in "${order[@]}"; do measure "$server" mode=relay pairs=50 window=4 seconds="$SECONDS_PER_RUN"; done
  fi
  if [ -z "${ONLY:-}" ] || [ "$ONLY" = latency ]; then
    for server in "${order[@]}"; do measure "$server" mode=latency pairs=50 rate=5000 seconds="$SECONDS_PER_RUN"; done
  fi
done
# Every logins run in a 512 MiB heap: the tutorial and textchat on Tomcat as set up for a large node
# and textchat on Tyrus (the dev server) with the full count; textchat on Tomcat's defaults with
# fewer users (it would not fit), for what a socket costs there.
if [ -z "${ONLY:-}" ] || [ "$ONLY" = logins ]; then
measure tutorial mode=logins users="$USERS" burst="$BURST"
measure textchat-lean mode=logins users="$USERS" burst="$BURST"
measure textchat mode=logins users="$DEFAULT_USERS" burst="$BURST"
measure tyrus mode=logins users="$USERS" burst="$BURST"
fi
echo "# done $(date -u +%FT%TZ); load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS"
