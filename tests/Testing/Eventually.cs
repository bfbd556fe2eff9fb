namespace Telemetry.Testing;

/// <summary>Waits for something that happens asynchronously (a message arriving, a write landing), with a deadline against hangs.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Probes until <paramref name="done"/> holds; past the timeout, throws with what was last seen and what
    /// <paramref name="explain"/> adds (what is missing, the processes' logs), read only then.
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, Func<string>? explain = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        T last;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                last = await probe();
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                last = default!;
                lastError = ex;
            }

            if (DateTime.UtcNow > deadline)
            {
                var explanation = explain is null ? "" : "\n" + explain();
                throw new TimeoutException($"{what}: not within {timeout ?? DefaultTimeout}; last seen: {last}{explanation}", lastError);
            }

            await Task.Delay(100);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, string what, TimeSpan? timeout = null, Func<string>? explain = null) =>
        ValueAsync(probe, ok => ok, what, timeout, explain);
}
