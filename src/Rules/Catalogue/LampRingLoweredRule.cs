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
internal sealed class LampRingLoweredRule
{
    // Profile jg-hmc24, lift_position: 0 between the limit switches, 1 top, 2 bottom.
    private const long Top = 1;
    private const long Bottom = 2;

    public void Evaluate(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (!ReadingValues.TryCount(values, PointNames.LiftPosition, out var position))
        {
            return;
        }

        var condition = device.LampRingLowered;
        var due = (ReadingValues.TryFlag(values, PointNames.CommandedOn, out var commanded) && commanded)
            || (ReadingValues.TryFlag(values, PointNames.ContactorClosed, out var contactor) && contactor);
        var holds = position != Top && (due || condition.Active);
        var limit = TimeSpan.FromTicks((long)(device.Thresholds[ThresholdCatalogue.LampRingLimitMin] * TimeSpan.TicksPerMinute));
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
}
