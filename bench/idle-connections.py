#!/usr/bin/env python3
"""What an idle keep-alive client connection costs a proxy: opens N connections to it, sends one request on each
(so that the server has parsed a request and keeps the connection in keep-alive), holds them all open and idle, and
prints the process's resident memory before, with the connections held, and the difference per connection.

    bench/idle-connections.py PORT PID [N=10000] [PATH=/bench?size=100]

Raise the open-file limit first (ulimit -n 30000): the proxy needs one descriptor per client connection.
"""
import asyncio
import sys
import time


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def open_one(port, path, held):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    held.append(writer)


async def main():
    port, pid = int(sys.argv[1]), int(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    path = sys.argv[4] if len(sys.argv) > 4 else "/bench?size=100"
    before = rss_kb(pid)
    held, started = [], time.monotonic()
    for start in range(0, count, 200):
        await asyncio.gather(*(open_one(port, path, held) for _ in range(start, min(count, start + 200))))
    await asyncio.sleep(5)  # let the server settle (pools, GC)
    during = rss_kb(pid)
    print(f"{len(held)} idle keep-alive connections opened in {time.monotonic() - started:.1f} s; "
          f"RSS {before / 1024:.1f} MB before, {during / 1024:.1f} MB held, "
          f"{(during - before) / max(1, len(held)):.2f} KB per connection")
    for writer in held:
        writer.close()


asyncio.run(main())
