using Telemetry.Contracts;
using System.Globalization;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// Lamps lit by daylight: lamps lit (a lit count above zero, an output on, or a closed contactor drawing its usual
/// current) while the sun is up at the site, the margin taken inside sunrise and sunset, for the debounce time, is
/// <see cref="FaultType.DayBurning"/> (grade 3). The sun decides, not the photocell: a dirty or shaded lux sensor is
/// one of the causes being looked for, so ambient lux is kept as evidence only. Never flagged at night, and an
/// active condition clears when the lamps go out or night falls.
/// </summary>
internal sealed class DayBurningRule : Rule<HeldCondition>
{
    public static readonly ThresholdParameter MarginMin = new("day_burning.margin_min", 30, 0, 180, true, "min",
        "Minutes after sunrise and before sunset inside which lamps lit are day burning.");

    public static readonly ThresholdParameter DebounceMin = new("day_burning.debounce_min", 10, 0, 240, false, "min",
        "Minutes lamps must stay lit by daylight before day burning opens.");

    private CableTheftRule? theft;

    public override string Name => "day_burning";

    public override IReadOnlyList<DeviceFamily> Families =>
        [DeviceFamily.HighMast, DeviceFamily.StreetController, DeviceFamily.DistributionBox, DeviceFamily.LightTimeController];

    public override IReadOnlyList<FaultSheet> Faults =>
        [Sheet(FaultType.DayBurning, "Domain §2: energy wasted; the lighting service is not affected")];

    public override IReadOnlyList<ThresholdParameter> Thresholds => [MarginMin, DebounceMin];

    public override string Signals => "`lamps_lit`, `output_on`, or `contactor_closed` drawing current, while the sun is up at the site (`ambient_lux` kept as evidence only)";

    public override string Debounce => "held `day_burning.debounce_min`, inside `day_burning.margin_min` of sunrise and sunset";

    public override string Clears => "the first reading with the lamps off, or night fallen";

    public override RuleScope Scope => RuleScope.Circuit;

    public override void Bind(RuleSet rules) => theft = rules.Find<CableTheftRule>();

    public override void OnCircuit(CircuitState circuit, in LightingSample sample, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var device = circuit.Device;
        if (device.Gateway.Daylight is not { } sun || Lit(circuit, sample) is not { } lit)
        {
            return;
        }

        var thresholds = device.Thresholds;
        var margin = TimeSpan.FromTicks((long)(thresholds[MarginMin] * TimeSpan.TicksPerMinute));
        var hold = TimeSpan.FromTicks((long)(thresholds[DebounceMin] * TimeSpan.TicksPerMinute));
        var burning = lit && sun.IsDaylight(at, margin);
        var condition = State(circuit);
        var since = condition.Since;
        switch (condition.Observe(burning, at, hold))
        {
            case ConditionChange.Detected:
                var minutes = (at - (condition.Since ?? since ?? at)).TotalMinutes;
                var evidence = new Dictionary<string, double>(StringComparer.Ordinal) { ["lit_min"] = minutes };
                if (sample.HasLampsLit)
                {
                    evidence["lamps_lit"] = sample.LampsLit;
                }

                if (sample.HasOutput)
                {
                    evidence["output_on"] = sample.OutputOn ? 1 : 0;
                }

                if (sample.HasCurrent)
                {
                    evidence["current_a"] = sample.Current;
                }

                if (ReadingValues.TryNumber(sample.Values, PointNames.AmbientLux, out var lux))
                {
                    evidence["ambient_lux"] = lux;
                }

                output.Add(device.Detected(circuit.Asset, FaultType.DayBurning, FaultType.DayBurning.DefaultGrade(), at,
                    string.Create(CultureInfo.InvariantCulture, $"lamps lit in daylight for {minutes:0} min"), evidence));
                break;
            case ConditionChange.Cleared:
                output.Add(new FaultCleared(circuit.Asset, FaultType.DayBurning, at, lit ? "night has fallen" : "lamps off"));
                break;
        }
    }

    /// <summary>Whether the lamps are lit; null when the reading cannot tell.</summary>
    private bool? Lit(CircuitState circuit, in LightingSample sample)
    {
        bool? lit = null;
        if (sample.HasLampsLit)
        {
            lit = sample.LampsLit > 0;
        }

        if (sample.HasOutput)
        {
            lit = (lit ?? false) || sample.OutputOn;
        }

        var readings = (int)circuit.Device.Thresholds[CableTheftRule.BaselineReadings];
        if (sample.HasContactor && sample.HasCurrent && theft?.BaselineOf(circuit) is { } baseline && baseline.IsTrusted(readings))
        {
            // "Well above zero": at least the current the theft rule takes as a circuit that is back.
            var drawing = sample.ContactorClosed
                && sample.Current > circuit.Device.Thresholds[CableTheftRule.ClearRatio] * baseline.Mean;
            lit = (lit ?? false) || drawing;
        }

        return lit;
    }

    protected override void Reconcile(HeldCondition state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now) =>
        state.Reconcile(isOpen(owner.Asset, FaultType.DayBurning));
}
