#!/usr/bin/env bash
# Vigil beside prometheus-blackbox-exporter on the same simulated fleet (issue 14), each prober's
# own process CPU over the same window, per probe, and the ratio. docs/benchmarks.md calls this.
#
#   docs/bench-peer.sh [TARGETS] [INTERVAL_SECONDS] [WINDOW_SECONDS] [WARMUP_SECONDS]   (default 1000 10 60 INTERVAL+2)
#
# The JVM compiles for minutes at a few hundred polls a second: WARMUP_SECONDS of 120 or more gives
# Vigil's steady state (the default, one interval, measures much of its JIT compilation).
#
# Starts: the simulator (`vigil simulate`, every answer freshly signed), a Vigil monitor polling
# every target's signed attestation, prometheus-blackbox-exporter probing every target's /health
# and matching the constitutional hash with a regex, and a Prometheus driving blackbox at the same
# interval (its own CPU is not counted: it is the scheduler, as Vigil's scheduler is inside Vigil).
# After one interval of warm-up, reads utime+stime of each prober from /proc over WINDOW seconds
# and the probes each ran (Vigil: constitutional_attestation_checks_total; blackbox: Prometheus's
# scrapes of /probe, `up` samples, each one probe whether or not it answered in time; matched:
# probe_success). Needs: a built target/vigil.jar (mvn -B package -DskipTests),
# python3, `prometheus` and `prometheus-blackbox-exporter` (Debian: apt-get install -y
# prometheus prometheus-blackbox-exporter; .ci/run does not install the latter). Everything on
# 127.0.0.1, in a temporary directory, stopped at exit.
set -euo pipefail
TARGETS=${1:-1000}
INTERVAL=${2:-10}
WINDOW=${3:-60}
WARMUP=${4:-$((INTERVAL + 2))}
JAR=${VIGIL_JAR:-target/vigil.jar}
TIMEOUT=$(( INTERVAL > 5 ? 5 : INTERVAL - 1 ))
BB=$(command -v prometheus-blackbox-exporter || command -v blackbox_exporter || true)
PROM=$(command -v prometheus || true)
if [[ -z "$BB" || -z "$PROM" || ! -f "$JAR" ]]; then
  echo "bench-peer: needs $JAR (mvn -B package -DskipTests), prometheus and prometheus-blackbox-exporter" \
    "(apt-get install -y prometheus prometheus-blackbox-exporter)" >&2
  exit 2
fi
DIR=$(mktemp -d /tmp/vigil-peer.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)

echo "bench-peer: $TARGETS targets every ${INTERVAL}s, warm-up ${WARMUP}s, window ${WINDOW}s, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx2g -jar "$JAR" simulate --services $(((TARGETS + 1) / 2)) --base-port 0 --admin-port 0 \
  --write-public-keys "$DIR/keys" > "$DIR/sim.out" 2> "$DIR/sim.err" &
PIDS+=($!)
for _ in $(seq 1 600); do grep -q '^admin ' "$DIR/sim.out" 2>/dev/null && break; sleep 0.5; done
grep -q '^admin ' "$DIR/sim.out" || { echo "bench-peer: the simulator did not start" >&2; exit 3; }
grep -v '^admin \|^running ' "$DIR/sim.out" | head -n "$TARGETS" > "$DIR/targets.txt"

VPORT=$(port); BPORT=$(port); PPORT=$(port)
{
  echo "monitorId: peer"
  echo "server: {host: 127.0.0.1, port: $VPORT}"
  echo "polling: {interval: ${INTERVAL}s, timeout: ${TIMEOUT}s, retries: 0, concurrency: 256}"
  echo "targets:"
  while read -r svc env url _; do
    echo "  - {service: $svc, environment: $env, url: \"$url\", keys: [{file: keys/$svc-$env.pub.pem}]}"
  done < "$DIR/targets.txt"
} > "$DIR/vigil.yaml"
cat > "$DIR/blackbox.yml" <<EOF
modules:
  acgs_hash:
    prober: http
    timeout: ${TIMEOUT}s
    http:
      preferred_ip_protocol: ip4
      fail_if_body_not_matches_regexp: ["cdd01ef066bc6cf2"]
