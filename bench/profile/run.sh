#!/usr/bin/env bash
# CPU profile of plain YARP and the gateway under the same wrk load: perf record -g with the runtime's perf map, then
# bench/profile/breakdown.py splits each recording into parts (kernel by system call, Kestrel, YARP, SocketsHttpHandler,
# ours, GC, ...) with µs per request. Uses bench/run.sh's build (bench/results/bin; run that once first).
#
#   bench/profile/run.sh            # 2 recordings of 10 s per target, after 30 s of warm-up each
#   RECORDINGS=4 bench/profile/run.sh
#   REQUEST='/_demo/download?bytes=1048576' bench/profile/run.sh     # another request (default /bench?size=100)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=$ROOT/bench/results/bin
OUT=$ROOT/bench/results/profile-$(date +%Y%m%d-%H%M%S)
BASE_PORT=${BASE_PORT:-19100}
RECORDINGS=${RECORDINGS:-2}
REQUEST=${REQUEST:-/bench?size=100}
SECONDS_PER_RECORDING=10
HZ=1999
mkdir -p "$OUT"
command -v perf >/dev/null || { echo "perf is required (apt-get install linux-perf)"; exit 1; }

declare -a PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

serve() { # name port command...
    local name=$1 port=$2
    shift 2
    "$@" >"$OUT/$name.log" 2>&1 &
    PIDS+=("$!")
    echo "$!" >"$OUT/$name.pid"
    for _ in $(seq 300); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/bench?size=100" || true)" = 200 ] && return 0
        sleep 0.2
    done
    echo "$name did not start (see $OUT/$name.log)"
    exit 1
}

blue=$((BASE_PORT + 1)) canary=$((BASE_PORT + 3))
serve blue "$blue" dotnet "$BIN/backend/Proxy.DemoBackend.dll" --version blue --port "$blue"
serve canary "$canary" dotnet "$BIN/backend/Proxy.DemoBackend.dll" --version canary --port "$canary"
sed -e "s|@BLUE_PORT@|$blue|g" -e "s|@CANARY_PORT@|$canary|g" "$ROOT/bench/config/gateway.json" >"$OUT/gateway.json"
# Perf map for JIT-ed code; W^X off so that JIT-ed code is not in an anonymous double mapping perf cannot name.
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
serve yarp $((BASE_PORT + 200)) dotnet "$BIN/plainyarp/PlainYarp.dll" --contentRoot "$BIN/plainyarp" \
    --urls "http://127.0.0.1:$((BASE_PORT + 200))" "--ReverseProxy:Clusters:upstream:Destinations:d1:Address=http://127.0.0.1:$blue/"
serve gateway $((BASE_PORT + 300)) dotnet "$BIN/gateway/Proxy.Gateway.dll" --config "$OUT/gateway.json" \
    "--Proxy:Urls=http://127.0.0.1:$((BASE_PORT + 300))" "--Admin:Urls=http://127.0.0.1:$((BASE_PORT + 1300))" "--State:Sqlite:Path=$OUT/state.db"
unset DOTNET_PerfMapEnabled DOTNET_EnableWriteXorExecute

declare -A PORT=([yarp]=$((BASE_PORT + 200)) [gateway]=$((BASE_PORT + 300)))
for t in yarp gateway; do
    # Past tier-up: on a loaded host the JIT still runs for tens of seconds after the first requests.
    wrk -t1 -c32 -d30s "http://127.0.0.1:${PORT[$t]}$REQUEST" >/dev/null
done
for r in $(seq "$RECORDINGS"); do
    for t in yarp gateway; do
        pid=$(cat "$OUT/$t.pid")
        wrk -t1 -c32 -d$((SECONDS_PER_RECORDING + 3))s "http://127.0.0.1:${PORT[$t]}$REQUEST" >"$OUT/wrk-$t-$r.txt" &
        load=$!
        sleep 1.5
        perf record -q -e cpu-clock -F $HZ -g -p "$pid" -o "$OUT/perf-$t-$r.data" -- sleep $SECONDS_PER_RECORDING 2>/dev/null
        wait "$load" # only wrk: a bare wait would also wait for the proxies and upstreams started above
        for task in /proc/"$pid"/task/*; do echo "$(basename "$task") $(cat "$task/comm")"; done >"$OUT/threads-$t.txt"
        requests=$(awk '/requests in/ { print $1 }' "$OUT/wrk-$t-$r.txt")
        # wrk ran SECONDS+3 s; the recording saw SECONDS of it.
        perf script -i "$OUT/perf-$t-$r.data" 2>/dev/null |
            python3 "$ROOT/bench/profile/breakdown.py" "$OUT/threads-$t.txt" \
                "$(awk -v n="$requests" -v s=$SECONDS_PER_RECORDING 'BEGIN { printf "%d", n * s / (s + 3) }')" $SECONDS_PER_RECORDING $HZ \
                >"$OUT/breakdown-$t-$r.txt"
        echo "== $t, recording $r"
        cat "$OUT/breakdown-$t-$r.txt"
    done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); recordings in $OUT"
