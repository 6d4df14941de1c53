#!/usr/bin/env bash
# Load benchmark: direct upstream, plain YARP (to blue alone, and split 90/10), our gateway (90/10 split), nginx and
# HAProxy (both 90/10), measured in interleaved rounds so that the noise of a shared machine hits every target alike.
# Prints a markdown table.
#
#   bench/run.sh                                   # 5 rounds x 10 s per target, wrk -t1 -c32, 100-byte answers
#   ROUNDS=3 DURATION=5 bench/run.sh               # quicker
#   TARGETS="yarp gateway" bench/run.sh            # a subset (direct yarp yarp-split gateway nginx haproxy)
#   GATEWAY_VARIANTS='untuned:--Proxy:Performance:Enabled=false;wks:DOTNET_gcServer=0' bench/run.sh
#       adds gateway targets started with extra environment variables (NAME=VALUE tokens) and arguments (all other tokens)
#   PROTOCOLS="http https handshake h2" bench/run.sh
#       also measures every proxy over TLS (one self-signed certificate for all): https = wrk keep-alive over TLS,
#       handshake = wrk with "Connection: close" (a new TLS connection per request), h2 = h2load over h2 (ALPN)
#   GATEWAY_VARIANTS='watched:' WATCH_CONSOLE=gateway-watched TARGETS="yarp gateway" bench/run.sh
#       the named gateway targets are watched as an operator's open console watches them: one client reads the event
#       stream (GET /api/events, every kind) and the route page's reads (route, traffic, rollout, mirror, diffs,
#       experiments, flags, history) are repeated every 5 s on the admin listener; that CPU counts in the gateway's
#       per request, and the table says how many events each watched gateway streamed
#
# Environment: ROUNDS, DURATION, WARMUP (s, once per target), CONNECTIONS, THREADS (wrk), SIZE (answer bytes),
# URL_PATH (default /bench: readiness and the request), REQUEST (path and query wrk requests, default
# URL_PATH?size=SIZE), WRK_SCRIPT (a wrk Lua script, e.g. bench/config/upload-1mb.lua), RATIO_BASELINES (default "yarp yarp-split nginx"), BASE_PORT, SKIP_BUILD=1 (reuse
# bench/results/bin), NO_INSTALL=1 (never apt-get), PROTOCOLS (default http), TLS_KEY (ec or rsa: the certificate's
# key, default ec = P-256), H2_STREAMS (h2load -m, default 10). TLS listeners are on each proxy's port + 50.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
SIZE=${SIZE:-100}
BASE_PORT=${BASE_PORT:-19100}
TARGETS=${TARGETS-direct yarp yarp-split gateway nginx haproxy}
URL_PATH=${URL_PATH:-/bench}
REQUEST=${REQUEST:-$URL_PATH?size=$SIZE}
WRK_SCRIPT=${WRK_SCRIPT:-}
RATIO_BASELINES=${RATIO_BASELINES:-yarp yarp-split nginx}
GATEWAY_VARIANTS=${GATEWAY_VARIANTS:-}
WATCH_CONSOLE=${WATCH_CONSOLE:-}
PROTOCOLS=${PROTOCOLS:-http}
TLS_KEY=${TLS_KEY:-ec}
H2_STREAMS=${H2_STREAMS:-10}
TLS_OFFSET=50
BIN=$ROOT/bench/results/bin
RUN_DIR=${RUN_DIR:-$ROOT/bench/results/run-$(date +%Y%m%d-%H%M%S)}
CLK_TCK=$(getconf CLK_TCK)

BLUE_PORT=$((BASE_PORT + 1))
CANARY_PORT=$((BASE_PORT + 3))

declare -a STARTED=()          # every server this script started, stopped by cleanup
SAMPLER=""                     # the memory sampler running during a measurement, if any
WATCH_KEY=bench-console-watcher-key  # the Viewer key of the console watchers (WATCH_CONSOLE)
declare -A PORT=() PID=()      # per target; PID is empty for the direct target (no proxy)
declare -A TLS_PORT=()         # per proxy target, when a TLS protocol is measured
declare -a ORDER=()            # targets in table order
declare -a UNITS=()            # what a round measures: "target" (http) or "target@protocol"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

