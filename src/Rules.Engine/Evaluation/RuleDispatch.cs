using Telemetry.Contracts;

namespace Telemetry.Rules.Evaluation;

/// <summary>
/// The rules of a set sorted, once per set, by the hooks they implement and the families they judge; and which rules
/// keep state on a device or circuit of each family, made with it.
/// </summary>
internal sealed class RuleDispatch
{
    private readonly Rule[][] reading;
    private readonly Rule[][] circuit;
    private readonly Rule[][] tick;
    private readonly Rule[][] deviceStates;
    private readonly Rule[][] circuitStates;

    public RuleDispatch(IReadOnlyList<Rule> all)
    {
        var families = Enum.GetValues<DeviceFamily>();
        var size = families.Max(f => (int)f) + 1;
        reading = new Rule[size][];
        circuit = new Rule[size][];
        tick = new Rule[size][];
        deviceStates = new Rule[size][];
        circuitStates = new Rule[size][];
        foreach (var family in families)
        {
            var judging = all.Where(r => r.Families.Contains(family)).ToList();
            reading[(int)family] = [.. judging.Where(r => Overrides(r, nameof(Rule.OnReading)))];
            circuit[(int)family] = [.. judging.Where(r => Overrides(r, nameof(Rule.OnCircuit)))];
            tick[(int)family] = [.. judging.Where(r => Overrides(r, nameof(Rule.OnDeviceTick)))];
            deviceStates[(int)family] = [.. judging.Where(r => (r.Scope & RuleScope.Device) != 0)];
            circuitStates[(int)family] = [.. judging.Where(r => (r.Scope & RuleScope.Circuit) != 0)];
        }

        Heard = [.. all.Where(r => Overrides(r, nameof(Rule.OnHeard)))];
        Delivered = [.. all.Where(r => Overrides(r, nameof(Rule.OnDelivered)))];
        Batch = [.. all.Where(r => Overrides(r, nameof(Rule.OnBatch)))];
        GatewayState = [.. all.Where(r => Overrides(r, nameof(Rule.OnGatewayState)))];
        GatewayTick = [.. all.Where(r => Overrides(r, nameof(Rule.OnGatewayTick)))];
        Events = all.SelectMany(r => r.EventKinds.Select(kind => (kind, r)))
            .GroupBy(p => p.kind, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.r).ToArray(), StringComparer.Ordinal);
    }

    public Rule[] Heard { get; }

    public Rule[] Delivered { get; }

    public Rule[] Batch { get; }

    public Rule[] GatewayState { get; }

    public Rule[] GatewayTick { get; }

    public Dictionary<string, Rule[]> Events { get; }

    public Rule[] Tick(DeviceFamily family) => (uint)family < (uint)tick.Length ? tick[(int)family] : [];

    public Rule[] Reading(DeviceFamily family) => (uint)family < (uint)reading.Length ? reading[(int)family] : [];

    public Rule[] Circuit(DeviceFamily family) => (uint)family < (uint)circuit.Length ? circuit[(int)family] : [];

    /// <summary>Gives a new device the state of every rule that judges its family.</summary>
    public void Prepare(DeviceState device) => Prepare(device.RuleStates, deviceStates, device.Family);

    /// <summary>Gives a new circuit the state of every circuit rule that judges its device's family.</summary>
    public void Prepare(CircuitState circuit) => Prepare(circuit.RuleStates, circuitStates, circuit.Device.Family);

    private static void Prepare(object?[] states, Rule[][] byFamily, DeviceFamily family)
    {
        if ((uint)family < (uint)byFamily.Length)
        {
            foreach (var rule in byFamily[(int)family])
            {
                states[rule.Slot] ??= rule.NewState();
            }
        }
    }

    private static bool Overrides(Rule rule, string hook) =>
        rule.GetType().GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Any(m => m.Name == hook && m.GetBaseDefinition().DeclaringType == typeof(Rule) && m.DeclaringType != typeof(Rule));
}
