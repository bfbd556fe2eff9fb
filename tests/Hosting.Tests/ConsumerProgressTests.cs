using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Mqtt;

namespace Telemetry.Hosting.Tests;

/// <summary>How a consumer's health follows its progress, and the retry helper that tells it of failures.</summary>
public sealed class ConsumerProgressTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_message_held_past_the_limit_makes_the_consumer_unhealthy_until_it_is_released()
    {
        var progress = new ConsumerProgress(_clock, Limit);
        var hold = progress.Hold(_clock.GetTimestamp());
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(HealthStatus.Healthy, progress.Verdict.Status);
        Assert.False(progress.KeepingUp);

        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(HealthStatus.Unhealthy, progress.Verdict.Status);
        Assert.Contains("no progress", progress.Verdict.Reasons.Single(), StringComparison.Ordinal);

        progress.Release(hold);
        Assert.Equal(HealthStatus.Healthy, progress.Verdict.Status);
        Assert.True(progress.KeepingUp);
    }

    [Fact]
    public void A_message_waiting_in_the_clients_queue_counts_as_unacknowledged()
    {
        var progress = new ConsumerProgress(_clock, Limit);
        var queue = Channel.CreateBounded<MqttReceivedMessage>(4);
        progress.Watch(queue.Reader);
        queue.Writer.TryWrite(new MqttReceivedMessage(new MqttApplicationMessage { Topic = "t" }, false, 1, [], 1) { ReceivedTimestamp = _clock.GetTimestamp() });

        _clock.Advance(TimeSpan.FromSeconds(45));

        Assert.Equal(TimeSpan.FromSeconds(45), progress.OldestUnacknowledgedAge);
        Assert.Equal(HealthStatus.Unhealthy, progress.Verdict.Status);
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_degrade_health_until_they_stop()
    {
        var progress = new ConsumerProgress(_clock, Limit);
        var failures = 2;
        var run = Persistently.UntilDoneAsync(
            _ => failures-- > 0 ? throw new IOException("disk unplugged") : Task.FromResult(42),
            "write the file",
            NullLogger.Instance,
            _clock,
            CancellationToken.None,
            isTransient: ex => ex is IOException,
            progress: progress);

        Assert.Equal(HealthStatus.Degraded, progress.Verdict.Status);
        Assert.Contains("retrying to write the file", progress.Verdict.Reasons.Single(), StringComparison.Ordinal);
        while (!run.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        Assert.Equal(42, await run);
        Assert.Equal(HealthStatus.Healthy, progress.Verdict.Status);
    }

    [Fact]
    public async Task A_failure_that_is_not_transient_is_thrown_at_once_and_ends_the_run_of_retries()
    {
        var progress = new ConsumerProgress(_clock, Limit);
        var calls = 0;
        var run = Persistently.UntilDoneAsync<int>(
            _ => ++calls == 1 ? throw new IOException("busy") : throw new InvalidDataException("the message is broken"),
            "store",
            NullLogger.Instance,
            _clock,
            CancellationToken.None,
            isTransient: ex => ex is IOException,
            progress: progress);
        _clock.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<InvalidDataException>(() => run);
        Assert.Equal(2, calls);
        Assert.Equal(HealthStatus.Healthy, progress.Verdict.Status);
    }

    [Fact]
    public void Something_only_a_person_can_fix_is_unhealthy_at_once_with_its_reason()
    {
        var progress = new ConsumerProgress(_clock, Limit);

        progress.Blocked("InfluxDB: database 'telemetry' not found");

        Assert.Equal(new[] { "InfluxDB: database 'telemetry' not found" }, progress.Verdict.Reasons);
        Assert.Equal(HealthStatus.Unhealthy, progress.Verdict.Status);
        progress.Blocked(null);
        Assert.Equal(HealthStatus.Healthy, progress.Verdict.Status);
    }

    [Fact]
    public void The_worst_verdict_wins_and_keeps_every_reason()
    {
        var verdict = HealthVerdict.Healthy
            .When(true, HealthStatus.Degraded, "retrying")
            .And(HealthVerdict.Unhealthy("disconnected"))
            .When(false, HealthStatus.Unhealthy, "never");

        Assert.Equal(HealthStatus.Unhealthy, verdict.Status);
        Assert.Equal(new[] { "retrying", "disconnected" }, verdict.Reasons);
    }
}