cleanup() {
    local pid
    [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
    for pid in "${STARTED[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${STARTED[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools -------------------------------------------------------------------------------------------------

apt_install() {
    [ "${NO_INSTALL:-0}" = 1 ] && return 1
    [ "$(id -u)" = 0 ] || return 1
    if [ -z "${APT_UPDATED:-}" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || return 1
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

ensure_tool() { # tool [package]
    command -v "$1" >/dev/null 2>&1 && return 0
    log "installing $1 through apt"
    apt_install "${2:-$1}" && command -v "$1" >/dev/null 2>&1
}

has_target() { [[ " $TARGETS " == *" $1 "* ]]; }
has_protocol() { [[ " $PROTOCOLS " == *" $1 "* ]]; }
wants_tls() { has_protocol https || has_protocol handshake || has_protocol h2; }

# --- processes ---------------------------------------------------------------------------------------------

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_ready() { # port name
    for _ in $(seq 300); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1$URL_PATH" || true)" = 200 ] && return 0
        sleep 0.2
    done
    die "$2 did not answer 200 on port $1 within 60 s (see $RUN_DIR/$2.log)"
}

start() { # name port command...   (the command must exec, so that $! is the server itself)
    local name=$1 port=$2
    shift 2
    port_in_use "$port" && die "port $port is already in use; set BASE_PORT"
    "$@" >"$RUN_DIR/$name.log" 2>&1 &
    STARTED+=("$!")
    PID[$name]=$!
    PORT[$name]=$port
    wait_ready "$port" "$name"
    log "started $name (pid ${PID[$name]}) on 127.0.0.1:$port"
}

wait_ready_tls() { # port name
    for _ in $(seq 150); do
        [ "$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$1$URL_PATH" || true)" = 200 ] && return 0
        sleep 0.2
    done
    die "$2 did not answer 200 over HTTPS on port $1 within 30 s (see $RUN_DIR/$2.log)"
}

# Every TLS target serves the same self-signed certificate for localhost/127.0.0.1 (tls.crt + tls.key; tls.pem
# holds both, for HAProxy).
make_certificate() {
    local key
    case $TLS_KEY in
        ec) key=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1) ;;
        rsa) key=(-newkey rsa:2048) ;;
        *) die "TLS_KEY must be ec or rsa" ;;
    esac
    openssl req -x509 "${key[@]}" -nodes -days 7 -subj /CN=localhost \
        -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$RUN_DIR/tls.key" -out "$RUN_DIR/tls.crt" \
        >"$RUN_DIR/openssl.log" 2>&1 || die "openssl could not make the test certificate (see $RUN_DIR/openssl.log)"
    cat "$RUN_DIR/tls.crt" "$RUN_DIR/tls.key" >"$RUN_DIR/tls.pem"
}

kestrel_certificate_args() {
    echo "--Kestrel:Certificates:Default:Path=$RUN_DIR/tls.crt --Kestrel:Certificates:Default:KeyPath=$RUN_DIR/tls.key"
}

# "http://127.0.0.1:PORT", plus ";https://127.0.0.1:PORT+50" when TLS is measured.
listen_urls() { # port
    if wants_tls; then echo "http://127.0.0.1:$1;https://127.0.0.1:$(($1 + TLS_OFFSET))"; else echo "http://127.0.0.1:$1"; fi
}

start_tls() { # name   (after start: records and checks the TLS port)
    wants_tls || return 0
    TLS_PORT[$1]=$((PORT[$1] + TLS_OFFSET))
    wait_ready_tls "${TLS_PORT[$1]}" "$1"
    log "$1 answers HTTPS on 127.0.0.1:${TLS_PORT[$1]}"
}

render() { # template output port
    sed -e "s|@PORT@|$3|g" -e "s|@BLUE_PORT@|$BLUE_PORT|g" -e "s|@CANARY_PORT@|$CANARY_PORT|g" -e "s|@RUN_DIR@|$RUN_DIR|g" "$1" >"$2"
}

