using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A measured value against a trip level and a clear level (a <see cref="HysteresisBand"/>) with a debounce in
/// readings: detected after N readings past the trip level, cleared after N past the clear level, unchanged in between.
/// </summary>
internal abstract class ValueLimitRule
{
    private readonly string point;
    private readonly FaultType fault;
    private readonly HysteresisBand band;
    private readonly ThresholdParameter debounce;
    private readonly string quantity;
    private readonly string unit;

    protected ValueLimitRule(string point, FaultType fault, ThresholdParameter trip, ThresholdParameter debounce, string quantity, string unit)
    {
        this.point = point;
        this.fault = fault;
        band = ThresholdCatalogue.Bands.Single(b => b.Trip == trip);
        this.debounce = debounce;
        this.quantity = quantity;
        this.unit = unit;
    }

    public void Evaluate(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (!ReadingValues.TryNumber(values, point, out var value))
        {
            return;
        }

        var thresholds = device.Thresholds;
        var trip = thresholds[band.Trip];
        var clear = thresholds[band.Clear];
        var below = band.Direction == TripDirection.Below;
        var pastTrip = below ? value < trip : value > trip;
        var pastClear = below ? value > clear : value < clear;
        switch (Condition(device).Observe(pastTrip, pastClear, (int)thresholds[debounce]))
        {
            case ConditionChange.Detected:
                var evidence = new Dictionary<string, double>(StringComparer.Ordinal) { [point] = value, [band.Trip.Name] = trip };
                output.Add(device.Detected(device.Asset, fault, fault.DefaultGrade(), at,
                    string.Create(CultureInfo.InvariantCulture, $"{quantity} {value:0.###} {unit}, {(below ? "below" : "above")} the limit of {trip:0.###} {unit}"),
                    evidence));
                break;
            case ConditionChange.Cleared:
                output.Add(new FaultCleared(device.Asset, fault, at,
                    string.Create(CultureInfo.InvariantCulture, $"{quantity} back to {value:0.###} {unit}, past the clear level of {clear:0.###} {unit}")));
                break;
        }
    }

    /// <summary>The condition this rule keeps on the device.</summary>
    protected abstract DebouncedCondition Condition(DeviceState device);
}
