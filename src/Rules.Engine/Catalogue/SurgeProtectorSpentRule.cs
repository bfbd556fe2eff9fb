using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A distribution box's surge protector reports itself spent on its remote-signalling contact
/// (<c>surge_protector_failed</c>): <see cref="FaultType.SurgeProtectorSpent"/>, grade 3 on the box. An accessory has
/// failed and the supply is still delivered; the box is unprotected against the next surge until the cartridge is
/// changed, which the next patrol can do. Clears when the contact reports it sound again.
/// </summary>
internal sealed class SurgeProtectorSpentRule() : DebouncedFlagRule(PointNames.SurgeProtectorFailed, true, FaultType.SurgeProtectorSpent,
    DebounceReadings)
{
    public static readonly ThresholdParameter DebounceReadings = new("surge_protector.debounce_readings", 2, 1, 100, true, "readings",
        "Consecutive readings a box's surge protector must report spent (or sound) before surge protector spent opens (grade 3) or clears.");

    public override string Name => "surge_protector";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.DistributionBox];

    public override IReadOnlyList<FaultSheet> Faults =>
        [Sheet(FaultType.SurgeProtectorSpent, "An accessory failed; the supply is still delivered, unprotected against the next surge")];

    protected override string ClearedSummary => "surge protector reports sound";

    protected override string Describe(IReadOnlyDictionary<string, ReadingValue> values, Dictionary<string, double> evidence)
    {
        evidence[PointNames.SurgeProtectorFailed] = 1;
        return "surge protector spent (its remote-signalling contact): the box is unprotected against the next surge";
    }
}