# What keeps gateway processes apart: each its own admin listener (proxy port + 1000) and state file, so that
# variants can run side by side and no runtime change left by an earlier run (or the demo) overrides the config.
gateway_instance_args() { # name port
    echo "--Admin:Urls=http://127.0.0.1:$(($2 + 1000)) --State:Sqlite:Path=$RUN_DIR/$1-state.db"
    if watched "$1"; then
        echo "--Admin:ApiKeys:0:Name=console-watcher --Admin:ApiKeys:0:Role=Viewer" \
            "--Admin:ApiKeys:0:Sha256=$(printf %s "$WATCH_KEY" | sha256sum | cut -d' ' -f1)"
    fi
}

watched() { [[ " $WATCH_CONSOLE " == *" $1 "* ]]; }

# What an operator's open console costs the gateway: the event stream read by one client, and the route page's reads
# repeated every 5 s (the page reloads on each 5-second traffic sample). Stopped by cleanup with the servers.
watch_console() { # name port
    local admin="http://127.0.0.1:$(($2 + 1000))" auth="Authorization: Bearer $WATCH_KEY" route=/api/routes/bench
    curl -sN -H "$auth" "$admin/api/events" >"$RUN_DIR/events-$1.txt" 2>/dev/null &
    STARTED+=("$!")
    (
        while true; do
            for path in "$route" "$route/traffic" "$route/rollouts/current" "$route/mirror" "$route/mirror/diffs" \
                "$route/experiments" /api/flags "$route/history?limit=20" /api/routes /api/fleet; do
                curl -s -o /dev/null -H "$auth" "$admin$path" || true
            done
            sleep 5
        done
    ) &
    STARTED+=("$!")
    log "watching $1 as an open console does (events and route page on $admin)"
}

# The process and its descendants (nginx's master and worker).
tree() {
    local pid=$1 child
    echo "$pid"
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do tree "$child"; done
}

cpu_ticks() { # utime+stime of a process tree, in clock ticks
    local total=0 pid line
    for pid in $(tree "$1"); do
        line=$(cat /proc/"$pid"/stat 2>/dev/null) || continue
        line=${line##*) }
        # shellcheck disable=SC2086
        set -- $line
        total=$((total + ${12} + ${13}))
    done
    echo "$total"
}

upstream_ticks() { # utime+stime of both upstreams together (the split route sends to both, plain YARP to blue only)
    echo $(($(cpu_ticks "${PID[upstream-blue]}") + $(cpu_ticks "${PID[upstream-canary]}")))
}

us_per_request() { # clock ticks requests -> CPU microseconds per request
    awk -v d="$1" -v hz="$CLK_TCK" -v n="$2" 'BEGIN { printf "%.2f", d / hz / n * 1e6 }'
}

rss_kb() { # resident memory of a process tree
    local total=0 pid kb
    for pid in $(tree "$1"); do
        kb=$(awk '/^VmRSS:/ { print $2 }' /proc/"$pid"/status 2>/dev/null || echo 0)
        total=$((total + ${kb:-0}))
    done
    echo "$total"
}

# --- measuring ---------------------------------------------------------------------------------------------

to_us() { # wrk latency (e.g. 412.00us, 1.20ms, 2.00s) in microseconds
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) f = 1; else if (v ~ /ms$/) f = 1000; else if (v ~ /s$/) f = 1000000; else f = 1
        printf "%.0f", n * f
    }'
}

