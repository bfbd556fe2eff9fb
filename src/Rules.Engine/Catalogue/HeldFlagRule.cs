using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A device flag (a door switch, a hand/auto selector) left set longer than its limit. Time passing counts too (the
/// engine's tick), so a flag set before the device went quiet is still reported. Clears on the first reading of the
/// flag unset. Its state on a device is the one condition, with the time the flag was first seen set.
/// </summary>
internal abstract class HeldFlagRule(string point, FaultType fault, ThresholdParameter limitMinutes, string evidenceName) : Rule<HeldCondition>
{
    public override RuleScope Scope => RuleScope.Device;

    public override IReadOnlyList<ThresholdParameter> Thresholds => [limitMinutes];

    public override string Signals => $"`{point}` set";

    public override string Debounce => $"held `{limitMinutes.Name}`, counted on the clock too, so a device gone quiet is still reported";

    public override string Clears => $"the first reading of `{point}` unset";

    public override void OnReading(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (ReadingValues.TryFlag(values, point, out var set))
        {
            var condition = State(device);
            Emit(device, condition, condition.Observe(set, at, Limit(device)), at, output);
        }
    }

    public override void OnDeviceTick(DeviceState device, DateTimeOffset now, ICollection<FaultTransition> output)
    {
        if (Peek(device) is { } condition)
        {
            Emit(device, condition, condition.Check(now, Limit(device)), now, output);
        }
    }

    /// <summary>The ticket's one line, given how long the flag has been set.</summary>
    protected abstract string Describe(double minutes);

    /// <summary>What is recorded on the ticket when the flag is unset.</summary>
    protected abstract string ClearedSummary { get; }

    protected override void Reconcile(HeldCondition state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now) =>
        state.Reconcile(isOpen(owner.Asset, fault));

    private TimeSpan Limit(DeviceState device) => TimeSpan.FromTicks((long)(device.Thresholds[limitMinutes] * TimeSpan.TicksPerMinute));

    private void Emit(DeviceState device, HeldCondition condition, ConditionChange change, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        switch (change)
        {
            case ConditionChange.Detected:
                var minutes = (at - (condition.Since ?? at)).TotalMinutes;
                output.Add(device.Detected(device.Asset, fault, fault.DefaultGrade(), at, Describe(minutes),
                    new Dictionary<string, double>(StringComparer.Ordinal) { [evidenceName] = minutes }));
                break;
            case ConditionChange.Cleared:
                output.Add(new FaultCleared(device.Asset, fault, at, ClearedSummary));
                break;
        }
    }
}
