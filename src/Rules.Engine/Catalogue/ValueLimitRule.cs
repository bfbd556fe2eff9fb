using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A measured value against a trip level and a clear level (a <see cref="HysteresisBand"/>) with a debounce in
/// readings: detected after N readings past the trip level, cleared after N past the clear level, unchanged in between.
/// Its state on a device is the one condition.
/// </summary>
internal abstract class ValueLimitRule(string point, FaultType fault, HysteresisBand band, ThresholdParameter debounce, string quantity, string unit)
    : Rule<DebouncedCondition>
{
    public override RuleScope Scope => RuleScope.Device;

    public override IReadOnlyList<ThresholdParameter> Thresholds => [band.Trip, band.Clear, debounce];

    public override IReadOnlyList<HysteresisBand> Bands => [band];

    public override string Signals => $"`{point}`";

    public override string Debounce => $"`{debounce.Name}` readings past the trip level (and past the clear level to clear)";

    public override string Clears => $"`{debounce.Name}` readings {(band.Direction == TripDirection.Below ? "above" : "below")} `{band.Clear.Name}`";

    public override void OnReading(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
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
        switch (State(device).Observe(pastTrip, pastClear, (int)thresholds[debounce]))
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

    protected override void Reconcile(DebouncedCondition state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now) =>
        state.Reconcile(isOpen(owner.Asset, fault));
}