measure() { # unit round seconds  -> appends one line to results.tsv (round < 0: warm-up, not recorded)
    local unit=$1 round=$2 seconds=$3 target=${1%@*} protocol=http
    [[ $unit == *@* ]] && protocol=${unit#*@}
    local port=${PORT[$target]} pid=${PID[$target]:-} out t0=0 t1 url u0 u1
    [ "$protocol" = http ] || port=${TLS_PORT[$target]}
    out=$RUN_DIR/$protocol-$target-$round.txt
    [ "$protocol" = http ] && out=$RUN_DIR/wrk-$target-$round.txt
    [ "$protocol" = http ] && url="http://127.0.0.1:$port$REQUEST" || url="https://127.0.0.1:$port$REQUEST"
    u0=$(upstream_ticks)
    if [ -n "$pid" ]; then
        t0=$(cpu_ticks "$pid")
        (while true; do rss_kb "$pid"; sleep 0.5; done) >"$RUN_DIR/rss-$unit-$round.txt" &
        SAMPLER=$!
    fi
    case $protocol in
        http | https) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency ${WRK_SCRIPT:+-s "$WRK_SCRIPT"} "$url" >"$out" 2>&1 ;;
        handshake) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -H 'Connection: close' "$url" >"$out" 2>&1 ;;
        h2) h2load -t"$THREADS" -c"$CONNECTIONS" -m"$H2_STREAMS" -D"$seconds" "$url" >"$out" 2>&1 ;;
    esac || die "the load generator failed against $unit (see $out)"
    u1=$(upstream_ticks)
    if [ -n "$pid" ]; then
        t1=$(cpu_ticks "$pid")
        kill "$SAMPLER" 2>/dev/null || true
        wait "$SAMPLER" 2>/dev/null || true
        SAMPLER=""
    fi
    [ "$round" -lt 0 ] && return 0

    local requests rps p50 p99 errors cpu="" rss="" upstream_cpu
    if [ "$protocol" = h2 ]; then
        # h2load has no percentiles: the p50 column holds the mean time per request, p99 stays empty.
        grep -q '^Application protocol: h2$' "$out" || die "h2load did not negotiate h2 with $target (see $out)"
        requests=$(awk '/^requests:/ { print $6 }' "$out")
        rps=$(awk '/^finished in/ { print $4 }' "$out")
        p50=$(to_us "$(awk '/^time for request:/ { print $6 }' "$out")")
        p99=-
        errors=$(awk '/^requests:/ { done = $6 } /^status codes:/ { ok = $3 } END { print done - ok }' "$out")
    else
        requests=$(awk '/requests in/ { print $1 }' "$out")
        rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
        p50=$(to_us "$(awk '$1 == "50%" { print $2 }' "$out")")
        p99=$(to_us "$(awk '$1 == "99%" { print $2 }' "$out")")
        errors=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/[^0-9 ]/, ""); for (i = 1; i <= NF; i++) n += $i } END { print n + 0 }' "$out")
    fi
    [ "$errors" -gt 0 ] && log "warning: $unit round $round had $errors errors (see $out)"
    if [ -n "$pid" ]; then
        cpu=$(us_per_request $((t1 - t0)) "$requests")
        rss=$(sort -n "$RUN_DIR/rss-$unit-$round.txt" | tail -1 | awk '{ printf "%.1f", $1 / 1024 }')
    fi
    upstream_cpu=$(us_per_request $((u1 - u0)) "$requests")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$unit" "$rps" "$p50" "$p99" "${cpu:--}" "${rss:--}" "$requests" "$errors" \
        "$upstream_cpu" >>"$RUN_DIR/results.tsv"
    log "round $round $unit: $rps req/s, p50 ${p50} us, p99 ${p99} us, cpu ${cpu:--} us/req, rss ${rss:--} MB, upstreams ${upstream_cpu} us/req"
}

# --- reporting ---------------------------------------------------------------------------------------------

# "median (min–max)" of the numbers on stdin, formatted with printf format $1; "—" when there are none.
summarize() {
    sort -g | awk -v fmt="$1" '
        { v[++n] = $1 }
        END {
            if (n == 0) { print "—"; exit }
            m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
            printf fmt " (" fmt "–" fmt ")\n", m, v[1], v[n]
        }'
}

column_of() { # target column -> values, one per round
    awk -F'\t' -v t="$1" -v c="$2" '$2 == t && $c != "-" { print $c }' "$RUN_DIR/results.tsv"
}

ratio_of() { # target baseline column -> per-round ratios target/baseline
    awk -F'\t' -v t="$1" -v b="$2" -v c="$3" '
        $2 == t && $c != "-" { x[$1] = $c }
        $2 == b && $c != "-" { y[$1] = $c }
        END { for (r in x) if ((r in y) && y[r] > 0) printf "%.4f\n", x[r] / y[r] }' "$RUN_DIR/results.tsv"
}

