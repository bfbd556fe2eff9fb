using System.Globalization;
using Telemetry.Contracts;
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
internal sealed class LampOutageRule : Rule<LampClassTracker>
{
    public static readonly ThresholdParameter OutageRatio = new("lamps.outage_ratio", 0.40, 0.05, 0.95, false, "",
        "Fraction of a mast's or circuit's lamps dark, while commanded on, above which it is an outage (grade 2).");

    public static readonly ThresholdParameter DebounceReadings = new("lamps.debounce_readings", 2, 1, 20, true, "readings",
        "Consecutive readings a lamp count must agree on before a lamp fault opens or clears.");

    public override string Name => "lamp_outage";

    public override IReadOnlyList<DeviceFamily> Families => [DeviceFamily.HighMast, DeviceFamily.StreetController, DeviceFamily.DistributionBox];

    public override IReadOnlyList<FaultSheet> Faults =>
    [
        Sheet(FaultType.TotalDark, "Domain §2: the lighting is lost (a road dark)"),
        Sheet(FaultType.MastOutage, "Domain §2: a major part not working, the service partly degraded"),
        Sheet(FaultType.SingleLampsDark, "Domain §2: components failed; the service is still delivered"),
    ];

    public override IReadOnlyList<ThresholdParameter> Thresholds => [OutageRatio, DebounceReadings];

    public override string Signals => "`lamps_lit`, `lamps_installed` (else the site file's lamp count), while `commanded_on` or `contactor_closed`; `supply_present` false at night is total dark";

    public override string Debounce => "`lamps.debounce_readings` readings of the same class";

    public override string Clears => "`lamps.debounce_readings` readings of another class (all lit clears; a worse or better class replaces it)";

    public override RuleScope Scope => RuleScope.Circuit;

    public override void OnCircuit(CircuitState circuit, in LightingSample sample, DateTimeOffset at, ICollection<FaultTransition> output)
    {
        var lamps = State(circuit);
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
            observed = Classify(dark, installed, device.Thresholds[OutageRatio]);
        }
        else
        {
            lamps.LastObservedKnown = false;
            return;
        }

        lamps.LastObserved = observed;
        lamps.LastObservedKnown = true;
        var previous = lamps.Active;
        if (lamps.Observe(observed, (int)device.Thresholds[DebounceReadings]) is not { } confirmed)
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

    protected override void Reconcile(LampClassTracker state, AssetOwner owner, Func<AssetRef, FaultType, bool> isOpen, DateTimeOffset now)
    {
        var asset = owner.Asset;
        state.Reconcile(isOpen(asset, FaultType.TotalDark) ? LampClass.TotalDark
            : isOpen(asset, FaultType.MastOutage) ? LampClass.MastOutage
            : isOpen(asset, FaultType.SingleLampsDark) ? LampClass.SingleLampsDark
            : LampClass.AllLit);
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
