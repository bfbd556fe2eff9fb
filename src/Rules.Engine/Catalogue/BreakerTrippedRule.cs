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
internal sealed class BreakerTrippedRule : Rule<BreakerState>
{
    public static readonly ThresholdParameter DebounceReadings = new("breaker.debounce_readings", 2, 1, 100, true, "readings",
        "Consecutive readings a box's breaker must read open (or closed) before breaker tripped opens (grade 2; the main breaker grade 1 at night) or clears.");

    private const int Main = 0;

    // The profile's series runs 1-8; names for more are kept so that a larger box needs no change here.
    private const int MaxOutgoing = 32;

    private static readonly string[] Points =
        [.. Enumerable.Range(0, MaxOutgoing + 1).Select(n => n == Main ? PointNames.BreakerMainClosed : PointNames.OutgoingBreakerClosed(n))];

    public override string Name => "breaker";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.DistributionBox];

    public override IReadOnlyList<FaultSheet> Faults =>
    [
        Sheet(FaultType.BreakerTripped,
            "The main breaker cuts all the box feeds: at night the lighting it feeds is dark (supply lost at night); by day nothing is dark yet. One outgoing feeder of several is a part of the service",
            "main: 1 at night, 2 by day (raised when night falls); outgoing: 2"),
    ];

    public override IReadOnlyList<ThresholdParameter> Thresholds => [DebounceReadings];

    public override string Signals => "`breaker_main_closed` open (on the box), `breaker_{n}_closed` open (on the box's circuit `n`)";

    public override string Debounce => "`breaker.debounce_readings` readings";

    public override string Clears => "`breaker.debounce_readings` readings of the breaker closed";

    public override RuleScope Scope => RuleScope.Device;

    public override void OnReading(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var readings = (int)device.Thresholds[DebounceReadings];
        var state = State(device);
        for (var number = Main; number < Points.Length; number++)
        {
            if (ReadingValues.TryFlag(values, Points[number], out var closed))
            {
                Judge(device, state, number, closed, readings, at, output);
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

    protected override void Reconcile(BreakerState state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now)
    {
        if (owner.Device is not { } device)
        {
            return;
        }

        for (var number = Main; number <= MaxOutgoing; number++)
        {
            var open = isOpen(AssetOf(device, number), FaultType.BreakerTripped);
            if (open || state.Existing(number) is not null)
            {
                state.Breaker(number).Reconcile(open);
            }

            if (open && number == Main)
            {
                state.MainGrade = MainGradeAt(device, now);
            }
        }
    }

    private static void Judge(DeviceState device, BreakerState state, int number, bool closed, int readings, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var condition = state.Breaker(number);
        switch (condition.Observe(!closed, closed, readings))
        {
            case ConditionChange.Detected:
                var grade = number == Main ? MainGradeAt(device, at) : FaultType.BreakerTripped.DefaultGrade();
                if (number == Main)
                {
                    state.MainGrade = grade;
                }

                output.Add(Detected(device, number, grade, at));
                break;
            case ConditionChange.Cleared:
                output.Add(new FaultCleared(AssetOf(device, number), FaultType.BreakerTripped, at,
                    number == Main ? "main breaker closed again" : string.Create(CultureInfo.InvariantCulture, $"outgoing breaker {number} closed again")));
                break;
            case ConditionChange.None when number == Main && condition.Active && !closed && MainGradeAt(device, at) < state.MainGrade:
                // Open since daylight and now night: reported again at the worse grade, which regrades the ticket.
                state.MainGrade = FaultGrade.Grade1;
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

/// <summary>A box's breakers (0 the main one, 1 and up the outgoing ones) and the grade its main breaker's fault was last reported with.</summary>
internal sealed class BreakerState
{
    /// <summary>By breaker number; created on first use, so that boxes without breakers keep none.</summary>
    public List<DebouncedCondition?> Breakers { get; set; } = [];

    public FaultGrade MainGrade { get; set; } = FaultGrade.Grade2;

    public DebouncedCondition? Existing(int number) => number < Breakers.Count ? Breakers[number] : null;

    public DebouncedCondition Breaker(int number)
    {
        while (Breakers.Count <= number)
        {
            Breakers.Add(null);
        }

        return Breakers[number] ??= new DebouncedCondition();
    }
}