EOF
{
  echo "global: {scrape_interval: ${INTERVAL}s, scrape_timeout: ${TIMEOUT}s}"
  echo "scrape_configs:"
  echo "  - job_name: blackbox"
  echo "    metrics_path: /probe"
  echo "    params: {module: [acgs_hash]}"
  echo "    static_configs:"
  echo "      - targets:"
  while read -r _ _ url _; do echo "        - \"${url%/}/health\""; done < "$DIR/targets.txt"
  echo "    relabel_configs:"
  echo "      - {source_labels: [__address__], target_label: __param_target}"
  echo "      - {source_labels: [__param_target], target_label: instance}"
  echo "      - {target_label: __address__, replacement: \"127.0.0.1:$BPORT\"}"
} > "$DIR/prometheus.yml"

(cd "$DIR" && exec java -jar "$OLDPWD/$JAR" monitor --config vigil.yaml > monitor.log 2>&1) &
VPID=$!; PIDS+=($VPID)
"$BB" --config.file="$DIR/blackbox.yml" --web.listen-address="127.0.0.1:$BPORT" > "$DIR/blackbox.log" 2>&1 &
BPID=$!; PIDS+=($BPID)
"$PROM" --config.file="$DIR/prometheus.yml" --storage.tsdb.path="$DIR/tsdb" \
  --web.listen-address="127.0.0.1:$PPORT" > "$DIR/prometheus.log" 2>&1 &
PIDS+=($!)

vigil_checks() {
  { curl -s "http://127.0.0.1:$VPORT/metrics" || true; } \
    | awk '/^constitutional_attestation_checks_total/ {s += $NF} END {printf "%d\n", s}'
}
for _ in $(seq 1 240); do
  kill -0 "$VPID" 2>/dev/null || { echo "bench-peer: the monitor stopped:" >&2; tail -5 "$DIR/monitor.log" >&2; exit 3; }
  [[ "$(vigil_checks)" -gt 0 ]] && break
  sleep 0.5
done
sleep "$WARMUP"

V0=$(vigil_checks); VC0=$(cpu_ticks $VPID); BC0=$(cpu_ticks $BPID); T0=$(date +%s)
sleep "$WINDOW"
V1=$(vigil_checks); VC1=$(cpu_ticks $VPID); BC1=$(cpu_ticks $BPID); T1=$(date +%s)
BPROBES=$(curl -s "http://127.0.0.1:$PPORT/api/v1/query" \
  --data-urlencode "query=sum(count_over_time(up{job=\"blackbox\"}[$((T1 - T0))s]))" --data-urlencode "time=$T1" \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(int(float(r[0]["value"][1])) if r else 0)')
BOK=$(curl -s "http://127.0.0.1:$PPORT/api/v1/query" \
  --data-urlencode "query=sum(sum_over_time(probe_success{job=\"blackbox\"}[$((T1 - T0))s]))" --data-urlencode "time=$T1" \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(int(float(r[0]["value"][1])) if r else 0)')
python3 - "$((V1 - V0))" "$((VC1 - VC0))" "$BPROBES" "$BOK" "$((BC1 - BC0))" "$HZ" "$((T1 - T0))" "$((TARGETS * (T1 - T0) / INTERVAL))" <<'EOF'
import sys
vp, vt, bp, bok, bt, hz, w = map(int, sys.argv[1:8])
vus = vt / hz / vp * 1e6 if vp else float("nan")
bus = bt / hz / bp * 1e6 if bp else float("nan")
print(f"window {w} s, {sys.argv[8]} probes asked of each")
print(f"vigil    {vp:7d} signed, verified polls  CPU {vt / hz:7.2f} s  {vus:8.1f} us per poll")
print(f"blackbox {bp:7d} probes ({bok} matched)  CPU {bt / hz:7.2f} s  {bus:8.1f} us per probe")
print(f"ratio    vigil / blackbox = {vus / bus:.2f}")
EOF
echo "load $(cut -d' ' -f1-3 /proc/loadavg); files in $DIR"
