using System.Globalization;
using Telemetry.Devices.Decoding;
using Telemetry.Simulator.Faults;

namespace Telemetry.Simulator.Scenarios;

/// <summary>What a scenario event does.</summary>
public enum ScenarioAction
{
    /// <summary><c>fault</c>: inject a fault.</summary>
    Inject,

    /// <summary><c>clear</c>: clear a fault kind (or <c>all</c>).</summary>
    Clear,

    /// <summary><c>command</c>: write a value to a writable point, as the gateway would.</summary>
    Command,

    /// <summary><c>set</c>: make a value read as given, whatever the physics say.</summary>
    Set,

    /// <summary><c>unset</c>: let a value follow the physics again.</summary>
    Unset,
}

/// <summary>One event of a scenario, validated against the site.</summary>
public sealed record ScenarioEvent
{
    /// <summary>When, after the start of the simulation (simulated time).</summary>
    public required TimeSpan Offset { get; init; }

    public required string Device { get; init; }

    public required ScenarioAction Action { get; init; }

    /// <summary>The fault to inject (<see cref="ScenarioAction.Inject"/>).</summary>
    public FaultDocument? Fault { get; init; }

    /// <summary>The kind to clear; null clears all (<see cref="ScenarioAction.Clear"/>).</summary>
    public FaultKind? ClearKind { get; init; }

    /// <summary>Circuit of a clear, command or set.</summary>
    public int? Circuit { get; init; }

    /// <summary>The point or value name of a command, set or unset.</summary>
    public string? Point { get; init; }

    public PointValue? Value { get; init; }

    /// <summary>Why the event is there, for people reading logs.</summary>
    public string? Note { get; init; }

    /// <summary>E.g. <c>fault lamps_dark count 5</c>.</summary>
    public string Describe()
    {
        var circuit = Circuit is { } c ? string.Create(CultureInfo.InvariantCulture, $" circuit {c}") : "";
        return Action switch
        {
            ScenarioAction.Inject => $"fault {Fault?.Fault}{Parameters(Fault)}",
            ScenarioAction.Clear => $"clear {ClearKind?.ToJsonName() ?? "all"}{circuit}",
            ScenarioAction.Command => $"command {Point}{circuit} = {Value}",
            ScenarioAction.Set => $"set {Point}{circuit} = {Value}",
            _ => $"unset {Point}{circuit}",
        } + (Note is null ? "" : $" ({Note})");
    }

    private static string Parameters(FaultDocument? fault) =>
        fault is null ? "" : string.Concat(fault.Parameters().Where(p => p.Given).Select(p => $" {p.Name} {p.Value}"));
}

/// <summary>A scripted sequence of faults and commands (<c>hardware/scenarios/*.json</c>).</summary>
public sealed record Scenario(string Name, string? Description, IReadOnlyList<ScenarioEvent> Events, string Source);

/// <summary>Plays a scenario's events as simulated time passes; remembers what each did.</summary>
public sealed class ScenarioRunner
{
    private readonly List<ScenarioEvent> events;
    private readonly DateTimeOffset start;
    private readonly List<string?> outcomes = [];

    public ScenarioRunner(Scenario scenario, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Scenario = scenario;
        this.start = start;
        events = [.. scenario.Events.OrderBy(e => e.Offset)];
    }

    public Scenario Scenario { get; }

    public int PlayedCount => outcomes.Count;

    public IReadOnlyList<ScenarioEvent> Events => events;

    /// <summary>What each played event did: null when done, else why it could not be.</summary>
    public IReadOnlyList<string?> Outcomes => outcomes;

    /// <summary>The events due by <paramref name="now"/> not played yet, in order, with their instants.</summary>
    public IReadOnlyList<(DateTimeOffset At, ScenarioEvent Event)> Due(DateTimeOffset now) =>
        [.. events.Skip(outcomes.Count).TakeWhile(e => start + e.Offset <= now).Select(e => (start + e.Offset, e))];

    public void Played((DateTimeOffset At, ScenarioEvent Event) due, string? outcome)
    {
        if (outcomes.Count >= events.Count || !ReferenceEquals(events[outcomes.Count], due.Event))
        {
            throw new InvalidOperationException("scenario events must be played in order");
        }

        outcomes.Add(outcome);
    }
}
