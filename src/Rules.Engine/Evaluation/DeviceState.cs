using System.Globalization;
using Telemetry.Contracts;
using Telemetry.Devices.Sites;
using Telemetry.Maintenance.Faults;
using Telemetry.Maintenance.Thresholds;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// Everything the engine tracks for one device: its place in the plant, its thresholds, and the state of every
/// condition on it and its circuits. Created once per device, so the hot path finds it with one dictionary look-up.
/// </summary>
internal sealed class DeviceState
{
    private const int MaxCircuits = 64;

    private CircuitState?[] circuits = [];
    private CircuitState? whole;
    private ThresholdSnapshot? resolvedFrom;
    private ResolvedThresholds? thresholds;

    public DeviceState(GatewaySession gateway, string id, DeviceFamily family, PlantDevice? plant, DateTimeOffset heardAt)
    {
        Gateway = gateway;
        Id = id;
        Asset = new AssetRef(gateway.Site, gateway.Id, id);
        Plant = plant;
        Family = plant?.Family ?? family;
        LastGood = heardAt;
        RuleStates = new object?[gateway.RuleStates.Length];

        // Made together with the device, so that a device's states lie together in memory as its fields would.
        gateway.Rules.Dispatch.Prepare(this);
    }

    public GatewaySession Gateway { get; }

    public string Id { get; }

    public AssetRef Asset { get; }

    /// <summary>The device as its site file describes it, or null for a device no file knows.</summary>
    public PlantDevice? Plant { get; private set; }

    public DeviceFamily Family { get; private set; }

    /// <summary>The thresholds of the snapshot last passed to <see cref="Resolve"/>.</summary>
    public ResolvedThresholds Thresholds => thresholds ?? throw new InvalidOperationException("thresholds are resolved before rules run");

    /// <summary>When the last good reading arrived (or the device was first watched), for silence.</summary>
    public DateTimeOffset LastGood { get; set; }

    /// <summary>The device's own report of its supply, from its last device-level reading; null when it has none.</summary>
    public bool? SupplyPresent { get; set; }

    /// <summary>The newest device-level reading judged; an older or equal one is a redelivery or a replay and is not judged again.</summary>
    public DateTimeOffset LastJudged { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Each rule's state on this device, by the rule's slot in its set; null until the rule first needs it.</summary>
    public object?[] RuleStates { get; }

    public string? Crew => Plant is { } plant ? plant.Crew : Gateway.Crew;

    public CrewZone Zone => Plant is { } plant ? plant.Zone : Gateway.Zone;

    /// <summary>The device taken as one lighting circuit (a high mast), its asset the device itself.</summary>
    public CircuitState Whole => whole ??= new CircuitState(this, Asset, 0);

    public void Rebind(PlantDevice? plant)
    {
        Plant = plant;
        if (plant is not null)
        {
            Family = plant.Family;
        }

        resolvedFrom = null;
    }

    /// <summary>Resolves the device's thresholds once per snapshot: a new snapshot applies from the next reading.</summary>
    public void Resolve(ThresholdSnapshot snapshot)
    {
        if (!ReferenceEquals(snapshot, resolvedFrom))
        {
            thresholds = snapshot.For(Family, Gateway.Site, Id);
            resolvedFrom = snapshot;
        }
    }

    /// <summary>The circuit called <paramref name="name"/> (its number), created on first use; null for a name that is no circuit number.</summary>
    public CircuitState? Circuit(string name)
    {
        if (!TryParseCircuit(name, out var number))
        {
            return null;
        }

        if (number >= circuits.Length)
        {
            Array.Resize(ref circuits, number + 1);
        }

        return circuits[number] ??= new CircuitState(this, new AssetRef(Gateway.Site, Gateway.Id, Id, name), number);
    }

    /// <summary>Every circuit state created so far, the whole-device one included.</summary>
    public IEnumerable<CircuitState> Circuits()
    {
        if (whole is not null)
        {
            yield return whole;
        }

        foreach (var circuit in circuits)
        {
            if (circuit is not null)
            {
                yield return circuit;
            }
        }
    }

    public FaultDetected Detected(AssetRef asset, FaultType fault, FaultGrade grade, DateTimeOffset at, string summary, IReadOnlyDictionary<string, double> evidence) =>
        new(asset, fault, grade, at, summary, evidence, Crew, Zone);

    private static bool TryParseCircuit(string name, out int number)
    {
        // Circuits are small numbers ("1".."4"); the common case is parsed without the general parser.
        if (name.Length == 1 && char.IsAsciiDigit(name[0]))
        {
            number = name[0] - '0';
            return number >= 1;
        }

        return int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number is >= 1 and <= MaxCircuits
            && name[0] != '0';
    }
}
