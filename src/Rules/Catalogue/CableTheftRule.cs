using System.Globalization;
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
internal sealed class CableTheftRule
{
    public void Evaluate(CircuitState circuit, in LightingSample sample, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var device = circuit.Device;
        if (!sample.HasCurrent || !sample.FeederOn || device.SupplyPresent == false)
        {
            return;
        }

        var thresholds = device.Thresholds;
        var readings = (int)thresholds[ThresholdCatalogue.CableTheftBaselineReadings];
        var baseline = circuit.Baseline;
        var trusted = baseline.IsTrusted(readings);
        if (trusted)
        {
            var trip = thresholds[ThresholdCatalogue.CableTheftTripRatio] * baseline.Mean;
            var clear = thresholds[ThresholdCatalogue.CableTheftClearRatio] * baseline.Mean;
            if (!circuit.CableTheft && sample.Current < trip)
            {
                circuit.CableTheft = true;
                var evidence = new Dictionary<string, double>(StringComparer.Ordinal)
                {
                    ["current_a"] = sample.Current,
                    ["baseline_a"] = baseline.Mean,
                    ["trip_ratio"] = thresholds[ThresholdCatalogue.CableTheftTripRatio],
                };
                output.Add(device.Detected(circuit.Asset, FaultType.CableTheft, FaultType.CableTheft.DefaultGrade(), at,
                    string.Create(CultureInfo.InvariantCulture, $"current collapsed to {sample.Current:0.0##} A ({100 * sample.Current / baseline.Mean:0} % of the {baseline.Mean:0.0#} A baseline) with the circuit switched on: feeder cut or stolen"),
                    evidence));
                return;
            }

            if (circuit.CableTheft)
            {
                if (sample.Current > clear)
                {
                    circuit.CableTheft = false;
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

        if (sample.Current > 0 && (!circuit.LastObservedKnown || circuit.LastObserved is LampClass.AllLit or LampClass.SingleLampsDark))
        {
            baseline.Learn(sample.Current, readings);
        }
    }
}
