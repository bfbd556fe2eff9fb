using Telemetry.Forecasting.Numerics;

namespace Telemetry.Forecasting.Batteries;

/// <summary>The tests that tell a battery's runtime: the half-yearly one-hour run and the yearly full discharge.</summary>
public enum BatteryTestKind
{
    OneHour,
    FullDuration,
}

/// <summary>A finished discharge test: how long it ran and the loaded battery voltage when it ended (at the planned end, or at cut-off).</summary>
public sealed record BatteryTest(DateTimeOffset Time, BatteryTestKind Kind, double RuntimeMinutes, double EndVolts);

/// <summary>What is known of one emergency battery: its register entry, its tests and its temperature readings.</summary>
public sealed record BatteryRecord(string Device, DateTimeOffset Installed, double RatedMinutes, double CutoffVolts, IReadOnlyList<BatteryTest> Tests, IReadOnlyList<Observation> TemperaturesC);
