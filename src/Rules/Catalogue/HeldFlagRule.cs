using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A device flag (a door switch, a hand/auto selector) left set longer than its limit. Time passing counts too
/// (<see cref="Check"/> from the engine's tick), so a flag set before the device went quiet is still reported.
/// Clears on the first reading of the flag unset.
/// </summary>
internal abstract class HeldFlagRule(string point, FaultType fault, ThresholdParameter limitMinutes, string evidenceName)
{
    public void Evaluate(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (ReadingValues.TryFlag(values, point, out var set))
        {
            Emit(device, Condition(device).Observe(set, at, Limit(device)), at, output);
        }
    }

    public void Check(DeviceState device, DateTimeOffset now, ICollection<FaultTransition> output) =>
        Emit(device, Condition(device).Check(now, Limit(device)), now, output);

    /// <summary>The device's tracker of this flag.</summary>
    protected abstract HeldCondition Condition(DeviceState device);

    /// <summary>The ticket's one line, given how long the flag has been set.</summary>
    protected abstract string Describe(double minutes);

    /// <summary>What is recorded on the ticket when the flag is unset.</summary>
    protected abstract string ClearedSummary { get; }

    private TimeSpan Limit(DeviceState device) => TimeSpan.FromTicks((long)(device.Thresholds[limitMinutes] * TimeSpan.TicksPerMinute));

    private void Emit(DeviceState device, ConditionChange change, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        switch (change)
        {
            case ConditionChange.Detected:
                var minutes = (at - (Condition(device).Since ?? at)).TotalMinutes;
                output.Add(device.Detected(device.Asset, fault, fault.DefaultGrade(), at, Describe(minutes),
                    new Dictionary<string, double>(StringComparer.Ordinal) { [evidenceName] = minutes }));
                break;
            case ConditionChange.Cleared:
                output.Add(new FaultCleared(device.Asset, fault, at, ClearedSummary));
                break;
        }
    }
}
