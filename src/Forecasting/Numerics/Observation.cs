namespace Telemetry.Forecasting.Numerics;

/// <summary>One value of a series at a time.</summary>
public readonly record struct Observation(DateTimeOffset Time, double Value);
