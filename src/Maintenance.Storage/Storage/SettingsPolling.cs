namespace Telemetry.Maintenance.Storage;

/// <summary>
/// The loop of the monitors that keep settings from the database in force (thresholds, service levels): a refresh
/// every interval until the host stops. A refresh that fails is reported and the values in hand stay in force: a
/// locked or briefly unreadable database must not stop the rules or the ticketing that read them.
/// </summary>
internal static class SettingsPolling
{
    public static async Task RunAsync(
        TimeSpan interval, TimeProvider clock, Func<CancellationToken, Task> refresh, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await refresh(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    failed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the last values stay in force for whoever still reads them.
        }
    }
}
