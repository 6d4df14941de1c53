namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>Waits for a condition a real server reaches asynchronously, with a deadline (never a blind sleep).</summary>
public static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), because, timeout);

    /// <summary>The same for a condition that is checked asynchronously (an HTTP call).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(because);
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value, and returns it.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string because, TimeSpan? timeout = null)
        where T : struct
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(because);
            }

            await Task.Delay(20);
        }
    }
}
