using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A high mast's lamp ring not at the top (<c>lift_position</c> not on the top limit switch) while its lighting is
/// due on (commanded on), for longer than the limit (15 min: the winch's travel with a margin, so a ring raised at
/// dusk is not reported): <see cref="FaultType.LampRingLowered"/>, grade 2 on the mast. Lamps lowered light the
/// mast's foot instead of its area, and hang where traffic and people pass. Once detected it holds until the ring
/// is back at the top, whatever the lighting does next, so that the crew raises it before the lighting is next due.
/// Judged on readings only: what a quiet mast does is the silence rule's.
/// </summary>
internal sealed class LampRingLoweredRule : Rule<HeldCondition>
{
    public static readonly ThresholdParameter LimitMin = new("lamp_ring.limit_min", 15, 0, 1440, false, "min",
        "Minutes a high mast's lamp ring may stay below the top while its lighting is due on (the winch's travel time with a margin) before it is a fault (grade 2).");

    // Profile jg-hmc24, lift_position: 0 between the limit switches, 1 top, 2 bottom.
    private const long Top = 1;
    private const long Bottom = 2;

    public override string Name => "lamp_ring";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.HighMast];

    public override IReadOnlyList<FaultSheet> Faults =>
    [
        Sheet(FaultType.LampRingLowered,
            "Lowered lamps light the mast's foot, not its area, and hang where people pass: the mast's service degraded, as in a mast outage"),
    ];

    public override IReadOnlyList<ThresholdParameter> Thresholds => [LimitMin];

    public override string Signals => "`lift_position` not 1 (top) while `commanded_on` or `contactor_closed`";

    public override string Debounce => "held `lamp_ring.limit_min` (the winch's travel with a margin), on readings";

    public override string Clears => "the first reading of the ring at the top, whatever the lighting does";

    public override RuleScope Scope => RuleScope.Device;

    public override void OnReading(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (!ReadingValues.TryCount(values, PointNames.LiftPosition, out var position))
        {
            return;
        }

        var condition = State(device);
        var due = (ReadingValues.TryFlag(values, PointNames.CommandedOn, out var commanded) && commanded)
            || (ReadingValues.TryFlag(values, PointNames.ContactorClosed, out var contactor) && contactor);
        var holds = position != Top && (due || condition.Active);
        var limit = TimeSpan.FromTicks((long)(device.Thresholds[LimitMin] * TimeSpan.TicksPerMinute));
        switch (condition.Observe(holds, at, limit))
        {
            case ConditionChange.Detected:
                var minutes = (at - (condition.Since ?? at)).TotalMinutes;
                var evidence = new Dictionary<string, double>(StringComparer.Ordinal)
                {
                    [PointNames.LiftPosition] = position,
                    ["lowered_min"] = minutes,
                };
                if (ReadingValues.TryCount(values, PointNames.LiftMotorState, out var motor))
                {
                    evidence[PointNames.LiftMotorState] = motor;
                }

                if (ReadingValues.TryFlag(values, PointNames.MaintenanceKey, out var key))
                {
                    evidence[PointNames.MaintenanceKey] = key ? 1 : 0;
                }

                var where = position == Bottom ? "at the bottom of the mast" : "between the limit switches";
                output.Add(device.Detected(device.Asset, FaultType.LampRingLowered, FaultType.LampRingLowered.DefaultGrade(), at,
                    string.Create(CultureInfo.InvariantCulture, $"lamp ring {where} for {minutes:0} min while the lighting is due on: its lamps do not light the mast's area"),
                    evidence));
                break;
            case ConditionChange.Cleared:
                output.Add(new FaultCleared(device.Asset, FaultType.LampRingLowered, at, "lamp ring back at the top"));
                break;
        }
    }

    protected override void Reconcile(HeldCondition state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now) =>
        state.Reconcile(isOpen(owner.Asset, FaultType.LampRingLowered));
}
