using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A cabinet, box or pole door open longer than the limit (5 min): <see cref="FaultType.DoorOpen"/>, grade 3, on the
/// device. Time passing counts too (<see cref="Check"/> from the engine's tick), so a door that opened before the
/// device went quiet is still reported. Clears on the first reading of the door closed.
/// </summary>
internal sealed class DoorOpenRule
{
    public void Evaluate(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (ReadingValues.TryFlag(values, PointNames.DoorOpen, out var open))
        {
            Emit(device, device.DoorOpen.Observe(open, at, Limit(device)), at, output);
        }
    }

    public void Check(DeviceState device, DateTimeOffset now, ICollection<FaultTransition> output) =>
        Emit(device, device.DoorOpen.Check(now, Limit(device)), now, output);

    private static TimeSpan Limit(DeviceState device) => TimeSpan.FromTicks((long)(device.Thresholds[ThresholdCatalogue.DoorOpenLimitMin] * TimeSpan.TicksPerMinute));

    private static void Emit(DeviceState device, ConditionChange change, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        switch (change)
        {
            case ConditionChange.Detected:
                var minutes = (at - (device.DoorOpen.Since ?? at)).TotalMinutes;
                output.Add(device.Detected(device.Asset, FaultType.DoorOpen, FaultType.DoorOpen.DefaultGrade(), at,
                    string.Create(CultureInfo.InvariantCulture, $"door open for {minutes:0} min"),
                    new Dictionary<string, double>(StringComparer.Ordinal) { ["open_min"] = minutes }));
                break;
            case ConditionChange.Cleared:
                output.Add(new FaultCleared(device.Asset, FaultType.DoorOpen, at, "door closed"));
                break;
        }
    }
}
