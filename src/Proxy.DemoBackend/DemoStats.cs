using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Proxy.DemoBackend;

/// <summary>Counters of the normal requests a demo upstream served (excluding <c>/_demo/*</c> and <c>/healthz</c>).</summary>
public sealed class DemoStats
{
    /// <summary>How many recent requests <see cref="RecentRequests"/> keeps.</summary>
    public const int RecentRequestCapacity = 100;

    // Fixed slots for the common methods keep the hot path to one array index and one Interlocked add.
    private static readonly string[] s_knownMethods =
        [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch, HttpMethods.Head, HttpMethods.Options];

    private readonly long[] _knownMethodCounts = new long[s_knownMethods.Length];
    private readonly ConcurrentDictionary<string, StrongBox<long>> _otherMethodCounts = new(StringComparer.Ordinal);
    private readonly RecordedRequest?[] _recent = new RecordedRequest?[RecentRequestCapacity];
    private readonly Lock _recentLock = new();
    private long _total;
    private int _recentNext;
    private int _recentCount;

    /// <summary>Normal requests received since start or the last <see cref="Reset"/>.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>A snapshot of the request counts per HTTP method; methods never seen are absent.</summary>
    public IReadOnlyDictionary<string, long> ByMethod
    {
        get
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < s_knownMethods.Length; i++)
            {
                var count = Interlocked.Read(ref _knownMethodCounts[i]);
                if (count > 0)
                {
                    counts[s_knownMethods[i]] = count;
                }
            }

            foreach (var (method, box) in _otherMethodCounts)
            {
                var count = Interlocked.Read(ref box.Value);
                if (count > 0)
                {
                    counts[method] = count;
                }
            }

            return counts;
        }
    }

    /// <summary>A snapshot of the last <see cref="RecentRequestCapacity"/> recorded requests, oldest first.</summary>
    /// <remarks>Only filled while <see cref="DemoUpstreamServer.RecordRequests"/> is on.</remarks>
    public IReadOnlyList<RecordedRequest> RecentRequests
    {
        get
        {
            lock (_recentLock)
            {
                var snapshot = new RecordedRequest[_recentCount];
                var start = (_recentNext - _recentCount + RecentRequestCapacity) % RecentRequestCapacity;
                for (var i = 0; i < _recentCount; i++)
                {
                    snapshot[i] = _recent[(start + i) % RecentRequestCapacity]!;
                }

                return snapshot;
            }
        }
    }

    /// <summary>Sets every counter to zero and forgets the recorded requests.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _total, 0);
        for (var i = 0; i < _knownMethodCounts.Length; i++)
        {
            Interlocked.Exchange(ref _knownMethodCounts[i], 0);
        }

        foreach (var box in _otherMethodCounts.Values)
        {
            Interlocked.Exchange(ref box.Value, 0);
        }

        lock (_recentLock)
        {
            Array.Clear(_recent);
            _recentNext = 0;
            _recentCount = 0;
        }
    }

    internal void Count(string method)
    {
        Interlocked.Increment(ref _total);
        var slot = KnownMethodSlot(method);
        if (slot >= 0)
        {
            Interlocked.Increment(ref _knownMethodCounts[slot]);
        }
        else
        {
            Interlocked.Increment(ref _otherMethodCounts.GetOrAdd(method, static _ => new StrongBox<long>()).Value);
        }
    }

    internal void Record(RecordedRequest request)
    {
        lock (_recentLock)
        {
            _recent[_recentNext] = request;
            _recentNext = (_recentNext + 1) % RecentRequestCapacity;
            _recentCount = Math.Min(_recentCount + 1, RecentRequestCapacity);
        }
    }

    private static int KnownMethodSlot(string method)
    {
        // Kestrel hands out interned method strings, so reference equality catches nearly every request.
        for (var i = 0; i < s_knownMethods.Length; i++)
        {
            if (ReferenceEquals(method, s_knownMethods[i]) || string.Equals(method, s_knownMethods[i], StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