unit_of() { # target protocol -> the unit name in results.tsv
    if [ "$2" = http ]; then echo "$1"; else echo "$1@$2"; fi
}

has_unit() { [[ " ${UNITS[*]} " == *" $1 "* ]]; }

report() { # protocol
    local protocol=$1 t u b baseline latency="p50 µs"
    [ "$protocol" = h2 ] && latency="mean µs (h2load)"
    echo "| target | req/s | $latency | p99 µs | proxy CPU µs/req | upstreams' CPU µs/req | RSS MB (peak under load) |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    for t in "${ORDER[@]}"; do
        u=$(unit_of "$t" "$protocol")
        has_unit "$u" || continue
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$t" \
            "$(column_of "$u" 3 | summarize %.0f)" "$(column_of "$u" 4 | summarize %.0f)" "$(column_of "$u" 5 | summarize %.0f)" \
            "$(column_of "$u" 6 | summarize %.1f)" "$(column_of "$u" 10 | summarize %.1f)" "$(column_of "$u" 7 | summarize %.0f)"
    done
    for baseline in $RATIO_BASELINES; do
        b=$(unit_of "$baseline" "$protocol")
        has_unit "$b" || continue
        echo
        echo "Ratios against **$baseline** (median of the per-round ratios, min–max):"
        echo
        echo "| target | CPU/req ÷ $baseline | req/s ÷ $baseline | p99 ÷ $baseline |"
        echo "| --- | --- | --- | --- |"
        for t in "${ORDER[@]}"; do
            u=$(unit_of "$t" "$protocol")
            [ "$t" = "$baseline" ] && continue
            has_unit "$u" || continue
            printf '| %s | %s | %s | %s |\n' "$t" \
                "$(ratio_of "$u" "$b" 6 | summarize %.3f)" "$(ratio_of "$u" "$b" 3 | summarize %.3f)" \
                "$(ratio_of "$u" "$b" 5 | summarize %.3f)"
        done
    done
}

protocol_title() {
    case $1 in
        http) echo "HTTP/1.1, keep-alive (wrk -t$THREADS -c$CONNECTIONS)" ;;
        https) echo "HTTPS (HTTP/1.1 over TLS), keep-alive (wrk -t$THREADS -c$CONNECTIONS)" ;;
        handshake) echo "HTTPS without keep-alive: a new TLS connection per request, resumed when the server allows it (wrk -t$THREADS -c$CONNECTIONS -H 'Connection: close')" ;;
        h2) echo "HTTP/2 over TLS (ALPN h2), multiplexed (h2load -t$THREADS -c$CONNECTIONS -m$H2_STREAMS)" ;;
    esac
}

# --- main --------------------------------------------------------------------------------------------------

mkdir -p "$RUN_DIR"
for protocol in $PROTOCOLS; do
    case $protocol in http | https | handshake | h2) ;; *) die "unknown protocol $protocol (http https handshake h2)" ;; esac
done
ensure_tool wrk || die "wrk is required (apt-get install wrk)"
if has_protocol h2; then ensure_tool h2load nghttp2-client || die "h2load is required for h2 (apt-get install nghttp2-client)"; fi
if wants_tls; then
    ensure_tool openssl || die "openssl is required for TLS"
    make_certificate
