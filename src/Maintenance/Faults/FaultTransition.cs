using Telemetry.Devices.Sites;

namespace Telemetry.Maintenance.Faults;

/// <summary>What a rule concludes about one asset and fault type: the condition began, or it ended.</summary>
public abstract record FaultTransition(AssetRef Asset, FaultType Fault, DateTimeOffset At, string Summary);

/// <summary>
/// A fault condition that has held past its debounce. Opens a ticket, or counts an occurrence on the open one.
/// </summary>
/// <param name="Asset">The gateway, device or circuit at fault.</param>
/// <param name="Fault">The catalogue entry.</param>
/// <param name="At">When the condition was confirmed (the reading's time, not the processing time).</param>
/// <param name="Summary">One line for the crew: what is wrong, with the figures.</param>
/// <param name="Grade">Usually the catalogue's; a rule may raise it (gateway offline at night).</param>
/// <param name="Evidence">The figures that tripped the rule (value name to value), kept on the ticket.</param>
/// <param name="Crew">The crew the asset's site file names, or null.</param>
/// <param name="Zone">The crew ring of the asset, which sets the on-site deadline.</param>
public sealed record FaultDetected(
    AssetRef Asset,
    FaultType Fault,
    FaultGrade Grade,
    DateTimeOffset At,
    string Summary,
    IReadOnlyDictionary<string, double> Evidence,
    string? Crew,
    CrewZone Zone) : FaultTransition(Asset, Fault, At, Summary);

/// <summary>A fault condition that has gone back past its clear level. Recorded on the ticket; it does not close it.</summary>
public sealed record FaultCleared(AssetRef Asset, FaultType Fault, DateTimeOffset At, string Summary)
    : FaultTransition(Asset, Fault, At, Summary);
