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
internal sealed class PhaseLostRule
{
    private static readonly string[] Phases = [PointNames.VoltageL1V, PointNames.VoltageL2V, PointNames.VoltageL3V];

    public void Evaluate(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var thresholds = device.Thresholds;
        var trip = thresholds[ThresholdCatalogue.PhaseLossTripV];
        var clear = thresholds[ThresholdCatalogue.PhaseLossClearV];
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

        var condition = device.PhaseLost;
        var grade = GradeAt(device, lost == read, at);
        switch (condition.Observe(lost > 0, healthy == read, (int)thresholds[ThresholdCatalogue.PhaseLossDebounceReadings]))
        {
            case ConditionChange.Detected:
                device.PhaseLostGrade = grade;
                output.Add(Detected(device, values, trip, grade, at));
                break;
            case ConditionChange.Cleared:
                output.Add(new FaultCleared(device.Asset, FaultType.PhaseLost, at,
                    string.Create(CultureInfo.InvariantCulture, $"every phase back above {clear:0} V ({Voltages(values, null)})")));
                break;
            case ConditionChange.None when condition.Active && lost > 0 && grade < device.PhaseLostGrade:
                // The rest of the phases gone at night, or night fallen on a box without supply: reported again at
                // the worse grade, which regrades the ticket.
                device.PhaseLostGrade = grade;
                output.Add(Detected(device, values, trip, grade, at));
                break;
        }
    }

    /// <summary>Grade 1 when every phase is lost while it is night at the box's site, else the catalogue's grade 2.</summary>
    public static FaultGrade GradeAt(DeviceState device, bool everyPhase, DateTimeOffset at) =>
        everyPhase && device.Gateway.Daylight is { } sun && sun.IsNight(at) ? FaultGrade.Grade1 : FaultType.PhaseLost.DefaultGrade();

    private static FaultDetected Detected(DeviceState device, IReadOnlyDictionary<string, ReadingValue> values, double trip, FaultGrade grade, DateTimeOffset at)
    {
        var evidence = new Dictionary<string, double>(StringComparer.Ordinal) { [ThresholdCatalogue.PhaseLossTripV.Name] = trip };
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
