using Telemetry.Forecasting.Batteries;
using Telemetry.Forecasting.Insulation;
using Telemetry.Forecasting.Lamps;

namespace Telemetry.Forecasting.History;

/// <summary>What the plant showed from <see cref="Start"/> to <see cref="End"/>: the forecasters' whole input.</summary>
public sealed record PlantObservations(
    DateTimeOffset Start,
    DateTimeOffset End,
    double Latitude,
    IReadOnlyList<BatteryRecord> Batteries,
    IReadOnlyList<InsulationRecord> Insulation,
    IReadOnlyList<LampGroupRecord> LampGroups);

/// <summary>A battery's true capacity fade and the day its full runtime fell (or will fall) below the rated duration.</summary>
public sealed record BatteryTruth(string Device, double FadePerYear, double MeanTemperatureC, DateTimeOffset EndOfLife);

/// <summary>A circuit's true insulation: new value, ageing time constant, and the first day its resistance is below the limit.</summary>
public sealed record InsulationTruth(string Device, double NewMohm, double AgeingYears, DateTimeOffset CrossesLimit);

/// <summary>When each lamp of a circuit or mast failed.</summary>
public sealed record LampGroupTruth(string Asset, IReadOnlyList<DateTimeOffset> Failures);

/// <summary>A generated history with its ground truth kept beside it.</summary>
public sealed record PlantHistory(
    PlantObservations Observations,
    IReadOnlyDictionary<string, BatteryTruth> Batteries,
    IReadOnlyDictionary<string, InsulationTruth> Insulation,
    IReadOnlyDictionary<string, LampGroupTruth> LampGroups);

/// <summary>The size and span of a generated plant history.</summary>
public sealed record HistorySettings
{
    public int Seed { get; init; } = 1;

    public DateTimeOffset Start { get; init; } = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public int Years { get; init; } = 8;

    public int Batteries { get; init; } = 500;

    /// <summary>Street circuits, four to a controller, each fed from its own distribution box.</summary>
    public int Circuits { get; init; } = 200;

    public int Masts { get; init; } = 50;

    public int LampsPerCircuit { get; init; } = 20;

    public int LampsPerMast { get; init; } = 20;

    /// <summary>Site latitude, for night length (burning hours); Shanghai, as the demo site.</summary>
    public double Latitude { get; init; } = 31.23;

    /// <summary>The insulation limit, in MΩ (domain: 0.5 MΩ at a 500 V test).</summary>
    public double InsulationLimitMohm { get; init; } = 0.5;

    public DateTimeOffset End => Start.AddYears(Years);
}
