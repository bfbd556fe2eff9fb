using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A distribution box's breaker open, from its auxiliary contacts (<c>breaker_main_closed</c>,
/// <c>breaker_{n}_closed</c>): <see cref="FaultType.BreakerTripped"/>, one ticket per breaker, each clearing when its
/// breaker reads closed again. The main breaker's is on the box: everything the box feeds is off, which is grade 1
/// at night, when the lighting it feeds is due on and dark, and grade 2 by day (raised to 1 if night falls while it is
/// still open), as for a gateway offline. An outgoing breaker's is on the box's outgoing circuit n (asset
/// <c>site/gateway/box/n</c>), grade 2: one feeder of several is off.
/// </summary>
internal sealed class BreakerTrippedRule
{
    private const int Main = 0;

    // The profile's series runs 1-8; names for more are kept so that a larger box needs no change here.
    private const int MaxOutgoing = 32;

    private static readonly string[] Points =
        [.. Enumerable.Range(0, MaxOutgoing + 1).Select(n => n == Main ? PointNames.BreakerMainClosed : PointNames.OutgoingBreakerClosed(n))];

    public void Evaluate(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var readings = (int)device.Thresholds[ThresholdCatalogue.BreakerDebounceReadings];
        for (var number = Main; number < Points.Length; number++)
        {
            if (ReadingValues.TryFlag(values, Points[number], out var closed))
            {
                Judge(device, number, closed, readings, at, output);
            }
            else if (number != Main)
            {
                // Outgoing breakers are a series numbered from 1: the first one missing ends it.
                break;
            }
        }
    }

    /// <summary>Grade 1 while it is night at the box's site, else the catalogue's grade 2.</summary>
    public static FaultGrade MainGradeAt(DeviceState device, DateTimeOffset at) =>
        device.Gateway.Daylight is { } sun && sun.IsNight(at) ? FaultGrade.Grade1 : FaultType.BreakerTripped.DefaultGrade();

    /// <summary>An open ticket found at start: <paramref name="asset"/> is the box (its main breaker) or one of its outgoing circuits.</summary>
    public static void Restore(DeviceState device, AssetRef asset, DateTimeOffset now)
    {
        if (asset.Circuit is null)
        {
            device.BreakerTripped(Main).Restore();
            device.MainBreakerGrade = MainGradeAt(device, now);
        }
        else if (int.TryParse(asset.Circuit, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= MaxOutgoing)
        {
            device.BreakerTripped(number).Restore();
        }
    }

    private static void Judge(DeviceState device, int number, bool closed, int readings, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var condition = device.BreakerTripped(number);
        switch (condition.Observe(!closed, closed, readings))
        {
            case ConditionChange.Detected:
                var grade = number == Main ? MainGradeAt(device, at) : FaultType.BreakerTripped.DefaultGrade();
                if (number == Main)
                {
                    device.MainBreakerGrade = grade;
                }

                output.Add(Detected(device, number, grade, at));
                break;
            case ConditionChange.Cleared:
                output.Add(new FaultCleared(AssetOf(device, number), FaultType.BreakerTripped, at,
                    number == Main ? "main breaker closed again" : string.Create(CultureInfo.InvariantCulture, $"outgoing breaker {number} closed again")));
                break;
            case ConditionChange.None when number == Main && condition.Active && !closed && MainGradeAt(device, at) < device.MainBreakerGrade:
                // Open since daylight and now night: reported again at the worse grade, which regrades the ticket.
                device.MainBreakerGrade = FaultGrade.Grade1;
                output.Add(Detected(device, number, FaultGrade.Grade1, at));
                break;
        }
    }

    private static FaultDetected Detected(DeviceState device, int number, FaultGrade grade, DateTimeOffset at)
    {
        var point = Points[number];
        var summary = number != Main
            ? string.Create(CultureInfo.InvariantCulture, $"outgoing breaker {number} open: the circuit it feeds is off")
            : grade == FaultGrade.Grade1
                ? "main breaker open: everything the box feeds is off, at night with the lighting due on"
                : "main breaker open: everything the box feeds is off";
        return device.Detected(AssetOf(device, number), FaultType.BreakerTripped, grade, at, summary,
            new Dictionary<string, double>(StringComparer.Ordinal) { [point] = 0, ["breaker"] = number });
    }

    private static AssetRef AssetOf(DeviceState device, int number) => number == Main
        ? device.Asset
        : new AssetRef(device.Gateway.Site, device.Gateway.Id, device.Id, number.ToString(CultureInfo.InvariantCulture));
}
