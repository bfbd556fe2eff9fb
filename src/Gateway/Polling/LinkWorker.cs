using Microsoft.Extensions.Logging;
using Telemetry.Devices.Planning;
using Telemetry.Devices.Sites;
using Telemetry.Gateway.Configuration;
using Telemetry.Gateway.Health;
using Telemetry.Modbus;

namespace Telemetry.Gateway.Polling;

/// <summary>
/// Polls the devices of one link. An RS-485 bus is half-duplex, so everything on it (polls, commands, test
/// watches) goes through one gate, one frame at a time, with the inter-frame gap after each. A TCP link's
/// device reads also take a slot of the gateway-wide TCP bound. Each device keeps its own interval, staggered
/// so the bus is not bursty; a device that stops answering is backed off (still yielding an error reading at
/// its interval) so its timeouts do not eat the others' time.
/// </summary>
public sealed partial class LinkWorker : IAsyncDisposable
{
    private readonly GatewaySettings _settings;
    private readonly SemaphoreSlim? _tcpSlots;
    private readonly ReadingCollector _collector;
    private readonly GatewayStatistics _statistics;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _bus = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DeviceSlot> _slots = new(StringComparer.Ordinal);
    private readonly ModbusMaster _master;
    private (IReadOnlyList<SiteDevice> Devices, IReadOnlyDictionary<string, double> Stagger)? _pendingDevices;
    private CancellationTokenSource _wake = new();
    private CancellationTokenSource? _run;
    private Task _loop = Task.CompletedTask;

    public LinkWorker(
        SiteLink link,
        IReadOnlyList<SiteDevice> devices,
        IReadOnlyDictionary<string, double> stagger,
        GatewaySettings settings,
        SemaphoreSlim? tcpSlots,
        ReadingCollector collector,
        GatewayStatistics statistics,
        TimeProvider clock,
        ILogger logger)
    {
        Link = link;
        _settings = settings;
        _tcpSlots = link is TcpLink ? tcpSlots : null;
        _collector = collector;
        _statistics = statistics;
        _clock = clock;
        _logger = logger;
        _master = CreateMaster(link);
        Apply(devices, stagger, clock.GetUtcNow());
    }

    public SiteLink Link { get; }

    /// <summary>The devices polled now, with their health.</summary>
    public IReadOnlyList<(SiteDevice Device, DeviceHealth Health)> Devices
    {
        get
        {
            lock (_gate)
            {
                return [.. _slots.Values.Select(s => (s.Device, s.Health))];
            }
        }
    }

    public void Start(CancellationToken cancellationToken)
    {
        _run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _loop = Task.Run(() => RunAsync(_run.Token), CancellationToken.None);
    }

    /// <summary>Replaces the device list; takes effect before the next poll (the one in progress finishes).</summary>
    public void UpdateDevices(IReadOnlyList<SiteDevice> devices, IReadOnlyDictionary<string, double> stagger)
    {
        lock (_gate)
        {
            _pendingDevices = (devices, stagger);
            _wake.Cancel();
        }
    }

    /// <summary>Runs an operation on the link when it is free (between polls), keeping the inter-frame gap after it.</summary>
    public async Task<T> ExecuteAsync<T>(Func<ModbusMaster, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        await _bus.WaitAsync(cancellationToken);
        try
        {
            if (_tcpSlots is not null)
            {
                await _tcpSlots.WaitAsync(cancellationToken);
            }

            try
            {
                return await operation(_master, cancellationToken);
            }
            finally
            {
                _tcpSlots?.Release();
            }
        }
        finally
        {
            await GapAsync(CancellationToken.None);
            _bus.Release();
        }
    }

