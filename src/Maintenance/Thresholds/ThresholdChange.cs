namespace Telemetry.Maintenance.Thresholds;

/// <summary>
/// An engineer's request to set a parameter at a scope, or to remove the override there so the wider scope applies.
/// Nothing here is trusted: <see cref="ThresholdChangeValidator"/> checks every field against the state it would change.
/// </summary>
/// <param name="Parameter">The parameter's name in <see cref="ThresholdCatalogue"/>, e.g. <c>insulation.trip_mohm</c>.</param>
/// <param name="Scope">The scope's key (<see cref="ThresholdScope.Key"/>): <c>global</c>, <c>family:high_mast</c>, <c>site:north</c>, <c>device:north/mast-07</c>.</param>
/// <param name="Value">The new value, or null to remove the override at that scope (not possible globally).</param>
/// <param name="Author">Who makes the change, as recorded in the history.</param>
/// <param name="Reason">Why, as recorded in the history; required.</param>
/// <param name="BasedOnVersion">
/// The store version the engineer was looking at when editing; when set, the change is refused if the store has moved on
/// since, so nobody overwrites a change they have not seen.
/// </param>
public sealed record ThresholdChange(
    string Parameter,
    string Scope,
    double? Value,
    string Author,
    string Reason,
    long? BasedOnVersion = null)
{
    public const int MaxAuthorLength = 64;

    public const int MaxReasonLength = 500;

    /// <summary>The author the store writes its own rows with (the seeded defaults); no engineer may sign as it.</summary>
    public const string SystemAuthor = "system";

    /// <summary>A change that sets <paramref name="parameter"/> to <paramref name="value"/> at <paramref name="scope"/>.</summary>
    public static ThresholdChange Set(ThresholdParameter parameter, ThresholdScope scope, double value, string author, string reason, long? basedOnVersion = null)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(scope);
        return new(parameter.Name, scope.Key, value, author, reason, basedOnVersion);
    }

    /// <summary>A change that removes the override of <paramref name="parameter"/> at <paramref name="scope"/>.</summary>
    public static ThresholdChange Remove(ThresholdParameter parameter, ThresholdScope scope, string author, string reason, long? basedOnVersion = null)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(scope);
        return new(parameter.Name, scope.Key, null, author, reason, basedOnVersion);
    }
}
