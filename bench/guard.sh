#!/usr/bin/env bash
# CPU regression guard (run by .ci/run, never by dotnet test): a short interleaved bench/run.sh of plain YARP and the
# gateway's split route, failing when the gateway's CPU per request, as the median of the per-round ratios to plain
# YARP in the same run, exceeds GUARD_THRESHOLD. One run over the threshold is confirmed by a second before the guard
# fails, so a single noisy run on a crowded CI host is not a failure (docs/benchmarks.md: threshold and false alarms).
#
#   bench/guard.sh                       # ~1-2 min; builds Release like bench/run.sh
#   SKIP_BUILD=1 bench/guard.sh          # reuse bench/results/bin
#   GUARD_RUNS=1 bench/guard.sh          # one run, no confirmation (what the calibration measures)
#   GUARD_CALIBRATE=20 bench/guard.sh    # 20 runs of this binary, never failing: their ratios and the 99th percentile
#                                        # of a log-normal fit, from which GUARD_THRESHOLD is set on a new CI host
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Set from the noise of the identical binary (docs/benchmarks.md, "Regression guard").
GUARD_THRESHOLD=${GUARD_THRESHOLD:-1.10}
GUARD_RUNS=${GUARD_RUNS:-2}
export ROUNDS=${ROUNDS:-5} DURATION=${DURATION:-4} WARMUP=${WARMUP:-8} TARGETS="yarp gateway" GATEWAY_VARIANTS="" PROTOCOLS=http
export BASE_PORT=${BASE_PORT:-23100}

median_ratio() { # results.tsv -> median over rounds of gateway CPU/req ÷ yarp CPU/req
    awk -F'\t' '
        $2 == "gateway" && $6 != "-" { g[$1] = $6 }
        $2 == "yarp" && $6 != "-" { y[$1] = $6 }
        END { for (r in g) if ((r in y) && y[r] > 0) printf "%.4f\n", g[r] / y[r] }' "$1" |
        sort -g | awk '{ v[++n] = $1 } END { if (n == 0) exit 1; print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'
}

mkdir -p "$ROOT/bench/results"
if [ -n "${GUARD_CALIBRATE:-}" ]; then
    ratios=()
    for _ in $(seq 1 "$GUARD_CALIBRATE"); do
        export RUN_DIR=$ROOT/bench/results/guard-$(date +%Y%m%d-%H%M%S)
        "$ROOT/bench/run.sh" >"$RUN_DIR.log" 2>&1 || { tail -20 "$RUN_DIR.log"; exit 1; }
        export SKIP_BUILD=1
        ratios+=("$(median_ratio "$RUN_DIR/results.tsv")")
        echo "guard calibration: ${ratios[-1]} (load $(cut -d' ' -f1-3 /proc/loadavg))"
    done
    printf '%s\n' "${ratios[@]}" | awk '
        { l = log($1); s += l; q += l * l; n++; if ($1 > max) max = $1 }
        END { m = s / n; sd = (n > 1) ? sqrt((q - n * m * m) / (n - 1)) : 0
              printf "guard calibration: %d runs, geometric mean %.3f, max %.3f, p99 (log-normal fit) %.3f\n", n, exp(m), max, exp(m + 2.326 * sd) }'
    exit 0
fi

for attempt in $(seq 1 "$GUARD_RUNS"); do
    export RUN_DIR=$ROOT/bench/results/guard-$(date +%Y%m%d-%H%M%S)
    "$ROOT/bench/run.sh" >"$RUN_DIR.log" 2>&1 || { tail -20 "$RUN_DIR.log"; echo "guard: bench/run.sh failed"; exit 1; }
    export SKIP_BUILD=1
    ratio=$(median_ratio "$RUN_DIR/results.tsv") || { echo "guard: no complete round in $RUN_DIR/results.tsv"; exit 1; }
    echo "guard: run $attempt: split route CPU/request = $ratio × plain YARP (median of $ROUNDS rounds; threshold $GUARD_THRESHOLD; load $(cut -d' ' -f1-3 /proc/loadavg))"
    if awk -v r="$ratio" -v t="$GUARD_THRESHOLD" 'BEGIN { exit !(r <= t) }'; then
        echo "guard: ok"
        exit 0
    fi
done
echo "guard: the split route costs more than $GUARD_THRESHOLD × plain YARP's CPU per request in $GUARD_RUNS runs in a row (see $RUN_DIR/results.md)"
exit 1