fi
if has_target nginx && ! ensure_tool nginx; then log "nginx not available: skipped"; TARGETS=${TARGETS//nginx/}; fi
if has_target haproxy && ! ensure_tool haproxy; then log "haproxy not available: skipped"; TARGETS=${TARGETS//haproxy/}; fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building Release into $BIN"
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
    dotnet publish "$ROOT/src/Proxy.DemoBackend" -c Release -o "$BIN/backend" -nologo -v quiet >"$RUN_DIR/build.log" 2>&1
    dotnet publish "$ROOT/src/Proxy.Gateway" -c Release -o "$BIN/gateway" -nologo -v quiet >>"$RUN_DIR/build.log" 2>&1
    dotnet publish "$ROOT/bench/PlainYarp" -c Release -o "$BIN/plainyarp" -nologo -v quiet >>"$RUN_DIR/build.log" 2>&1
fi

start upstream-blue "$BLUE_PORT" dotnet "$BIN/backend/Proxy.DemoBackend.dll" --version blue --port "$BLUE_PORT"
start upstream-canary "$CANARY_PORT" dotnet "$BIN/backend/Proxy.DemoBackend.dll" --version canary --port "$CANARY_PORT"

for t in $TARGETS; do
    case $t in
        direct)
            PORT[direct]=$BLUE_PORT
            PID[direct]="" ;;
        yarp)
            # shellcheck disable=SC2046
            start yarp $((BASE_PORT + 200)) dotnet "$BIN/plainyarp/PlainYarp.dll" --contentRoot "$BIN/plainyarp" \
                --urls "$(listen_urls $((BASE_PORT + 200)))" $(wants_tls && kestrel_certificate_args) \
                "--ReverseProxy:Clusters:upstream:Destinations:d1:Address=http://127.0.0.1:$BLUE_PORT/"
            start_tls yarp ;;
        yarp-split)
            # The same plain YARP, splitting 90/10 as the gateway, nginx and HAProxy do: ten destinations taken in
            # turn, nine on blue and one on canary, so both upstreams do the work they do behind the other splits.
            split_args=("--ReverseProxy:Clusters:upstream:LoadBalancingPolicy=RoundRobin")
            for d in 1 2 3 4 5 6 7 8 9; do split_args+=("--ReverseProxy:Clusters:upstream:Destinations:d$d:Address=http://127.0.0.1:$BLUE_PORT/"); done
            split_args+=("--ReverseProxy:Clusters:upstream:Destinations:d10:Address=http://127.0.0.1:$CANARY_PORT/")
            # shellcheck disable=SC2046
            start yarp-split $((BASE_PORT + 220)) dotnet "$BIN/plainyarp/PlainYarp.dll" --contentRoot "$BIN/plainyarp" \
                --urls "$(listen_urls $((BASE_PORT + 220)))" $(wants_tls && kestrel_certificate_args) "${split_args[@]}"
            start_tls yarp-split ;;
        gateway)
            render "$ROOT/bench/config/gateway.json" "$RUN_DIR/gateway.json" 0
            # shellcheck disable=SC2046
            start gateway $((BASE_PORT + 300)) dotnet "$BIN/gateway/Proxy.Gateway.dll" --config "$RUN_DIR/gateway.json" \
                "--Proxy:Urls=$(listen_urls $((BASE_PORT + 300)))" $(gateway_instance_args gateway $((BASE_PORT + 300))) \
                $(wants_tls && kestrel_certificate_args)
            start_tls gateway
            watched gateway && watch_console gateway $((BASE_PORT + 300)) ;;
        nginx)
            mkdir -p "$RUN_DIR/nginx-tmp"
            render "$ROOT/bench/config/nginx.conf" "$RUN_DIR/nginx.conf" $((BASE_PORT + 400))
            : >"$RUN_DIR/nginx-tls.conf"
            wants_tls && render "$ROOT/bench/config/nginx-tls.conf" "$RUN_DIR/nginx-tls.conf" $((BASE_PORT + 400 + TLS_OFFSET))
            start nginx $((BASE_PORT + 400)) nginx -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log"
            start_tls nginx ;;
        haproxy)
            render "$ROOT/bench/config/haproxy.cfg" "$RUN_DIR/haproxy.cfg" $((BASE_PORT + 500))
            if wants_tls; then
                render "$ROOT/bench/config/haproxy-tls.cfg" "$RUN_DIR/haproxy-tls.cfg" $((BASE_PORT + 500 + TLS_OFFSET))
                cat "$RUN_DIR/haproxy-tls.cfg" >>"$RUN_DIR/haproxy.cfg"
            fi
            start haproxy $((BASE_PORT + 500)) haproxy -db -f "$RUN_DIR/haproxy.cfg"
            start_tls haproxy ;;
        *) die "unknown target $t (direct yarp yarp-split gateway nginx haproxy)" ;;
    esac
    ORDER+=("$t")
