using System.Globalization;
using System.Threading.Channels;
using Telemetry.Mqtt;

namespace Telemetry.Hosting;

/// <summary>
/// Whether a consumer of the broker makes progress, for its health: the age of the oldest message it has received
/// and not acknowledged (held by the consumer or still waiting in the client's queue), and the failures it is
/// retrying. A consumer whose oldest message is older than the limit has stopped, whatever else it says.
/// Thread-safe; holds are few (one per message or batch in hand), so the health check may look at each.
/// </summary>
public sealed class ConsumerProgress(TimeProvider clock, TimeSpan maxMessageAge)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, long> _holds = [];
    private readonly Dictionary<string, (long Since, int Failures, string Reason, int Runs)> _retrying = new(StringComparer.Ordinal);
    private ChannelReader<MqttReceivedMessage>? _queue;
    private string? _blocked;
    private long _nextHold;

    public TimeSpan MaxMessageAge { get; } = maxMessageAge;

    /// <summary>The client's queue of received messages, whose head is the oldest message not yet taken.</summary>
    public void Watch(ChannelReader<MqttReceivedMessage> queue) => Volatile.Write(ref _queue, queue);

    /// <summary>The consumer took a message (or the first of a batch) received at <paramref name="receivedTimestamp"/>; returns the hold to release once it is acknowledged.</summary>
    public long Hold(long receivedTimestamp)
    {
        lock (_gate)
        {
            var hold = ++_nextHold;
            _holds[hold] = receivedTimestamp;
            return hold;
        }
    }

    public void Release(long hold)
    {
        lock (_gate)
        {
            _holds.Remove(hold);
        }
    }

    /// <summary>
    /// An operation failed transiently and is being retried; <paramref name="firstOfRun"/> on the first failure of a run
    /// of retries, which <see cref="Recovered"/> ends. Several runs of one operation (concurrent writers) count once.
    /// </summary>
    public void Retrying(string what, string reason, bool firstOfRun)
    {
        lock (_gate)
        {
            _retrying[what] = _retrying.TryGetValue(what, out var run)
                ? (run.Since, run.Failures + 1, reason, run.Runs + (firstOfRun ? 1 : 0))
                : (clock.GetTimestamp(), 1, reason, 1);
        }
    }

    /// <summary>A run of retries of <paramref name="what"/> is over: it worked, or failed for good.</summary>
    public void Recovered(string what)
    {
        lock (_gate)
        {
            if (_retrying.TryGetValue(what, out var run))
            {
                if (run.Runs <= 1)
                {
                    _retrying.Remove(what);
                }
                else
                {
                    _retrying[what] = run with { Runs = run.Runs - 1 };
                }
            }
        }
    }

    /// <summary>Something only a person can fix stops the consumer (a database missing, credentials refused); null when it has gone.</summary>
    public void Blocked(string? reason) => Volatile.Write(ref _blocked, reason);

    /// <summary>How long the oldest message received and not acknowledged has waited; zero when none waits.</summary>
    public TimeSpan OldestUnacknowledgedAge
    {
        get
        {
            long? oldest = null;
            if (Volatile.Read(ref _queue) is { } queue && queue.TryPeek(out var head))
            {
                oldest = head.ReceivedTimestamp;
            }

            lock (_gate)
            {
                foreach (var received in _holds.Values)
                {
                    oldest = oldest is { } o && o <= received ? o : received;
                }
            }

            return oldest is { } t ? clock.GetElapsedTime(t) : TimeSpan.Zero;
        }
    }

    /// <summary>Whether the consumer keeps up: no message has waited past half the limit and nothing is being retried.</summary>
    public bool KeepingUp
    {
        get
        {
            lock (_gate)
            {
                if (_retrying.Count > 0 || _blocked is not null)
                {
                    return false;
                }
            }

            return OldestUnacknowledgedAge <= MaxMessageAge / 2;
        }
    }

    /// <summary>Unhealthy when stalled or blocked, degraded while retrying (unhealthy once a retry outlasts the limit).</summary>
    public HealthVerdict Verdict
    {
        get
        {
            var verdict = HealthVerdict.Healthy;
            var age = OldestUnacknowledgedAge;
            verdict = verdict.When(
                age > MaxMessageAge,
                HealthStatus.Unhealthy,
                $"no progress: the oldest message not acknowledged has waited {Seconds(age)} s, more than {Seconds(MaxMessageAge)} s");
            if (Volatile.Read(ref _blocked) is { } blocked)
            {
                verdict = verdict.When(true, HealthStatus.Unhealthy, blocked);
            }

            lock (_gate)
            {
                foreach (var (what, (since, failures, reason, _)) in _retrying)
                {
                    var elapsed = clock.GetElapsedTime(since);
                    verdict = verdict.When(
                        true,
                        elapsed > MaxMessageAge ? HealthStatus.Unhealthy : HealthStatus.Degraded,
                        $"retrying to {what} for {Seconds(elapsed)} s ({failures} failures): {reason}");
                }
            }

            return verdict;
        }
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture);
}

/// <summary>The <c>Health</c> section of a consumer.</summary>
public sealed class ConsumerHealthSettings
{
    /// <summary>How long a message may wait for its acknowledgement before the consumer is reported stalled.</summary>
    public TimeSpan MaxMessageAge { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<string> Validate()
    {
        if (MaxMessageAge < TimeSpan.FromSeconds(1) || MaxMessageAge > TimeSpan.FromHours(1))
        {
            yield return $"Health:MaxMessageAge {MaxMessageAge} must be 1 s to 1 h";
        }
    }
}
