using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Telemetry.Contracts;
using Telemetry.Devices.Decoding;
using Telemetry.Devices.Sites;
using Telemetry.Gateway.Commands;
using Telemetry.Gateway.Configuration;
using Telemetry.Gateway.Polling;
using Telemetry.Gateway.Publishing;

namespace Telemetry.Gateway.BatteryTests;

/// <summary>The tests of an emergency unit.</summary>
public enum BatteryTestKind
{
    /// <summary>The unit switches to battery briefly.</summary>
    Function = 1,

    /// <summary>A discharge to the rated duration (the full-duration test).</summary>
    Duration = 2,

    /// <summary>A discharge the gateway ends after 60 minutes; passed when the unit was still above cut-off.</summary>
    OneHour = 3,
}

/// <summary>The event names of <see cref="BatteryTestKind"/>.</summary>
public static class BatteryTestKinds
{
    /// <summary>The <c>test</c> attribute of the test's events.</summary>
    public static string EventName(this BatteryTestKind kind) => kind switch
    {
        BatteryTestKind.Duration => BatteryTestNames.Duration,
        BatteryTestKind.OneHour => BatteryTestNames.OneHour,
        _ => BatteryTestNames.Function,
    };

    /// <summary>The kind named <paramref name="name"/> in an event, or null.</summary>
    public static BatteryTestKind? FromEventName(string? name) => name switch
    {
        BatteryTestNames.Function => BatteryTestKind.Function,
        BatteryTestNames.Duration => BatteryTestKind.Duration,
        BatteryTestNames.OneHour => BatteryTestKind.OneHour,
        _ => null,
    };
}

/// <summary>One point of the discharge curve: seconds into the test and the battery voltage then.</summary>
public readonly record struct DischargeSample(double ElapsedSeconds, double VoltageVolts);

