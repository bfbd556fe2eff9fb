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

    /// <param name="catalogue">The parameters the settings are of, and their defaults.</param>
    /// <param name="version">The store's version the settings were read at.</param>
    /// <param name="settings">The settings in force.</param>
    public ThresholdSnapshot(ThresholdCatalogue catalogue, long version, IEnumerable<ThresholdSetting> settings)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(settings);
        Catalogue = catalogue;
        Version = version;

        // Widest scope first, so that a narrower one written later in the loop wins.
        this.settings = [.. settings.OrderBy(s => s.Scope.Level)];
    }

    /// <summary>The parameters this snapshot resolves.</summary>
    public ThresholdCatalogue Catalogue { get; }

    /// <summary>The store's version this snapshot was read at (0 for the defaults).</summary>
    public long Version { get; }

    public IReadOnlyList<ThresholdSetting> Settings => settings;

    /// <summary>Every parameter resolved for one device: device, else site, else family, else global, else the default.</summary>
    public ResolvedThresholds For(DeviceFamily family, string site, string device) =>
        resolved.GetOrAdd((family, site, device), key => Resolve(key.Family, key.Site, key.Device));

    /// <summary>Parameters resolved for a site-wide question that has no device (a gateway): site, else global.</summary>
    public ResolvedThresholds ForSite(string site) => resolved.GetOrAdd(((DeviceFamily)(-1), site, ""), key =>
    {
        var values = Catalogue.NewValues();
        foreach (var setting in settings.Where(s => s.Scope.Level == ScopeLevel.Global || (s.Scope.Level == ScopeLevel.Site && s.Scope.Site == key.Site)))
        {
            values[setting.Parameter.Index] = setting.Value;
        }

        return new ResolvedThresholds(values);
    });

    /// <summary>
    /// The setting that gives <paramref name="parameter"/> its value for one device (the one <see cref="For"/> uses),
    /// or null when the catalogue default applies; for showing where a value comes from.
    /// </summary>
    public ThresholdSetting? Source(ThresholdParameter parameter, DeviceFamily family, string site, string device)
    {
        ArgumentNullException.ThrowIfNull(parameter);

        // Narrowest first: the reverse of the order in which Resolve lets a later setting win.
        for (var i = settings.Length - 1; i >= 0; i--)
        {
            if (settings[i].Parameter.Index == parameter.Index && settings[i].Scope.Covers(family, site, device))
            {
                return settings[i];
            }
        }

        return null;
    }

    /// <summary>The setting that gives <paramref name="parameter"/> its value in <see cref="ForSite"/>, or null for the default.</summary>
    public ThresholdSetting? SiteSource(ThresholdParameter parameter, string site)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        for (var i = settings.Length - 1; i >= 0; i--)
        {
            var setting = settings[i];
            if (setting.Parameter.Index == parameter.Index
                && (setting.Scope.Level == ScopeLevel.Global || (setting.Scope.Level == ScopeLevel.Site && setting.Scope.Site == site)))
            {
                return setting;
            }
        }

        return null;
    }

    /// <summary>
    /// These settings with <paramref name="parameter"/> set to <paramref name="value"/> at <paramref name="scope"/> (or its
    /// override there removed when null), at the same version: a proposal to judge, not a change of the store.
    /// </summary>
    public ThresholdSnapshot With(ThresholdParameter parameter, ThresholdScope scope, double? value)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(scope);
        return new ThresholdSnapshot(Catalogue, Version, ThresholdChangeValidator.Apply(settings, parameter, scope, value));
    }

    private ResolvedThresholds Resolve(DeviceFamily family, string site, string device)
    {
        var values = Catalogue.NewValues();
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

    /// <summary>The value in force; a parameter of no catalogue here has its default.</summary>
    public double this[ThresholdParameter parameter]
    {
        get
        {
            var index = parameter.Index;
            return (uint)index < (uint)values.Length ? values[index] : parameter.Default;
        }
    }
}
