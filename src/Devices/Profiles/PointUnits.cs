namespace Telemetry.Devices.Profiles;

/// <summary>
/// The units a point may carry and the name suffix each one requires (contracts: value naming).
/// Counts, states and booleans carry no unit and no suffix.
/// </summary>
public static class PointUnits
{
    private static readonly Dictionary<string, string> SuffixByUnit = new(StringComparer.Ordinal)
    {
        ["V"] = "_v",
        ["A"] = "_a",
        ["kW"] = "_kw",
        ["kWh"] = "_kwh",
        ["mA"] = "_ma",
        ["MΩ"] = "_mohm",
        ["Ω"] = "_ohm",
        ["°C"] = "_c",
        ["lx"] = "_lux",
        ["min"] = "_min",
        ["s"] = "_s",
    };

    private static readonly Dictionary<string, string> UnitBySuffix =
        SuffixByUnit.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The units a profile may use, as spelled in the JSON.</summary>
    public static IReadOnlyCollection<string> Known => SuffixByUnit.Keys;

    /// <summary>The suffix a name with <paramref name="unit"/> must end with, or null when the unit is unknown.</summary>
    public static string? SuffixOf(string unit) => SuffixByUnit.GetValueOrDefault(unit);

    /// <summary>The unit a name's suffix stands for (<c>insulation_mohm</c> → <c>MΩ</c>), or null when it has none.</summary>
    public static string? UnitImpliedBy(string name)
    {
        var underscore = name.LastIndexOf('_');
        return underscore < 0 ? null : UnitBySuffix.GetValueOrDefault(name[underscore..]);
    }
}