done

variant_port=$((BASE_PORT + 301))
IFS=';' read -r -a variants <<<"$GATEWAY_VARIANTS"
for variant in "${variants[@]}"; do
    [ -n "$variant" ] || continue
    name=gateway-${variant%%:*}
    spec=${variant#*:}
    [ "$spec" = "$variant" ] && spec=""
    env_vars=() args=()
    for token in $spec; do
        if [[ $token =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then env_vars+=("$token"); else args+=("$token"); fi
    done
    [ -f "$RUN_DIR/gateway.json" ] || render "$ROOT/bench/config/gateway.json" "$RUN_DIR/gateway.json" 0
    # shellcheck disable=SC2046
    start "$name" "$variant_port" env "${env_vars[@]}" dotnet "$BIN/gateway/Proxy.Gateway.dll" --config "$RUN_DIR/gateway.json" \
        "--Proxy:Urls=$(listen_urls "$variant_port")" $(gateway_instance_args "$name" "$variant_port") \
        $(wants_tls && kestrel_certificate_args) "${args[@]}"
    start_tls "$name"
    watched "$name" && watch_console "$name" "$variant_port"
    ORDER+=("$name")
    variant_port=$((variant_port + 1))
done

[ ${#ORDER[@]} -gt 0 ] || die "no target to measure"
# The direct upstream has no TLS listener: it is measured over HTTP only.
for protocol in $PROTOCOLS; do
    for t in "${ORDER[@]}"; do
        [ "$protocol" != http ] && [ -z "${TLS_PORT[$t]:-}" ] && continue
        UNITS+=("$(unit_of "$t" "$protocol")")
    done
done
printf 'round\ttarget\trps\tp50_us\tp99_us\tcpu_us_per_req\trss_mb\trequests\terrors\tupstream_cpu_us_per_req\n' >"$RUN_DIR/results.tsv"

started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "warm-up: ${WARMUP}s per target"
for u in "${UNITS[@]}"; do measure "$u" -1 "$WARMUP"; done

# Each round visits every target (and protocol) once, starting one further along each time, so no target always runs first.
count=${#UNITS[@]}
for round in $(seq 1 "$ROUNDS"); do
    for i in $(seq 0 $((count - 1))); do
        measure "${UNITS[$(((i + round - 1) % count))]}" "$round" "$DURATION"
    done
done

{
    echo "Run of $started_at, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores;" \
        "load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after."
    echo "\`ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS THREADS=$THREADS SIZE=$SIZE\`," \
        "wrk -t$THREADS -c$CONNECTIONS, keep-alive, $([ -n "$WRK_SCRIPT" ] && echo "wrk -s $(basename "$WRK_SCRIPT")" || echo GET) $REQUEST. Each cell: median (min–max) over $ROUNDS rounds."
    [ -n "$GATEWAY_VARIANTS" ] && echo "Gateway variants: \`$GATEWAY_VARIANTS\`"
    for t in $WATCH_CONSOLE; do
        echo "Watched as by an open console: $t ($(grep -c '^id:' "$RUN_DIR/events-$t.txt" 2>/dev/null || echo 0) events streamed)."
    done
    if [ "$PROTOCOLS" = http ]; then
        echo
        report http
    else
        echo "\`PROTOCOLS=\"$PROTOCOLS\" TLS_KEY=$TLS_KEY H2_STREAMS=$H2_STREAMS\`; one self-signed certificate" \
            "($( [ "$TLS_KEY" = ec ] && echo 'ECDSA P-256' || echo 'RSA 2048')) for every target; clients on $(openssl version | cut -d' ' -f1-2)."
        for protocol in $PROTOCOLS; do
            echo
            echo "#### $(protocol_title "$protocol")"
            echo
            report "$protocol"
        done
    fi
} | tee "$RUN_DIR/results.md"
cp "$RUN_DIR/results.md" "$ROOT/bench/results/latest.md"
log "raw figures: $RUN_DIR/results.tsv"
