using Telemetry.Fuzzing.Targets;

namespace Telemetry.Fuzzing;

/// <summary>Every fuzzed input path, by name. A target keeps state, so each run makes its own with <see cref="Create"/>.</summary>
public static class FuzzTargets
{
    /// <summary>The paths in the order they are reported: one line each, name and how to make its target.</summary>
    public static IReadOnlyList<(string Name, Func<IFuzzTarget> Create)> All { get; } =
    [
        ("ingest-telemetry", IngestTarget.Telemetry),
        ("ingest-event", IngestTarget.Events),
        ("ingest-state", IngestTarget.States),
        ("rules-telemetry", RulesTarget.Telemetry),
        ("rules-event", RulesTarget.Events),
        ("rules-state", RulesTarget.States),
        ("gateway-command", () => new GatewayCommandTarget()),
        ("api-query", () => new ApiQueryTarget()),
        ("api-ticket-number", () => new TicketNumberTarget()),
        ("api-event-id", () => new EventIdTarget()),
        ("site-file", () => new SiteFileTarget()),
        ("profile-file", () => new ProfileFileTarget()),
    ];

    public static IEnumerable<string> Names => All.Select(t => t.Name);

    /// <summary>A new target for the path <paramref name="name"/>; dispose it when it is <see cref="IDisposable"/>.</summary>
    public static IFuzzTarget Create(string name)
    {
        foreach (var (known, create) in All)
        {
            if (known == name)
            {
                var target = create();
                return target.Name == name ? target : throw new InvalidOperationException($"the target registered as '{name}' calls itself '{target.Name}'");
            }
        }

        throw new ArgumentException($"no fuzz target '{name}'; known: {string.Join(", ", Names)}", nameof(name));
    }
}