    /// <summary>Reads one device now, outside its schedule (battery test watch); its readings also go into the batch.</summary>
    public async Task<DeviceReadResult> ReadNowAsync(SiteDevice device, CancellationToken cancellationToken)
    {
        var plan = SlotOf(device.Id)?.Plan ?? PollPlan.For(device.Profile);
        var result = await ExecuteAsync(
            async (master, ct) =>
            {
                var ts = _clock.GetUtcNow();
                try
                {
                    return await DeviceReader.ReadAsync(master, device, plan, ts, GapBetweenFramesAsync, ct);
                }
                catch (InvalidOperationException ex)
                {
                    return DeviceReader.Failure(device, ts, ex.Message, ErrorKind.Other);
                }
            },
            cancellationToken);
        Record(device, result);
        return result;
    }

    public DeviceHealth? HealthOf(string deviceId) => SlotOf(deviceId)?.Health;

    public async ValueTask DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.CancelAsync();
        }

        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _run?.Dispose();
        await _master.DisposeAsync();
        _wake.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        LogStarted(_logger, Link.Id, Link.ToString() ?? Link.Id, Devices.Count);
        while (!cancellationToken.IsCancellationRequested)
        {
            CancellationToken wake;
            DeviceSlot? next;
            lock (_gate)
            {
                if (_pendingDevices is { } pending)
                {
                    _pendingDevices = null;
                    Apply(pending.Devices, pending.Stagger, _clock.GetUtcNow());
                }

                if (_wake.IsCancellationRequested)
                {
                    _wake.Dispose();
                    _wake = new CancellationTokenSource();
                }

                wake = _wake.Token;
                next = _slots.Values.MinBy(s => s.Due);
            }

            var delay = next is null ? TimeSpan.FromMinutes(1) : next.Due - _clock.GetUtcNow();
            if (delay > TimeSpan.Zero)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wake);
                try
                {
                    await Task.Delay(delay, _clock, linked.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    continue;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (next is null)
            {
                continue;
            }

            try
            {
                await PollAsync(next, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Unexpected: reported as the device's error reading, and the loop goes on.
                LogUnexpected(_logger, next.Device.Id, ex);
                var failure = DeviceReader.Failure(next.Device, _clock.GetUtcNow(), $"gateway error: {ex.Message}", ErrorKind.Other);
                Record(next.Device, failure, next.Health);
            }

            var now = _clock.GetUtcNow();
            next.Due += next.Device.PollInterval;
            if (next.Due < now)
            {
                // Overran (a slow bus): keep the cadence from now rather than firing the missed polls in a burst.
                next.Due = now;
            }
        }
    }

    private async Task PollAsync(DeviceSlot slot, CancellationToken cancellationToken)
    {
        var device = slot.Device;
        var started = _clock.GetUtcNow();
        if (slot.Health.IsBackedOff(started))
        {
            slot.Health.Skipped();
            var text = $"device not answering, backed off until {slot.Health.BackedOffUntil:O} after {slot.Health.ConsecutiveFailures} failures: {slot.Health.LastError}";
            _collector.Add([DeviceReader.ErrorReading(device, started, text)]);
            _statistics.ReadingsMade(0, 1);
            _statistics.Error(ErrorKind.BackedOff);
            return;
        }

        var result = await ExecuteAsync((master, ct) => DeviceReader.ReadAsync(master, device, slot.Plan, _clock.GetUtcNow(), GapBetweenFramesAsync, ct), cancellationToken);
        Record(device, result, slot.Health);
    }

    private void Record(SiteDevice device, DeviceReadResult result, DeviceHealth? health = null)
    {
        health ??= SlotOf(device.Id)?.Health;
        var now = _clock.GetUtcNow();
        _collector.Add(result.Readings);
        if (result.Succeeded)
        {
            if (health is { ConsecutiveFailures: > 0 } h)
            {
                LogRecovered(_logger, device.Id, h.ConsecutiveFailures);
            }

            health?.Succeeded(now);
            _statistics.ReadingsMade(result.Readings.Count, 0);
        }
        else
        {
            _statistics.ReadingsMade(0, result.Readings.Count);
            _statistics.Error(result.ErrorKind ?? ErrorKind.Other);
            var first = health is { ConsecutiveFailures: 0 };
            if (health?.Failed(result.Error!, now, device.PollInterval) == true)
            {
                LogBackedOff(_logger, device.Id, health.ConsecutiveFailures, health.BackedOffUntil!.Value - now, result.Error!);
            }
            else if (first)
            {
                LogReadFailed(_logger, device.Id, Link.Id, result.Error!);
            }
        }
    }

    private void Apply(IReadOnlyList<SiteDevice> devices, IReadOnlyDictionary<string, double> stagger, DateTimeOffset now)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            keep.Add(device.Id);
            if (_slots.TryGetValue(device.Id, out var slot) && slot.Device == device)
            {
                continue;
            }

            var offset = TimeSpan.FromTicks((long)(device.PollInterval.Ticks * stagger.GetValueOrDefault(device.Id)));
            var due = slot is null ? now + offset : slot.Due;
            _slots[device.Id] = new DeviceSlot(device, PollPlan.For(device.Profile), slot?.Health ?? NewHealth(), due);
        }

        foreach (var id in _slots.Keys.Where(id => !keep.Contains(id)).ToList())
        {
            _slots.Remove(id);
        }
    }

    private DeviceHealth NewHealth() => new(_settings.FailuresBeforeBackoff, _settings.MaxBackoff);

    private DeviceSlot? SlotOf(string deviceId)
    {
        lock (_gate)
        {
            return _slots.GetValueOrDefault(deviceId);
        }
    }

    private Task GapBetweenFramesAsync(CancellationToken cancellationToken) => GapAsync(cancellationToken);

    private Task GapAsync(CancellationToken cancellationToken) =>
        Link is RtuLink rtu ? Task.Delay(rtu.InterFrameGap, _clock, cancellationToken) : Task.CompletedTask;

    private static ModbusMaster CreateMaster(SiteLink link) => link switch
    {
        TcpLink tcp => ModbusMaster.ForTcp(tcp.Host, tcp.Port, new ModbusMasterOptions { ResponseTimeout = tcp.ResponseTimeout }),
        RtuLink rtu => ModbusMaster.ForRtu(
            new ModbusSerialLine(
                rtu.Device,
                rtu.BaudRate,
                rtu.Parity switch { SerialParity.None => ModbusParity.None, SerialParity.Odd => ModbusParity.Odd, _ => ModbusParity.Even },
                rtu.DataBits,
                rtu.StopBits),
            new ModbusMasterOptions
            {
                ResponseTimeout = rtu.ResponseTimeout,
                ByteTimeout = rtu.ByteTimeout,
                SerialMode = rtu.Rs485.Enabled ? ModbusSerialMode.Rs485 : ModbusSerialMode.Rs232,
                RtsMode = rtu.Rs485.Rts switch { RtsControl.Up => ModbusRtsMode.Up, RtsControl.Down => ModbusRtsMode.Down, _ => ModbusRtsMode.None },
                RtsDelay = rtu.Rs485.Enabled && rtu.Rs485.Rts != RtsControl.None ? rtu.Rs485.RtsDelay : null,
            }),
        _ => throw new ArgumentOutOfRangeException(nameof(link), link, "unknown link type"),
    };

    /// <summary>One device on the link: what it is, how it is read, how it fares and when it is next due.</summary>
    private sealed class DeviceSlot(SiteDevice device, PollPlan plan, DeviceHealth health, DateTimeOffset due)
    {
        public SiteDevice Device { get; } = device;

        public PollPlan Plan { get; } = plan;

        public DeviceHealth Health { get; } = health;

        public DateTimeOffset Due { get; set; } = due;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling link {Link} ({Endpoint}): {Devices} devices")]
    private static partial void LogStarted(ILogger logger, string link, string endpoint, int devices);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Device} on {Link} did not answer: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string device, string link, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {Device} failed {Failures} times in a row; backed off for {Backoff}: {Reason}")]
    private static partial void LogBackedOff(ILogger logger, string device, int failures, TimeSpan backoff, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Device} answers again after {Failures} failures")]
    private static partial void LogRecovered(ILogger logger, string device, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error polling {Device}")]
    private static partial void LogUnexpected(ILogger logger, string device, Exception exception);
}
