using System.Text.Json;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// What the rules have learned and are counting that must survive a restart: each rule's state on each asset where it
/// holds something (a circuit's current baseline, a debounce run, when a door was opened). Plain data for
/// System.Text.Json. Whether a condition is active is set again from the open tickets at start, through
/// <see cref="RuleEngine.RestoreActive"/>, since the tickets are the record of truth.
/// </summary>
/// <param name="Version">Format version of this record.</param>
/// <param name="States">The states, a record each.</param>
public sealed record RuleEngineState(int Version, IReadOnlyList<RuleStateRecord> States)
{
    /// <summary>2: a state per rule and asset (1 kept baselines and pending conditions only, and is not read).</summary>
    public const int CurrentVersion = 2;
}

/// <summary>One rule's state on one asset.</summary>
/// <param name="Rule">The rule's name, e.g. <c>cable_theft</c>.</param>
/// <param name="Asset">The asset key (<c>site/gateway[/device[/circuit]]</c>).</param>
/// <param name="State">The rule's own state, as the rule writes it.</param>
public sealed record RuleStateRecord(string Rule, string Asset, JsonElement State);
