#!/usr/bin/env python3
"""Where a .NET proxy's CPU goes: reads `perf script` output (perf record -g, DOTNET_PerfMapEnabled=1) and prints
the share of samples per part (kernel by system call, Kestrel, YARP, SocketsHttpHandler, ours, GC, ...).

    perf script -i perf.data | bench/profile/breakdown.py THREADS.txt [REQUESTS SECONDS HZ]

THREADS.txt: "tid name" lines (from /proc/PID/task/*/comm, taken while the process ran), so that samples of the server
GC threads and the JIT's background thread are told apart. With REQUESTS (wrk's count during the recording), SECONDS
and HZ (perf -F) it also prints µs per request for each part.
"""
import re
import sys

# A sample is attributed to the first frame, from the leaf up, whose module is one of these parts; frames of the base
# library (async state machines, the thread pool, casts) count for the part that called them.
PARTS = [
    (re.compile(r"\[Proxy\.Traffic\]|\[Proxy\.Gateway\]"), "ours: Proxy.Traffic (split, windows, metrics, mirror check)"),
    (re.compile(r"\[Polly\.Core\]"), "ours: Polly breaker around the forward"),
    (re.compile(r"\[OpenTelemetry|\[System\.Diagnostics\.DiagnosticSource\]|Prometheus"), "telemetry (meters, OpenTelemetry)"),
    (re.compile(r"\[Yarp\.ReverseProxy\]"), "YARP (pipeline, forwarder, transforms)"),
    (re.compile(r"\[System\.Net\.Http\]"), "SocketsHttpHandler (upstream HTTP/1.1)"),
    (re.compile(r"\[Microsoft\.AspNetCore\.Server\.Kestrel\.Transport\.Sockets\]|\[System\.Net\.Sockets\]"), "sockets (Kestrel transport, System.Net.Sockets)"),
    (re.compile(r"\[Microsoft\.AspNetCore\.Server\.Kestrel\.Core\]|\[System\.IO\.Pipelines\]"), "Kestrel (HTTP/1.1 parsing, pipes)"),
    (re.compile(r"\[Microsoft\.AspNetCore\.(Routing|Authentication|Authorization|HostFiltering|Hosting|Http|HttpsPolicy)[\]\.]"), "ASP.NET Core pipeline (hosting, routing, auth middlewares)"),
    (re.compile(r"\[Microsoft\.Extensions\.|\[Microsoft\.AspNetCore"), "other ASP.NET Core / extensions"),
]
SYSCALLS = [
    ("sched_yield", "kernel: sched_yield (spin-waiting threads)"),
    ("futex", "kernel: futex (thread wake-ups and waits)"),
    ("epoll", "kernel: epoll"),
    ("sendto", "kernel: send (TCP, incl. the loopback receiver's input)"),
    ("sendmsg", "kernel: send (TCP, incl. the loopback receiver's input)"),
    ("writev", "kernel: send (TCP, incl. the loopback receiver's input)"),
    ("recvfrom", "kernel: receive"),
    ("recvmsg", "kernel: receive"),
    ("readv", "kernel: receive"),
]


def managed(dso):
    """JIT-ed code (the perf map) or ReadyToRun code of an assembly."""
    return dso.startswith("/tmp/perf-") or "[JIT]" in dso or dso.endswith(".dll")


def classify(thread, frames):
    if thread.startswith(".NET Server GC") or thread.startswith(".NET BGC"):
        return "GC (server GC threads)"
    if thread.startswith(".NET Tiered Com"):
        return "JIT (tier-up in the background)"
    leaf_dso = frames[0][1] if frames else ""
    if "kernel.kallsyms" in leaf_dso or leaf_dso.endswith("libc.so.6") and any("kernel" in d for _, d in frames):
        for sym, dso in frames:
            if "kernel.kallsyms" not in dso:
                break
            for key, name in SYSCALLS:
                if key in sym:
                    return name
        return "kernel: other (interrupts, scheduler, page faults)"
    if "libclrjit" in leaf_dso:
        return "JIT (foreground)"
    for sym, dso in frames:
        if managed(dso):
            for pattern, name in PARTS:
                if pattern.search(sym):
                    return name
    if "libcoreclr" in leaf_dso:
        return "runtime (allocation, write barriers, stubs, GC on request threads)"
    if any(managed(d) for _, d in frames):
        return "base library only (thread pool, async, CoreLib)"
    return "native other (libc, System.Native)"


def main():
    threads = {}
    with open(sys.argv[1]) as f:
        for line in f:
            parts = line.split(None, 1)
            if len(parts) == 2:
                threads[parts[0]] = parts[1].strip()
    counts, total = {}, 0
    header = re.compile(r"^(.*?)\s+(\d+)\s+[\d.]+:")
    frame = re.compile(r"^\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)$")
    thread, frames = None, []

    def flush():
        nonlocal total
        if thread is not None:
            name = classify(thread, frames)
            counts[name] = counts.get(name, 0) + 1
            total += 1

    for line in sys.stdin:
        m = header.match(line)
        if m and not line.startswith("\t"):
            flush()
            thread, frames = threads.get(m.group(2), m.group(1)), []
            continue
        m = frame.match(line)
        if m:
            frames.append((m.group(1), m.group(2)))
    flush()

    per_request = None
    if len(sys.argv) >= 5:
        requests, seconds, hz = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
        per_request = 1e6 / hz / requests
        print(f"{total} samples, {total / hz / seconds:.2f} cores, {total * per_request:.1f} µs/req over {requests:.0f} requests")
    for name, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        extra = f"\t{n * per_request:.2f}" if per_request else ""
        print(f"{100.0 * n / total:6.2f}%\t{name}{extra}")


if __name__ == "__main__":
    main()
