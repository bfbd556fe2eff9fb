using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Hosting;

namespace Telemetry.Gateway.Configuration;

/// <summary>
/// The site file as this gateway sees it: loaded and validated at start (a broken file stops the start with
/// every error listed), then watched; a changed file that validates replaces the plant for the next poll cycle,
/// a broken one is logged and counted and the previous plant stays.
/// </summary>
/// <remarks>
/// File notifications arrive while an editor is still writing, so a check waits until the file has stayed
/// unchanged for <see cref="SettleTime"/>: a half-written file would otherwise be refused, and logged as an
/// error, on its way to being a valid one.
/// </remarks>
public sealed partial class SiteConfiguration : BackgroundService
{
    /// <summary>How long the file must stay unchanged after a notification before it is read.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(300);

    private readonly GatewaySettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILogger<SiteConfiguration> _logger;
    private readonly string _path;
    private readonly Lock _checkGate = new();
    private readonly SemaphoreSlim _notified = new(0, 1);
    private GatewayPlant _current;
    private (DateTime LastWrite, long Length) _stamp;
    private long _reloads;
    private long _rejectedReloads;
    private string? _lastRefusal;

    public SiteConfiguration(GatewaySettings settings, TimeProvider clock, ILogger<SiteConfiguration> logger)
    {
        _settings = settings;
        _clock = clock;
        _logger = logger;
        _path = Path.GetFullPath(settings.SiteFile);
        _stamp = Stamp();
        _current = Load(version: 1);
    }

    /// <summary>The plant of the last site file that validated.</summary>
    public GatewayPlant Current => Volatile.Read(ref _current);

    public long Reloads => Interlocked.Read(ref _reloads);

    public long RejectedReloads => Interlocked.Read(ref _rejectedReloads);

    /// <summary>Why the last refused version of the file was refused; null once a later version is taken.</summary>
    public string? LastRefusal => Volatile.Read(ref _lastRefusal);

    /// <summary>Raised after a reload that changed the plant.</summary>
    public event Action<GatewayPlant>? Changed;

    /// <summary>Loads and picks this gateway; throws <see cref="SiteValidationException"/> or <see cref="InvalidConfigurationException"/>.</summary>
    public static GatewayPlant LoadPlant(GatewaySettings settings, int version)
    {
        var profiles = ProfileLoader.LoadDirectory(settings.ResolvedProfilesDirectory);
        var site = SiteLoader.LoadFile(Path.GetFullPath(settings.SiteFile), profiles);
        SiteGateway? gateway;
        if (string.IsNullOrEmpty(settings.Id))
        {
            gateway = site.Gateways.Count == 1
                ? site.Gateways[0]
                : throw new InvalidConfigurationException([$"Gateway:Id must name one of the gateways of {site.Source}: {string.Join(", ", site.Gateways.Select(g => g.Id))}"]);
        }
        else
        {
            gateway = site.FindGateway(settings.Id)
                ?? throw new InvalidConfigurationException([$"Gateway:Id '{settings.Id}' is not a gateway of {site.Source} (it has {string.Join(", ", site.Gateways.Select(g => g.Id))})"]);
        }

        return new GatewayPlant(site, gateway, version);
    }

    /// <summary>Reads the file now if it changed since it was last read; true when that replaced the plant.</summary>
    public bool CheckNow()
    {
        // One check at a time: the periodic check and a notification must not both take the same change.
        lock (_checkGate)
        {
            var stamp = Stamp();
            if (stamp == _stamp)
            {
                return false;
            }

            _stamp = stamp;
            try
            {
                var next = Load(Current.Version + 1);
                Volatile.Write(ref _lastRefusal, null);
                if (next.Gateway == Current.Gateway)
                {
                    return false;
                }

                Volatile.Write(ref _current, next);
                Interlocked.Increment(ref _reloads);
                LogReloaded(_logger, _path, next.Version, next.Gateway.Devices.Count, next.Gateway.Links.Count);
                Changed?.Invoke(next);
                return true;
            }
            catch (Exception ex) when (ex is SiteValidationException or InvalidConfigurationException or ProfileValidationException or IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _rejectedReloads);
                Volatile.Write(ref _lastRefusal, ex.Message);
                LogRejected(_logger, _path, ex.Message);
                return false;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var watcher = TryWatch();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using (var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    // A notification, or the periodic check for file systems that send none.
                    tick.CancelAfter(_settings.SiteCheckInterval);
                    try
                    {
                        await _notified.WaitAsync(tick.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                    }
                }

                if (HasChanged())
                {
                    await SettleAsync(stoppingToken);
                    CheckNow();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _notified.Dispose();
        base.Dispose();
    }

    private bool HasChanged()
    {
        lock (_checkGate)
        {
            return Stamp() != _stamp;
        }
    }

    /// <summary>Waits until the file has not changed for <see cref="SettleTime"/>.</summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        var stamp = Stamp();
        while (true)
        {
            await Task.Delay(SettleTime, _clock, cancellationToken);
            var now = Stamp();
            if (now == stamp)
            {
                return;
            }

            stamp = now;
        }
    }

    private void Notify()
    {
        try
        {
            _notified.Release();
        }
        catch (SemaphoreFullException)
        {
            // A check is already due.
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    private FileSystemWatcher? TryWatch()
    {
        try
        {
            var watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!, Path.GetFileName(_path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
            };
            watcher.Changed += (_, _) => Notify();
            watcher.Created += (_, _) => Notify();
            watcher.Renamed += (_, _) => Notify();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // The periodic check still sees changes.
            return null;
        }
    }

    private GatewayPlant Load(int version) => LoadPlant(_settings, version);

    private (DateTime, long) Stamp()
    {
        try
        {
            var info = new FileInfo(_path);
            return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
        }
        catch (IOException)
        {
            return (DateTime.MinValue, -1);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Site file {Path} reloaded (version {Version}): {Devices} devices on {Links} links; changes take effect on the next cycle")]
    private static partial void LogReloaded(ILogger logger, string path, int version, int devices, int links);

    [LoggerMessage(Level = LogLevel.Error, Message = "Site file {Path} changed but is refused; polling goes on with the previous version: {Errors}")]
    private static partial void LogRejected(ILogger logger, string path, string errors);
}
