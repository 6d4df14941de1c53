#!/usr/bin/env bash
# Scale run: the gateway with ROUTES split routes (3 clusters each) against the same gateway with 1 route.
#   1. weight change at scale (in-process, real gateway): time until in force, next request follows it, YARP untouched;
#   2. start-up time (launch to first proxied answer) and idle RSS, separate processes, REPEAT times each;
#   3. per-request cost through bench/run.sh (interleaved rounds), route r0 of each configuration.
#
#   bench/scale/run.sh                  # ROUTES=1000, REPEAT=3, then bench/run.sh with ROUNDS=5 DURATION=10
#   ROUTES=200 ROUNDS=3 DURATION=5 bench/scale/run.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROUTES=${ROUTES:-1000}
REPEAT=${REPEAT:-3}
BASE_PORT=${BASE_PORT:-19700}
BIN=$ROOT/bench/results/bin
OUT=$ROOT/bench/results/scale-$(date +%Y%m%d-%H%M%S)
BLUE_PORT=$((BASE_PORT + 1)) GREEN_PORT=$((BASE_PORT + 2)) CANARY_PORT=$((BASE_PORT + 3)) GATEWAY_PORT=$((BASE_PORT + 50))

declare -a STARTED=()
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

stop() { # pid...
    local pid
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "$@"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
cleanup() { [ ${#STARTED[@]} -eq 0 ] || stop "${STARTED[@]}"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1$2" || true)" = 200 ]; }

mkdir -p "$OUT"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building Release into $BIN"
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
    for project in src/Proxy.DemoBackend:backend src/Proxy.Gateway:gateway bench/PlainYarp:plainyarp bench/scale/Proxy.ScaleBench:scalebench; do
        dotnet publish "$ROOT/${project%%:*}" -c Release -o "$BIN/${project##*:}" -nologo -v quiet >>"$OUT/build.log" 2>&1
    done
fi

dotnet "$BIN/scalebench/Proxy.ScaleBench.dll" generate 1 "$OUT/routes-1.json" "$BLUE_PORT" "$GREEN_PORT" "$CANARY_PORT"
dotnet "$BIN/scalebench/Proxy.ScaleBench.dll" generate "$ROUTES" "$OUT/routes-$ROUTES.json" "$BLUE_PORT" "$GREEN_PORT" "$CANARY_PORT"

log "1. weight change with $ROUTES routes (in-process), with the shipped SQLite state and in memory"
weight_table=$(dotnet "$BIN/scalebench/Proxy.ScaleBench.dll" weight-change "$ROUTES" 200 Sqlite) || die "weight-change run failed: $weight_table"
weight_table_memory=$(dotnet "$BIN/scalebench/Proxy.ScaleBench.dll" weight-change "$ROUTES" 200 InMemory) || die "weight-change run failed: $weight_table_memory"

log "2. start-up and idle memory, $REPEAT times each"
for version in blue:"$BLUE_PORT" canary:"$CANARY_PORT"; do
    dotnet "$BIN/backend/Proxy.DemoBackend.dll" --version "${version%%:*}" --port "${version##*:}" >"$OUT/upstream-${version%%:*}.log" 2>&1 &
    STARTED+=("$!")
done
for _ in $(seq 100); do answers "$BLUE_PORT" / && answers "$CANARY_PORT" / && break; sleep 0.1; done
printf 'routes\tstartup_ms\trss_mb\n' >"$OUT/startup.tsv"
for _ in $(seq "$REPEAT"); do
    for routes in 1 "$ROUTES"; do
        t0=$(date +%s%N)
        rm -f "$OUT"/startup-state.db*
        dotnet "$BIN/gateway/Proxy.Gateway.dll" --config "$OUT/routes-$routes.json" "--Proxy:Urls=http://127.0.0.1:$GATEWAY_PORT" \
            "--Admin:Urls=http://127.0.0.1:$((GATEWAY_PORT + 1000))" "--State:Sqlite:Path=$OUT/startup-state.db" >"$OUT/gateway-$routes.log" 2>&1 &
        pid=$!
        STARTED+=("$pid")
        for _ in $(seq 6000); do answers "$GATEWAY_PORT" /r0/start && break; sleep 0.01; done
        answers "$GATEWAY_PORT" /r0/start || die "gateway with $routes routes did not start (see $OUT/gateway-$routes.log)"
        t1=$(date +%s%N)
        sleep 2
        rss=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' /proc/"$pid"/status)
        printf '%s\t%s\t%s\n' "$routes" $(((t1 - t0) / 1000000)) "$rss" >>"$OUT/startup.tsv"
        log "  $routes routes: first proxied answer after $(((t1 - t0) / 1000000)) ms, idle RSS $rss MB"
        stop "$pid"
    done
done
stop "${STARTED[@]}"
STARTED=()

log "3. per-request cost, 1 route against $ROUTES routes (bench/run.sh)"
SKIP_BUILD=1 BASE_PORT=$BASE_PORT TARGETS="" URL_PATH=/r0/bench RATIO_BASELINES=gateway-routes-1 \
    GATEWAY_VARIANTS="routes-1:--config $OUT/routes-1.json;routes-$ROUTES:--config $OUT/routes-$ROUTES.json" \
    "$ROOT/bench/run.sh" >"$OUT/load.md"

median_of() { # routes column
    awk -F'\t' -v r="$1" -v c="$2" 'NR > 1 && $1 == r { print $c }' "$OUT/startup.tsv" | sort -g |
        awk '{ v[++n] = $1 } END { printf "%s (%s–%s)", (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2, v[1], v[n] }'
}

{
    echo "Scale run of $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores."
    echo
    echo "Weight change (in-process gateway, route r$((ROUTES / 2)) of $ROUTES):"
    echo
    echo "$weight_table"
    echo
    echo "$weight_table_memory"
    echo
    echo "Start-up (launch to first proxied answer) and idle RSS, separate processes, median (min–max) of $REPEAT:"
    echo
    echo "| routes | start-up ms | idle RSS MB |"
    echo "| --- | --- | --- |"
    for routes in 1 "$ROUTES"; do echo "| $routes | $(median_of "$routes" 2) | $(median_of "$routes" 3) |"; done
    echo
    echo "Per-request cost, route r0, 1 route against $ROUTES routes:"
    echo
    cat "$OUT/load.md"
} | tee "$OUT/scale.md"
