using System.Globalization;

namespace Telemetry.Maintenance.Thresholds;

/// <summary>One row of the threshold history: what one change did, who made it, when and why.</summary>
/// <param name="Version">The store's version after this change; versions rise by one per change across the whole store.</param>
/// <param name="Parameter">The parameter's name (a string, so history outlives a parameter dropped from the catalogue).</param>
/// <param name="Scope">Where the change applied.</param>
/// <param name="OldValue">The value set at that scope before, or null when there was no override there.</param>
/// <param name="NewValue">The value set at that scope after, or null when the override was removed.</param>
/// <param name="Author">Who made the change; <see cref="ThresholdChange.SystemAuthor"/> for the seeded defaults.</param>
/// <param name="ChangedAt">When the store accepted the change.</param>
/// <param name="Reason">Why the change was made.</param>
public sealed record ThresholdVersion(
    long Version,
    string Parameter,
    ThresholdScope Scope,
    double? OldValue,
    double? NewValue,
    string Author,
    DateTimeOffset ChangedAt,
    string Reason)
{
    public override string ToString() =>
        $"v{Version} {Parameter} at {Scope}: {Show(OldValue)} -> {Show(NewValue)} by {Author} at {ChangedAt:O} ({Reason})";

    private static string Show(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "none";
}
