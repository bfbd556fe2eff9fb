namespace Telemetry.Contracts;

/// <summary>The contracts' naming of values: measurements carry their unit as a suffix; counts and states carry none.</summary>
public static class ValueNames
{
    /// <summary>The unit suffixes of the contracts, e.g. <c>_v</c> in <c>voltage_v</c>.</summary>
    public static readonly IReadOnlyList<string> UnitSuffixes = ["_v", "_a", "_kw", "_kwh", "_ma", "_mohm", "_ohm", "_c", "_lux", "_min", "_s"];

    /// <summary>
    /// True when the name carries a unit, so its value is a measurement and stored as a float even when
    /// a publisher wrote it without a fraction (230 rather than 230.0): one field keeps one type.
    /// </summary>
    public static bool IsMeasurement(string name)
    {
        foreach (var suffix in UnitSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length)
            {
                return true;
            }
        }

        return false;
    }
}
