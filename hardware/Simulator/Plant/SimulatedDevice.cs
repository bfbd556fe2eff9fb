using Telemetry.Devices.Decoding;
using Telemetry.Devices.Profiles;
using Telemetry.Devices.Sites;
using Telemetry.Modbus;
using Telemetry.Simulator.Faults;
using Telemetry.Simulator.Physics;

namespace Telemetry.Simulator.Plant;

/// <summary>A point and the value a master wrote to it, decoded as the profile says.</summary>
public sealed record WrittenValue(PointDefinition Point, string Name, PointValue Value)
{
    public int? Circuit => Point.Circuit;
}

/// <summary>
/// One simulated field device: its physics advance with simulated time, it reports values under the names of
/// its profile, obeys commands written to its writable points, and carries the faults injected into it.
/// Not thread-safe: the <see cref="Serving.Simulation"/> serialises every call.
/// </summary>
public abstract class SimulatedDevice
{
    private readonly Dictionary<ValueKey, PointValue> settings = [];
    private readonly Dictionary<ValueKey, PointValue> overrides = [];
    private DateTimeOffset time;

    protected SimulatedDevice(SiteDevice definition, DeviceContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(context);
        Definition = definition;
        Context = context;
        time = now;
        Random = new Random(StableHash.SeedFor(context.Seed, definition.Id));
        Noise = new DeterministicNoise(context.Seed, definition.Id);
    }

    public SiteDevice Definition { get; }

    public string Id => Definition.Id;

    public DeviceProfile Profile => Definition.Profile;

    public FaultSet Faults { get; } = new();

    /// <summary>Values set from outside (the control API's "set a value"): they replace what the physics says.</summary>
    public IReadOnlyDictionary<ValueKey, PointValue> Overrides => overrides;

    /// <summary>Simulated time the device has been advanced to.</summary>
    public DateTimeOffset Time => time;

    /// <summary>How the device answers on the bus now, from its faults.</summary>
    public BusBehaviour Bus { get; private set; } = BusBehaviour.Normal;

    protected DeviceContext Context { get; }

    /// <summary>This device's random numbers (seeded from the run's seed and the device id).</summary>
    protected Random Random { get; }

    protected DeterministicNoise Noise { get; }

    protected bool SupplyPresent => !Faults.Has(FaultKind.SupplyLoss);

    /// <summary>Circuits of the profile (at least 1, so a device without circuits has "circuit 1" internally).</summary>
    protected int CircuitCount => Math.Max(1, Profile.CircuitCount);

    /// <summary>Brings the device's state in line with its inputs at the start (contactors follow the schedule, outputs their program).</summary>
    public void Settle() => Step(time, TimeSpan.Zero);

    /// <summary>Advances the physics to <paramref name="now"/> in steps of at most the configured maximum.</summary>
    public void Advance(DateTimeOffset now)
    {
        while (time < now)
        {
            var step = now - time;
            if (step > Context.Settings.MaxStep)
            {
                step = Context.Settings.MaxStep;
            }

            time += step;
            Step(time, step);
        }
    }

    /// <summary>Everything the device reports now: physics, settings, then overrides.</summary>
    public DeviceValues Report()
    {
        var values = new DeviceValues();
        foreach (var (key, value) in settings)
        {
            values.Set(key, value);
        }

        Report(values, time);
        foreach (var (key, value) in overrides)
        {
            values.Set(key, value);
        }

        return values;
    }

    /// <summary>Whether the device accepts a write of these values (a device-specific refusal, e.g. a lift command without the maintenance key).</summary>
    /// <returns>The exception code to answer with, or null to accept.</returns>
    public virtual ModbusExceptionCode? Check(IReadOnlyList<WrittenValue> values) => null;

    /// <summary>Obeys a write; values the device has no behaviour for are kept as settings and read back.</summary>
    public void Apply(IReadOnlyList<WrittenValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var value in values)
        {
            if (!Command(value.Name, value.Circuit, value.Value, time))
            {
                settings[new ValueKey(value.Name, value.Circuit)] = value.Value;
            }
        }
    }

    public void Inject(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var replaced = Faults.Add(fault);
        OnFaultsChanged(fault, replaced, cleared: false);
        Bus = BusBehaviour.From(Faults);
    }

    public IReadOnlyList<Fault> Clear(FaultKind? kind, int? circuit = null)
    {
        var removed = Faults.Remove(kind, circuit);
        foreach (var fault in removed)
        {
            OnFaultsChanged(fault, null, cleared: true);
        }

        Bus = BusBehaviour.From(Faults);
        return removed;
    }

    public void SetOverride(ValueKey key, PointValue value) => overrides[key] = value;

    public bool ClearOverride(ValueKey key) => overrides.Remove(key);

    /// <summary>A setting (a writable value without behaviour of its own), or null.</summary>
    protected PointValue? Setting(string name, int? circuit = null) =>
        settings.TryGetValue(new ValueKey(name, circuit), out var value) ? (PointValue?)value : null;

    protected void SetSetting(string name, PointValue value, int? circuit = null) => settings[new ValueKey(name, circuit)] = value;

    /// <summary>Whether the profile has a point or bitfield value called <paramref name="name"/> (device level, or in circuits when <paramref name="perCircuit"/>).</summary>
    protected bool Has(string name, bool perCircuit = false) =>
        Profile.Points.Any(p => (p.Circuit is not null) == perCircuit && p.ValueNames().Contains(name));

    protected abstract void Step(DateTimeOffset now, TimeSpan step);

    protected abstract void Report(DeviceValues values, DateTimeOffset now);

    /// <summary>Reacts to a written value; false when the device has no behaviour for it (it is then kept as a setting).</summary>
    protected abstract bool Command(string name, int? circuit, PointValue value, DateTimeOffset now);

    /// <summary>A fault was injected (replacing <paramref name="replaced"/>, if any) or cleared.</summary>
    protected virtual void OnFaultsChanged(Fault fault, Fault? replaced, bool cleared)
    {
    }

    /// <summary>A value that wanders by ±<paramref name="spread"/> around <paramref name="mean"/>.</summary>
    protected double Wander(string channel, double mean, double spread, TimeSpan period) =>
        mean + (spread * Noise.Smooth(channel, time, period));
}

/// <summary>How a device answers on the bus, from its <c>silent</c>, <c>slow</c> and <c>exception</c> faults.</summary>
public sealed record BusBehaviour(bool Silent, TimeSpan Delay, ModbusExceptionCode? Exception)
{
    public static BusBehaviour Normal { get; } = new(false, TimeSpan.Zero, null);

    public static BusBehaviour From(FaultSet faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        return new BusBehaviour(
            faults.Has(FaultKind.Silent),
            TimeSpan.FromMilliseconds(faults.Find(FaultKind.Slow)?.DelayMs ?? 0),
            faults.Find(FaultKind.Exception)?.Code is { } code ? (ModbusExceptionCode)code : null);
    }
}
