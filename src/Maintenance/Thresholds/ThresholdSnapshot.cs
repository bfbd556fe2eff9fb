using System.Collections.Concurrent;
using Telemetry.Contracts;

namespace Telemetry.Maintenance.Thresholds;

/// <summary>One setting in force: a parameter's value at a scope.</summary>
public sealed record ThresholdSetting(ThresholdParameter Parameter, ThresholdScope Scope, double Value);

/// <summary>
/// The thresholds in force at one moment, immutable. Rules hold the current snapshot and swap in a new one when an
/// engineer changes a value, so a change applies on the next reading without a restart.
/// </summary>
public sealed class ThresholdSnapshot
{
    private readonly ThresholdSetting[] settings;
    private readonly ConcurrentDictionary<(DeviceFamily Family, string Site, string Device), ResolvedThresholds> resolved = new();

    public ThresholdSnapshot(long version, IEnumerable<ThresholdSetting> settings)
    {
        Version = version;

        // Widest scope first, so that a narrower one written later in the loop wins.
        this.settings = [.. settings.OrderBy(s => s.Scope.Level)];
    }

    /// <summary>The catalogue defaults and nothing else.</summary>
    public static ThresholdSnapshot Defaults { get; } = new(0, []);

    /// <summary>The store's version this snapshot was read at (0 for the defaults).</summary>
    public long Version { get; }

    public IReadOnlyList<ThresholdSetting> Settings => settings;

    /// <summary>Every parameter resolved for one device: device, else site, else family, else global, else the default.</summary>
    public ResolvedThresholds For(DeviceFamily family, string site, string device) =>
        resolved.GetOrAdd((family, site, device), key => Resolve(key.Family, key.Site, key.Device));

    /// <summary>Parameters resolved for a site-wide question that has no device (a gateway): site, else global.</summary>
    public ResolvedThresholds ForSite(string site) => resolved.GetOrAdd(((DeviceFamily)(-1), site, ""), key =>
    {
        var values = ThresholdCatalogue.All.Select(p => p.Default).ToArray();
        foreach (var setting in settings.Where(s => s.Scope.Level == ScopeLevel.Global || (s.Scope.Level == ScopeLevel.Site && s.Scope.Site == key.Site)))
        {
            values[setting.Parameter.Index] = setting.Value;
        }

        return new ResolvedThresholds(values);
    });

    private ResolvedThresholds Resolve(DeviceFamily family, string site, string device)
    {
        var values = ThresholdCatalogue.All.Select(p => p.Default).ToArray();
        foreach (var setting in settings)
        {
            if (setting.Scope.Covers(family, site, device))
            {
                values[setting.Parameter.Index] = setting.Value;
            }
        }

        return new ResolvedThresholds(values);
    }
}

/// <summary>The value of every parameter for one device, looked up by parameter.</summary>
public sealed class ResolvedThresholds
{
    private readonly double[] values;

    internal ResolvedThresholds(double[] values) => this.values = values;

    public double this[ThresholdParameter parameter] => values[parameter.Index];
}
