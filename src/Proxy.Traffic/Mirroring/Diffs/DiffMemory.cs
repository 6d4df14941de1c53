namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>The bytes of answer bodies a route may hold at once; a capture that would go beyond is given up (and counted).</summary>
internal sealed class DiffMemory(long limit)
{
    private long _used;

    public long Used => Interlocked.Read(ref _used);

    public long Limit => limit;

    public bool TryReserve(long bytes)
    {
        if (Interlocked.Add(ref _used, bytes) <= limit)
        {
            return true;
        }

        Interlocked.Add(ref _used, -bytes);
        return false;
    }

    public void Release(long bytes) => Interlocked.Add(ref _used, -bytes);
}
