using Microsoft.Extensions.Time.Testing;
using Telemetry.Gateway.Polling;

namespace Telemetry.Gateway.Tests.Polling;

public sealed class DeviceHealthTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 19, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_device_never_polled_is_unknown_and_one_that_answered_is_ok()
    {
        var health = new DeviceHealth(failuresBeforeBackoff: 3, maxBackoff: TimeSpan.FromSeconds(60));
        Assert.Equal("unknown", health.State);

        health.Succeeded(_clock.GetUtcNow());

        Assert.Equal("ok", health.State);
        Assert.Equal(1, health.Polls);
        Assert.Equal(_clock.GetUtcNow(), health.LastSuccess);
        Assert.False(health.IsBackedOff(_clock.GetUtcNow()));
    }

    [Fact]
    public void Failures_below_the_threshold_count_up_without_backing_off()
    {
        var health = new DeviceHealth(failuresBeforeBackoff: 3, maxBackoff: TimeSpan.FromSeconds(60));

        Assert.False(health.Failed("modbus timeout", _clock.GetUtcNow(), Interval));
        _clock.Advance(Interval);
        Assert.False(health.Failed("modbus timeout", _clock.GetUtcNow(), Interval));

        Assert.Equal(2, health.ConsecutiveFailures);
        Assert.Equal(2, health.Failures);
        Assert.Equal("failing", health.State);
        Assert.Equal("modbus timeout", health.LastError);
        Assert.Null(health.BackedOffUntil);
        Assert.False(health.IsBackedOff(_clock.GetUtcNow()));
    }

    [Fact]
    public void The_failure_reaching_the_threshold_backs_off_for_two_intervals()
    {
        var health = FailedTimes(3, failuresBeforeBackoff: 3, maxBackoff: TimeSpan.FromSeconds(60), out var lastFailure, out var backedOff);

        Assert.True(backedOff);
        Assert.Equal("backed_off", health.State);
        Assert.Equal(lastFailure + (2 * Interval), health.BackedOffUntil);
        Assert.True(health.IsBackedOff(lastFailure));
        Assert.True(health.IsBackedOff(lastFailure + (2 * Interval) - TimeSpan.FromTicks(1)));
        Assert.False(health.IsBackedOff(lastFailure + (2 * Interval)));
    }

    [Fact]
    public void Each_further_failure_doubles_the_back_off()
    {
        var health = new DeviceHealth(failuresBeforeBackoff: 2, maxBackoff: TimeSpan.FromHours(1));
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            var now = _clock.GetUtcNow();
            if (health.Failed("no answer", now, Interval))
            {
                delays.Add(health.BackedOffUntil!.Value - now);
            }

            _clock.Advance(health.BackedOffUntil is { } until ? until - _clock.GetUtcNow() : Interval);
        }

        Assert.Equal([2.0, 4, 8, 16, 32, 64], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public void The_back_off_stops_growing_at_the_cap()
    {
        var health = FailedTimes(40, failuresBeforeBackoff: 3, maxBackoff: TimeSpan.FromSeconds(60), out var lastFailure, out _);

        Assert.Equal(lastFailure + TimeSpan.FromSeconds(60), health.BackedOffUntil);
        Assert.Equal(40, health.ConsecutiveFailures);
    }

    [Fact]
    public void A_poll_interval_longer_than_the_cap_is_the_back_off_instead()
    {
        var health = new DeviceHealth(failuresBeforeBackoff: 1, maxBackoff: TimeSpan.FromSeconds(60));
        var interval = TimeSpan.FromMinutes(5);

        health.Failed("no answer", _clock.GetUtcNow(), interval);

        Assert.Equal(_clock.GetUtcNow() + interval, health.BackedOffUntil);
    }

    [Fact]
    public void One_answer_ends_the_back_off_and_the_failure_count_at_once()
    {
        var health = FailedTimes(6, failuresBeforeBackoff: 3, maxBackoff: TimeSpan.FromSeconds(60), out _, out _);
        _clock.Advance(TimeSpan.FromMinutes(2));

        health.Succeeded(_clock.GetUtcNow());

        Assert.Equal("ok", health.State);
        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.Null(health.BackedOffUntil);
        Assert.False(health.IsBackedOff(_clock.GetUtcNow()));
        Assert.Equal(6, health.Failures);
        Assert.Equal(7, health.Polls);
        Assert.Equal(_clock.GetUtcNow(), health.LastSuccess);
    }

    [Fact]
    public void After_recovery_backing_off_starts_again_from_the_threshold()
    {
        var health = FailedTimes(6, failuresBeforeBackoff: 3, maxBackoff: TimeSpan.FromSeconds(60), out _, out _);
        health.Succeeded(_clock.GetUtcNow());

        Assert.False(health.Failed("no answer", _clock.GetUtcNow(), Interval));
        Assert.False(health.Failed("no answer", _clock.GetUtcNow(), Interval));
        Assert.True(health.Failed("no answer", _clock.GetUtcNow(), Interval));
        Assert.Equal(_clock.GetUtcNow() + (2 * Interval), health.BackedOffUntil);
    }

    [Fact]
    public void Polls_skipped_while_backed_off_are_counted_apart_from_real_polls()
    {
        var health = FailedTimes(3, failuresBeforeBackoff: 3, maxBackoff: TimeSpan.FromSeconds(60), out _, out _);

        health.Skipped();
        health.Skipped();

        Assert.Equal(2, health.BackedOffPolls);
        Assert.Equal(3, health.Polls);
        Assert.Equal(3, health.ConsecutiveFailures);
    }

    [Fact]
    public void A_device_failing_with_a_threshold_of_one_is_backed_off_at_its_first_failure()
    {
        var health = new DeviceHealth(failuresBeforeBackoff: 1, maxBackoff: TimeSpan.FromSeconds(60));

        Assert.True(health.Failed("cable cut", _clock.GetUtcNow(), Interval));
        Assert.Equal("backed_off", health.State);
    }

    /// <summary>Fails <paramref name="times"/> times in a row, each at the first moment a real read is allowed again.</summary>
    private DeviceHealth FailedTimes(int times, int failuresBeforeBackoff, TimeSpan maxBackoff, out DateTimeOffset lastFailure, out bool lastBackedOff)
    {
        var health = new DeviceHealth(failuresBeforeBackoff, maxBackoff);
        lastFailure = default;
        lastBackedOff = false;
        for (var i = 0; i < times; i++)
        {
            _clock.Advance(health.BackedOffUntil is { } until && until > _clock.GetUtcNow() ? until - _clock.GetUtcNow() : Interval);
            lastFailure = _clock.GetUtcNow();
            lastBackedOff = health.Failed("modbus timeout", lastFailure, Interval);
        }

        return health;
    }
}
