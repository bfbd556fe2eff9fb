using Telemetry.Maintenance.Thresholds;

namespace Telemetry.Api.Thresholds;

/// <summary>The threshold catalogue with the settings in force, and, when asked for one device, site or family, each parameter's value there.</summary>
/// <param name="Version">The store's version: send it back as <c>based_on_version</c> with a change.</param>
/// <param name="For">What the effective values are for, or null when none was asked.</param>
/// <param name="Parameters">Every parameter, in the order the rules declare them.</param>
public sealed record ThresholdsView(long Version, ThresholdTarget? For, IReadOnlyList<ThresholdParameterView> Parameters);

/// <summary>What the effective values were resolved for.</summary>
public sealed record ThresholdTarget(string? Site, string? Device, string? Family);

/// <summary>One parameter: its unit, range and default, the rules that read it, its settings per scope and its effective value.</summary>
public sealed record ThresholdParameterView(
    string Name,
    string Unit,
    double Minimum,
    double Maximum,
    double Default,
    bool WholeNumber,
    string Description,
    IReadOnlyList<ThresholdUseView> UsedBy,
    IReadOnlyList<ThresholdSettingView> Settings,
    EffectiveThreshold? Effective);

/// <summary>A rule that reads the parameter, and the fault types it raises.</summary>
public sealed record ThresholdUseView(string Rule, IReadOnlyList<string> Faults);

/// <summary>A value set at one scope.</summary>
public sealed record ThresholdSettingView(string Scope, double Value);

/// <summary>The value in force and where it comes from: <c>device</c>, <c>site</c>, <c>family</c>, <c>global</c> or <c>default</c>.</summary>
/// <param name="Value">The value.</param>
/// <param name="Source">The level it is set at.</param>
/// <param name="Scope">The scope key it is set at; null for the catalogue default.</param>
public sealed record EffectiveThreshold(double Value, string Source, string? Scope);

/// <summary>One change in the history: who, when, why, old and new (null: no override there).</summary>
public sealed record ThresholdChangeView(long Version, string Parameter, string Scope, double? OldValue, double? NewValue, string Author, DateTimeOffset ChangedAt, string Reason)
{
    public static ThresholdChangeView From(ThresholdVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new(version.Version, version.Parameter, version.Scope.Key, version.OldValue, version.NewValue, version.Author, version.ChangedAt, version.Reason);
    }
}

/// <summary>A page of the history, newest first; <see cref="NextBefore"/> asks for the next page (<c>?before=</c>), null at the end.</summary>
public sealed record ThresholdHistoryPage(IReadOnlyList<ThresholdChangeView> Changes, long? NextBefore);

/// <summary>The request body of a change (documentation of the body the endpoint reads field by field).</summary>
/// <param name="Parameter">The parameter, e.g. <c>lamps.outage_ratio</c>.</param>
/// <param name="Scope"><c>global</c>, <c>family:high_mast</c>, <c>site:north</c> or <c>device:north/mast-07</c>.</param>
/// <param name="Value">The new value, or null to remove the override at that scope.</param>
/// <param name="Reason">Why; required, kept in the history.</param>
/// <param name="BasedOnVersion">The version the change was edited from; a stale one is a 409.</param>
public sealed record ThresholdChangeRequest(string Parameter, string Scope, double? Value, string Reason, long? BasedOnVersion);

/// <summary>The request body of a backtest.</summary>
/// <param name="Changes">The proposed values, as in a change without reason.</param>
/// <param name="From">Start of the stored range replayed.</param>
/// <param name="To">End of the range, at most 31 days after <paramref name="From"/>.</param>
public sealed record BacktestRequest(IReadOnlyList<ProposedThresholdRequest> Changes, DateTimeOffset From, DateTimeOffset To);

/// <summary>One proposed value of a backtest.</summary>
public sealed record ProposedThresholdRequest(string Parameter, string Scope, double? Value);
