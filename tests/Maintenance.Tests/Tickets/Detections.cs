using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;

namespace Telemetry.Maintenance.Tests.Tickets;

/// <summary>Fault transitions as the rule engine would report them.</summary>
public static class Detections
{
    public static AssetRef Mast(int n = 7) => new("north", "gw-north-01", $"mast-{n:00}");

    public static FaultDetected Detected(
        DateTimeOffset at,
        AssetRef? asset = null,
        FaultType? fault = null,
        FaultGrade? grade = null,
        string? crew = "crew-north",
        CrewZone zone = CrewZone.Inner,
        double lampsLit = 7) =>
        new(
            asset ?? Mast(),
            fault ?? FaultType.MastOutage,
            grade ?? (fault ?? FaultType.MastOutage).DefaultGrade(),
            at,
            $"{(fault ?? FaultType.MastOutage).ToName()}: {lampsLit} of 12 lamps lit",
            new Dictionary<string, double> { ["lamps_installed"] = 12, ["lamps_lit"] = lampsLit },
            crew,
            zone);

    public static FaultCleared Cleared(DateTimeOffset at, AssetRef? asset = null, FaultType? fault = null) =>
        new(asset ?? Mast(), fault ?? FaultType.MastOutage, at, $"{(fault ?? FaultType.MastOutage).ToName()} cleared: 12 of 12 lamps lit");
}
