using Telemetry.Maintenance.Faults;

namespace Telemetry.Maintenance.Reports;

/// <summary>A reading of one value, held from <see cref="At"/> until the next reading of the same value.</summary>
public readonly record struct StepReading<T>(DateTimeOffset At, T Value);

/// <summary>
/// The readings of one lighting unit (a circuit of a street controller, a high mast) a lighting rate is computed from:
/// lamps lit, lamps installed and whether the lighting is commanded on, each its own series in time order. A reading
/// before the period may be given: it holds into the period like any other.
/// </summary>
/// <param name="Asset">The unit.</param>
/// <param name="Crew">The crew that looks after the unit's device, if known.</param>
/// <param name="Lit">Lamps lit.</param>
/// <param name="Installed">Lamps installed.</param>
/// <param name="Commanded">Whether the lighting is commanded on: the hours it is are the hours the lighting is due.</param>
public sealed record LampSeries(
    AssetRef Asset,
    string? Crew,
    IReadOnlyList<StepReading<double>> Lit,
    IReadOnlyList<StepReading<double>> Installed,
    IReadOnlyList<StepReading<bool>> Commanded);
