using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Devices.Sites;
using Telemetry.Gateway.Configuration;
using Telemetry.Gateway.Health;

namespace Telemetry.Gateway.Polling;

/// <summary>A device as its poller has it now.</summary>
public sealed record PolledDevice(string Device, string Link, TimeSpan PollInterval, DeviceHealth Health);

/// <summary>
/// Runs one <see cref="LinkWorker"/> per link of the gateway (so one per RS-485 bus), and follows the site file:
/// a reload adds, removes and re-creates workers whose link changed, and hands the others their new device lists.
/// </summary>
public sealed partial class PollingService(
    SiteConfiguration site,
    GatewaySettings settings,
    ReadingCollector collector,
    GatewayStatistics statistics,
    TimeProvider clock,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<PollingService>();
    private readonly SemaphoreSlim _tcpSlots = new(settings.TcpConcurrency, settings.TcpConcurrency);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkWorker> _workers = new(StringComparer.Ordinal);
    private CancellationToken _stopping;

    /// <summary>The worker polling <paramref name="deviceId"/>, with the device as currently configured.</summary>
    public (LinkWorker Worker, SiteDevice Device)? Find(string deviceId)
    {
        var device = site.Current.FindDevice(deviceId);
        if (device is null)
        {
            return null;
        }

        lock (_gate)
        {
            return _workers.TryGetValue(device.LinkId, out var worker) ? (worker, device) : null;
        }
    }

    /// <summary>The devices being polled now, as the pollers have them: link, interval and health.</summary>
    public IEnumerable<PolledDevice> DeviceHealth()
    {
        List<LinkWorker> workers;
        lock (_gate)
        {
            workers = [.. _workers.Values];
        }

        return workers.SelectMany(w => w.Devices.Select(d => new PolledDevice(d.Device.Id, w.Link.Id, d.Device.PollInterval, d.Health))).OrderBy(d => d.Device, StringComparer.Ordinal).ToList();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        statistics.Devices = DeviceHealth;
        site.Changed += Apply;
        Apply(site.Current);
        try
        {
            using var timer = new PeriodicTimer(settings.StatisticsInterval, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                statistics.UpdateRates();
                var backedOff = DeviceHealth().Count(d => d.Health.State == "backed_off");
                var queue = statistics.Queue?.Statistics;
                LogStatistics(
                    _logger,
                    statistics.ReadingsPerSecond,
                    statistics.ReadingsGood,
                    statistics.ReadingsError,
                    backedOff,
                    queue?.PendingRecords ?? 0,
                    queue?.OldestPendingAge ?? TimeSpan.Zero,
                    statistics.BrokerIsConnected ? "connected" : "disconnected");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            site.Changed -= Apply;
            List<LinkWorker> workers;
            lock (_gate)
            {
                workers = [.. _workers.Values];
                _workers.Clear();
            }

            await Task.WhenAll(workers.Select(w => w.DisposeAsync().AsTask()));
        }
    }

    private void Apply(GatewayPlant plant)
    {
        var stagger = Stagger(plant.Gateway);
        var stale = new List<LinkWorker>();
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            foreach (var id in _workers.Keys.ToList())
            {
                var link = plant.Gateway.FindLink(id);
                if (link is null || link != _workers[id].Link)
                {
                    stale.Add(_workers[id]);
                    _workers.Remove(id);
                }
            }

            foreach (var link in plant.Gateway.Links)
            {
                var devices = plant.Gateway.DevicesOn(link.Id).ToList();
                if (_workers.TryGetValue(link.Id, out var worker))
                {
                    worker.UpdateDevices(devices, stagger);
                    continue;
                }

                if (devices.Count == 0)
                {
                    continue;
                }

                worker = new LinkWorker(link, devices, stagger, settings, _tcpSlots, collector, statistics, clock, loggers.CreateLogger($"Telemetry.Gateway.Polling.LinkWorker.{link.Id}"));
                _workers[link.Id] = worker;
                worker.Start(_stopping);
            }
        }

        foreach (var worker in stale)
        {
            _ = worker.DisposeAsync().AsTask();
        }

        LogPlant(_logger, plant.SiteId, plant.GatewayId, plant.Version, plant.Gateway.Devices.Count, plant.Gateway.Links.Count);
    }

    /// <summary>
    /// Where in its interval each device is first polled, as a fraction: spread evenly along each bus, and
    /// across all TCP devices together, so neither a bus nor the TCP bound sees bursts.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Stagger(SiteGateway gateway)
    {
        var fractions = new Dictionary<string, double>(StringComparer.Ordinal);
        var tcpLinks = gateway.Links.OfType<TcpLink>().Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var tcp = gateway.Devices.Where(d => tcpLinks.Contains(d.LinkId)).ToList();
        for (var i = 0; i < tcp.Count; i++)
        {
            fractions[tcp[i].Id] = (double)i / tcp.Count;
        }

        foreach (var bus in gateway.Links.OfType<RtuLink>())
        {
            var devices = gateway.DevicesOn(bus.Id).ToList();
            for (var i = 0; i < devices.Count; i++)
            {
                fractions[devices[i].Id] = (double)i / devices.Count;
            }
        }

        return fractions;
    }

    public override void Dispose()
    {
        _tcpSlots.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling site {Site} as gateway {Gateway} (site file version {Version}): {Devices} devices on {Links} links")]
    private static partial void LogPlant(ILogger logger, string site, string gateway, int version, int devices, int links);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ReadingsPerSecond:F1} readings/s, {Good} good and {Errors} error readings so far, {BackedOff} devices backed off, queue {QueueDepth} records (oldest {QueueAge}), broker {Broker}")]
    private static partial void LogStatistics(ILogger logger, double readingsPerSecond, long good, long errors, int backedOff, long queueDepth, TimeSpan queueAge, string broker);
}
