#!/usr/bin/env bash
# The local stack on the embedded broker: homeward-broker plus the four services as
# child processes, logs prefixed by service, stores under ./data, and a demo family
# driven through every stage (`homeward demo`). Ctrl-C stops it all.
# The embedded broker keeps nothing across restarts; the stores do.
set -euo pipefail
cd "$(dirname "$0")/../.."

for product in homeward-broker homeward intake health-screening travel-booking reintegration; do swift build --product "$product"; done
bin=$(swift build --show-bin-path)
mkdir -p data
rm -f data/broker.address

pids=()
broker=""
# The services stop first, committing their work against a broker still there; then the
# broker, which runs in a session of its own so that Ctrl-C does not reach it first.
stop() {
  trap - INT TERM EXIT
  echo "stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$broker" ] && kill -TERM "$broker" 2>/dev/null || true
  wait 2>/dev/null || true
  echo "stopped"
}
trap stop INT TERM EXIT

prefix() { sed -u "s/^/[$1] /"; }

setsid "$bin/homeward-broker" --address-file data/broker.address > >(prefix broker) 2>&1 &
broker=$!
for _ in $(seq 100); do [ -s data/broker.address ] && break; sleep 0.1; done
[ -s data/broker.address ] || { echo "the embedded broker did not start" >&2; exit 1; }

port=8081
for service in intake health-screening travel-booking reintegration; do
  DATA_DIRECTORY=data HTTP_PORT=$port LOG_FORMAT=text "$bin/$service" > >(prefix "$service") 2>&1 &
  pids+=($!)
  port=$((port + 1))
done

for port in 8081 8082 8083 8084; do
  for _ in $(seq 150); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
done
echo
echo "Homeward is running on the embedded broker at $(cat data/broker.address):"
for pair in intake:8081 health-screening:8082 travel-booking:8083 reintegration:8084; do
  echo "  ${pair%%:*}: http://127.0.0.1:${pair##*:}  (ready: $(curl -fsS "http://127.0.0.1:${pair##*:}/health/ready" 2>/dev/null || echo 'not yet'))"
done
echo
echo "A demo family, through every stage (homeward demo):"
"$bin/homeward" demo || echo "the demo did not finish (see the lines above)"
echo
echo "Stores are in ./data. Run '$bin/homeward demo' for another family. Ctrl-C stops everything."
wait
