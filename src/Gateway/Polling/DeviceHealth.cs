namespace Telemetry.Gateway.Polling;

/// <summary>Whether a device answers: consecutive failures, and the back-off that keeps a dead device from starving its bus.</summary>
public sealed class DeviceHealth(int failuresBeforeBackoff, TimeSpan maxBackoff)
{
    private readonly Lock _gate = new();

    public int ConsecutiveFailures { get; private set; }

    public long Polls { get; private set; }

    public long Failures { get; private set; }

    public long BackedOffPolls { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? LastSuccess { get; private set; }

    /// <summary>When the next real read may be tried; null when the device is not backed off.</summary>
    public DateTimeOffset? BackedOffUntil { get; private set; }

    public bool IsBackedOff(DateTimeOffset now)
    {
        lock (_gate)
        {
            return BackedOffUntil is { } until && now < until;
        }
    }

    public string State
    {
        get
        {
            lock (_gate)
            {
                return BackedOffUntil is not null ? "backed_off" : ConsecutiveFailures > 0 ? "failing" : Polls == 0 ? "unknown" : "ok";
            }
        }
    }

    /// <summary>The device answered: it is healthy again at once.</summary>
    public void Succeeded(DateTimeOffset now)
    {
        lock (_gate)
        {
            Polls++;
            ConsecutiveFailures = 0;
            BackedOffUntil = null;
            LastSuccess = now;
        }
    }

    /// <summary>The device did not answer; returns true when this failure starts or extends a back-off.</summary>
    public bool Failed(string reason, DateTimeOffset now, TimeSpan pollInterval)
    {
        lock (_gate)
        {
            Polls++;
            Failures++;
            ConsecutiveFailures++;
            LastError = reason;
            if (ConsecutiveFailures < failuresBeforeBackoff)
            {
                return false;
            }

            // Doubling per failure beyond the threshold, from two intervals up to the cap.
            var exponent = Math.Min(ConsecutiveFailures - failuresBeforeBackoff + 1, 16);
            var delay = TimeSpan.FromTicks(Math.Min(pollInterval.Ticks * (1L << exponent), Math.Max(maxBackoff.Ticks, pollInterval.Ticks)));
            BackedOffUntil = now + delay;
            return true;
        }
    }

    /// <summary>A poll that was skipped because the device is backed off (it still yields an error reading).</summary>
    public void Skipped()
    {
        lock (_gate)
        {
            BackedOffPolls++;
        }
    }
}
