namespace Proxy.ChaosDriver;

/// <summary>Wall-clock milliseconds, comparable with the <c>date +%s%3N</c> the script writes in the events file.</summary>
internal static class Epoch
{
    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
