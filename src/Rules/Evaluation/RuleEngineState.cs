namespace Telemetry.Rules.Evaluation;

/// <summary>
/// What the engine has learned that must survive a restart: circuits' current baselines, and when the conditions that
/// are still counting towards their limit began. Plain data for System.Text.Json. Active conditions are not here:
/// they come back from the open tickets through <see cref="RuleEngine.RestoreActive"/>.
/// </summary>
/// <param name="Version">Format version of this record.</param>
/// <param name="Baselines">Learned feeder currents per circuit (or single-circuit device).</param>
/// <param name="Pending">Conditions held since a time and not yet past their limit (door open, override on, lamp ring lowered, gateway offline).</param>
public sealed record RuleEngineState(int Version, IReadOnlyList<CircuitBaselineState> Baselines, IReadOnlyList<PendingConditionState> Pending)
{
    public const int CurrentVersion = 1;

    public static RuleEngineState Empty { get; } = new(CurrentVersion, [], []);
}

/// <summary>A learned current baseline.</summary>
/// <param name="Asset">The asset key (<c>site/gateway/device[/circuit]</c>).</param>
/// <param name="Readings">Healthy readings it was learned from.</param>
/// <param name="MeanA">The baseline current (A).</param>
public sealed record CircuitBaselineState(string Asset, long Readings, double MeanA);

/// <summary>A condition counting towards its limit.</summary>
/// <param name="Asset">The asset key.</param>
/// <param name="Fault">The fault's snake-case name (<c>door_open</c>).</param>
/// <param name="Since">When the condition began.</param>
public sealed record PendingConditionState(string Asset, string Fault, DateTimeOffset Since);
