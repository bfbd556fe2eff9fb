using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Forecasting.Storage;
using Telemetry.InfluxDb;
using Telemetry.InfluxDb.Querying;

namespace Telemetry.Rules.Predictive;

/// <summary>
/// When each emergency battery of a site was installed: the date its fade is counted from. The asset register says
/// (<see cref="RegisteredInstallation"/>); for a unit the site file gives no commissioning date, the first thing the unit
/// recorded stands in (<see cref="FirstRecordInstallation"/>).
/// </summary>
public interface IBatteryInstallationSource
{
    /// <summary>Installation dates of <paramref name="batteries"/> (device ids of <paramref name="site"/>); a battery with none is left out.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> InstalledAsync(Site site, IReadOnlyList<SiteDevice> batteries, CancellationToken cancellationToken);
}

/// <summary>A battery counts as installed when the unit first reported: its first temperature reading or its first test, whichever came first.</summary>
public sealed class FirstRecordInstallation(InfluxClient client) : IBatteryInstallationSource
{
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> InstalledAsync(Site site, IReadOnlyList<SiteDevice> batteries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(batteries);
        var ofSite = InfluxQl.QuoteString(site.Id);
        var first = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var query in new[]
        {
            $"SELECT first(battery_temperature_c) FROM {DeviceFamily.EmergencyBattery.ToContractName()} WHERE site = {ofSite} GROUP BY device",
            $"SELECT first(runtime_s) FROM {HistoryLayout.Events} WHERE kind = {InfluxQl.QuoteString(HistoryLayout.BatteryTestFinished)} AND site = {ofSite} GROUP BY device",
        })
        {
            var result = await client.QueryAsync(query, null, cancellationToken).ConfigureAwait(false);
            foreach (var series in result.Series.Where(s => s.RowCount > 0 && s.Tags.ContainsKey("device")))
            {
                var device = series.Tags["device"];
                var time = series.GetTimestamp(0);
                if (!first.TryGetValue(device, out var known) || time < known)
                {
                    first[device] = time;
                }
            }
        }

        return batteries.Where(b => first.ContainsKey(b.Id)).ToDictionary(b => b.Id, b => first[b.Id], StringComparer.Ordinal);
    }
}

/// <summary>
/// The asset register's commissioning day (the site file's <c>commissioned</c>, from the start of that day in the site's
/// time zone) for each battery that has one; the others' dates come from <paramref name="otherwise"/>.
/// </summary>
public sealed class RegisteredInstallation(IBatteryInstallationSource otherwise) : IBatteryInstallationSource
{
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> InstalledAsync(Site site, IReadOnlyList<SiteDevice> batteries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(batteries);
        var installed = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var battery in batteries)
        {
            if (battery.Commissioned is { } day)
            {
                var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
                installed[battery.Id] = new DateTimeOffset(midnight, site.TimeZone.GetUtcOffset(midnight));
            }
        }

        var unregistered = batteries.Where(b => b.Commissioned is null).ToList();
        if (unregistered.Count > 0)
        {
            foreach (var (device, at) in await otherwise.InstalledAsync(site, unregistered, cancellationToken).ConfigureAwait(false))
            {
                installed[device] = at;
            }
        }

        return installed;
    }
}
