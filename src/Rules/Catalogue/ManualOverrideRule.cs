using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A controller left in manual override longer than the limit (60 min): <see cref="FaultType.ManualOverrideLeftOn"/>,
/// grade 4, an operator-side fault on the device, since the schedule no longer switches its lighting. Counts time
/// passing as well as readings; clears when the override is released.
/// </summary>
internal sealed class ManualOverrideRule
{
    public void Evaluate(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (ReadingValues.TryFlag(values, PointNames.ManualOverride, out var on))
        {
            Emit(device, device.ManualOverride.Observe(on, at, Limit(device)), at, output);
        }
    }

    public void Check(DeviceState device, DateTimeOffset now, ICollection<FaultTransition> output) =>
        Emit(device, device.ManualOverride.Check(now, Limit(device)), now, output);

    private static TimeSpan Limit(DeviceState device) => TimeSpan.FromTicks((long)(device.Thresholds[ThresholdCatalogue.ManualOverrideLimitMin] * TimeSpan.TicksPerMinute));

    private static void Emit(DeviceState device, ConditionChange change, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        switch (change)
        {
            case ConditionChange.Detected:
                var minutes = (at - (device.ManualOverride.Since ?? at)).TotalMinutes;
                output.Add(device.Detected(device.Asset, FaultType.ManualOverrideLeftOn, FaultType.ManualOverrideLeftOn.DefaultGrade(), at,
                    string.Create(CultureInfo.InvariantCulture, $"manual override on for {minutes:0} min: the schedule does not switch this lighting"),
                    new Dictionary<string, double>(StringComparer.Ordinal) { ["override_min"] = minutes }));
                break;
            case ConditionChange.Cleared:
                output.Add(new FaultCleared(device.Asset, FaultType.ManualOverrideLeftOn, at, "manual override released"));
                break;
        }
    }
}
