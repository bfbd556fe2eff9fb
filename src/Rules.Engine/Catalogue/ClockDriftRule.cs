using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A light/time controller's clock off the reference time (the reading's time, which the gateway takes from its own
/// synchronised clock) by more than the limit: <see cref="FaultType.ClockDrift"/>, grade 3, with hysteresis and
/// debounce. Controllers that count Unix seconds (sk-ltc4) are compared directly; controllers that keep the local
/// date and time in parts (kg-316m) are read in the site's time zone.
/// </summary>
internal sealed class ClockDriftRule : Rule<DebouncedCondition>
{
    public static readonly ThresholdParameter TripS = new("clock_drift.trip_s", 60, 1, 86400, false, "s",
        "Seconds a controller's clock may be off the reference time before it is clock drift (grade 3).");

    public static readonly ThresholdParameter ClearS = new("clock_drift.clear_s", 30, 0.5, 86399, false, "s",
        "Seconds off below which clock drift clears.");

    public static readonly ThresholdParameter DebounceReadings = new("clock_drift.debounce_readings", 2, 1, 100, true, "readings",
        "Consecutive readings past the trip (or clear) level before clock drift opens (or clears).");

    public override string Name => "clock_drift";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.LightTimeController];

    public override IReadOnlyList<FaultSheet> Faults =>
        [Sheet(FaultType.ClockDrift, "Domain §2: the schedule switches at the wrong time; the lighting still works")];

    public override IReadOnlyList<ThresholdParameter> Thresholds => [TripS, ClearS, DebounceReadings];

    public override IReadOnlyList<HysteresisBand> Bands => [new(TripS, ClearS, TripDirection.Above)];

    public override string Signals => "`clock_unix_s`, or `clock_year`..`clock_second` in the site's time zone, against the reading's time";

    public override string Debounce => "`clock_drift.debounce_readings` readings";

    public override string Clears => "`clock_drift.debounce_readings` readings within `clock_drift.clear_s`";

    public override RuleScope Scope => RuleScope.Device;

    public override void OnReading(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        if (ControllerClock(device, values) is not { } clock)
        {
            return;
        }

        var offset = (clock - at).TotalSeconds;
        var drift = Math.Abs(offset);
        var thresholds = device.Thresholds;
        var trip = thresholds[TripS];
        var clear = thresholds[ClearS];
        switch (State(device).Observe(drift > trip, drift < clear, (int)thresholds[DebounceReadings]))
        {
            case ConditionChange.Detected:
                var evidence = new Dictionary<string, double>(StringComparer.Ordinal) { ["clock_offset_s"] = offset, ["clock_drift.trip_s"] = trip };
                output.Add(device.Detected(device.Asset, FaultType.ClockDrift, FaultType.ClockDrift.DefaultGrade(), at,
                    string.Create(CultureInfo.InvariantCulture, $"controller clock {drift:0} s {(offset > 0 ? "ahead of" : "behind")} the reference time (limit {trip:0} s)"),
                    evidence));
                break;
            case ConditionChange.Cleared:
                output.Add(new FaultCleared(device.Asset, FaultType.ClockDrift, at,
                    string.Create(CultureInfo.InvariantCulture, $"controller clock within {drift:0} s of the reference time")));
                break;
        }
    }

    protected override void Reconcile(DebouncedCondition state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now) =>
        state.Reconcile(isOpen(owner.Asset, FaultType.ClockDrift));

    /// <summary>The controller's clock as an instant, or null when the reading has none or it is not a valid time.</summary>
    public static DateTimeOffset? ControllerClock(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values)
    {
        if (ReadingValues.TryNumber(values, PointNames.ClockUnixS, out var unix))
        {
            return unix is > 0 and < 253402300799 ? DateTimeOffset.UnixEpoch.AddSeconds(unix) : null;
        }

        if (!ReadingValues.TryCount(values, PointNames.ClockYear, out var year)
            || !ReadingValues.TryCount(values, PointNames.ClockMonth, out var month)
            || !ReadingValues.TryCount(values, PointNames.ClockDay, out var day)
            || !ReadingValues.TryCount(values, PointNames.ClockHour, out var hour)
            || !ReadingValues.TryCount(values, PointNames.ClockMinute, out var minute)
            || !ReadingValues.TryCount(values, PointNames.ClockSecond, out var second)
            || device.Gateway.PlantSite?.TimeZone is not { } zone)
        {
            return null;
        }

        // A controller that lost its battery shows nonsense such as month 0; that is a fault elsewhere, not a time.
        if (year is < 2000 or > 2200 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth((int)year, (int)month)
            || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
        {
            return null;
        }

        var local = new DateTime((int)year, (int)month, (int)day, (int)hour, (int)minute, (int)second, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
