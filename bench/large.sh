#!/usr/bin/env bash
# Large and many: 1 MiB downloads and uploads, 1,000 concurrent connections, and downloads of growing size (memory must
# stay flat: no proxy buffers a whole body), for plain YARP, the gateway and nginx in interleaved rounds (bench/run.sh).
# Prints one table per workload, with CPU per MiB for the body workloads.
#
#   bench/large.sh                     # ~12 min
#   ROUNDS=3 DURATION=5 bench/large.sh # quicker
#   WORKLOADS="download upload" bench/large.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROUNDS=${ROUNDS:-4} DURATION=${DURATION:-6} WARMUP=${WARMUP:-5}
export TARGETS=${TARGETS:-yarp gateway nginx} BASE_PORT=${BASE_PORT:-19100}
WORKLOADS=${WORKLOADS:-download upload many sizes}
MIB=1048576
OUT=$ROOT/bench/results/large-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

run() { # name [VAR=value...]   -> one bench/run.sh run into $OUT/name
    local name=$1
    shift
    env "$@" RUN_DIR="$OUT/$name" "$ROOT/bench/run.sh" >"$OUT/$name.log" 2>&1 || { tail -20 "$OUT/$name.log"; exit 1; }
    export SKIP_BUILD=1
}

per_mib() { # name MiB-per-request -> "target: CPU µs per MiB (median over rounds)" lines
    awk -F'\t' -v m="$2" 'NR > 1 && $6 != "-" { print $2 "\t" $6 / m }' "$OUT/$1/results.tsv" | sort -k1,1 -k2,2g |
        awk -F'\t' '{ v[$1] = v[$1] " " $2 } END { for (t in v) { n = split(v[t], a, " "); printf "| %s | %.0f |\n", t, (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 } }' | sort
}

for workload in $WORKLOADS; do
    case $workload in
        download)
            run download CONNECTIONS=16 "REQUEST=/_demo/download?bytes=$MIB" ;;
        upload)
            run upload CONNECTIONS=16 REQUEST=/_demo/upload "WRK_SCRIPT=$ROOT/bench/config/upload-1mb.lua" ;;
        many)
            run many CONNECTIONS=1000 ;;
        sizes)
            # Peak RSS while streaming 64 KiB, 1 MiB and 16 MiB answers: flat when nothing buffers a whole body.
            for bytes in 65536 1048576 16777216; do
                run "size-$bytes" ROUNDS=2 CONNECTIONS=16 "REQUEST=/_demo/download?bytes=$bytes"
            done ;;
        *) echo "unknown workload $workload (download upload many sizes)" >&2; exit 1 ;;
    esac
done

{
    for workload in $WORKLOADS; do
        case $workload in
            download | upload)
                echo "### 1 MiB $workload (wrk -c16)"
                echo
                cat "$OUT/$workload/results.md"
                echo
                echo "| target | proxy CPU µs per MiB |"
                echo "| --- | --- |"
                per_mib "$workload" 1
                echo ;;
            many)
                echo "### 1,000 concurrent connections (wrk -c1000, 100-byte answers)"
                echo
                cat "$OUT/many/results.md"
                echo ;;
            sizes)
                echo "### Peak RSS (MB) by answer size (wrk -c16, median of the rounds)"
                echo
                echo "| target | 64 KiB | 1 MiB | 16 MiB |"
                echo "| --- | --- | --- | --- |"
                for t in $TARGETS; do
                    printf '| %s' "$t"
                    for bytes in 65536 1048576 16777216; do
                        printf ' | %s' "$(awk -F'\t' -v t="$t" '$2 == t { print $7 }' "$OUT/size-$bytes/results.tsv" | sort -g | awk '{ v[++n] = $1 } END { print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }')"
                    done
                    echo " |"
                done
                echo ;;
        esac
    done
} | tee "$OUT/results.md"
