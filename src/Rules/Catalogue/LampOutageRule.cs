using System.Globalization;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Catalogue;

/// <summary>
/// Dark lamps on a high mast or a street-lighting circuit while the lighting is due on: every lamp dark is
/// <see cref="FaultType.TotalDark"/> (grade 1), more than the outage ratio dark is <see cref="FaultType.MastOutage"/>
/// (grade 2), at least one dark at or below the ratio is <see cref="FaultType.SingleLampsDark"/> (grade 3). The three
/// are one quantity in three classes, so moving between them clears the old fault and detects the new one.
/// Supply lost at night is total dark whatever the lamp counts say. Commanded off, nothing is evaluated and an
/// active fault stays as it is until the lighting is on again and can be seen.
/// </summary>
internal sealed class LampOutageRule
{
    public void Evaluate(CircuitState circuit, in LightingSample sample, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var device = circuit.Device;
        var supplyLostAtNight = device.SupplyPresent == false && device.Gateway.Daylight is { } sun && sun.IsNight(at);
        if (!sample.DueOn && !supplyLostAtNight)
        {
            return;
        }

        var installed = sample.HasLampsInstalled ? sample.LampsInstalled : circuit.LampsFromSiteFile;
        long dark;
        LampClass observed;
        if (supplyLostAtNight)
        {
            dark = installed;
            observed = LampClass.TotalDark;
        }
        else if (installed > 0 && sample.HasLampsLit)
        {
            dark = Math.Clamp(installed - sample.LampsLit, 0, installed);
            observed = Classify(dark, installed, device.Thresholds[ThresholdCatalogue.OutageRatio]);
        }
        else
        {
            circuit.LastObservedKnown = false;
            return;
        }

        circuit.LastObserved = observed;
        circuit.LastObservedKnown = true;
        var previous = circuit.Lamps.Active;
        if (circuit.Lamps.Observe(observed, (int)device.Thresholds[ThresholdCatalogue.LampsDebounceReadings]) is not { } confirmed)
        {
            return;
        }

        var now = Describe(dark, installed, supplyLostAtNight);
        if (LampClassTracker.FaultOf(previous) is { } old)
        {
            output.Add(new FaultCleared(circuit.Asset, old, at, now));
        }

        if (LampClassTracker.FaultOf(confirmed) is { } fault)
        {
            var evidence = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["lamps_installed"] = installed,
                ["lamps_dark"] = dark,
                ["dark_ratio"] = installed > 0 ? (double)dark / installed : 1,
            };
            if (sample.HasLampsLit)
            {
                evidence["lamps_lit"] = sample.LampsLit;
            }

            if (supplyLostAtNight)
            {
                evidence["supply_present"] = 0;
            }

            output.Add(device.Detected(circuit.Asset, fault, fault.DefaultGrade(), at, now, evidence));
        }
    }

    /// <summary>The class of <paramref name="dark"/> lamps out of <paramref name="installed"/>.</summary>
    public static LampClass Classify(long dark, long installed, double outageRatio) =>
        dark <= 0 ? LampClass.AllLit
        : dark >= installed ? LampClass.TotalDark
        : (double)dark / installed > outageRatio ? LampClass.MastOutage
        : LampClass.SingleLampsDark;

    private static string Describe(long dark, long installed, bool supplyLostAtNight) => supplyLostAtNight
        ? "supply lost at night: the lighting due on is dark"
        : dark == 0
            ? string.Create(CultureInfo.InvariantCulture, $"all {installed} lamps lit")
            : string.Create(CultureInfo.InvariantCulture, $"{dark} of {installed} lamps dark ({100.0 * dark / installed:0} %) while the lighting is on");
}
