using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A high mast's lift latched a fault (<c>lift_fault</c>, its cause in <c>lift_fault_code</c>):
/// <see cref="FaultType.LiftFault"/>, grade 2 on the mast. The lighting still works, but a ring that cannot be lowered
/// cannot be relamped and one that cannot be raised stays down: a latent hazard that becomes an outage. The summary
/// names the code and its meaning. A controller reporting only the code is judged on the code. Clears when the
/// controller releases the latch (someone reset it on site).
/// </summary>
internal sealed class LiftFaultRule() : DebouncedFlagRule(PointNames.LiftFault, true, FaultType.LiftFault, DebounceReadings)
{
    public static readonly ThresholdParameter DebounceReadings = new("lift_fault.debounce_readings", 2, 1, 100, true, "readings",
        "Consecutive readings a high mast's lift fault must be latched (or released) before the lift fault opens (grade 2) or clears.");

    public override string Name => "lift_fault";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.HighMast];

    public override IReadOnlyList<FaultSheet> Faults =>
    [
        Sheet(FaultType.LiftFault,
            "The lamps still burn, but a ring that cannot be lowered cannot be relamped and one that cannot be raised stays down: a latent hazard"),
    ];

    public override string Signals => "`lift_fault` latched (or `lift_fault_code` not 0); the summary names the code: 1 overload, 2 overtravel, 3 rope slack, 4 motor overheat";

    protected override string ClearedSummary => "lift fault released";

    /// <summary>The meaning of a <c>lift_fault_code</c> (profile jg-hmc24).</summary>
    public static string Meaning(long code) => code switch
    {
        0 => "no cause given",
        1 => "overload",
        2 => "overtravel",
        3 => "rope slack",
        4 => "motor overheat",
        _ => "a code the profile does not list",
    };

    protected override bool TrySignal(IReadOnlyDictionary<string, ReadingValue> values, out bool faulty)
    {
        if (base.TrySignal(values, out faulty))
        {
            return true;
        }

        if (ReadingValues.TryCount(values, PointNames.LiftFaultCode, out var code))
        {
            faulty = code != 0;
            return true;
        }

        return false;
    }

    protected override string Describe(IReadOnlyDictionary<string, ReadingValue> values, Dictionary<string, double> evidence)
    {
        const string Consequence = "the lamp ring cannot be raised or lowered until the lift is reset";
        if (!ReadingValues.TryCount(values, PointNames.LiftFaultCode, out var code))
        {
            return $"lift fault latched (no fault code read): {Consequence}";
        }

        evidence[PointNames.LiftFaultCode] = code;
        Keep(values, PointNames.LiftPosition, evidence);
        return string.Create(CultureInfo.InvariantCulture, $"lift fault latched, code {code} ({Meaning(code)}): {Consequence}");
    }
}
