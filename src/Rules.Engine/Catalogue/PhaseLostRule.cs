using System.Globalization;
using System.Text;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A distribution box's phase lost: a phase voltage below the trip level (100 V) for the debounce is
/// <see cref="FaultType.PhaseLost"/>, one ticket on the box naming the phases lost. Grade 2 while some phases remain:
/// the lamps and loads on the lost phase are off (street lamps are spread over the phases) and three-phase loads run
/// unbalanced. Every phase lost is the box's supply lost, grade 1 at night when the lighting it feeds is due on (the
/// domain's supply lost at night), so the ticket is raised to 1 when the last phases go at night or night falls on a
/// box without supply. Clears when every phase is back above the clear level (180 V).
/// </summary>
internal sealed class PhaseLostRule : Rule<PhaseLostState>
{
    public static readonly ThresholdParameter TripV = new("phase_loss.trip_v", 100, 5, 220, false, "V",
        "Phase voltage of a distribution box below which the phase is lost (grade 2; every phase lost grade 1 at night).");

    public static readonly ThresholdParameter ClearV = new("phase_loss.clear_v", 180, 10, 250, false, "V",
        "Phase voltage every phase must be above before phase lost clears.");

    public static readonly ThresholdParameter DebounceReadings = new("phase_loss.debounce_readings", 2, 1, 100, true, "readings",
        "Consecutive readings past the trip (or clear) level before phase lost opens (or clears).");

    private static readonly string[] Phases = [PointNames.VoltageL1V, PointNames.VoltageL2V, PointNames.VoltageL3V];

    public override string Name => "phase_loss";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.DistributionBox];

    public override IReadOnlyList<FaultSheet> Faults =>
    [
        Sheet(FaultType.PhaseLost,
            "The lamps and loads on a lost phase are off, the rest still work; every phase lost is the supply lost, grade 1 while the lighting is due on",
            "2; every phase lost at night: 1"),
    ];

    public override IReadOnlyList<ThresholdParameter> Thresholds => [TripV, ClearV, DebounceReadings];

    public override IReadOnlyList<HysteresisBand> Bands => [new(TripV, ClearV, TripDirection.Below)];

    public override string Signals => "`voltage_l1_v`..`voltage_l3_v`: a phase below the trip level";

    public override string Debounce => "`phase_loss.debounce_readings` readings";

    public override string Clears => "`phase_loss.debounce_readings` readings with every phase above `phase_loss.clear_v`";

    public override RuleScope Scope => RuleScope.Device;

    public override void OnReading(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var thresholds = device.Thresholds;
        var trip = thresholds[TripV];
        var clear = thresholds[ClearV];
        var read = 0;
        var lost = 0;
        var healthy = 0;
        foreach (var phase in Phases)
        {
            if (!ReadingValues.TryNumber(values, phase, out var volts))
            {
                continue;
            }

            read++;
            if (volts < trip)
            {
                lost++;
            }
            else if (volts > clear)
            {
                healthy++;
            }
        }

        if (read == 0)
        {
            return;
        }

        var state = State(device);
        var condition = state.Condition;
        var grade = GradeAt(device, lost == read, at);
        switch (condition.Observe(lost > 0, healthy == read, (int)thresholds[DebounceReadings]))
        {
            case ConditionChange.Detected:
                state.Grade = grade;
                output.Add(Detected(device, values, trip, grade, at));
                break;
            case ConditionChange.Cleared:
                output.Add(new FaultCleared(device.Asset, FaultType.PhaseLost, at,
                    string.Create(CultureInfo.InvariantCulture, $"every phase back above {clear:0} V ({Voltages(values, null)})")));
                break;
            case ConditionChange.None when condition.Active && lost > 0 && grade < state.Grade:
                // The rest of the phases gone at night, or night fallen on a box without supply: reported again at
                // the worse grade, which regrades the ticket.
                state.Grade = grade;
                output.Add(Detected(device, values, trip, grade, at));
                break;
        }
    }

    protected override void Reconcile(PhaseLostState state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now)
    {
        var open = isOpen(owner.Asset, FaultType.PhaseLost);
        state.Condition.Reconcile(open);
        if (open)
        {
            // The ticket's grade is not known here. Taken as 2, a grade-1 ticket may count one more occurrence at
            // the first reading; taken as 1, a grade-2 ticket could never be raised.
            state.Grade = FaultType.PhaseLost.DefaultGrade();
        }
    }

    /// <summary>Grade 1 when every phase is lost while it is night at the box's site, else the catalogue's grade 2.</summary>
    public static FaultGrade GradeAt(DeviceState device, bool everyPhase, DateTimeOffset at) =>
        everyPhase && device.Gateway.Daylight is { } sun && sun.IsNight(at) ? FaultGrade.Grade1 : FaultType.PhaseLost.DefaultGrade();

    private static FaultDetected Detected(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, double trip, FaultGrade grade, DateTimeOffset at)
    {
        var evidence = new Dictionary<string, double>(StringComparer.Ordinal) { [TripV.Name] = trip };
        var names = new List<string>(Phases.Length);
        var read = 0;
        for (var i = 0; i < Phases.Length; i++)
        {
            if (ReadingValues.TryNumber(values, Phases[i], out var volts))
            {
                read++;
                evidence[Phases[i]] = volts;
                if (volts < trip)
                {
                    names.Add(PhaseName(i));
                }
            }
        }

        evidence["phases_lost"] = names.Count;
        var which = names.Count == read && read > 1 ? "every phase lost"
            : names.Count == 1 ? $"phase {names[0]} lost"
            : $"phases {string.Join(", ", names)} lost";
        var consequence = names.Count == read
            ? grade == FaultGrade.Grade1 ? "the box's supply is off, at night with the lighting due on" : "the box's supply is off"
            : names.Count == 1 ? "the lamps and loads on it are off" : "the lamps and loads on them are off";
        return device.Detected(device.Asset, FaultType.PhaseLost, grade, at,
            string.Create(CultureInfo.InvariantCulture, $"{which} ({Voltages(values, trip)}, below {trip:0} V): {consequence}"),
            evidence);
    }

    /// <summary>E.g. <c>L1 0.3 V, L2 231.0 V</c>; only the phases below <paramref name="below"/> when it is given.</summary>
    private static string Voltages(IReadOnlyDictionary<string, ReadingValue> values, double? below)
    {
        var text = new StringBuilder();
        for (var i = 0; i < Phases.Length; i++)
        {
            if (ReadingValues.TryNumber(values, Phases[i], out var volts) && (below is not { } limit || volts < limit))
            {
                text.Append(text.Length == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"{PhaseName(i)} {volts:0.0} V");
            }
        }

        return text.ToString();
    }

    private static string PhaseName(int index) => index switch
    {
        0 => "L1",
        1 => "L2",
        _ => "L3",
    };
}

/// <summary>A box's phase-loss condition and the grade it was last reported with.</summary>
internal sealed class PhaseLostState
{
    public DebouncedCondition Condition { get; set; } = new();

    public FaultGrade Grade { get; set; } = FaultGrade.Grade2;
}
