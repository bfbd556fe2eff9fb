using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A fault the device signals itself on one flag (a latched fault bit, an alarm contact, a supply relay): detected
/// after N consecutive readings signalling it, cleared after N signalling it gone. A reading without the flag changes
/// nothing and breaks neither run. Its state on a device is the one condition.
/// </summary>
internal abstract class DebouncedFlagRule(string point, bool faultyWhen, FaultType fault, ThresholdParameter debounce) : Rule<DebouncedCondition>
{
    public override RuleScope Scope => RuleScope.Device;

    public override IReadOnlyList<ThresholdParameter> Thresholds => [debounce];

    public override string Signals => $"`{point}` {(faultyWhen ? "set" : "cleared")}";

    public override string Debounce => $"`{debounce.Name}` readings";

    public override string Clears => $"`{debounce.Name}` readings of `{point}` {(faultyWhen ? "cleared" : "set")}";

    public override void OnReading(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (!TrySignal(values, out var faulty))
        {
            return;
        }

        switch (State(device).Observe(faulty, !faulty, (int)device.Thresholds[debounce]))
        {
            case ConditionChange.Detected:
                var evidence = new Dictionary<string, double>(StringComparer.Ordinal);
                var summary = Describe(values, evidence);
                output.Add(device.Detected(device.Asset, fault, fault.DefaultGrade(), at, summary, evidence));
                break;
            case ConditionChange.Cleared:
                output.Add(new FaultCleared(device.Asset, fault, at, ClearedSummary));
                break;
        }
    }

    /// <summary>What is recorded on the ticket when the device no longer signals the fault.</summary>
    protected abstract string ClearedSummary { get; }

    /// <summary>The ticket's one line; the figures worth keeping from the reading go into <paramref name="evidence"/>.</summary>
    protected abstract string Describe(IReadOnlyDictionary<string, ReadingValue> values, Dictionary<string, double> evidence);

    /// <summary>Whether the reading signals the fault; false when it does not tell.</summary>
    protected virtual bool TrySignal(IReadOnlyDictionary<string, ReadingValue> values, out bool faulty)
    {
        if (ReadingValues.TryFlag(values, point, out var flag))
        {
            faulty = flag == faultyWhen;
            return true;
        }

        faulty = false;
        return false;
    }

    protected override void Reconcile(DebouncedCondition state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now) =>
        state.Reconcile(isOpen(owner.Asset, fault));

    /// <summary>Adds <paramref name="name"/> from the reading to <paramref name="evidence"/> when it is a number there.</summary>
    protected static void Keep(IReadOnlyDictionary<string, ReadingValue> values, string name, Dictionary<string, double> evidence)
    {
        if (values.TryGetValue(name, out var raw))
        {
            var value = raw.AsDouble();
            if (double.IsFinite(value))
            {
                evidence[name] = value;
            }
        }
    }
}