/// <summary>
/// Runs function, one-hour and duration tests of emergency units, on command or by the gateway's schedule: checks the
/// mains is there, starts the test, reads the unit every sample interval (battery voltage, elapsed time; each read is
/// also a reading in the telemetry), ends a duration test itself at the rated duration or at the cut-off voltage
/// should the unit not, ends a one-hour test (a duration test on the unit) at 60 minutes, and publishes
/// <c>battery_test_finished</c> with the outcome (<c>passed</c>, <c>failed</c> with the runtime reached,
/// <c>aborted</c>, <c>not_started</c> when the mains was lost), the discharge curve and the <c>trigger</c>
/// (<c>command</c> or <c>schedule</c>). Every start and end goes into the <see cref="BatteryTestLedger"/>.
/// </summary>
public sealed partial class BatteryTestRunner(
    OutboundQueue outbound,
    GatewaySettings settings,
    BatteryTestLedger ledger,
    TimeProvider clock,
    ILogger<BatteryTestRunner> logger) : IAsyncDisposable
{
    private const int AbortCode = 3;
    private const double OneHourSeconds = 3600;
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public bool IsRunning(string deviceId) => _running.ContainsKey(deviceId);

    /// <summary>Starts <paramref name="kind"/> on <paramref name="device"/> with the <paramref name="start"/> writes and watches it to its end.</summary>
    /// <remarks>The <paramref name="trigger"/> (<see cref="BatteryTestNames.Command"/> or <see cref="BatteryTestNames.Schedule"/>) is carried in the test's events and the ledger.</remarks>
    public async Task<CommandOutcome> StartAsync(LinkWorker worker, SiteDevice device, BatteryTestKind kind, IReadOnlyList<WriteRequest> start, CancellationToken cancellationToken, string trigger = BatteryTestNames.Command)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(device);
        if (_running.ContainsKey(device.Id))
        {
            return CommandOutcome.Rejected($"a test is already being watched on {device.Id}");
        }

        var before = await worker.ReadNowAsync(device, cancellationToken);
        if (before.Decoded is not { } state)
        {
            return CommandOutcome.DeviceError(before.Error ?? "the unit could not be read");
        }

        if (state.Find("mains_present")?.AsBoolean == false)
        {
            Publish(device, kind, trigger, "not_started", "mains lost: a test would discharge the battery with nothing to recharge it", null, [], state);
            return CommandOutcome.Rejected("could not start: the mains is lost");
        }

        if (state.Find("test_state")?.AsInteger is > 0)
        {
            return CommandOutcome.Rejected("the unit is already running a test");
        }

        var written = await DeviceWriter.WriteAsync(worker, device, start, cancellationToken);
        if (written.Result != CommandResult.Done)
        {
            return written;
        }

        LogStarted(logger, kind, device.Id, trigger);
        RecordStart(device.Id, kind, trigger);
        outbound.AppendEvent(new GatewayEvent
        {
            Kind = EventKinds.BatteryTestStarted,
            Ts = clock.GetUtcNow(),
            Device = device.Id,
            Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["test"] = kind.EventName(), ["trigger"] = trigger },
        });
        var watch = Task.Run(() => WatchAsync(worker, device, kind, trigger, _stopping.Token), CancellationToken.None);
        _running[device.Id] = watch;
        _ = watch.ContinueWith(_ => _running.TryRemove(device.Id, out Task? _), TaskScheduler.Default);
        return CommandOutcome.Done;
    }

    private async Task WatchAsync(LinkWorker worker, SiteDevice device, BatteryTestKind kind, string trigger, CancellationToken cancellationToken)
    {
        var samples = new List<DischargeSample>();
        var started = clock.GetTimestamp();
        var failures = 0;
        var sawRunning = false;
        DecodedReading? last = null;
        try
        {
            while (true)
            {
                await Task.Delay(settings.BatteryTests.SampleInterval, clock, cancellationToken);
                var read = await worker.ReadNowAsync(device, cancellationToken);
                if (read.Decoded is not { } now)
                {
                    if (++failures >= 30)
                    {
                        Publish(device, kind, trigger, "aborted", $"the unit stopped answering during the test: {read.Error}", null, samples, last);
                        return;
                    }

                    continue;
                }

                failures = 0;
                last = now;
                var testing = now.Find("test_state")?.AsInteger is > 0;
                var elapsed = now.Find("test_elapsed_s")?.AsReal ?? 0;
                var volts = now.Find("battery_voltage_v")?.AsReal ?? double.NaN;
                var ratedSeconds = (now.Find("rated_duration_min")?.AsReal ?? 0) * 60;
                var cutoff = now.Find("cutoff_voltage_v")?.AsReal ?? 0;
                if (testing)
                {
                    sawRunning = true;
                    if (double.IsFinite(volts))
                    {
                        samples.Add(new DischargeSample(elapsed, volts));
                    }

                    var overdue = clock.GetElapsedTime(started) > settings.BatteryTests.MaxWatch;
                    var rated = (kind == BatteryTestKind.Duration && ratedSeconds > 0 && elapsed >= ratedSeconds)
                        || (kind == BatteryTestKind.OneHour && elapsed >= OneHourSeconds);
                    var cutOff = kind != BatteryTestKind.Function && cutoff > 0 && volts <= cutoff;
                    if (rated || cutOff || overdue)
                    {
                        // The unit should have ended a duration test; end it ourselves so the battery is not run flat.
                        // A one-hour test is a duration test on the unit that only the gateway ends.
                        await AbortAsync(worker, device, cancellationToken);
                        var outcome = overdue && !rated && !cutOff ? "aborted" : rated ? "passed" : "failed";
                        var reason = rated ? (kind == BatteryTestKind.OneHour ? "ran one hour above the cut-off voltage" : "rated duration reached")
                            : cutOff ? $"battery reached its cut-off voltage {cutoff.ToString(CultureInfo.InvariantCulture)} V"
                            : "the test ran longer than the gateway watches";
                        Publish(device, kind, trigger, outcome, reason, elapsed, samples, now);
                        return;
                    }

                    continue;
                }

                if (!sawRunning && clock.GetElapsedTime(started) < TimeSpan.FromSeconds(5) * Math.Max(1, settings.BatteryTests.SampleInterval.TotalSeconds))
                {
                    // The unit may not show the test in its first read after the command.
                    if (now.Find("last_test_result")?.AsInteger is 0 or null)
                    {
                        continue;
                    }
                }

                var result = now.Find("last_test_result")?.AsInteger ?? 0;
                var runtime = now.Find("last_test_runtime_s")?.AsReal;
                var (name, why) = result switch
                {
                    1 => ("passed", kind == BatteryTestKind.Function ? "the unit switched to battery" : "rated duration reached"),
                    2 => ("failed", "the unit did not switch to battery"),
                    3 => ("failed", $"the battery ran {runtime?.ToString(CultureInfo.InvariantCulture) ?? "?"} s of the rated {ratedSeconds.ToString(CultureInfo.InvariantCulture)} s"),
                    4 => ("aborted", "the test was aborted"),
                    _ => ("aborted", "the unit ended the test without a result"),
                };
                if (runtime is { } r && volts is var v && double.IsFinite(v))
                {
                    samples.Add(new DischargeSample(r, v));
                }

                Publish(device, kind, trigger, name, why, runtime, samples, now);
                return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Publish(device, kind, trigger, "aborted", "the gateway stopped while the test ran", null, samples, last);
        }
        catch (Exception ex)
        {
            LogWatchFailed(logger, device.Id, ex);
            Publish(device, kind, trigger, "aborted", $"gateway error while watching: {ex.Message}", null, samples, last);
        }
    }

    private async Task AbortAsync(LinkWorker worker, SiteDevice device, CancellationToken cancellationToken)
    {
        if (CommandEncoder.TryEncode(device.Profile, "test_command", null, PointValue.FromInteger(AbortCode), out var abort, out _))
        {
            await DeviceWriter.WriteAsync(worker, device, [abort], cancellationToken);
        }
    }

    private void Publish(SiteDevice device, BatteryTestKind kind, string trigger, string outcome, string reason, double? runtime, List<DischargeSample> samples, DecodedReading? state)
    {
        RecordEnd(device.Id, kind, outcome);
        var values = new Dictionary<string, ReadingValue>(StringComparer.Ordinal)
        {
            ["samples"] = ReadingValue.Integer(samples.Count),
        };
        if (runtime is { } r)
        {
            values["runtime_s"] = ReadingValue.Number(r);
        }

        if (state?.Find("rated_duration_min")?.AsReal is { } rated)
        {
            values["rated_duration_min"] = ReadingValue.Number(rated);
        }

        if (state?.Find("cutoff_voltage_v")?.AsReal is { } cutoff)
        {
            values["cutoff_voltage_v"] = ReadingValue.Number(cutoff);
        }

        var curve = Thin(samples, settings.BatteryTests.MaxSamples);
        for (var i = 0; i < curve.Count; i++)
        {
            values[string.Create(CultureInfo.InvariantCulture, $"curve_{i:D3}_s")] = ReadingValue.Number(curve[i].ElapsedSeconds);
            values[string.Create(CultureInfo.InvariantCulture, $"curve_{i:D3}_v")] = ReadingValue.Number(curve[i].VoltageVolts);
        }

        LogFinished(logger, kind, device.Id, outcome, runtime ?? 0, reason);
        try
        {
            outbound.AppendEvent(new GatewayEvent
            {
                Kind = EventKinds.BatteryTestFinished,
                Ts = clock.GetUtcNow(),
                Device = device.Id,
                Message = reason,
                Values = values,
                Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["test"] = kind.EventName(), ["outcome"] = outcome, ["trigger"] = trigger },
            });
        }
        catch (Exception ex) when (ex is IOException or ArgumentException)
        {
            LogEventLost(logger, device.Id, ex.Message);
        }
    }

    /// <summary>At most <paramref name="max"/> samples, evenly spread, first and last kept.</summary>
    public static IReadOnlyList<DischargeSample> Thin(IReadOnlyList<DischargeSample> samples, int max)
    {
        if (samples.Count <= max)
        {
            return samples;
        }

        var thinned = new List<DischargeSample>(max);
        for (var i = 0; i < max; i++)
        {
            thinned.Add(samples[(int)Math.Round(i * (samples.Count - 1) / (double)(max - 1))]);
        }

        return thinned;
    }

    // The ledger is the schedule's memory; a disk error there must not lose the test's event.
    private void RecordStart(string deviceId, BatteryTestKind kind, string trigger)
    {
        try
        {
            ledger.Started(deviceId, kind, trigger, clock.GetUtcNow());
        }
        catch (IOException ex)
        {
            LogLedgerFailed(logger, deviceId, ex.Message);
        }
    }

    private void RecordEnd(string deviceId, BatteryTestKind kind, string outcome)
    {
        try
        {
            ledger.Finished(deviceId, kind, outcome, clock.GetUtcNow());
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            LogLedgerFailed(logger, deviceId, ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_running.Values).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} test started on {Device} by {Trigger}")]
    private static partial void LogStarted(ILogger logger, BatteryTestKind kind, string device, string trigger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the test of {Device} in the battery-test ledger: {Reason}")]
    private static partial void LogLedgerFailed(ILogger logger, string device, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} test on {Device} finished: {Outcome} after {Runtime} s ({Reason})")]
    private static partial void LogFinished(ILogger logger, BatteryTestKind kind, string device, string outcome, double runtime, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Watching the test on {Device} failed")]
    private static partial void LogWatchFailed(ILogger logger, string device, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the test event of {Device}: {Reason}")]
    private static partial void LogEventLost(ILogger logger, string device, string reason);
}
