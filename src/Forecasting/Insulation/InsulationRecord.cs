using Telemetry.Forecasting.Numerics;

namespace Telemetry.Forecasting.Insulation;

/// <summary>The insulation resistance readings (MΩ) of the box feeding one circuit.</summary>
public sealed record InsulationRecord(string Device, IReadOnlyList<Observation> ReadingsMohm);
