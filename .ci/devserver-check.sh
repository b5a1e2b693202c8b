#!/usr/bin/env bash
# End-to-end check of the development server, as a user runs it after the build command:
# `mvn tyrus:run` (time-limited) starts, the page and a script load over HTTP with their content
# types and the application's security headers, /health answers, a WebSocket client logs in at
# /textchat/signal, a -D setting reaches the app, and Maven exits cleanly when the time is up.
#
# Needs: the repository already built with `mvn verify` (which installs tyrus-maven-plugin into
# the local repository). Traffic goes to 127.0.0.1 only; the port is picked by the server
# (tyrus.port=0) and read from its banner.
#
# Env: DEVCHECK_STOP_AFTER  seconds the server runs (default 40)
#      DEVCHECK_START_WAIT  seconds to wait for the banner (default 180: compiling may happen first)
#      MVN                  the Maven command (default mvn)
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
STOP_AFTER=${DEVCHECK_STOP_AFTER:-40}
START_WAIT=${DEVCHECK_START_WAIT:-180}
MVN=${MVN:-mvn}
ICE='[{"urls":"stun:devcheck.invalid:3478"}]'  # a setting the login reply echoes back
LOG=$(mktemp "${TMPDIR:-/tmp}/devserver-check.XXXXXX.log")

fail() {
  echo "devserver-check: FAIL: $*" >&2
  echo "devserver-check: last lines of the mvn tyrus:run output ($LOG):" >&2
  tail -n 40 "$LOG" | sed 's/^/  | /' >&2
  exit 1
}

$MVN -B tyrus:run -Dtyrus.host=127.0.0.1 -Dtyrus.port=0 -Dtyrus.stopAfter="$STOP_AFTER" \
  "-Dtextchat.iceServers=$ICE" >"$LOG" 2>&1 &
MVN_PID=$!
trap 'kill "$MVN_PID" 2>/dev/null' EXIT
echo "devserver-check: started mvn tyrus:run (pid $MVN_PID, stopAfter ${STOP_AFTER}s, log $LOG)"

# The banner's last line: "[INFO] Open http://127.0.0.1:PORT/textchat/   (stops after N s)"
URL=""
for ((i = 0; i < START_WAIT; i++)); do
  URL=$(grep -o 'Open http://[^ ]*' "$LOG" | head -n 1 | cut -d' ' -f2)
  [[ -n "$URL" ]] && break
  kill -0 "$MVN_PID" 2>/dev/null || fail "mvn tyrus:run ended before printing its banner"
  sleep 1
done
[[ -n "$URL" ]] || fail "no banner within ${START_WAIT}s"
[[ "$URL" == http://127.0.0.1:*/textchat/ ]] || fail "unexpected URL in the banner: $URL"
echo "devserver-check: server up at $URL"

java "$(pwd)/.ci/DevServerCheck.java" "$URL" "devcheck.invalid" || fail "client checks failed (see above)"

# Clean exit when the time is up: exit code 0, BUILD SUCCESS, the stop message.
for ((i = 0; i < STOP_AFTER + 60; i++)); do
  kill -0 "$MVN_PID" 2>/dev/null || break
  sleep 1
done
kill -0 "$MVN_PID" 2>/dev/null && fail "mvn tyrus:run still running $((STOP_AFTER + 60))s after start"
wait "$MVN_PID"
RC=$?
trap - EXIT
[[ $RC -eq 0 ]] || fail "mvn tyrus:run exited with $RC"
grep -q 'Tyrus development server stopped' "$LOG" || fail "no stop message"
grep -q 'BUILD SUCCESS' "$LOG" || fail "no BUILD SUCCESS"
echo "devserver-check: mvn tyrus:run exited cleanly after ${STOP_AFTER}s"
echo "devserver-check: PASS"
