using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// A feeder cut or stolen: a circuit commanded on with its contactor closed whose current collapses below the trip
/// ratio of its learned baseline is <see cref="FaultType.CableTheft"/> (grade 1) on that one reading, because copper
/// thieves do not wait for a debounce. It clears once the current is back above the clear ratio. The baseline is
/// learned only from healthy readings: switched on, lamps lit within the outage ratio, no theft active, and not
/// already collapsed; a supply the device reports lost is a supply fault, not theft.
/// </summary>
internal sealed class CableTheftRule : Rule<CableTheftState>
{
    public static readonly ThresholdParameter TripRatio = new("cable_theft.trip_ratio", 0.10, 0.01, 0.9, false, "",
        "Current, as a fraction of the circuit's learned baseline, below which a closed, commanded-on circuit has lost its feeder.");

    public static readonly ThresholdParameter ClearRatio = new("cable_theft.clear_ratio", 0.50, 0.02, 1.0, false, "",
        "Current, as a fraction of the learned baseline, above which a cable theft condition clears.");

    public static readonly ThresholdParameter BaselineReadings = new("cable_theft.baseline_readings", 10, 3, 1000, true, "readings",
        "Healthy readings a circuit needs before its current baseline is trusted for theft detection.");

    private LampOutageRule? lamps;

    public override string Name => "cable_theft";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.HighMast, DeviceFamily.StreetController, DeviceFamily.DistributionBox];

    public override IReadOnlyList<FaultSheet> Faults =>
        [Sheet(FaultType.CableTheft, "Domain §2: the lighting of the feeder is lost, and copper thieves do not wait")];

    public override IReadOnlyList<ThresholdParameter> Thresholds => [TripRatio, ClearRatio, BaselineReadings];

    public override IReadOnlyList<HysteresisBand> Bands => [new(TripRatio, ClearRatio, TripDirection.Below)];

    public override string Signals => "`current_a` or `current_l1_a`..`current_l3_a` against the learned baseline, while `commanded_on` with `contactor_closed` and `supply_present` not false";

    public override string Debounce => "none: one reading (baseline trusted after `cable_theft.baseline_readings` healthy readings)";

    public override string Clears => "one reading above `cable_theft.clear_ratio` of the baseline";

    public override RuleScope Scope => RuleScope.Circuit;

    public override void Bind(RuleSet rules) => lamps = rules.Find<LampOutageRule>();

    /// <summary>The circuit's learned baseline, for a rule that reads it; null before its first healthy reading.</summary>
    public CurrentBaseline? BaselineOf(CircuitState circuit) => Peek(circuit)?.Baseline;

    public override void OnCircuit(CircuitState circuit, in LightingSample sample, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var device = circuit.Device;
        if (!sample.HasCurrent || !sample.FeederOn || device.SupplyPresent == false)
        {
            return;
        }

        var thresholds = device.Thresholds;
        var readings = (int)thresholds[BaselineReadings];
        var state = State(circuit);
        var baseline = state.Baseline;
        var trusted = baseline.IsTrusted(readings);
        if (trusted)
        {
            var trip = thresholds[TripRatio] * baseline.Mean;
            var clear = thresholds[ClearRatio] * baseline.Mean;
            if (!state.Active && sample.Current < trip)
            {
                state.Active = true;
                var evidence = new Dictionary<string, double>(StringComparer.Ordinal)
                {
                    ["current_a"] = sample.Current,
                    ["baseline_a"] = baseline.Mean,
                    ["trip_ratio"] = thresholds[TripRatio],
                };
                output.Add(device.Detected(circuit.Asset, FaultType.CableTheft, FaultType.CableTheft.DefaultGrade(), at,
                    string.Create(CultureInfo.InvariantCulture, $"current collapsed to {sample.Current:0.0##} A ({100 * sample.Current / baseline.Mean:0} % of the {baseline.Mean:0.0#} A baseline) with the circuit switched on: feeder cut or stolen"),
                    evidence));
                return;
            }

            if (state.Active)
            {
                if (sample.Current > clear)
                {
                    state.Active = false;
                    output.Add(new FaultCleared(circuit.Asset, FaultType.CableTheft, at,
                        string.Create(CultureInfo.InvariantCulture, $"current back to {sample.Current:0.0##} A of the {baseline.Mean:0.0#} A baseline")));
                }

                return;
            }

            if (sample.Current < clear)
            {
                return;
            }
        }

        var observed = lamps?.Peek(circuit);
        if (sample.Current > 0 && (observed is not { LastObservedKnown: true } || observed.LastObserved is LampClass.AllLit or LampClass.SingleLampsDark))
        {
            baseline.Learn(sample.Current, readings);
        }
    }

    protected override void Reconcile(CableTheftState state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now) =>
        state.Active = isOpen(owner.Asset, FaultType.CableTheft);
}

/// <summary>A circuit's learned current and whether its feeder is taken as cut.</summary>
internal sealed class CableTheftState
{
    public CurrentBaseline Baseline { get; set; } = new();

    public bool Active { get; set; }
}
